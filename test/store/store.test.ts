import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStoreFile } from '../../src/store/json-file.js';
import { lockDataDir } from '../../src/store/lock.js';
import { Subscribers } from '../../src/store/subscribers.js';
import { Stats } from '../../src/store/stats.js';
import { createLogger, silentLogger } from '../../src/logger.js';

interface Data { schemaVersion: number; items: string[] }
const defaults = () => ({ schemaVersion: 1, items: [] as string[] });

describe('store', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'store-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('JsonStoreFile', () => {
    const open = (path: string, logger = silentLogger) => JsonStoreFile.open<Data>(path, { schemaVersion: 1, defaults, logger });

    it('creates the file with its schema version', async () => {
      const path = join(dir, 'a.json');
      await open(path);
      expect(JSON.parse(readFileSync(path, 'utf8'))).to.deep.equal({ schemaVersion: 1, items: [] });
    });

    it('serialises concurrent mutations and keeps every one', async () => {
      const path = join(dir, 'a.json');
      const file = await open(path);
      await Promise.all(Array.from({ length: 200 }, (_, i) => file.update((d) => { d.items.push(String(i)); })));
      const onDisk = JSON.parse(readFileSync(path, 'utf8')) as Data;
      expect(onDisk.items).to.have.length(200);
      expect(onDisk.items[199]).to.equal('199');
    });

    const broken = [
      { name: 'empty', content: '' },
      { name: 'truncated', content: '{"schemaVersion":1,"items":["a"' },
      { name: 'not store data', content: '[1,2,3]' },
    ];
    for (const { name, content } of broken) {
      it(`moves an ${name} file aside with a message and restores the last good copy`, async () => {
        const path = join(dir, 'a.json');
        const file = await open(path);
        await file.update((d) => { d.items.push('kept'); });
        await open(path); // a clean open refreshes the backup
        writeFileSync(path, content);
        const lines: string[] = [];
        const reopened = await open(path, createLogger([], (l) => { lines.push(l); }));
        expect(reopened.data.items).to.deep.equal(['kept']);
        const aside = readdirSync(dir).find((f) => f.startsWith('a.json.corrupt-'))!;
        expect(readFileSync(join(dir, aside), 'utf8')).to.equal(content);
        expect(lines.join('')).to.include('a.json').and.include('moved it to').and.include('restored');
      });
    }

    it('without a backup, starts empty but keeps the broken file and says so', async () => {
      const path = join(dir, 'a.json');
      writeFileSync(path, '{oops');
      const lines: string[] = [];
      const file = await open(path, createLogger([], (l) => { lines.push(l); }));
      expect(file.data.items).to.deep.equal([]);
      expect(readdirSync(dir).some((f) => f.startsWith('a.json.corrupt-'))).to.equal(true);
      expect(lines.join('')).to.include('No good backup');
    });

    it('refuses a file from a newer schema', async () => {
      const path = join(dir, 'a.json');
      writeFileSync(path, JSON.stringify({ schemaVersion: 9, items: [] }));
      let error: Error | undefined;
      try { await open(path); } catch (err) { error = err as Error; }
      expect(error?.message).to.match(/schema version 9 is newer/);
      expect(readFileSync(path, 'utf8')).to.include('"schemaVersion":9'); // untouched
    });
  });

  describe('lockDataDir', () => {
    it('lets one process hold a data folder', () => {
      const release = lockDataDir(dir);
      writeFileSync(join(dir, '.lock'), String(process.ppid)); // a live process that is not us
      expect(() => lockDataDir(dir)).to.throw(/in use by another bot process/);
      writeFileSync(join(dir, '.lock'), String(process.pid));
      release();
      expect(existsSync(join(dir, '.lock'))).to.equal(false);
    });

    it('takes over a lock left by a process that is gone', () => {
      writeFileSync(join(dir, '.lock'), '999999');
      const release = lockDataDir(dir);
      expect(readFileSync(join(dir, '.lock'), 'utf8')).to.equal(String(process.pid));
      release();
    });
  });

  describe('Subscribers', () => {
    it('subscribes, lists recipients by topic, and unsubscribes', async () => {
      const subs = await Subscribers.open(join(dir, 's.json'), silentLogger);
      await subs.subscribe(1, 'private', 'minsheng');
      await subs.subscribe(2, 'private', 'articles');
      await subs.subscribe(1, 'private', 'articles');
      expect(subs.recipients('minsheng')).to.deep.equal([1]);
      expect(subs.recipients('articles')).to.deep.equal([1, 2]);
      expect(subs.recipients()).to.deep.equal([1, 2]);
      await subs.unsubscribe(1, 'minsheng');
      expect(subs.get(1)?.topics).to.deep.equal(['articles']);
      await subs.unsubscribe(1, 'all');
      expect(subs.get(1)).to.equal(undefined);
    });

    it('pauses blocked chats without forgetting them, and resumes them', async () => {
      const path = join(dir, 's.json');
      const subs = await Subscribers.open(path, silentLogger);
      await subs.subscribe(1, 'private', 'minsheng');
      await subs.markBlocked([1]);
      expect(subs.recipients('minsheng')).to.deep.equal([]);
      expect(subs.counts().minsheng).to.deep.equal({ active: 0, blocked: 1 });
      const reopened = await Subscribers.open(path, silentLogger);
      expect(reopened.get(1)?.status).to.equal('blocked');
      expect(await reopened.resume(1)).to.equal(true);
      expect(reopened.recipients('minsheng')).to.deep.equal([1]);
      expect(await reopened.resume(1)).to.equal(false);
    });

    it('has every subscription on disk once it is confirmed', async () => {
      const path = join(dir, 's.json');
      const subs = await Subscribers.open(path, silentLogger);
      await Promise.all(Array.from({ length: 100 }, (_, i) => subs.subscribe(i + 1, 'private', 'minsheng')));
      const onDisk = JSON.parse(readFileSync(path, 'utf8'));
      expect(Object.keys(onDisk.subscribers)).to.have.length(100);
    });
  });

  describe('Stats', () => {
    it('counts questions and ranks the declined ones, written in batches', async () => {
      const path = join(dir, 'stats.json');
      const stats = await Stats.open(path, silentLogger, 60_000);
      for (const q of ['比特币', '天气', '比特币', '利率']) stats.record(q, q === '利率');
      expect(JSON.parse(readFileSync(path, 'utf8')).declined).to.equal(0); // not yet written
      await stats.close();
      const reopened = await Stats.open(path, silentLogger);
      expect(reopened.answered).to.equal(1);
      expect(reopened.topUnanswered(5)).to.deep.equal([{ question: '比特币', count: 2 }, { question: '天气', count: 1 }]);
      await reopened.close();
    });
  });
});
