/** A clock for tests: time moves only when someone sleeps. */
import type { Clock } from '../../src/delivery/rate-limiter.js';

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
