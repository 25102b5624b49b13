import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe.each(['standard', 'legacy'])('a process using every decorator (%s decorators)', (mode) => {
  it('exits by itself once its calls are done', () => {
    const script = fileURLToPath(new URL(`../.compiled/${mode}/every-decorator.js`, import.meta.url));
    // The policies' timers are of 60 s: if one were left behind, the child would outlive the limit.
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const [results, count] = child.stdout.trim().split('\n');
    expect(JSON.parse(results!)).toEqual(['a done with signal', 'a done with signal', 'b done with signal', 'fail from backup', 'lost']);
    expect(count).toBe('11 policies');
  });
});
