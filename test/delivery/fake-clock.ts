/** A clock for tests: time moves only when someone sleeps. */
import { Broadcaster, type BroadcasterOptions } from '../../src/delivery/broadcaster.js';
import type { Clock } from '../../src/delivery/rate-limiter.js';
import { silentLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/index.js';

export class FakeClock implements Clock {
  constructor(public t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
    await Promise.resolve();
  }
}

/** A broadcaster over a store's broadcasts and subscribers that never waits for real time (1,000 a second on a fake clock). */
export function testBroadcaster(store: Store, send: BroadcasterOptions['send'], clock: Clock = new FakeClock()): Broadcaster {
  return new Broadcaster({ broadcasts: store.broadcasts, subscribers: store.subscribers, logger: silentLogger, rate: 1000, clock, send });
}
