import type { ValidationIssue } from '../errors.js';
import { describeReceived } from './describe.js';

/** The most issues one rejected call reports; the rest are left out (`ValidationError` says how many it shows). */
export const MAX_ISSUES = 100;

/**
 * How deep generated validators follow nested objects and arrays: deeper input is rejected with a
 * `maximum depth 256 exceeded` issue at its path, before the JavaScript stack could overflow.
 */
export const MAX_DEPTH = 256;

/**
 * The issues of one rejected call, collected by a generated validator's issue path (taken only
 * once its boolean fast path has failed). Stops collecting at {@link MAX_ISSUES}; loops ask `full`.
 */
export class Issues {
  readonly list: ValidationIssue[] = [];
  full = false;

  /** `value` at `path` is not what `expected` says. */
  add(path: string, expected: string, value: unknown): void {
    this.push({ path, expected, received: describeReceived(value) });
  }

  /** A required property (or tuple element) is not there as an own property. */
  missing(path: string, expected: string): void {
    this.push({ path, expected, received: 'missing' });
  }

  /** Input nested deeper than {@link MAX_DEPTH}. */
  tooDeep(path: string): void {
    this.push({ path, expected: `maximum depth ${MAX_DEPTH} exceeded`, received: 'deeper nesting' });
  }

  private push(issue: ValidationIssue): void {
    if (this.list.length < MAX_ISSUES) this.list.push(issue);
    this.full = this.list.length >= MAX_ISSUES;
  }

  /**
   * The issues found. Never empty: a fast path and an issue path that disagreed (a bug) still
   * reject, with an issue at `root` saying so.
   */
  result(root: string, value: unknown): ValidationIssue[] {
    if (this.list.length === 0) this.add(root, 'a value of the declared type', value);
    return this.list;
  }
}
