import { watch } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import { ProjectGenerator, staleOutputs, writeOutputs, type Generation } from '../transformer/generate.js';
import { assertHasFiles, readProject, resolveTsconfig } from './project.js';
import { UsageError, type Output } from './output.js';

/** Options of `resil gen`. */
export interface GenOptions {
  project: string;
  out?: string;
  manifest?: string;
  schema?: string;
  check?: boolean;
  watch?: boolean;
}

/** Projects with at least this many files get a progress bar (on a terminal). */
const PROGRESS_FROM_FILES = 200;
const BAR_WIDTH = 30;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A progress bar on stderr, redrawn in place; only on a terminal and for large projects. */
function progressBar(out: Output, tty: boolean): ((done: number, total: number) => void) | undefined {
  if (!tty) return undefined;
  let last = -1;
  return (done, total) => {
    if (total < PROGRESS_FROM_FILES) return;
    const filled = Math.round((done / total) * BAR_WIDTH);
    if (filled === last && done !== total) return;
    last = filled;
    out.stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} files`);
    if (done === total) out.stderr('\r\x1b[K');
  };
}

/** `resil gen: 12 files, 5 methods, 11 policies, 0 errors in 840 ms; wrote src/resil.generated.ts` */
function summary(g: Generation, cwd: string, what: string): string {
  const { plan } = g;
  const policies = plan.methods.reduce((n, m) => n + m.decorators.length, 0);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = plan.diagnostics.length - errors;
  const problems = warnings > 0 ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : plural(errors, 'error');
  return `resil gen: ${plural(plan.files, 'file')}, ${plural(plan.methods.length, 'method')}, ${plural(policies, 'policy').replace('policys', 'policies')}, ${problems} in ${g.ms} ms; ${what}`;
}

function reportDiagnostics(g: Generation, out: Output): boolean {
  for (const d of g.plan.diagnostics) out.stdout(`${formatDiagnostic(d)}\n\n`);
  return g.plan.diagnostics.some((d) => d.severity === 'error');
}

/** Writes what changed and says so in one line; returns the exit code (1 when there are errors). */
function writeAndReport(g: Generation, out: Output, cwd: string): number {
  const failed = reportDiagnostics(g, out);
  const written = writeOutputs(g);
  const what = written.length === 0 ? 'outputs unchanged' : `wrote ${written.map((k) => relative(cwd, g.paths[k])).join(', ')}`;
  out.stdout(`${summary(g, cwd, what)}\n`);
  return failed ? 1 : 0;
}

function createGenerator(options: GenOptions, cwd: string): ProjectGenerator {
  const tsconfig = resolveTsconfig(options.project, cwd);
  return readProject(tsconfig, cwd, () => new ProjectGenerator({ tsconfig, ...pick(options) }));
}

const pick = (o: GenOptions) => ({
  ...(o.out !== undefined && { out: o.out }),
  ...(o.manifest !== undefined && { manifest: o.manifest }),
  ...(o.schema !== undefined && { schema: o.schema }),
});

/**
 * `resil gen`: analyses the project and writes `resil.generated.ts`, `resil.manifest.json` and
 * `resil.schema.json` where they changed. `--check` writes nothing and returns 1 when any is stale;
 * `--watch` keeps the project in memory and regenerates on change (the returned promise settles
 * when `signal` aborts). Errors in the decorators are printed and give exit code 1; the methods
 * without errors are still generated.
 */
export async function gen(options: GenOptions, out: Output, cwd = process.cwd(), signal?: AbortSignal): Promise<number> {
  if (options.check && options.watch) throw new UsageError('--check and --watch cannot be used together');
  const generator = createGenerator(options, cwd);
  const g = generator.run(undefined, progressBar(out, process.stderr.isTTY === true));
  assertHasFiles(g.plan.files, generator.tsconfig, cwd);
  if (options.check) {
    const failed = reportDiagnostics(g, out);
    const stale = staleOutputs(g);
    const what = stale.length === 0 ? 'outputs up to date' : `stale: ${stale.map((k) => relative(cwd, g.paths[k])).join(', ')} (run resil gen)`;
    out.stdout(`${summary(g, cwd, what)}\n`);
    return stale.length > 0 || failed ? 1 : 0;
  }
  const code = writeAndReport(g, out, cwd);
  if (!options.watch) return code;
  return watchProject(generator, out, cwd, signal);
}

/**
 * Regenerates after each burst of changes (50 ms quiet) until `signal` aborts (or SIGINT). Watches
 * the folders holding the project's source files, each without recursion: a recursive watch would
 * walk node_modules, and on Linux Node 20 builds it by scanning the tree first, missing changes
 * made meanwhile.
 */
function watchProject(generator: ProjectGenerator, out: Output, cwd: string, signal?: AbortSignal): Promise<number> {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const paths = [...pending];
    pending.clear();
    try {
      const g = generator.update(paths);
      if (g) writeAndReport(g, out, cwd);
    } catch (error) {
      // A file caught mid-save may not parse: say so and keep watching.
      out.stderr(`resil gen: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    }
  };
  return new Promise((done) => {
    const watchers = generator.sourceFolders().map((folder) =>
      watch(folder, (_event, name) => {
        if (!name) return;
        pending.add(join(folder, name));
        clearTimeout(timer);
        timer = setTimeout(flush, 50);
      }),
    );
    // Said once the watchers exist: a change made as soon as this line is read is seen.
    out.stdout(`resil gen: watching ${relative(cwd, dirname(generator.tsconfig)) || '.'} (Ctrl-C to stop)\n`);
    const stop = () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      done(0);
    };
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    if (!signal) process.once('SIGINT', stop);
  });
}
