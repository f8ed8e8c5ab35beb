import { expect } from 'chai';
import { SharedRate } from '../../src/cluster/shared-rate.js';
import { RateLimiter, realClock } from '../../src/delivery/rate-limiter.js';
import { silentLogger } from '../../src/logger.js';
import { freshDatabase, Pools } from './db.js';
import { mostInOneSecond } from '../support/busiest-second.js';

describe('the send rate shared by workers (PostgreSQL)', function () {
  this.timeout(60_000);
  let url: string;
  const pools = new Pools();

  beforeEach(async function () {
    url = await freshDatabase(this);
  });
  afterEach(() => pools.closeAll());

  /** A worker's limiter, fed by send slots from the database. */
  const worker = (rate: number) =>
    new RateLimiter(rate, realClock, new SharedRate({ pool: pools.open(url, 2), rate, logger: silentLogger }));

  it('two workers sending at full speed together stay within the rate in every second, and use most of it', async () => {
    const RATE = 100;
    const N = 250; // per worker: 5 s of sending in all
    const a = worker(RATE);
    const b = worker(RATE);
    const times: Record<'a' | 'b', number[]> = { a: [], b: [] };
    const started = Date.now();
    await Promise.all(
      (['a', 'b'] as const).flatMap((name) =>
        Array.from({ length: N }, (_, i) =>
          (name === 'a' ? a : b).acquire(1000 + i + (name === 'a' ? 0 : N)).then(() => times[name].push(Date.now())),
        ),
      ),
    );
    const all = [...times.a, ...times.b];
    const seconds = (Date.now() - started) / 1000;
    expect(mostInOneSecond(all), 'sent in the busiest second').to.be.at.most(RATE);
    // each on its own would send at the full rate: together they share it
    expect(mostInOneSecond(times.a)).to.be.below(0.8 * RATE);
    expect(mostInOneSecond(times.b)).to.be.below(0.8 * RATE);
    expect(all.length / seconds, 'messages a second, both together').to.be.above(0.8 * RATE);
  });

  it('a reply in an idle worker goes within a fraction of a second while the other broadcasts', async () => {
    const RATE = 50;
    const busy = worker(RATE);
    const idle = worker(RATE);
    const broadcast = Array.from({ length: 150 }, (_, i) => busy.acquire(5000 + i));
    await new Promise((r) => setTimeout(r, 500));
    const asked = Date.now();
    await idle.acquire(42, { lane: 'reply' });
    expect(Date.now() - asked).to.be.below(400);
    await Promise.all(broadcast);
  });

  it("a 429 seen by one worker pauses the other's sending too", async () => {
    const RATE = 50;
    const a = worker(RATE);
    const b = worker(RATE);
    const times: number[] = [];
    const sending = Array.from({ length: 60 }, (_, i) => b.acquire(7000 + i).then(() => times.push(Date.now())));
    await new Promise((r) => setTimeout(r, 300));
    const pausedAt = Date.now();
    a.pause(1000);
    await Promise.all(sending);
    // what b held already may still go (at most about 100 ms of slots); then nothing until the pause ends
    const during = times.filter((t) => t > pausedAt + 250 && t < pausedAt + 950);
    expect(during).to.deep.equal([]);
    expect(times.filter((t) => t >= pausedAt + 950).length).to.be.above(0);
  });
});
