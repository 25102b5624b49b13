#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { check } from './check.js';
import { gen, type GenOptions } from './gen.js';
import { schema, type SchemaOptions } from './schema.js';
import { processOutput, UsageError, type Output } from './output.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The `resil` command line; commander wiring only, one file per command. */
export function program(out: Output, setExitCode: (code: number) => void): Command {
  const root = new Command('resil')
    .description('compile-time resilience for TypeScript: generates and checks the code behind resil decorators')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
    .showSuggestionAfterError();
  root
    .command('check')
    .description('report mistakes in the resil decorators of a TypeScript project (file:line:col, exit 1 on errors)')
    .option('-p, --project <tsconfig>', 'the tsconfig file, or a folder holding tsconfig.json', 'tsconfig.json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { project: string; format: 'text' | 'json' }) => setExitCode(check(options, out)));
  root
    .command('gen')
    .description('write resil.generated.ts, resil.manifest.json and resil.schema.json for a TypeScript project')
    .option('-p, --project <tsconfig>', 'the tsconfig file, or a folder holding tsconfig.json', 'tsconfig.json')
    .option('--out <file>', 'where to write the generated module (default: resil.generated.ts in the source root)')
    .option('--manifest <file>', 'where to write the manifest (default: resil.manifest.json beside the tsconfig)')
    .option('--schema <file>', 'where to write the configuration schema (default: resil.schema.json beside the tsconfig)')
    .option('--check', 'write nothing; exit 1 when an output is missing or stale (for CI)')
    .option('--watch', 'keep the project in memory and regenerate when a file changes')
    .action(async (options: GenOptions) => setExitCode(await gen(options, out)));
  root
    .command('schema')
    .description("print the JSON Schema of the project's resil.config.json (or write it with --out)")
    .option('-p, --project <tsconfig>', 'the tsconfig file, or a folder holding tsconfig.json', 'tsconfig.json')
    .option('--out <file>', 'write the schema to this file instead of printing it')
    .action((options: SchemaOptions) => setExitCode(schema(options, out)));
  return root;
}

/** Runs the CLI; resolves to the exit code: 0 fine, 1 problems found, 2 bad usage. */
export async function main(argv: string[], out: Output = processOutput): Promise<number> {
  let code = 0;
  try {
    await program(out, (c) => (code = c)).parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      out.stderr(`resil: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  return code;
}

process.exitCode = await main(process.argv.slice(2));
