/**
 * `npm run migrate -- --from-data-dir DIR`, run as the command it is: an embedded store's folder
 * copied into PostgreSQL, the same rows after a second run, nobody lost.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { openFileStore, type Store } from '../../src/store/index.js';
import { createPool, type Pool } from '../../src/store/pg/pool.js';
import { openPostgresStore } from '../../src/store/pg/store.js';
import { ROOT } from '../helpers.js';
import { postgresOrSkip } from '../support/postgres.js';

const COMMAND = join(ROOT, 'build/src/store/pg/migrate-command.js');

function migrateCommand(url: string, ...args: string[]) {
  const out = spawnSync(process.execPath, [COMMAND, ...args], {
    env: { ...process.env, DATABASE_URL: url, ENV_FILE: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** Every row the import writes, in a stable order. */
async function dump(pool: Pool) {
  const q = async (sql: string) => (await pool.query(sql)).rows;
  return {
    subscribers: await q('SELECT chat_id, chat_type, topics, status, since, blocked_at, position FROM subscribers ORDER BY chat_id'),
    events: await q('SELECT kind, key FROM events ORDER BY kind, key'),
    stats: await q('SELECT answered, declined FROM stats'),
    unanswered: await q('SELECT question, count FROM unanswered_questions ORDER BY question'),
    broadcasts: await q(
      'SELECT id, kind, html, created_at, status, finished_at, expires_at, imported_recipients, imported_delivered, imported_blocked FROM broadcasts ORDER BY id',
    ),
    recipients: await q(
      'SELECT broadcast_id, chat_id, position, status, outcome_seq FROM broadcast_recipients ORDER BY broadcast_id, chat_id',
    ),
  };
}

describe('npm run migrate -- --from-data-dir', () => {
  let dir: string;
  let url: string;
  const pools: Pool[] = [];

  before(async function () {
    this.timeout(60_000);
    const server = await postgresOrSkip(this);
    url = await server.createDatabase();
    dir = mkdtempSync(join(tmpdir(), 'import-'));
    // an embedded store with some history
    const store: Store = await openFileStore(dir, silentLogger);
    for (let id = 1; id <= 40; id++) await store.subscribers.subscribe(id, 'private', id % 3 ? 'minsheng' : 'articles');
    await store.subscribers.subscribe(-1001, 'supergroup', 'articles');
    await store.subscribers.subscribe(5, 'private', 'articles');
    await store.subscribers.markBlocked([7, 8]);
    await store.events.record('sessions', ['2023-03-30 09:00']);
    await store.events.record('articles', ['a1', 'a2']);
    await store.events.record('reminders', ['2023-03-30 09:00@evening']);
    for (const q of ['天气', '天气', '比特币']) store.stats.record(q, false);
    store.stats.record('利率', true);
    await store.broadcasts.create({ id: 'admin:done', kind: 'admin', html: 'x', recipients: [1, 2, 3, 4] });
    await store.broadcasts.create({
      id: 'preview:s',
      kind: 'preview',
      html: 'p',
      recipients: [1, 2, 4, 5, 10],
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    const [done, running] = await store.broadcasts.unfinished();
    done!.status = 'done';
    done!.delivered.push(1, 2);
    done!.blocked.push(3);
    done!.failed.push(4);
    done!.finishedAt = '2026-01-01T00:00:00.000Z';
    running!.status = 'running';
    running!.delivered.push(4, 1);
    running!.failed.push(2);
    await store.broadcasts.checkpoint();
    await store.close();
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, copies the folder, and a second run changes nothing', async () => {
    const first = migrateCommand(url, '--from-data-dir', dir);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/applied migration\(s\) 1/);
    expect(first.stdout).to.include('41 subscriber(s)');
    const pool = createPool(url);
    pools.push(pool);
    const once = await dump(pool);
    const second = migrateCommand(url, '--from-data-dir', dir);
    expect(second.status, second.stderr).to.equal(0);
    expect(second.stdout).to.match(/schema up to date/);
    expect(second.stdout).to.include('(2 already there, left as they are)');
    expect(await dump(pool)).to.deep.equal(once);
  });

  it('loses no subscriber, announcement, count or broadcast', async () => {
    const files = await openFileStore(dir, silentLogger);
    const db = await openPostgresStore(url, silentLogger);
    try {
      for (const topic of ['minsheng', 'articles', undefined] as const) {
        expect(await db.subscribers.recipients(topic), String(topic)).to.deep.equal(await files.subscribers.recipients(topic));
      }
      expect(await db.subscribers.counts()).to.deep.equal(await files.subscribers.counts());
      for (const id of [5, 7, -1001]) expect(await db.subscribers.get(id)).to.deep.equal(await files.subscribers.get(id));
      expect(await db.events.hasSession('2023-03-30 09:00')).to.equal(true);
      expect(await db.events.hasReminder('2023-03-30 09:00@evening')).to.equal(true);
      expect(await db.events.isFresh()).to.equal(false);
      expect(await db.stats.counts()).to.deep.equal({ answered: 1, declined: 3 });
      expect(await db.stats.topUnanswered(5)).to.deep.equal(await files.stats.topUnanswered(5));
      expect(await db.broadcasts.summaries()).to.deep.equal(await files.broadcasts.summaries());
      const [running] = await db.broadcasts.unfinished();
      expect(running).to.deep.include({ id: 'preview:s', status: 'running', recipients: [1, 2, 4, 5, 10], delivered: [4, 1], failed: [2] });
    } finally {
      await Promise.all([files.close(), db.close()]);
    }
  });

  it('says what is wrong with a folder that holds no bot data, or with no DATABASE_URL', () => {
    const empty = mkdtempSync(join(tmpdir(), 'import-empty-'));
    try {
      const r = migrateCommand(url, '--from-data-dir', empty);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.include('holds no bot data');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const none = migrateCommand('');
    expect(none.status).to.equal(2);
    expect(none.stderr).to.include('DATABASE_URL is not set');
  });
});
