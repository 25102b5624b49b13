/**
 * What a careful engineer writes by hand for `@Retry({ maxAttempts: 3 }) @CircuitBreaker()
 * @Timeout(1000)`: a retry loop of 3 attempts, a breaker that opens after 5 consecutive failures
 * and lets calls through again after 30 s, and a 1000 ms deadline per attempt raced against the
 * call, its `setTimeout` cleared when the attempt settles. No backoff, events or typed errors:
 * the happy path never reaches them.
 */
export function handWritten<T>(fn: () => Promise<T>): () => Promise<T> {
  const maxAttempts = 3;
  const failureThreshold = 5;
  const resetTimeoutMs = 30_000;
  const timeoutMs = 1000;
  let failures = 0;
  let openedAt = 0;
  return async () => {
    for (let attempt = 1; ; attempt++) {
      if (failures >= failureThreshold && Date.now() - openedAt < resetTimeoutMs) throw new Error('circuit open');
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([fn(), deadline]);
        failures = 0;
        return result;
      } catch (error) {
        failures++;
        if (failures >= failureThreshold) openedAt = Date.now();
        if (attempt >= maxAttempts) throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  };
}
