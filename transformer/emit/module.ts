import { createHash } from 'node:crypto';
import { CodeBlockWriter } from 'ts-morph';
import { GENERATED_HEADER, type MethodPlan, type ProjectPlan } from '../plan.js';
import { sortKeys } from './effective-options.js';
import { emitMethod } from './factory.js';
import { isFused } from './fused.js';
import { needsCall } from './method.js';
import { emitValidatorSection, validatorNames } from './method-validator.js';

/** Options of {@link emitModule}. */
export interface EmitModuleOptions {
  /** The module generated code imports the runtime from. Default `'resil'`. */
  runtimeImport?: string;
}


const newWriter = (): CodeBlockWriter => new CodeBlockWriter({ indentNumberOfSpaces: 2, useSingleQuote: true, newLine: '\n' });

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A TypeScript identifier for a method's factory, unique in the module. */
function factoryNames(methods: readonly MethodPlan[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const method of methods) {
    const words = method.id.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
    const base = `create${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    names.set(method.id, name);
  }
  return names;
}

/** What one method adds to the module: its entry and its factory, each written once. */
interface MethodText {
  readonly name: string;
  readonly entry: string;
  readonly factory: string;
}

/**
 * Texts by plan object. Analysis hands an update the same `MethodPlan` objects for every file it
 * did not analyse again, so `resil gen --watch` writes only the methods of the files that changed;
 * writing all 2,000 methods of a large project again took about 200 ms of each update.
 */
const written = new WeakMap<MethodPlan, MethodText>();

function methodText(method: MethodPlan, name: string): MethodText {
  const cached = written.get(method);
  if (cached?.name === name) return cached;
  const entry = newWriter();
  entry.setIndentationLevel(1);
  entry.write(`${JSON.stringify(method.id)}: `).inlineBlock(() => {
    entry.writeLine(`async: ${method.async},`);
    entry.writeLine(`signalIndex: ${method.signalIndex},`);
    entry.writeLine(`options: ${JSON.stringify(writtenOptions(method))},`);
    entry.writeLine(`create: ${name},`);
    if (method.validation) {
      const v = validatorNames(name);
      const result = method.validation.returns ? `, result: ${v.result}` : '';
      entry.writeLine(`validate: { strict: ${method.validation.strict}, args: ${v.args}${result} },`);
    }
  });
  entry.write(',').newLine();
  const factory = newWriter();
  emitMethod(method, name, factory);
  // Without its last line break: the module puts one blank line between factories.
  const text = { name, entry: entry.toString(), factory: factory.toString().replace(/\n$/, '') };
  written.set(method, text);
  return text;
}

/** The decorators' options as the runtime compares them: by kind, as written, keys sorted. */
function writtenOptions(method: MethodPlan): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const decorator of method.decorators) options[decorator.kind] = sortKeys(decorator.options ?? {});
  return options;
}

/** The methods a module holds: every planned method without an error, sorted by id. */
export function generatedMethods(plan: ProjectPlan): MethodPlan[] {
  const failed = new Set(plan.methodsWithErrors ?? []);
  return plan.methods.filter((m) => !failed.has(m.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * `resil.generated.ts`: one entry per method, registered by id when the module is imported, each
 * with the options it was generated from and the factory of its specialized wrapper. A pure
 * function of the plan: the same plan gives the same text, with a content hash in its header.
 */
export function emitModule(plan: ProjectPlan, options: EmitModuleOptions = {}): string {
  const methods = generatedMethods(plan);
  const names = factoryNames(methods);
  const writer = newWriter();
  // Only what the module uses: a project's own strict settings (noUnusedLocals) apply to it too.
  const imports = methods.length === 0 ? ['defineGenerated', 'type GeneratedEntry'] : ['defineGenerated', 'ShuttingDownError'];
  if (methods.some(needsCall)) imports.push('type Call');
  if (methods.length > 0) imports.push('type GeneratedContext', 'type GeneratedEntry', 'type GeneratedMethod');
  const validators = emitValidatorSection(methods, names);
  if (validators.text !== '') imports.push(...validators.helpers, 'type ValidationIssue');
  writer.writeLine(`import { ${imports.join(', ')} } from '${options.runtimeImport ?? 'resil'}';`);
  writer.blankLine();
  if (methods.some(isFused)) {
    writer.writeLine("/** A call of a fused wrapper: what its first attempt leaves for the timeout's reaction. */");
    writer.write('interface AttemptCall extends Call ').block(() => {
      writer.writeLine('retryStartedAt: number;');
      writer.writeLine('breakerTicket: object | undefined;');
      writer.writeLine('breakerStartedAt: number;');
    });
    writer.blankLine();
  }
  writer.writeLine('const entries: Record<string, GeneratedEntry> = {');
  const texts = methods.map((m) => methodText(m, names.get(m.id)!));
  // Each part ends its own lines and carries its own indentation: joined as written.
  const validatorText = validators.text === '' ? [] : [`\n${validators.text}\n`];
  const body = [writer.toString(), ...texts.map((t) => t.entry), '};\n', ...texts.map((t) => `\n${t.factory}\n`), ...validatorText, '\n'].join('');
  const hash = contentHash(body);
  const head = newWriter();
  head.writeLine(GENERATED_HEADER);
  head.writeLine(`// ${plural(methods.length, 'method')} from ${plural(plan.files, 'file')}; content hash ${hash}.`);
  head.writeLine('/* eslint-disable */');
  const tail = newWriter();
  tail.writeLine(`defineGenerated('${hash}', entries);`);
  // Three separately written parts, joined: the hash covers the body, so the header comes last.
  return head.toString() + body + tail.toString();
}

/** The first 16 hex digits of the SHA-256 of a text. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
