// Child process of the dead-letter crash and exit tests. It runs the compiled library (dist/src,
// built by `npm test` before vitest), because a plain node process cannot import .ts.
//
//   node dead-letter-child.mjs crash <dir>  one call fails through @DeadLetter; prints "seen" once
//                                           the rejection reaches the caller, then stays alive
//                                           until the parent kills it
//   node dead-letter-child.mjs exit <dir>   appends and removes entries, then does nothing: the
//                                           process must exit by itself (no handle left open)
const dist = new URL('../../../dist/src/', import.meta.url);
const { DeadLetterPolicy } = await import(new URL('policies/dead-letter.js', dist).href);
const { FileDeadLetterStore } = await import(new URL('stores/file-dead-letter-store.js', dist).href);
const { EventHub } = await import(new URL('events.js', dist).href);
const { systemClock } = await import(new URL('clock.js', dist).href);

const [mode, dir] = process.argv.slice(2);
const env = { clock: systemClock, random: Math.random, events: new EventHub(), deadLetterDir: dir };
const method = { id: 'Child.call', className: 'Child', methodName: 'call', paramNames: [], signalIndex: -1, async: true };

if (mode === 'crash') {
  const policy = new DeadLetterPolicy('Child.call#deadLetter', method, { store: 'file', maxEntries: 100 }, env);
  const call = { self: undefined, args: ['order-42'], signal: undefined, attempts: 3, firstFailedAt: undefined, fromFallback: false, scope: undefined };
  try {
    await policy.execute(call, async () => {
      throw Object.assign(new Error('payment gateway down'), { code: 'EGATEWAY' });
    });
  } catch {
    process.stdout.write('seen\n');
    // Stay alive: whatever the library still has to do after this point would be lost to SIGKILL.
    setInterval(() => {}, 1_000);
  }
} else if (mode === 'exit') {
  const store = new FileDeadLetterStore({ dir, policy: 'Child.call#deadLetter', maxEntries: 2 });
  for (let i = 0; i < 5; i++) {
    await store.append({
      id: `e${i}`,
      policy: 'Child.call#deadLetter',
      method: 'Child.call',
      args: [i],
      error: { name: 'Error', message: 'boom' },
      attempts: 1,
      firstFailedAt: new Date(0).toISOString(),
      lastFailedAt: new Date(0).toISOString(),
    });
  }
  await store.remove('e4');
  await store.list();
  const policy = new DeadLetterPolicy('Child.call#deadLetter', method, { store: 'file', maxEntries: 2 }, env);
  const call = { self: undefined, args: [], signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined };
  await policy.execute(call, async () => Promise.reject(new Error('boom'))).catch(() => undefined);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
