/**
 * Stores that grow: subscription changes made at once share a write, a broadcast checkpoint costs
 * its batch (not the whole file), and finished broadcasts are kept as counts.
 */
import { expect } from 'chai';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { Subscribers } from '../../src/store/subscribers.js';

const since = '2026-01-01T00:00:00.000Z';

/** broadcasts.json as a bot of schema version 1 left it: every job with its lists. */
function oldBroadcasts(path: string, finished: number, perJob: number, unfinished?: object): void {
  const jobs: object[] = Array.from({ length: finished }, (_, j) => {
    const recipients = Array.from({ length: perJob }, (_, i) => 1_000_000 + i);
    return {
      id: `admin:past-${j}`,
      kind: 'admin',
      html: '往期通知',
      createdAt: since,
      status: 'done',
      recipients,
      delivered: recipients.slice(0, perJob - 3),
      blocked: recipients.slice(perJob - 3, perJob - 1),
      failed: recipients.slice(perJob - 1),
      finishedAt: since,
    };
  });
  if (unfinished) jobs.push(unfinished);
  writeFileSync(path, JSON.stringify({ schemaVersion: 1, jobs }));
}

describe('store: stores that grow', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-growth-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('confirms 200 subscription taps made at once within 2 s with 50,000 subscribers on record', async () => {
    const path = join(dir, 'subscribers.json');
    const subscribers: Record<string, object> = {};
    for (let i = 0; i < 50_000; i++) {
      subscribers[1_000_000 + i] = { chatId: 1_000_000 + i, chatType: 'private', topics: ['minsheng'], status: 'active', since };
    }
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, subscribers }, null, 2));
    const subs = await Subscribers.open(path, silentLogger);
    const started = performance.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => subs.subscribe(i + 1, 'private', i % 2 ? 'minsheng' : 'articles')));
    const ms = performance.now() - started;
    expect(ms, `${Math.round(ms)} ms`).to.be.below(2000);
    const onDisk = JSON.parse(readFileSync(path, 'utf8')).subscribers;
    expect(Object.keys(onDisk)).to.have.length(50_200);
    expect(onDisk['200'].topics).to.deep.equal(['minsheng']);
  });

  it('keeps a finished broadcast as counts and the chats that failed, not its recipient lists', async () => {
    const path = join(dir, 'broadcasts.json');
    const broadcasts = await Broadcasts.open(path, silentLogger);
    const job = await broadcasts.create({ id: 'admin:1', kind: 'admin', html: '通知', recipients: [1, 2, 3, 4] });
    job.status = 'running';
    job.delivered.push(1, 2);
    job.blocked.push(3);
    job.failed.push(4);
    job.status = 'done';
    job.finishedAt = since;
    await broadcasts.checkpoint();
    const stored = JSON.parse(readFileSync(path, 'utf8')).jobs[0];
    expect(stored).to.not.have.any.keys('recipients', 'delivered', 'blocked');
    expect(stored).to.deep.include({ status: 'done', counts: { recipients: 4, delivered: 2, blocked: 1, failed: 1 }, failed: [4] });
    const reopened = await Broadcasts.open(path, silentLogger);
    const [seen] = await reopened.all();
    expect([seen!.recipients.length, seen!.delivered.length, seen!.blocked.length, seen!.failed]).to.deep.equal([4, 2, 1, [4]]);
    expect((await reopened.get('admin:1'))?.status).to.equal('done');
    expect(await reopened.unfinished()).to.deep.equal([]);
  });

  it('checkpoints a broadcast without rewriting broadcasts.json, with 20 finished 50,000-recipient jobs on record', async () => {
    const path = join(dir, 'broadcasts.json');
    oldBroadcasts(path, 20, 50_000);
    const broadcasts = await Broadcasts.open(path, silentLogger); // migrated: the finished jobs become summaries
    expect(statSync(path).size).to.be.below(20_000);
    const recipients = Array.from({ length: 300 }, (_, i) => i + 1);
    const job = await broadcasts.create({ id: 'admin:now', kind: 'admin', html: '通知', recipients });
    const written = statSync(path);
    job.status = 'running';
    const started = performance.now();
    for (let i = 0; i < recipients.length; i += 30) {
      job.delivered.push(...recipients.slice(i, i + 30));
      await broadcasts.checkpoint();
    }
    const ms = performance.now() - started;
    expect(statSync(path).ino).to.equal(written.ino); // not rewritten
    expect(statSync(path).mtimeMs).to.equal(written.mtimeMs);
    expect(ms / 10, 'ms a checkpoint').to.be.below(100);

    // a crash now: the next start has every checkpoint, and leaves out a line cut short
    appendFileSync(join(dir, 'broadcasts.progress.jsonl'), '{"id":"admin:now","status":"running","delivered":[99');
    const after = await Broadcasts.open(path, silentLogger);
    const resumed = (await after.get('admin:now'))!;
    expect(resumed.status).to.equal('running');
    expect(resumed.delivered).to.deep.equal(recipients);
    expect(await after.all()).to.have.length(21);
  });

  it('loads a broadcasts file of schema version 1: finished jobs as counts, an unfinished one where it stopped', async () => {
    const path = join(dir, 'broadcasts.json');
    const unfinished = {
      id: 'reminder:x',
      kind: 'reminder',
      html: '提醒',
      createdAt: since,
      status: 'running',
      recipients: [1, 2, 3],
      delivered: [1],
      blocked: [],
      failed: [],
    };
    oldBroadcasts(path, 2, 10, unfinished);
    const broadcasts = await Broadcasts.open(path, silentLogger);
    expect((await broadcasts.unfinished()).map((j) => [j.id, j.recipients, j.delivered])).to.deep.equal([['reminder:x', [1, 2, 3], [1]]]);
    expect((await broadcasts.all()).map((j) => j.delivered.length)).to.deep.equal([7, 7, 1]);
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.schemaVersion).to.equal(2);
    expect(onDisk.jobs[0]).to.deep.include({ counts: { recipients: 10, delivered: 7, blocked: 2, failed: 1 }, failed: [1_000_009] });
  });
});
