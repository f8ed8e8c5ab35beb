import { expect } from 'chai';
import { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { FakeClock } from './fake-clock.js';
import { VirtualClock } from './virtual-clock.js';
import { mostInOneSecond } from '../support/busiest-second.js';

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

  describe('replies and broadcasts', () => {
    it('lets a reply overtake the broadcast messages already waiting', async () => {
      const clock = new VirtualClock();
      const limiter = new RateLimiter(10, clock);
      const order: string[] = [];
      const waits: Array<Promise<void>> = [];
      for (let i = 1; i <= 30; i++) waits.push(limiter.acquire(1000 + i).then(() => void order.push(`b${i}`)));
      await clock.sleep(500); // five broadcast messages out, 25 waiting
      const asked = clock.now();
      let repliedAt = 0;
      waits.push(
        limiter.acquire(42, { lane: 'reply' }).then(() => {
          order.push('reply');
          repliedAt = clock.now();
        }),
      );
      await Promise.all(waits);
      expect(order.indexOf('reply')).to.be.within(5, 6);
      expect(repliedAt - asked).to.be.at.most(100); // the next slot, not the end of the queue (2.5 s)
    });

    it('keeps replies and broadcasts together within the rate', async () => {
      const clock = new VirtualClock();
      const limiter = new RateLimiter(20, clock);
      const times: number[] = [];
      const lanes: string[] = [];
      const send = (chatId: number, lane: 'reply' | 'broadcast') =>
        limiter.acquire(chatId, { lane }).then(() => {
          times.push(clock.now());
          lanes.push(lane);
        });
      const all: Array<Promise<void>> = [];
      for (let i = 0; i < 200; i++) all.push(send(5000 + i, 'broadcast'));
      // people asking all along: bursts of replies, the same chat several times
      for (let k = 0; k < 40; k++) {
        await clock.sleep(97 * (k % 5));
        for (let r = 0; r < 3; r++) all.push(send(k % 4, 'reply'));
      }
      await Promise.all(all);
      expect(times).to.have.length(320);
      expect(mostInOneSecond(times)).to.be.at.most(20);
      expect(320 / ((Math.max(...times) - Math.min(...times)) / 1000)).to.be.above(0.9 * 20); // and still at the rate
      expect(lanes.lastIndexOf('reply')).to.be.below(lanes.lastIndexOf('broadcast'));
    });

    it('does not hold the others back for a chat at its own limit', async () => {
      const clock = new VirtualClock();
      const limiter = new RateLimiter(100, clock);
      const group = -100777;
      for (let i = 0; i < 20; i++) await limiter.acquire(group, { lane: 'reply' });
      const t0 = clock.now();
      const done: Record<string, number> = {};
      await Promise.all([
        limiter.acquire(group, { lane: 'reply' }).then(() => (done.group = clock.now() - t0)),
        limiter.acquire(7, { lane: 'reply' }).then(() => (done.private = clock.now() - t0)),
        limiter.acquire(8).then(() => (done.broadcast = clock.now() - t0)),
      ]);
      expect(done.group).to.be.at.least(55_000); // 20 a minute to a group
      expect(done.private).to.be.at.most(50);
      expect(done.broadcast).to.be.at.most(50);
    });

    it('gives up a wait when its signal aborts', async () => {
      const clock = new VirtualClock();
      const limiter = new RateLimiter(1, clock);
      await limiter.acquire(1);
      const stop = new AbortController();
      const waiting = limiter.acquire(2, { signal: stop.signal });
      stop.abort(new Error('stopping'));
      let error: Error | undefined;
      await waiting.catch((err: Error) => (error = err));
      expect(error?.message).to.equal('stopping');
      expect(limiter.waitingCount()).to.deep.equal({ reply: 0, broadcast: 0 });
    });
  });

  it('refuses a rate that is not above zero', () => {
    expect(() => new RateLimiter(0)).to.throw(/above 0/);
  });
});
