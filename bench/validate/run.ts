// `npm run bench` (its last part): @Validated's generated validator for the order DTO beside a
// hand-written `is`, Ajv, zod 4, TypeBox's TypeCompiler and class-validator, on a valid order of 5
// items and an invalid one with 2 problems. Every case runs in this one process, in turns; the
// figures are ratios to the hand-written `is` of the same run. Merged into bench/results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { generatedValidators } from 'resil';
import '../compiled/index.js';
import { ajvAll, ajvValid, classValidator, handWrittenIs, typebox, zodSchema } from './peers.js';

const RESULTS = fileURLToPath(new URL('../../results.json', import.meta.url));
const ROUNDS = 7;
const SAMPLE_NS = 30e6;

const resil = generatedValidators('OrderService.place');
if (!resil) throw new Error('bench/validate: no generated validator for OrderService.place; run resil gen -p bench/compiled/tsconfig.json');

const item = (i: number) => ({ sku: `sku-${i}`, qty: i + 1, price: 9.5 * i });
const valid = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  email: 'ada@example.com',
  items: [0, 1, 2, 3, 4].map(item),
  note: 'leave at the door',
  priority: 'normal',
};
/** Two problems: the email, and the third item's quantity. */
const invalid = { ...valid, email: 'ada@', items: valid.items.map((it, i) => (i === 2 ? { ...it, qty: 0 } : it)) };

let sink = 0;
const count = (x: unknown) => {
  sink += x ? 1 : 0;
};
const args = [valid];
const badArgs = [invalid];

interface Case {
  name: string;
  valid: () => void;
  invalid: () => void;
}

/** Each checks all issues on invalid input where the library can (its "collect every error" mode). */
const CASES: Case[] = [
  { name: 'hand-written is', valid: () => count(handWrittenIs(valid)), invalid: () => count(handWrittenIs(invalid)) },
  { name: 'resil (generated)', valid: () => count(resil.args(args)), invalid: () => count(resil.args(badArgs)) },
  { name: 'Ajv (compiled, ajv-formats)', valid: () => count(ajvValid(valid)), invalid: () => count(ajvAll(invalid)) },
  { name: 'TypeBox TypeCompiler', valid: () => count(typebox.Check(valid)), invalid: () => count(typebox.Check(invalid) || [...typebox.Errors(invalid)].length) },
  { name: 'zod 4 safeParse', valid: () => count(zodSchema.safeParse(valid).success), invalid: () => count(zodSchema.safeParse(invalid).error?.issues.length) },
  { name: 'class-validator + class-transformer', valid: () => count(classValidator(valid).length), invalid: () => count(classValidator(invalid).length) },
];

/** ns per call of `fn`: calls in batches until SAMPLE_NS has passed. */
function sample(fn: () => void): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < SAMPLE_NS) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return elapsed / calls;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function check(): void {
  // Each library must give the verdicts the cases assume, else the figures mean nothing.
  const verdicts = [handWrittenIs(valid), resil!.args(args) === undefined, ajvValid(valid), typebox.Check(valid), zodSchema.safeParse(valid).success, classValidator(valid).length === 0];
  const rejections = [!handWrittenIs(invalid), resil!.args(badArgs)?.length, !ajvAll(invalid) && ajvAll.errors?.length, [...typebox.Errors(invalid)].length, zodSchema.safeParse(invalid).error?.issues.length, classValidator(invalid).length];
  if (verdicts.some((v) => !v)) throw new Error(`a library rejects the valid order: ${JSON.stringify(verdicts)}`);
  if (rejections.some((r) => !r)) throw new Error(`a library accepts the invalid order: ${JSON.stringify(rejections)}`);
  if (resil!.args(badArgs)!.length !== 2) throw new Error('resil should find exactly 2 issues');
}

check();
const times = CASES.map(() => ({ valid: [] as number[], invalid: [] as number[] }));
for (const c of CASES) for (let i = 0; i < 3; i++) (sample(c.valid), sample(c.invalid)); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < CASES.length; i++) {
    const k = (i + round) % CASES.length;
    times[k]!.valid.push(sample(CASES[k]!.valid));
    times[k]!.invalid.push(sample(CASES[k]!.invalid));
  }
}
const base = { valid: median(times[0]!.valid), invalid: median(times[0]!.invalid) };
const rows = CASES.map((c, i) => {
  const v = median(times[i]!.valid);
  const inv = median(times[i]!.invalid);
  return { task: c.name, validNs: Math.round(v * 10) / 10, validRatio: Math.round((v / base.valid) * 100) / 100, invalidNs: Math.round(inv * 10) / 10, invalidRatio: Math.round((inv / base.invalid) * 100) / 100 };
});

console.log(`\nValidation of the order DTO (valid: 5 items; invalid: 2 problems, all collected), ns per call, median of ${ROUNDS} rounds; ratios to the hand-written is of this run`);
console.table(rows);
if (sink < 0) console.log(sink);

let results: Record<string, unknown> = {};
try {
  results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
} catch {
  // No earlier results: this part writes the file alone.
}
results['validate'] = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', rows };
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
