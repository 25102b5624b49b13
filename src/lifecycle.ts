import { ShuttingDownError } from './errors.js';
import type { MethodInfo } from './policies/policy.js';

/** Attribute values a call scope accepts (what OpenTelemetry accepts). */
export type ScopeValue = string | number | boolean | string[];

/**
 * One decorated call as an observer sees it (a span, a latency sample). Policies report what
 * happens inside the call through it: attempts, retries, fallbacks, the circuit's state.
 */
export interface CallScope {
  /** Attempt `n` (1-based) of `@Retry` starts. */
  attempt(n: number): void;
  /** Something happened inside the call: `retry`, `fallback`, `timeout`. */
  event(name: string, attributes?: Record<string, ScopeValue>): void;
  setAttribute(key: string, value: ScopeValue): void;
  /** The call settled: with `error`, or without one on success. */
  end(error?: unknown): void;
}

/** Sees every decorated call start; returns its scope, or undefined to skip it. */
export interface CallObserver {
  start(method: MethodInfo, policies: readonly string[]): CallScope | undefined;
}

/** Scopes of several observers as one. */
class ScopeGroup implements CallScope {
  constructor(private readonly scopes: CallScope[]) {}
  attempt(n: number): void {
    for (const s of this.scopes) s.attempt(n);
  }
  event(name: string, attributes?: Record<string, ScopeValue>): void {
    for (const s of this.scopes) s.event(name, attributes);
  }
  setAttribute(key: string, value: ScopeValue): void {
    for (const s of this.scopes) s.setAttribute(key, value);
  }
  end(error?: unknown): void {
    for (const s of this.scopes) s.end(error);
  }
}

/**
 * The process side of every decorated call: how many are in flight, whether the process is
 * draining (then new calls are refused), and who observes calls. With no observer a call costs
 * one counter increment and decrement here.
 */
export class Lifecycle {
  /** Set by `shutdown()`: readiness fails and new calls are refused. */
  draining = false;
  /** Decorated calls started and not yet settled. */
  inFlight = 0;
  /** The combined observer, or undefined when nobody observes calls. */
  observer: CallObserver | undefined;
  private readonly observers: CallObserver[] = [];
  private idleWaiters: (() => void)[] = [];

  /** Adds an observer of calls (metrics, tracing); returns a function that removes it. */
  observe(observer: CallObserver): () => void {
    this.observers.push(observer);
    this.rebuild();
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
      this.rebuild();
    };
  }

  private rebuild(): void {
    const list = [...this.observers];
    if (list.length === 0) this.observer = undefined;
    else if (list.length === 1) this.observer = list[0];
    else
      this.observer = {
        // Called on every decorated call: no arrays unless two observers both want the call.
        start(method, policies) {
          let first: CallScope | undefined;
          let all: CallScope[] | undefined;
          for (const o of list) {
            const scope = o.start(method, policies);
            if (scope === undefined) continue;
            if (first === undefined) first = scope;
            else (all ??= [first]).push(scope);
          }
          return all ? new ScopeGroup(all) : first;
        },
      };
  }

  /**
   * Runs work a policy starts on its own (a dead-letter replay, a stale-while-revalidate refresh) as
   * a call: refused while the process drains, and counted in flight so that `shutdown()` waits for it.
   */
  track<T>(methodId: string, work: () => Promise<T>): Promise<T> {
    if (this.draining) return Promise.reject(new ShuttingDownError(methodId));
    this.inFlight++;
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      this.settled();
      return Promise.reject(error);
    }
    return running.finally(() => this.settled());
  }

  /** A call settled. */
  settled(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when no call is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

}
