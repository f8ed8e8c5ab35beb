import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { JsonStoreFile } from '../../src/store/json-file.js';
import { lockDataDir } from '../../src/store/lock.js';
import { Subscribers } from '../../src/store/subscribers.js';
import { Stats } from '../../src/store/stats.js';
import { createLogger, silentLogger } from '../../src/logger.js';

interface Data {
  schemaVersion: number;
  items: string[];
}
const defaults = () => ({ schemaVersion: 1, items: [] as string[] });

/** Runs `body` with every FileHandle.sync (fsync) replaced by `sync`, which gets the original. */
async function withSync<R>(sync: (handle: FileHandle, original: () => Promise<void>) => Promise<void>, body: () => Promise<R>): Promise<R> {
  const probe = await openFile(tmpdir(), 'r');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const original = proto.sync;
  proto.sync = function (this: FileHandle) {
    return sync(this, () => original.call(this));
  };
  try {
    return await body();
  } finally {
    proto.sync = original;
  }
}

const failure = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

describe('store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-'));
  });
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
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          file.update((d) => {
            d.items.push(String(i));
          }),
        ),
      );
      const onDisk = JSON.parse(readFileSync(path, 'utf8')) as Data;
      expect(onDisk.items).to.have.length(200);
      expect(onDisk.items[199]).to.equal('199');
    });

    it('resolves each of concurrent updates only once the file holds it', async () => {
      const path = join(dir, 'a.json');
      const file = await open(path);
      const seen = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          file
            .update((d) => {
              d.items.push(String(i));
            })
            .then(() => (JSON.parse(readFileSync(path, 'utf8')) as Data).items.includes(String(i))),
        ),
      );
      expect(seen.every(Boolean)).to.equal(true);
    });

    it('flushes the file and its folder to disk (fsync) before a write resolves', async () => {
      const path = join(dir, 'a.json');
      const file = await open(path);
      const synced: Array<{ ino: number; text?: string }> = [];
      await withSync(
        async (handle, original) => {
          await original();
          const st = await handle.stat();
          synced.push({ ino: st.ino, text: st.isFile() ? await handle.readFile('utf8') : undefined });
        },
        () =>
          file.update((d) => {
            d.items.push('flushed');
          }),
      );
      // checked as soon as the write resolves: the syncs must have been awaited, and be of the
      // file that now holds the data (not the old one lowdb renamed over) and of the folder
      expect(synced.find((s) => s.ino === statSync(path).ino)?.text ?? 'no fsync of the file').to.include('flushed');
      expect(synced.some((s) => s.ino === statSync(dir).ino)).to.equal(true);
    });

    it('also flushes a newer file that a concurrent write renamed in while it flushed', async () => {
      const path = join(dir, 'a.json');
      const file = await open(path);
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const synced: number[] = [];
      let first = 0;
      let concurrent: Promise<void> | undefined;
      await withSync(
        async (handle, original) => {
          const st = await handle.stat();
          if (st.isFile() && !concurrent) {
            // the first write's fsync: a second write renames its file in meanwhile
            first = st.ino;
            concurrent = file.update((d) => {
              d.items.push('b');
            });
            while (statSync(path).ino === first) await sleep(5);
          } else if (st.isFile() && st.ino !== first) {
            await sleep(100); // the second write's own flush of its file comes late
          }
          await original();
          synced.push(st.ino);
        },
        () =>
          file.update((d) => {
            d.items.push('a');
          }),
      );
      expect(synced).to.include(statSync(path).ino); // the file the path now names was flushed too
      await concurrent;
    });

    it('confirms no write whose fsync fails, and accepts a folder that cannot be fsynced', async () => {
      const path = join(dir, 'a.json');
      const file = await open(path);
      const isDir = async (handle: FileHandle) => (await handle.stat()).isDirectory();
      await withSync(
        async (handle, original) => {
          if (await isDir(handle)) throw failure('EPERM');
          return original();
        },
        () =>
          file.update((d) => {
            d.items.push('one');
          }),
      );
      let error: NodeJS.ErrnoException | undefined;
      await withSync(
        async (handle, original) => {
          if (!(await isDir(handle))) throw failure('EIO');
          return original();
        },
        () =>
          file.update((d) => {
            d.items.push('two');
          }),
      ).catch((err) => {
        error = err as NodeJS.ErrnoException;
      });
      expect(error?.code).to.equal('EIO');
    });

    it('migrates data of an older schema version and writes it', async () => {
      const path = join(dir, 'a.json');
      writeFileSync(path, JSON.stringify({ schemaVersion: 1, list: ['a'] }));
      const lines: string[] = [];
      const file = await JsonStoreFile.open<Data>(path, {
        schemaVersion: 2,
        logger: createLogger([], (l) => {
          lines.push(l);
        }),
        defaults: () => ({ schemaVersion: 2, items: [] }),
        migrate: (old) => ({ schemaVersion: 2, items: (old as unknown as { list: string[] }).list }),
      });
      expect(file.data).to.deep.equal({ schemaVersion: 2, items: ['a'] });
      expect(JSON.parse(readFileSync(path, 'utf8'))).to.deep.equal({ schemaVersion: 2, items: ['a'] });
      expect(lines.join('')).to.include('migrated from schema version 1 to 2');
    });

    const broken = [
      { name: 'an empty file', content: '', why: 'the file is empty' },
      { name: 'a truncated file', content: '{"schemaVersion":1,"items":["a"', why: 'not valid JSON' },
      { name: 'a file of other data', content: '[1,2,3]', why: 'no store data' },
      { name: 'a file without schemaVersion', content: '{"items":[]}', why: 'no schemaVersion' },
      { name: 'a file holding null', content: 'null', why: 'no store data' },
    ];
    for (const { name, content, why } of broken) {
      it(`moves ${name} aside with a message and restores the last good copy`, async () => {
        const path = join(dir, 'a.json');
        const file = await open(path);
        await file.update((d) => {
          d.items.push('kept');
        });
        await open(path); // a clean open refreshes the backup
        writeFileSync(path, content);
        const lines: string[] = [];
        const reopened = await open(
          path,
          createLogger([], (l) => {
            lines.push(l);
          }),
        );
        expect(reopened.data.items).to.deep.equal(['kept']);
        const aside = readdirSync(dir).find((f) => f.startsWith('a.json.corrupt-'))!;
        expect(readFileSync(join(dir, aside), 'utf8')).to.equal(content);
        expect(lines.join('')).to.include('a.json').and.include(why).and.include('moved it to').and.include('restored');
      });
    }

    it('without a backup, starts empty but keeps the broken file and says so', async () => {
      const path = join(dir, 'a.json');
      writeFileSync(path, '{oops');
      const lines: string[] = [];
      const file = await open(
        path,
        createLogger([], (l) => {
          lines.push(l);
        }),
      );
      expect(file.data.items).to.deep.equal([]);
      expect(readdirSync(dir).some((f) => f.startsWith('a.json.corrupt-'))).to.equal(true);
      expect(lines.join('')).to.include('No good backup');
    });

    it('refuses a file from a newer schema', async () => {
      const path = join(dir, 'a.json');
      writeFileSync(path, JSON.stringify({ schemaVersion: 9, items: [] }));
      let error: Error | undefined;
      try {
        await open(path);
      } catch (err) {
        error = err as Error;
      }
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

    it('keeps every change made concurrently, each applied in call order', async () => {
      const path = join(dir, 's.json');
      const subs = await Subscribers.open(path, silentLogger);
      const ids = Array.from({ length: 30 }, (_, i) => i + 1);
      await Promise.all(ids.map((id) => subs.subscribe(id, 'private', 'minsheng')));
      const resumed = await Promise.all([
        ...ids.map((id) => subs.subscribe(id, 'private', 'articles').then(() => false)),
        subs.markBlocked([1, 2, 3]).then(() => false),
        ...[4, 5, 6].map((id) => subs.unsubscribe(id, 'all').then(() => false)),
        subs.resume(2),
      ]);
      expect(resumed.at(-1)).to.equal(true); // 2 was paused by the call before
      const reopened = await Subscribers.open(path, silentLogger);
      expect(reopened.recipients('articles')).to.deep.equal([2, ...ids.slice(6)]);
      expect(reopened.counts()).to.deep.equal({ minsheng: { active: 25, blocked: 2 }, articles: { active: 25, blocked: 2 } });
    });
  });

  describe('Broadcasts', () => {
    it('queues a job once, even when asked twice at the same time', async () => {
      const path = join(dir, 'b.json');
      const broadcasts = await Broadcasts.open(path, silentLogger);
      const job = { id: 'preview:1', kind: 'preview' as const, html: 'x', recipients: [1] };
      const [a, b] = await Promise.all([broadcasts.create(job), broadcasts.create(job)]);
      expect(a).to.equal(b);
      expect((await Broadcasts.open(path, silentLogger)).all()).to.have.length(1);
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
      expect(reopened.topUnanswered(5)).to.deep.equal([
        { question: '比特币', count: 2 },
        { question: '天气', count: 1 },
      ]);
      await reopened.close();
    });
  });
});
