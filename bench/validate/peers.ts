// The order DTO of bench/validate as each compared library writes it, and the hand-written `is`.
import 'reflect-metadata';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FormatRegistry } from '@sinclair/typebox';
import { plainToInstance, Type as As } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, validateSync, ValidateNested } from 'class-validator';
import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/;
const PRIORITIES = new Set(['low', 'normal', 'high']);

/** What a careful engineer writes by hand: typeof checks, two regular expressions, no messages. */
export function handWrittenIs(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || !UUID.test(o.id)) return false;
  if (typeof o.email !== 'string' || !EMAIL.test(o.email)) return false;
  const items = o.items;
  if (!Array.isArray(items) || items.length < 1 || items.length > 100) return false;
  for (const item of items) {
    if (typeof item !== 'object' || item === null) return false;
    const { sku, qty, price } = item as Record<string, unknown>;
    if (typeof sku !== 'string') return false;
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > 1000) return false;
    if (typeof price !== 'number' || !(price >= 0)) return false;
  }
  if (o.note !== undefined && (typeof o.note !== 'string' || o.note.length > 500)) return false;
  return typeof o.priority === 'string' && PRIORITIES.has(o.priority);
}

const jsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email' },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1, maximum: 1000 }, price: { type: 'number', minimum: 0 } },
        required: ['sku', 'qty', 'price'],
      },
    },
    note: { type: 'string', maxLength: 500 },
    priority: { enum: ['low', 'normal', 'high'] },
  },
  required: ['id', 'email', 'items', 'priority'],
};

/** Ajv, compiled, with ajv-formats; `allErrors` collects every issue (the invalid-input case). */
export const ajvValid = addFormats.default(new Ajv()).compile(jsonSchema);
export const ajvAll = addFormats.default(new Ajv({ allErrors: true })).compile(jsonSchema);

export const zodSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  items: z.array(z.object({ sku: z.string(), qty: z.int().min(1).max(1000), price: z.number().min(0) })).min(1).max(100),
  note: z.string().max(500).optional(),
  priority: z.enum(['low', 'normal', 'high']),
});

FormatRegistry.Set('uuid', (s) => UUID.test(s));
FormatRegistry.Set('email', (s) => EMAIL.test(s));
export const typebox = TypeCompiler.Compile(
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    items: Type.Array(Type.Object({ sku: Type.String(), qty: Type.Integer({ minimum: 1, maximum: 1000 }), price: Type.Number({ minimum: 0 }) }), {
      minItems: 1,
      maxItems: 100,
    }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    priority: Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high')]),
  }),
);

// class-validator's decorators are legacy decorators; bench/ compiles with standard ones, so they are applied by hand.
type Legacy = (target: object, key: string) => void;
const decorate = (cls: { prototype: object }, key: string, ...decorators: Legacy[]) => decorators.forEach((d) => d(cls.prototype, key));

class ItemClass {
  sku!: string;
  qty!: number;
  price!: number;
}
decorate(ItemClass, 'sku', IsString());
decorate(ItemClass, 'qty', IsInt(), Min(1), Max(1000));
decorate(ItemClass, 'price', IsNumber(), Min(0));

class OrderClass {
  id!: string;
  email!: string;
  items!: ItemClass[];
  note?: string;
  priority!: string;
}
decorate(OrderClass, 'id', IsUUID());
decorate(OrderClass, 'email', IsEmail());
decorate(OrderClass, 'items', ValidateNested({ each: true }), ArrayMinSize(1), ArrayMaxSize(100), As(() => ItemClass) as Legacy);
decorate(OrderClass, 'note', IsOptional(), IsString(), MaxLength(500));
decorate(OrderClass, 'priority', IsIn(['low', 'normal', 'high']));

/** class-transformer's plainToInstance, then class-validator's validateSync: its errors (empty when valid). */
export const classValidator = (value: unknown): unknown[] => validateSync(plainToInstance(OrderClass, value as object));
