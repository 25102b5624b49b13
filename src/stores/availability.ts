import { ConfigError } from '../errors.js';
import { DECORATOR_NAME } from '../policies/kinds.js';

/** The policies with a `store` option, and the store each uses by default. */
const DEFAULT_STORE = { cache: 'memory', rateLimit: 'memory', deadLetter: 'file' } as const;

/**
 * Throws a {@link ConfigError} when a policy asks for `store: 'redis'` and no store was given to
 * it: the Redis stores are not part of this version. Called at class definition (so legacy
 * decorators fail where the class is written) and by the policies' constructors.
 */
export function assertStoreAvailable(kind: keyof typeof DEFAULT_STORE, methodId: string, store: unknown, given: boolean): void {
  if (store !== 'redis' || given) return;
  throw new ConfigError([
    {
      key: `${methodId}.${kind}.store`,
      message: `${DECORATOR_NAME[kind]} on ${methodId}: store 'redis' requires the resil/redis store, which this version does not include; use store '${DEFAULT_STORE[kind]}'`,
    },
  ]);
}
