/**
 * The type IR of `@Validated`: what analysis reads from the checker about a parameter or result
 * type, as plain JSON-able data. The validator emitter and the JSON Schema emitter are both pure
 * functions of it, so the two cannot disagree (STYLE.md practice 12).
 *
 * Named types (interfaces, aliases, instantiated generics) are {@link TypeDef}s referenced by id,
 * which is how recursion is written and how validators are shared across the project.
 */

/** The `@format` values of SPEC §1. */
export const FORMATS = ['email', 'uuid', 'uri', 'date', 'date-time', 'ipv4', 'ipv6'] as const;
export type Format = (typeof FORMATS)[number];

/** Constraints of a `number` (from `@minimum`, `@maximum`, `@exclusiveMinimum`, `@exclusiveMaximum`, `@multipleOf`, `@integer`). */
export interface NumberConstraints {
  integer?: true;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

/** Constraints of a `string` (`@minLength`, `@maxLength`, `@pattern`, `@format`). Lengths count code points, as JSON Schema does. */
export interface StringConstraints {
  minLength?: number;
  maxLength?: number;
  /** A regular expression source, matched with the `u` flag. */
  pattern?: string;
  format?: Format;
}

/** Constraints of an array (`@minItems`, `@maxItems`, `@uniqueItems`). */
export interface ArrayConstraints {
  minItems?: number;
  maxItems?: number;
  uniqueItems?: true;
}

/** A literal value a type allows. `undefined` is the `undefined` node, never a literal. */
export type LiteralValue = string | number | boolean | null;

/** One property of an object type. */
export interface PropertyIR {
  name: string;
  type: TypeIR;
  optional: boolean;
}

/** One element of a tuple type. */
export interface TupleElementIR {
  type: TypeIR;
  optional: boolean;
}

/** A union checked by one property whose literal value tells its members apart. */
export interface Discriminant {
  property: string;
  /** The tag value of each member, in member order. */
  values: LiteralValue[];
}

/** One type, as `@Validated` checks it. */
export type TypeIR =
  /** `any` and `unknown`: everything passes. */
  | { kind: 'any' }
  /** `never`: nothing passes. */
  | { kind: 'never' }
  | { kind: 'undefined' }
  | ({ kind: 'string' } & StringConstraints)
  /** A finite number (NaN and ±Infinity are not numbers a type can describe in JSON). */
  | ({ kind: 'number' } & NumberConstraints)
  | { kind: 'boolean' }
  | { kind: 'bigint' }
  | { kind: 'literal'; value: LiteralValue }
  /** A `bigint` literal, as its decimal digits. */
  | { kind: 'bigintLiteral'; value: string }
  | ({ kind: 'array'; items: TypeIR } & ArrayConstraints)
  | { kind: 'tuple'; elements: TupleElementIR[]; rest?: TypeIR }
  /** An object type; `index` checks every own key not declared (an index signature, `Record<string, T>`). */
  | { kind: 'object'; properties: PropertyIR[]; index?: TypeIR }
  | { kind: 'union'; members: TypeIR[]; discriminant?: Discriminant }
  /** What an intersection leaves when it is not one object type: every member must pass. */
  | { kind: 'intersection'; members: TypeIR[] }
  /** A valid `Date` (its time is not NaN). */
  | { kind: 'date' }
  /**
   * An instance of a class. `global` classes (from the default library: `AbortSignal`, `URL`) are
   * checked with `instanceof`; the user's own by the name of a class on the value's prototype chain
   * (the generated module does not import the user's modules, which would change their order).
   */
  | { kind: 'instance'; className: string; global: boolean }
  | { kind: 'ref'; id: string };

/** A named type, referenced by {@link TypeIR} `ref` nodes. */
export interface TypeDef {
  /** Unique in the project: its printed name and where it is declared (`Item@src/models.ts:3`). */
  id: string;
  /** Its printed name (`Item`, `Page<Item>`), for messages and JSON Schema `$defs`. */
  name: string;
  type: TypeIR;
}

/** What `@Validated` on one method checks: read by analysis, written by the emitters. */
export interface ValidationPlan {
  /** One type per parameter, in order; a rest parameter's is its array type. */
  parameters: TypeIR[];
  /** The resolved result's type, when `returns: true` (or when `returns` is not a literal and the type can be checked). */
  returns?: TypeIR;
  /** `strict: true`: own properties an object type does not declare are rejected. */
  strict: boolean;
  /** Every named type reachable from the above, by id. */
  defs: Record<string, TypeDef>;
}
