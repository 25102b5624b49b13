import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/events.js';

const event = { policy: 'Svc.call#retry', method: 'Svc.call', attempt: 1 };

describe('EventHub', () => {
  it('has listeners of a type from the first subscription until the last is disposed', () => {
    const hub = new EventHub();
    expect(hub.has('attempt')).toBe(false);
    const a = hub.on('attempt', () => {});
    const b = hub.on('attempt', () => {});
    expect(hub.has('attempt')).toBe(true);
    expect(hub.has('retry')).toBe(false);
    a.dispose();
    expect(hub.has('attempt')).toBe(true);
    b.dispose();
    b.dispose();
    expect(hub.has('attempt')).toBe(false);
  });

  it('has none after clear(), even when a subscription from before is disposed later', () => {
    const hub = new EventHub();
    const before = hub.on('attempt', () => {});
    hub.clear();
    expect(hub.has('attempt')).toBe(false);
    const seen: number[] = [];
    hub.on('attempt', (e) => seen.push(e.attempt));
    before.dispose();
    expect(hub.has('attempt')).toBe(true);
    hub.emit('attempt', event);
    expect(seen).toEqual([1]);
  });
});
