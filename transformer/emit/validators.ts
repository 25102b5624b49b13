import { CodeBlockWriter } from 'ts-morph';
import { MAX_DEPTH } from '../../src/validation/issues.js';
import type { TypeDef, TypeIR } from '../type-ir.js';
import { constraintWords, describeType, isScalar, itemsWords, lengthWords, literalText, numberBase, pathSegment } from './validator-parts.js';

type Node<K extends TypeIR['kind']> = Extract<TypeIR, { kind: K }>;

/** The helpers of `resil` a format needs, by format. */
const FORMAT_HELPER: Readonly<Record<string, string>> = {
  email: 'isEmail',
  uuid: 'isUuid',
  uri: 'isUri',
  date: 'isDate',
  'date-time': 'isDateTime',
  ipv4: 'isIpv4',
  ipv6: 'isIpv6',
};

/** One more level of depth, as an expression. */
const deeper = (d: string): string => (d === '0' ? '1' : `${d} + 1`);

/**
 * Whether the object `o` has Object.prototype as its prototype. Read through the `__proto__`
 * accessor, which V8 inlines where `Object.getPrototypeOf` stays a call; an own `__proto__` key
 * (JSON can make one) only makes the object not plain, so the slower own-property check runs.
 */
const PLAIN = 'const plain = (o as { __proto__?: unknown }).__proto__ === objectProto;';

/**
 * Whether the value `x` read from `o[name]` is an own property. A value read from a plain object
 * is its own unless Object.prototype holds that very value, so the common case needs no
 * hasOwnProperty call; a polluted Object.prototype still gets one, as does every object of
 * another prototype. `__proto__` is an accessor of Object.prototype: what it reads says nothing.
 */
function ownTest(name: string, x: string): string {
  const key = JSON.stringify(name);
  return name === '__proto__' ? `own.call(o, ${key})` : `((plain && ${x} !== objectProto[${key}]) || own.call(o, ${key}))`;
}

/** Whether a node's issue path takes `from`: objects resume at a property, arrays at an item. */
const resumes = (node: TypeIR): boolean => node.kind === 'object' || node.kind === 'array';

/** A writer set up as every emitter of the module sets it up. */
export const validatorWriter = (): CodeBlockWriter => new CodeBlockWriter({ indentNumberOfSpaces: 2, useSingleQuote: true, newLine: '\n' });

/**
 * The validators of a generated module (typia's "is" and "assert" programmers, in one): for every
 * distinct composite type, a boolean fast path `isN(v, d)` and an issue-collecting path
 * `checkN(v, p, c, d)` taken only when the fast path fails. Types are deduplicated across the
 * project by a structural key (named types by their id); recursion goes through the named
 * functions, with the depth `d` bounded by {@link MAX_DEPTH}. Pure: the same calls in the same
 * order give the same text.
 */
export class ValidatorSet {
  /** Functions by structural key: their number. */
  private readonly functions = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly patterns = new Map<string, string>();
  private readonly keySets = new Map<string, string>();
  /** What the module imports from `resil` for the validators. */
  readonly helpers = new Set<string>();
  /** Whether `own` (Object.prototype.hasOwnProperty) is used. */
  private usesOwn = false;
  /** Whether a fast path records where it failed (`failAt`), for its issue path to resume there. */
  private usesFailAt = false;

  constructor(private readonly defs: Readonly<Record<string, TypeDef>>) {}

  /** The module-level declarations: constants, then every function in the order it was made. */
  declarations(): string {
    const head: string[] = [];
    if (this.usesFailAt) {
      head.push('/** Where the last object or array fast path to fail failed: the property or item its issue path starts at. */');
      head.push('let failAt = 0;');
    }
    if (this.usesOwn) {
      head.push('const own = Object.prototype.hasOwnProperty;');
      head.push('const objectProto = Object.prototype as unknown as Record<string, unknown>;');
    }
    // Patterns are string literals given to the RegExp constructor once, never spliced into code.
    for (const [source, name] of this.patterns) head.push(`const ${name} = new RegExp(${JSON.stringify(source)}, 'u');`);
    for (const [keys, name] of this.keySets) head.push(`const ${name} = new Set<string>(${keys});`);
    return [head.join('\n'), ...this.texts].filter((t) => t !== '').join('\n\n');
  }

  private resolve(node: TypeIR): TypeIR {
    return node.kind === 'ref' ? this.resolve(this.defs[node.id]!.type) : node;
  }

  private describe(node: TypeIR): string {
    return describeType(node, this.defs);
  }

  /** The number of the function pair of a composite node, made on first use. */
  functionOf(node: TypeIR, strict: boolean): number {
    const key = node.kind === 'ref' ? `ref ${node.id} ${strict}` : `${JSON.stringify(node)} ${strict}`;
    let n = this.functions.get(key);
    if (n !== undefined) return n;
    n = this.functions.size;
    // Registered before its body is written: a recursive type finds itself.
    this.functions.set(key, n);
    const slot = this.texts.length;
    this.texts.push('');
    this.texts[slot] = this.writeFunctions(node, n, strict);
    return n;
  }

  private writeFunctions(node: TypeIR, n: number, strict: boolean): string {
    const body = this.resolve(node);
    const w = validatorWriter();
    const name = node.kind === 'ref' ? ` (${this.defs[node.id]!.name})` : '';
    w.writeLine(`/** Fast path${name}: whether \`v\` passes. */`);
    w.write(`function is${n}(v: unknown, d: number): boolean`).block(() => this.writeIs(w, body, strict));
    w.blankLine();
    w.writeLine(`/** Issue path${name}: collects every issue of \`v\` at path \`p\`. */`);
    const from = resumes(body) ? ', from: number' : '';
    w.write(`function check${n}(v: unknown, p: string, c: Issues, d: number${from}): void`).block(() => this.writeCheck(w, body, strict, node));
    this.helpers.add('Issues');
    return w.toString().replace(/\n$/, '');
  }

  /** The boolean expression testing `x` against a node, at depth `d`. */
  cond(node: TypeIR, x: string, d: string, strict: boolean): string {
    switch (node.kind) {
      case 'any':
        return 'true';
      case 'never':
        return 'false';
      case 'undefined':
        return `${x} === undefined`;
      case 'boolean':
      case 'bigint':
        return `typeof ${x} === '${node.kind}'`;
      case 'literal':
        return `${x} === ${literalText(node.value)}`;
      case 'bigintLiteral':
        return `${x} === ${node.value}n`;
      case 'date':
        return `${x} instanceof Date && !Number.isNaN(${x}.getTime())`;
      case 'instance':
        if (node.global) return `${x} instanceof ${node.className}`;
        this.helpers.add('hasClass');
        return `hasClass(${x}, ${JSON.stringify(node.className)})`;
      case 'string':
        return [`typeof ${x} === 'string'`, ...this.stringTests(node, x).map((t) => t.test)].join(' && ');
      case 'number':
        return [`typeof ${x} === 'number'`, ...this.numberTests(node, x).map((t) => t.test)].join(' && ');
      case 'union':
        if (isScalar(node)) return `(${node.members.map((m) => this.cond(m, x, d, strict)).join(' || ')})`;
        return `is${this.functionOf(node, strict)}(${x}, ${deeper(d)})`;
      default:
        return `is${this.functionOf(node, strict)}(${x}, ${deeper(d)})`;
    }
  }

  /** A string's constraint tests, each with the words of its issue. */
  private stringTests(node: Node<'string'>, x: string): { test: string; words: string }[] {
    const tests: { test: string; words: string }[] = [];
    const { minLength: min, maxLength: max } = node;
    if (min !== undefined && min > 0) {
      this.helpers.add('codePoints');
      // A string of n UTF-16 units holds at least n / 2 code points: counting is needed only below 2 × min.
      tests.push({ test: `(${x}.length >= ${min * 2} || codePoints(${x}) >= ${min})`, words: lengthWords('minLength', min) });
    }
    if (max !== undefined) {
      this.helpers.add('codePoints');
      tests.push({ test: `(${x}.length <= ${max} || codePoints(${x}) <= ${max})`, words: lengthWords('maxLength', max) });
    }
    if (node.pattern !== undefined) {
      let name = this.patterns.get(node.pattern);
      if (name === undefined) this.patterns.set(node.pattern, (name = `pattern${this.patterns.size}`));
      tests.push({ test: `${name}.test(${x})`, words: `string matching /${node.pattern}/` });
    }
    if (node.format !== undefined) {
      const helper = FORMAT_HELPER[node.format]!;
      this.helpers.add(helper);
      tests.push({ test: `${helper}(${x})`, words: `string in format ${node.format}` });
    }
    return tests;
  }

  /** A number's tests after `typeof`: finite (or integer), bounds, multipleOf. */
  private numberTests(node: Node<'number'>, x: string): { test: string; words: string }[] {
    const base = numberBase(node);
    const tests = [{ test: node.integer ? `Number.isInteger(${x})` : `Number.isFinite(${x})`, words: base }];
    for (const c of constraintWords(node)) tests.push({ test: `${x} ${c.test}`, words: c.words });
    if (node.multipleOf !== undefined) tests.push({ test: `${x} % ${node.multipleOf} === 0`, words: `${base} multiple of ${node.multipleOf}` });
    return tests;
  }

  private keySet(names: readonly string[]): string {
    const keys = JSON.stringify(names);
    let name = this.keySets.get(keys);
    if (name === undefined) this.keySets.set(keys, (name = `keys${this.keySets.size}`));
    return name;
  }

  private writeIs(w: CodeBlockWriter, node: TypeIR, strict: boolean): void {
    switch (node.kind) {
      case 'object':
        return this.isObject(w, node, strict);
      case 'array':
        return this.isArray(w, node, strict);
      case 'tuple':
        return this.isTuple(w, node, strict);
      case 'union':
        if (node.discriminant) return this.isDiscriminated(w, node, strict);
        break;
      default:
    }
    // A named scalar type (an alias of a union of literals), a union or an intersection: one expression.
    const test =
      node.kind === 'intersection'
        ? node.members.map((m) => this.cond(m, 'v', 'd', strict)).join(' && ')
        : node.kind === 'union'
          ? node.members.map((m) => this.cond(m, 'v', 'd', strict)).join(' || ')
          : this.cond(node, 'v', 'd', strict);
    w.writeLine(`return d <= ${MAX_DEPTH} && (${test});`);
  }

  private isObject(w: CodeBlockWriter, node: Node<'object'>, strict: boolean): void {
    this.usesFailAt = true;
    w.writeLine(`if (typeof v !== 'object' || v === null || Array.isArray(v) || d > ${MAX_DEPTH}) return ((failAt = 0), false);`);
    if (node.properties.length > 0 || node.index || strict) w.writeLine('const o = v as Record<string, unknown>;');
    if (node.properties.length > 0) w.writeLine(PLAIN);
    node.properties.forEach((p, i) => {
      const test = this.cond(p.type, `x${i}`, 'd', strict);
      this.usesOwn = true;
      const isOwn = ownTest(p.name, `x${i}`);
      w.writeLine(`const x${i} = o[${JSON.stringify(p.name)}];`);
      if (p.optional) w.writeLine(`if (x${i} !== undefined && ${isOwn} && !(${test})) return ((failAt = ${i}), false);`);
      else w.writeLine(`if (!(${test}) || !${isOwn}) return ((failAt = ${i}), false);`);
    });
    if (node.index || strict) {
      const declared = node.properties.length > 0 ? this.keySet(node.properties.map((p) => p.name)) : undefined;
      w.write('for (const k of Object.keys(o))').block(() => {
        if (declared) w.writeLine(`if (${declared}.has(k)) continue;`);
        const past = node.properties.length;
        if (!node.index) w.writeLine(`return ((failAt = ${past}), false);`);
        else if (node.index.kind !== 'any') w.writeLine(`if (!(${this.cond(node.index, 'o[k]', 'd', strict)})) return ((failAt = ${past}), false);`);
      });
    }
    w.writeLine('return true;');
  }

  private isArray(w: CodeBlockWriter, node: Node<'array'>, strict: boolean): void {
    this.usesFailAt = true;
    w.writeLine(`if (!Array.isArray(v) || d > ${MAX_DEPTH}) return ((failAt = 0), false);`);
    w.writeLine('const n = v.length;');
    // The length first: a million items against @maxItems 100 are refused before one is looked at.
    if (node.maxItems !== undefined) w.writeLine(`if (n > ${node.maxItems}) return ((failAt = 0), false);`);
    if (node.minItems !== undefined) w.writeLine(`if (n < ${node.minItems}) return ((failAt = 0), false);`);
    if (node.items.kind !== 'any') {
      w.write('for (let i = 0; i < n; i++)').block(() => {
        w.writeLine('const x = v[i];');
        w.writeLine(`if (!(${this.cond(node.items, 'x', 'd', strict)})) return ((failAt = i), false);`);
      });
    }
    if (node.uniqueItems) {
      this.helpers.add('allUnique');
      w.writeLine('if (allUnique(v)) return true;');
      w.writeLine('return ((failAt = n), false);');
    } else w.writeLine('return true;');
  }

  private isTuple(w: CodeBlockWriter, node: Node<'tuple'>, strict: boolean): void {
    const required = node.elements.filter((e) => !e.optional).length;
    w.writeLine(`if (!Array.isArray(v) || d > ${MAX_DEPTH}) return false;`);
    w.writeLine('const n = v.length;');
    w.writeLine(`if (n < ${required}${node.rest ? '' : ` || n > ${node.elements.length}`}) return false;`);
    node.elements.forEach((e, i) => {
      const test = this.cond(e.type, `x${i}`, 'd', strict);
      w.writeLine(`const x${i} = v[${i}];`);
      if (e.optional) w.writeLine(`if (x${i} !== undefined && !(${test})) return false;`);
      else w.writeLine(`if (!(${test})) return false;`);
    });
    if (node.rest && node.rest.kind !== 'any') {
      const rest = node.rest;
      w.write(`for (let i = ${node.elements.length}; i < n; i++)`).block(() => {
        w.writeLine('const x = v[i];');
        w.writeLine(`if (!(${this.cond(rest, 'x', 'd', strict)})) return false;`);
      });
    }
    w.writeLine('return true;');
  }

  private isDiscriminated(w: CodeBlockWriter, node: Node<'union'>, strict: boolean): void {
    const { property, values } = node.discriminant!;
    w.writeLine(`if (typeof v !== 'object' || v === null || d > ${MAX_DEPTH}) return false;`);
    w.write(`switch ((v as Record<string, unknown>)[${JSON.stringify(property)}])`).block(() => {
      node.members.forEach((m, i) => {
        w.writeLine(`case ${literalText(values[i]!)}:`);
        w.indent().write(`return ${this.cond(m, 'v', 'd', strict)};`).newLine();
      });
      w.writeLine('default:');
      w.indent().write('return false;').newLine();
    });
  }

  /**
   * Statements that add the issues of `x` (at the path expression `path`) to `c`: for a scalar
   * node one issue per failed constraint, for a composite node a call of its issue path.
   */
  writeCheckOf(w: CodeBlockWriter, node: TypeIR, x: string, path: string, d: string, strict: boolean, failedHere?: string): void {
    if (node.kind === 'any') return;
    if (node.kind === 'string' || node.kind === 'number') {
      const tests = node.kind === 'string' ? this.stringTests(node, x) : this.numberTests(node, x);
      const base = node.kind === 'number' ? tests.shift()! : undefined;
      const type = base ? `typeof ${x} !== 'number' || !${base.test}` : `typeof ${x} !== 'string'`;
      const words = base ? base.words : this.describe(node).replace(/ \(.*\)$/, '');
      if (tests.length === 0) {
        w.writeLine(`if (${type}) c.add(${path}, ${JSON.stringify(words)}, ${x});`);
        return;
      }
      w.write(`if (${type}) c.add(${path}, ${JSON.stringify(words)}, ${x});`).newLine();
      // Where the fast path failed on this value, its type and ownership being right, its one
      // constraint is what failed: not tested twice (a format scan can cost as much as the rest).
      const known = failedHere !== undefined && tests.length === 1 ? `${failedHere} || ` : '';
      w.write('else').block(() => {
        for (const t of tests) w.writeLine(`if (${known}!(${t.test})) c.add(${path}, ${JSON.stringify(t.words)}, ${x});`);
      });
      return;
    }
    if (isScalar(node)) {
      w.writeLine(`if (!(${this.cond(node, x, d, strict)})) c.add(${path}, ${JSON.stringify(this.describe(node))}, ${x});`);
      return;
    }
    // Only a value that fails its fast path is walked for issues, from where that failed: the
    // valid items of a long array cost one fast call each, and no check runs twice.
    w.writeLine(`if (!is${this.functionOf(node, strict)}(${x}, ${deeper(d)})) ${this.checkCall(node, x, path, d, strict)};`);
  }

  /**
   * Statements adding the issues of `x`, whose fast test (`cond`) has just failed: a composite
   * node's issue path is called at once, resuming where its fast path stopped.
   */
  writeCheckAfterFast(w: CodeBlockWriter, node: TypeIR, x: string, path: string, d: string, strict: boolean): void {
    if (node.kind === 'any' || node.kind === 'string' || node.kind === 'number' || isScalar(node)) this.writeCheckOf(w, node, x, path, d, strict);
    else w.writeLine(`${this.checkCall(node, x, path, d, strict)};`);
  }

  /**
   * The call of a composite node's issue path, right after its fast path failed: an object or
   * array resumes at the property or item `failAt` says (those before it passed).
   */
  checkCall(node: TypeIR, x: string, path: string, d: string, strict: boolean): string {
    const from = resumes(this.resolve(node)) ? ', failAt' : '';
    return `check${this.functionOf(node, strict)}(${x}, ${path}, c, ${deeper(d)}${from})`;
  }

  private writeCheck(w: CodeBlockWriter, node: TypeIR, strict: boolean, original: TypeIR): void {
    w.writeLine(`if (d > ${MAX_DEPTH}) return c.tooDeep(p);`);
    const expected = JSON.stringify(this.describe(original));
    switch (node.kind) {
      case 'object':
        return this.checkObject(w, node, strict, expected);
      case 'array':
        return this.checkArray(w, node, strict, expected);
      case 'tuple':
        return this.checkTuple(w, node, strict, expected);
      case 'union':
        return node.discriminant ? this.checkDiscriminated(w, node, strict, expected) : this.checkUnion(w, node, strict, expected);
      case 'intersection':
        for (const m of node.members) this.writeCheckOf(w, m, 'v', 'p', 'd', strict);
        return;
      default:
        this.writeCheckOf(w, node, 'v', 'p', 'd', strict);
    }
  }

  private checkObject(w: CodeBlockWriter, node: Node<'object'>, strict: boolean, expected: string): void {
    w.writeLine(`if (typeof v !== 'object' || v === null || Array.isArray(v)) return c.add(p, ${expected}, v);`);
    if (node.properties.length > 0 || node.index || strict) w.writeLine('const o = v as Record<string, unknown>;');
    if (node.properties.length > 0) w.writeLine(PLAIN);
    node.properties.forEach((p, i) => {
      const path = `p + ${JSON.stringify(pathSegment(p.name))}`;
      this.usesOwn = true;
      // The properties before `from` passed the fast path.
      w.write(`if (from <= ${i})`).block(() => {
        w.writeLine(`const x${i} = o[${JSON.stringify(p.name)}];`);
        const here = `from === ${i}`;
        if (p.optional) {
          w.write(`if (x${i} !== undefined && ${ownTest(p.name, `x${i}`)})`).block(() => this.writeCheckOf(w, p.type, `x${i}`, path, 'd', strict, here));
        } else {
          w.write(`if (!${ownTest(p.name, `x${i}`)}) c.missing(${path}, ${JSON.stringify(this.describe(p.type))});`).newLine();
          w.write('else').block(() => this.writeCheckOf(w, p.type, `x${i}`, path, 'd', strict, here));
        }
      });
    });
    if (!node.index && !strict) return;
    const declared = node.properties.length > 0 ? this.keySet(node.properties.map((p) => p.name)) : undefined;
    this.helpers.add('keyPath');
    w.write('for (const k of Object.keys(o))').block(() => {
      w.writeLine('if (c.full) return;');
      if (declared) w.writeLine(`if (${declared}.has(k)) continue;`);
      if (!node.index) w.writeLine("c.add(p + keyPath(k), 'no property', o[k]);");
      else {
        w.writeLine('const x = o[k];');
        this.writeCheckOf(w, node.index, 'x', 'p + keyPath(k)', 'd', strict);
      }
    });
  }

  private checkArray(w: CodeBlockWriter, node: Node<'array'>, strict: boolean, expected: string): void {
    w.writeLine(`if (!Array.isArray(v)) return c.add(p, ${expected}, v);`);
    w.writeLine('const n = v.length;');
    if (node.maxItems !== undefined) w.writeLine(`if (n > ${node.maxItems}) return c.add(p, ${JSON.stringify(itemsWords('maxItems', node.maxItems))}, v);`);
    if (node.minItems !== undefined) w.writeLine(`if (n < ${node.minItems}) c.add(p, ${JSON.stringify(itemsWords('minItems', node.minItems))}, v);`);
    if (node.uniqueItems) w.writeLine('const before = c.list.length;');
    if (node.items.kind !== 'any') {
      // The items before `from` passed the fast path.
      w.write('for (let i = from; i < n && !c.full; i++)').block(() => {
        w.writeLine('const x = v[i];');
        this.writeCheckOf(w, node.items, 'x', "p + '[' + i + ']'", 'd', strict);
      });
    }
    // Items compared only once each passed: their depth is then bounded.
    if (node.uniqueItems) w.writeLine("if (c.list.length === before && !allUnique(v)) c.add(p, 'array of unique items', v);");
  }

  private checkTuple(w: CodeBlockWriter, node: Node<'tuple'>, strict: boolean, expected: string): void {
    w.writeLine(`if (!Array.isArray(v)) return c.add(p, ${expected}, v);`);
    w.writeLine('const n = v.length;');
    if (!node.rest) w.writeLine(`if (n > ${node.elements.length}) c.add(p, ${expected}, v);`);
    node.elements.forEach((e, i) => {
      const path = `p + '[${i}]'`;
      if (e.optional) {
        w.writeLine(`const x${i} = v[${i}];`);
        w.write(`if (x${i} !== undefined)`).block(() => this.writeCheckOf(w, e.type, `x${i}`, path, 'd', strict));
      } else {
        w.write(`if (n <= ${i}) c.missing(${path}, ${JSON.stringify(this.describe(e.type))});`).newLine();
        w.write('else').block(() => {
          w.writeLine(`const x${i} = v[${i}];`);
          this.writeCheckOf(w, e.type, `x${i}`, path, 'd', strict);
        });
      }
    });
    if (node.rest && node.rest.kind !== 'any') {
      const rest = node.rest;
      w.write(`for (let i = ${node.elements.length}; i < n && !c.full; i++)`).block(() => {
        w.writeLine('const x = v[i];');
        this.writeCheckOf(w, rest, 'x', "p + '[' + i + ']'", 'd', strict);
      });
    }
  }

  private checkDiscriminated(w: CodeBlockWriter, node: Node<'union'>, strict: boolean, expected: string): void {
    const { property, values } = node.discriminant!;
    w.writeLine(`if (typeof v !== 'object' || v === null || Array.isArray(v)) return c.add(p, ${expected}, v);`);
    w.writeLine(`const tag = (v as Record<string, unknown>)[${JSON.stringify(property)}];`);
    w.write('switch (tag)').block(() => {
      node.members.forEach((m, i) => {
        w.writeLine(`case ${literalText(values[i]!)}:`);
        w.indent(() => {
          this.writeCheckOf(w, m, 'v', 'p', 'd', strict);
          w.writeLine('return;');
        });
      });
      w.writeLine('default:');
      const tags = JSON.stringify(values.map(literalText).join(' | '));
      w.indent().write(`c.add(p + ${JSON.stringify(pathSegment(property))}, ${tags}, tag);`).newLine();
    });
  }

  /**
   * A union without a tag: when no member passes, the issues of the one member of the value's
   * shape (the only array member for an array, the only object member for an object), so a deep
   * mistake is reported where it is; otherwise one issue naming every member.
   */
  private checkUnion(w: CodeBlockWriter, node: Node<'union'>, strict: boolean, expected: string): void {
    w.writeLine(`if (${node.members.map((m) => this.cond(m, 'v', 'd', strict)).join(' || ')}) return;`);
    const shaped = (kinds: readonly string[]) => node.members.filter((m) => kinds.includes(this.resolve(m).kind));
    const arrays = shaped(['array', 'tuple']);
    const objects = shaped(['object', 'union']).filter((m) => {
      const r = this.resolve(m);
      return r.kind === 'object' || (r.kind === 'union' && r.discriminant !== undefined);
    });
    const whole = (m: TypeIR) => (resumes(this.resolve(m)) ? ', 0' : '');
    if (arrays.length === 1) w.write('if (Array.isArray(v))').block(() => w.writeLine(`return check${this.functionOf(arrays[0]!, strict)}(v, p, c, d + 1${whole(arrays[0]!)});`));
    if (objects.length === 1) {
      w.write("if (typeof v === 'object' && v !== null && !Array.isArray(v))").block(() =>
        w.writeLine(`return check${this.functionOf(objects[0]!, strict)}(v, p, c, d + 1${whole(objects[0]!)});`),
      );
    }
    w.writeLine(`c.add(p, ${expected}, v);`);
  }
}
