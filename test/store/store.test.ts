import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { DurableJSONFile } from '../../src/store/durable-json-file.js';
import { JsonStoreFile } from '../../src/store/json-file.js';
import { acquireDataDirLock, lockDataDir, STALE_MS } from '../../src/store/lock.js';
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
      // JsonStoreFile writes one at a time; the file adapter stays safe when writes overlap
      const path = join(dir, 'a.json');
      const adapter = new DurableJSONFile<Data>(path);
      await adapter.write({ schemaVersion: 1, items: [] });
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
            concurrent = adapter.write({ schemaVersion: 1, items: ['b'] });
            while (statSync(path).ino === first) await sleep(5);
          } else if (st.isFile() && st.ino !== first) {
            await sleep(100); // the second write's own flush of its file comes late
          }
          await original();
          synced.push(st.ino);
        },
        () => adapter.write({ schemaVersion: 1, items: ['a'] }),
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

  describe('the data folder lock', () => {
    const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..'); // tests run from build/test/
    /** Runs a script in another Node process with `lock` (the lock module) and `dir` defined. */
    function other(script: string) {
      const lockModule = pathToFileURL(join(ROOT, 'build/src/store/lock.js')).href;
      const code = `const lock = await import(${JSON.stringify(lockModule)}); const dir = ${JSON.stringify(dir)};\n${script}`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const done = new Promise<{ code: number | null; out: string }>((resolve) => child.once('exit', (code) => resolve({ code, out })));
      /** resolves when the process has printed `text` */
      const said = (text: string) =>
        new Promise<void>((resolve) => {
          const check = () => out.includes(text) && resolve();
          child.stdout.on('data', check);
          check();
        });
      return { child, done, said };
    }
    const lockPath = () => join(dir, 'bot.lock');

    it('lets one process hold a data folder; another is refused with a clear line', async () => {
      const release = lockDataDir(dir);
      expect(lockDataDir(dir)).to.equal(release); // this process holds it already
      const { code, out } = await other('try { lock.lockDataDir(dir) } catch (e) { console.log(e.message); process.exit(3) }').done;
      expect(code).to.equal(3);
      expect(out).to.include('is in use by another bot process');
      release();
      expect(existsSync(lockPath())).to.equal(false);
      const after = await other('lock.lockDataDir(dir); console.log("held")').done;
      expect(after.out).to.include('held');
    });

    it('is released however the holder exits: process.exit, an uncaught error, SIGTERM', async () => {
      for (const script of [
        'lock.lockDataDir(dir); process.exit(1)',
        'lock.lockDataDir(dir); setTimeout(() => { throw new Error("boom") }, 10)',
        'lock.lockDataDir(dir); console.log("held"); setInterval(() => {}, 1000)',
      ]) {
        const { child, done, said } = other(script);
        if (script.includes('held')) {
          await said('held');
          child.kill('SIGTERM');
        }
        await done;
        expect(existsSync(lockPath()), script).to.equal(false);
      }
    });

    it('takes over the lock of a process killed outright once it has gone stale', async () => {
      const { child, done, said } = other('lock.lockDataDir(dir); console.log("held"); setInterval(() => {}, 1000)');
      await said('held');
      child.kill('SIGKILL');
      await done;
      expect(existsSync(lockPath())).to.equal(true);
      expect(() => lockDataDir(dir)).to.throw(/in use by another bot process/);
      // as it looks once STALE_MS has passed without the holder refreshing it
      const old = new Date(Date.now() - STALE_MS - 1000);
      utimesSync(lockPath(), old, old);
      lockDataDir(dir)();
    });

    it('waits for a process that is stopping, saying so once', async () => {
      const { done, said } = other('const release = lock.lockDataDir(dir); console.log("held"); setTimeout(() => release(), 1500)');
      await said('held');
      const lines: string[] = [];
      const logger = createLogger([], (l) => lines.push(l));
      const started = Date.now();
      const release = await acquireDataDirLock(dir, { logger, waitMs: 20_000 });
      expect(Date.now() - started).to.be.within(1000, 10_000);
      expect(lines.filter((l) => l.includes('locked by another bot process'))).to.have.length(1);
      release();
      await done;
    });

    it('gives up after the wait with a line naming the folder', async () => {
      const { child, done, said } = other('lock.lockDataDir(dir); console.log("held"); setInterval(() => {}, 1000)');
      await said('held');
      try {
        let error: Error | undefined;
        await acquireDataDirLock(dir, { logger: silentLogger, waitMs: 800 }).catch((err: Error) => {
          error = err;
        });
        expect(error?.message).to.include(dir).and.include('in use by another bot process');
      } finally {
        child.kill('SIGTERM');
        await done;
      }
    });
  });

  describe('Subscribers', () => {
    it('subscribes, lists recipients by topic, and unsubscribes', async () => {
      const subs = await Subscribers.open(join(dir, 's.json'), silentLogger);
      await subs.subscribe(1, 'private', 'minsheng');
      await subs.subscribe(2, 'private', 'articles');
      await subs.subscribe(1, 'private', 'articles');
      expect(await subs.recipients('minsheng')).to.deep.equal([1]);
      expect(await subs.recipients('articles')).to.deep.equal([1, 2]);
      expect(await subs.recipients()).to.deep.equal([1, 2]);
      await subs.unsubscribe(1, 'minsheng');
      expect((await subs.get(1))?.topics).to.deep.equal(['articles']);
      await subs.unsubscribe(1, 'all');
      expect(await subs.get(1)).to.equal(undefined);
    });

    it('pauses blocked chats without forgetting them, and resumes them', async () => {
      const path = join(dir, 's.json');
      const subs = await Subscribers.open(path, silentLogger);
      await subs.subscribe(1, 'private', 'minsheng');
      await subs.markBlocked([1]);
      expect(await subs.recipients('minsheng')).to.deep.equal([]);
      expect((await subs.counts()).minsheng).to.deep.equal({ active: 0, blocked: 1 });
      const reopened = await Subscribers.open(path, silentLogger);
      expect((await reopened.get(1))?.status).to.equal('blocked');
      expect(await reopened.resume(1)).to.equal(true);
      expect(await reopened.recipients('minsheng')).to.deep.equal([1]);
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
      expect(await reopened.recipients('articles')).to.deep.equal([2, ...ids.slice(6)]);
      expect(await reopened.counts()).to.deep.equal({ minsheng: { active: 25, blocked: 2 }, articles: { active: 25, blocked: 2 } });
    });
  });

  describe('Broadcasts', () => {
    it('queues a job once, even when asked twice at the same time', async () => {
      const path = join(dir, 'b.json');
      const broadcasts = await Broadcasts.open(path, silentLogger);
      const job = { id: 'preview:1', kind: 'preview' as const, html: 'x', recipients: [1] };
      const [a, b] = await Promise.all([broadcasts.create(job), broadcasts.create(job)]);
      expect(a).to.equal(b);
      expect(await (await Broadcasts.open(path, silentLogger)).all()).to.have.length(1);
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
      expect((await reopened.counts()).answered).to.equal(1);
      expect(await reopened.topUnanswered(5)).to.deep.equal([
        { question: '比特币', count: 2 },
        { question: '天气', count: 1 },
      ]);
      await reopened.close();
    });
  });
});
