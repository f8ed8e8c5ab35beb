import { expect } from 'chai';
import { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { FakeClock } from './fake-clock.js';

describe('RateLimiter', () => {
  it('spaces messages evenly at the configured rate', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(25, clock);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      await limiter.acquire(i + 1);
      times.push(clock.now());
    }
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).to.be.at.least(40);
    expect(times[49]! - times[0]!).to.be.within(49 * 40, 49 * 40 + 40);
  });

  it('never lets more than the rate through in any one second, even when timers fire late', async () => {
    const clock = new FakeClock();
    const late = { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms + (clock.now() % 7)) }; // jittery timers
    const limiter = new RateLimiter(25, late);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      await limiter.acquire(i + 1);
      times.push(clock.now());
    }
    for (let i = 25; i < times.length; i++) expect(times[i]! - times[i - 25]!).to.be.at.least(1000);
    expect(200 / ((times[199]! - times[0]!) / 1000)).to.be.above(0.95 * 25); // late timers are caught up on
  });

  it('sends at most one message a second to one chat', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(100, clock);
    await limiter.acquire(7);
    const t0 = clock.now();
    await limiter.acquire(7);
    expect(clock.now() - t0).to.be.at.least(1000);
  });

  it('sends at most 20 messages a minute to one group', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(100, clock);
    const t0 = clock.now();
    for (let i = 0; i < 21; i++) await limiter.acquire(-100123);
    expect(clock.now() - t0).to.be.at.least(60_000);
  });

  it('pauses everything for a retry_after', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(25, clock);
    await limiter.acquire(1);
    limiter.pause(5000);
    const t0 = clock.now();
    await limiter.acquire(2);
    expect(clock.now() - t0).to.be.at.least(5000);
  });

  it('refuses a rate that is not above zero', () => {
    expect(() => new RateLimiter(0)).to.throw(/above 0/);
  });
});
