import { DECORATOR_NAME, type PolicyKind } from './policies/kinds.js';
import { finalizeClass, MethodSite } from './method-site.js';
import type {
  BulkheadOptions,
  CachedOptions,
  CircuitBreakerOptions,
  DeadLetterOptions,
  FallbackOptions,
  RateLimitOptions,
  RetryOptions,
  TimeoutOptions,
  ValidatedOptions,
} from './options.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Method = (this: any, ...args: any[]) => any;
type AsyncMethod = (this: any, ...args: any[]) => PromiseLike<unknown>;

/**
 * A method decorator for both decorator modes: TC39 standard decorators (`(method, context)`) and
 * legacy `experimentalDecorators` (`(target, key, descriptor)`). `M` restricts the methods it may
 * decorate: waiting policies accept only methods that return a promise, so misuse fails to compile.
 */
export interface ResilMethodDecorator<M extends Method = Method> {
  <F extends M>(method: F, context: ClassMethodDecoratorContext<any, F>): F;
  <F extends M>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<F>): TypedPropertyDescriptor<F>;
}

function isStandardContext(context: unknown): context is DecoratorContext {
  return typeof context === 'object' && context !== null && typeof (context as { kind?: unknown }).kind === 'string';
}

/** The one overloaded factory behind every decorator; tells the two call shapes apart. */
function decorator<M extends Method>(kind: PolicyKind, options: unknown): ResilMethodDecorator<M> {
  return function (value: unknown, context: unknown, descriptor?: PropertyDescriptor): any {
    if (isStandardContext(context)) {
      if (context.kind !== 'method') throw new TypeError(`resil: ${DECORATOR_NAME[kind]} decorates methods, not a ${context.kind}`);
      const site = MethodSite.of(value, context.name, context.static);
      const first = site.specs.size === 0;
      site.add(kind, options);
      if (first) context.addInitializer(function (this: unknown) {
        site.finalizeFrom(this);
      });
      return site.wrapper;
    }
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new TypeError(`resil: ${DECORATOR_NAME[kind]} decorates methods; ${String(context)} is not a method`);
    }
    const target = value as object;
    const isStatic = typeof target === 'function';
    const site = MethodSite.of(descriptor.value, context as string | symbol, isStatic);
    site.add(kind, options, target);
    descriptor.value = site.wrapper;
    return descriptor;
  } as ResilMethodDecorator<M>;
}

/** Retries the method with backoff; see {@link RetryOptions}. Needs an async method. */
export function Retry(options?: RetryOptions): ResilMethodDecorator<AsyncMethod> {
  return decorator('retry', options);
}

/** Guards the method with a circuit breaker; see {@link CircuitBreakerOptions}. Sync methods stay sync. */
export function CircuitBreaker(options?: CircuitBreakerOptions): ResilMethodDecorator {
  return decorator('circuitBreaker', options);
}

/** Bounds each attempt to `ms` (or `{ ms }`); see {@link TimeoutOptions}. Needs an async method. */
export function Timeout(msOrOptions: number | TimeoutOptions): ResilMethodDecorator<AsyncMethod> {
  return decorator('timeout', typeof msOrOptions === 'number' ? { ms: msOrOptions } : msOrOptions);
}

/**
 * Limits the call rate; see {@link RateLimitOptions}. With `onLimit: 'wait'` it needs an async
 * method; with `'reject'` (the default) sync methods stay sync.
 */
export function RateLimit(options: RateLimitOptions): ResilMethodDecorator {
  return decorator('rateLimit', options);
}

/** Caches results by arguments; see {@link CachedOptions}. Sync methods stay sync. */
export function Cached(options?: CachedOptions): ResilMethodDecorator {
  return decorator('cache', options);
}

/** Limits concurrent calls, with an optional queue; see {@link BulkheadOptions}. Needs an async method. */
export function Bulkhead(options?: BulkheadOptions): ResilMethodDecorator<AsyncMethod> {
  return decorator('bulkhead', options);
}

/**
 * Answers failures with another method of the class (by name) or a value; see
 * {@link FallbackOptions}. Sync methods stay sync.
 */
export function Fallback(methodOrOptions: string | FallbackOptions): ResilMethodDecorator {
  return decorator('fallback', typeof methodOrOptions === 'string' ? { method: methodOrOptions } : methodOrOptions);
}

/** Stores the final failure of each call before the caller sees it; see {@link DeadLetterOptions}. Needs an async method. */
export function DeadLetter(options?: DeadLetterOptions): ResilMethodDecorator<AsyncMethod> {
  return decorator('deadLetter', options);
}

/**
 * Validates arguments against their declared types before anything else runs; see
 * {@link ValidatedOptions}. Without `resil gen` only what legacy decorator metadata records is
 * checked. Sync methods stay sync.
 */
export function Validated(options?: ValidatedOptions): ResilMethodDecorator {
  return decorator('validated', options);
}

/** Options of {@link Resilient}. */
export interface ResilientOptions {
  /** The class's name in policy ids (`name.method#kind`), where two classes share a name. */
  name?: string;
}

/** A class decorator for both decorator modes. */
export interface ResilClassDecorator {
  <C extends abstract new (...args: any[]) => unknown>(cls: C, context: ClassDecoratorContext<C>): void;
  <C extends abstract new (...args: any[]) => unknown>(cls: C): void;
}

/**
 * Class-level options. It also registers the class's policies as soon as the class is defined:
 * without it, standard decorators register them when the class is first instantiated.
 */
export function Resilient(options: ResilientOptions = {}): ResilClassDecorator {
  return ((cls: abstract new (...args: never[]) => unknown, context?: unknown) => {
    if (context !== undefined && isStandardContext(context) && context.kind !== 'class') {
      throw new TypeError(`resil: @Resilient decorates classes, not a ${context.kind}`);
    }
    finalizeClass(cls, options.name);
  }) as ResilClassDecorator;
}
