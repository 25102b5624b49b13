import { ts } from 'ts-morph';
import { relativePath } from '../diagnostics.js';
import type { Discriminant, LiteralValue, PropertyIR, TupleElementIR, TypeDef, TypeIR } from '../type-ir.js';
import { aliasTags, applyConstraints, constraintTags, type ConstraintTag } from './read-constraints.js';

/** How deep anonymous types may nest before analysis gives up (named types are refs, so recursion never gets here). */
const MAX_READ_DEPTH = 64;

/** Printed in full, never cut short. */
const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** Intrinsic names the checker gives types it could not resolve. */
const isErrorType = (type: ts.Type): boolean => (type as { intrinsicName?: string }).intrinsicName === 'error';

/**
 * Reads checker types into the {@link TypeIR} of `@Validated`. One reader per method: the named
 * types it meets become {@link TypeDef}s (shared across the project by their ids), and every type
 * that cannot be checked becomes a problem naming the chain it was reached by
 * (`OrderRequest.items[].callback: a function type`), never a silent pass.
 */
export class TypeReader {
  readonly defs: Record<string, TypeDef> = {};
  /** Types that cannot be checked, each as `chain: what`. */
  readonly problems: string[] = [];
  /** Constraint tags that do not fit their type or have bad values, each as `chain: what`. */
  readonly tagProblems: string[] = [];
  private readonly defIds = new Map<ts.Type, string>();
  private readonly usedIds = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
  ) {}

  private problem(chain: string, what: string): void {
    const text = `${chain}: ${what}`;
    if (!this.problems.includes(text)) this.problems.push(text);
  }

  private print(type: ts.Type): string {
    return this.checker.typeToString(type, undefined, FORMAT);
  }

  /** Reads a type reached through `chain`; `node`, where given, is the type as written (for alias tags). */
  read(type: ts.Type, chain: string, node?: ts.TypeNode, tags: readonly ConstraintTag[] = [], depth = 0): TypeIR {
    const all = [...aliasTags(node, this.checker), ...tags];
    let ir = this.readBare(type, chain, depth);
    if (all.length === 0) return ir;
    // Constraints change the node: a named type is copied, never changed where it is shared.
    if (ir.kind === 'ref') ir = structuredClone(this.defs[ir.id]!.type);
    for (const p of applyConstraints(ir, all, this.print(type))) {
      const text = `${chain}: ${p}`;
      if (!this.tagProblems.includes(text)) this.tagProblems.push(text);
    }
    return ir;
  }

  private readBare(type: ts.Type, chain: string, depth: number): TypeIR {
    if (depth > MAX_READ_DEPTH) {
      this.problem(chain, `nested more than ${MAX_READ_DEPTH} levels deep without a name`);
      return { kind: 'any' };
    }
    const f = type.flags;
    if (isErrorType(type)) return this.unsupported(chain, 'a type that does not resolve (a missing import or declaration?)');
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: 'any' };
    if (f & ts.TypeFlags.Never) return { kind: 'never' };
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { kind: 'undefined' };
    if (f & ts.TypeFlags.Null) return { kind: 'literal', value: null };
    if (type.isUnion()) return this.named(type, chain, () => this.readUnion(type, chain, depth));
    if (f & ts.TypeFlags.BooleanLiteral) return { kind: 'literal', value: (type as { intrinsicName?: string }).intrinsicName === 'true' };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { kind: 'literal', value: type.value };
    if (f & ts.TypeFlags.BigIntLiteral) {
      const { negative, base10Value } = (type as ts.BigIntLiteralType).value;
      return { kind: 'bigintLiteral', value: `${negative ? '-' : ''}${base10Value}` };
    }
    if (f & ts.TypeFlags.String) return { kind: 'string' };
    if (f & ts.TypeFlags.Number) return { kind: 'number' };
    if (f & ts.TypeFlags.Boolean) return { kind: 'boolean' };
    if (f & ts.TypeFlags.BigInt) return { kind: 'bigint' };
    if (f & ts.TypeFlags.ESSymbolLike) return this.unsupported(chain, 'a symbol (symbols do not survive serialization and have no shape to check)');
    if (f & ts.TypeFlags.TypeParameter) return this.unsupported(chain, `the type parameter ${this.print(type)}, not instantiated`);
    if (f & (ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping)) return this.unsupported(chain, `the template literal type ${this.print(type)}`);
    if (f & ts.TypeFlags.Enum) return this.unsupported(chain, `the enum ${this.print(type)}`);
    if (type.isIntersection()) return this.named(type, chain, () => this.readIntersection(type, chain, depth));
    if (f & ts.TypeFlags.NonPrimitive) return { kind: 'object', properties: [], index: { kind: 'any' } };
    if (f & ts.TypeFlags.Object) return this.readObjectLike(type as ts.ObjectType, chain, depth);
    return this.unsupported(chain, `the type ${this.print(type)}`);
  }

  private unsupported(chain: string, what: string): TypeIR {
    this.problem(chain, what);
    return { kind: 'any' };
  }

  /** A union: `true | false` is `boolean` again; a tag property shared by every object member makes it discriminated. */
  private readUnion(type: ts.UnionType, chain: string, depth: number): TypeIR {
    const members: TypeIR[] = [];
    let booleans = 0;
    for (const member of type.types) {
      const ir = this.readBare(member, chain, depth + 1);
      if (ir.kind === 'literal' && typeof ir.value === 'boolean') booleans++;
      members.push(ir);
    }
    const merged = booleans === 2 ? [{ kind: 'boolean' } as TypeIR, ...members.filter((m) => !(m.kind === 'literal' && typeof m.value === 'boolean'))] : members;
    if (merged.length === 1) return merged[0]!;
    const discriminant = this.discriminantOf(merged);
    return discriminant ? { kind: 'union', members: merged, discriminant } : { kind: 'union', members: merged };
  }

  /** The object type behind a member (through refs), or undefined. */
  private objectOf(ir: TypeIR): Extract<TypeIR, { kind: 'object' }> | undefined {
    const resolved = ir.kind === 'ref' ? this.defs[ir.id]?.type : ir;
    return resolved?.kind === 'object' ? resolved : undefined;
  }

  private discriminantOf(members: readonly TypeIR[]): Discriminant | undefined {
    const objects = members.map((m) => this.objectOf(m));
    if (objects.length < 2 || objects.some((o) => o === undefined)) return undefined;
    const first = objects[0]!;
    for (const candidate of first.properties) {
      const values: LiteralValue[] = [];
      for (const o of objects) {
        const p = o!.properties.find((q) => q.name === candidate.name);
        if (!p || p.optional || p.type.kind !== 'literal') break;
        values.push(p.type.value);
      }
      if (values.length === objects.length && new Set(values).size === values.length) return { property: candidate.name, values };
    }
    return undefined;
  }

  /** `A & B`: one object type when every member is an object, `T & {}` is `T`; otherwise each member must pass. */
  private readIntersection(type: ts.IntersectionType, chain: string, depth: number): TypeIR {
    const parts = type.types.filter((t) => !this.isEmptyObject(t));
    if (parts.length === 1) return this.readBare(parts[0]!, chain, depth + 1);
    if (parts.every((t) => t.flags & ts.TypeFlags.Object && !this.isSpecialObject(t as ts.ObjectType))) {
      return this.readObject(type, chain, depth);
    }
    if (parts.some((t) => !(t.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive))) && parts.some((t) => t.flags & ts.TypeFlags.Object)) {
      return this.unsupported(chain, `the intersection ${this.print(type)} of a primitive and an object type (a brand exists only in types)`);
    }
    return { kind: 'intersection', members: parts.map((t) => this.readBare(t, chain, depth + 1)) };
  }

  private isEmptyObject(type: ts.Type): boolean {
    return (
      (type.flags & ts.TypeFlags.Object) !== 0 &&
      this.checker.getPropertiesOfType(type).length === 0 &&
      this.checker.getIndexInfosOfType(type).length === 0 &&
      type.getCallSignatures().length === 0 &&
      type.getConstructSignatures().length === 0
    );
  }

  /** Whether an object type is read as something other than its properties (array, tuple, function, class, lib type). */
  private isSpecialObject(type: ts.ObjectType): boolean {
    return (
      this.checker.isArrayType(type) ||
      this.checker.isTupleType(type) ||
      type.getCallSignatures().length > 0 ||
      type.getConstructSignatures().length > 0 ||
      this.libName(type) !== undefined ||
      this.userClassName(type) !== undefined
    );
  }

  /** The name of a type declared in the default library (`Date`, `Map`, `AbortSignal`), or undefined. */
  private libName(type: ts.Type): string | undefined {
    const symbol = type.getSymbol();
    const declaration = symbol?.declarations?.[0];
    if (!symbol || !declaration || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    const file = declaration.getSourceFile();
    return this.program.isSourceFileDefaultLibrary(file) ? symbol.getName() : undefined;
  }

  private userClassName(type: ts.Type): string | undefined {
    const symbol = type.getSymbol();
    return symbol && symbol.flags & ts.SymbolFlags.Class ? symbol.getName() : undefined;
  }

  private readObjectLike(type: ts.ObjectType, chain: string, depth: number): TypeIR {
    const { checker } = this;
    if (checker.isTupleType(type)) return this.readTuple(type as ts.TupleTypeReference, chain, depth);
    if (checker.isArrayType(type)) {
      const [items] = checker.getTypeArguments(type as ts.TypeReference);
      return { kind: 'array', items: this.readBare(items!, `${chain}[]`, depth + 1) };
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return this.unsupported(chain, `a function type (${this.print(type)}): functions inside data cannot be checked`);
    }
    const lib = this.libName(type);
    if (lib === 'Date') return { kind: 'date' };
    if (lib !== undefined) return this.readLibType(type, lib, chain);
    const className = this.userClassName(type);
    if (className !== undefined) return { kind: 'instance', className, global: false };
    return this.named(type, chain, () => this.readObject(type, chain, depth));
  }

  /** A type of the default library: a global class checked with `instanceof` when it has no type arguments to check. */
  private readLibType(type: ts.ObjectType, name: string, chain: string): TypeIR {
    const value = this.checker.resolveName(name, undefined, ts.SymbolFlags.Value, false);
    const typed = (type.flags & ts.TypeFlags.Object) !== 0 && this.checker.getTypeArguments(type as ts.TypeReference).length > 0;
    if (value && !typed) return { kind: 'instance', className: name, global: true };
    const why = typed ? 'its contents cannot be checked' : 'it is an interface with no class to check instances of';
    return this.unsupported(chain, `${this.print(type)} (${why})`);
  }

  private readTuple(type: ts.TupleTypeReference, chain: string, depth: number): TypeIR {
    const flags = type.target.elementFlags;
    const args = this.checker.getTypeArguments(type);
    const elements: TupleElementIR[] = [];
    let rest: TypeIR | undefined;
    for (let i = 0; i < args.length; i++) {
      const flag = flags[i]!;
      const read = this.readBare(args[i]!, `${chain}[${i}]`, depth + 1);
      if (flag & ts.ElementFlags.Variadic) return this.unsupported(chain, `a variadic tuple element (${this.print(type)})`);
      if (flag & ts.ElementFlags.Rest) {
        if (i !== args.length - 1) return this.unsupported(chain, `a tuple with elements after its rest element (${this.print(type)})`);
        rest = read;
      } else {
        const optional = (flag & ts.ElementFlags.Optional) !== 0;
        elements.push({ type: optional ? this.withoutUndefined(read) : read, optional });
      }
    }
    return rest ? { kind: 'tuple', elements, rest } : { kind: 'tuple', elements };
  }

  /** The properties and index signature of an object type (an intersection of object types included). */
  private readObject(type: ts.Type, chain: string, depth: number): TypeIR {
    const { checker } = this;
    const properties: PropertyIR[] = [];
    for (const symbol of checker.getPropertiesOfType(type)) {
      const name = symbol.getName();
      const at = `${chain}.${name}`;
      if (name.startsWith('__@')) {
        this.problem(at, 'a symbol-keyed property');
        continue;
      }
      const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
      const written = declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) ? declaration.type : undefined;
      const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
      const read = this.read(checker.getTypeOfSymbol(symbol), at, written, constraintTags(symbol, checker), depth + 1);
      properties.push({ name, type: optional ? this.withoutUndefined(read) : read, optional });
    }
    let index: TypeIR | undefined;
    for (const info of checker.getIndexInfosOfType(type)) {
      if (!(info.keyType.flags & (ts.TypeFlags.String | ts.TypeFlags.Number))) {
        this.problem(`${chain}[key]`, `an index signature keyed by ${this.print(info.keyType)}`);
        continue;
      }
      // Every key of a JavaScript object is a string: a number index signature checks every other key too.
      index = this.readBare(info.type, `${chain}[key]`, depth + 1);
    }
    return index ? { kind: 'object', properties, index } : { kind: 'object', properties };
  }

  /** An optional property's type without the `undefined` that optionality adds (absence is checked by the property). */
  private withoutUndefined(type: TypeIR): TypeIR {
    if (type.kind !== 'union') return type.kind === 'undefined' ? { kind: 'never' } : type;
    const members = type.members.filter((m) => m.kind !== 'undefined');
    if (members.length === type.members.length) return type;
    if (members.length === 1) return members[0]!;
    return { ...type, members };
  }

  /**
   * A named type (an interface, an alias, an instantiated generic) becomes a def referenced by id,
   * read once per method; an anonymous one is read in place.
   */
  private named(type: ts.Type, chain: string, readBody: () => TypeIR): TypeIR {
    const name = this.nameOf(type);
    if (name === undefined) return readBody();
    const known = this.defIds.get(type);
    if (known !== undefined) return { kind: 'ref', id: known };
    const id = this.idFor(type, name);
    this.defIds.set(type, id);
    const def: TypeDef = { id, name, type: { kind: 'any' } };
    this.defs[id] = def;
    def.type = readBody();
    return { kind: 'ref', id };
  }

  private nameOf(type: ts.Type): string | undefined {
    if (type.aliasSymbol) return this.print(type);
    const symbol = type.getSymbol();
    if (!symbol || symbol.getName().startsWith('__')) return undefined;
    return this.print(type);
  }

  private idFor(type: ts.Type, name: string): string {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const declaration = symbol?.declarations?.[0];
    let where = '';
    if (declaration && !this.program.isSourceFileDefaultLibrary(declaration.getSourceFile())) {
      const file = declaration.getSourceFile();
      const line = file.getLineAndCharacterOfPosition(declaration.getStart(file)).line + 1;
      where = `@${relativePath(this.program.getCurrentDirectory(), file.fileName)}:${line}`;
    }
    let id = `${name}${where}`;
    for (let n = 2; this.usedIds.has(id); n++) id = `${name}${where}#${n}`;
    this.usedIds.add(id);
    return id;
  }
}
