/**
 * A clock for tests that keeps time like a real one, only faster: a sleep ends when the clock
 * reaches its end, and the clock moves on to the next sleep's end only once nothing else is left to
 * run (after every promise callback has run, at the next turn of the event loop). Sleepers running
 * side by side share the same time, as they would with real timers, so a minute-long outage lasts a
 * minute of this clock whatever the number of concurrent senders, and passes in milliseconds.
 */
import type { Clock } from '../../src/delivery/rate-limiter.js';

export class VirtualClock implements Clock {
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  private scheduled = false;

  constructor(public t = Date.parse('2026-01-05T02:00:00Z')) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.advance());
  }

  private advance(): void {
    this.scheduled = false;
    if (!this.timers.length) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.t = Math.max(this.t, this.timers[0]!.at);
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.resolve();
    if (this.timers.length) this.schedule();
  }
}
