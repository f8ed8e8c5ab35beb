/**
 * Broadcast jobs: who must receive what, and who already did.
 *
 * `broadcasts.json` holds every job: an unfinished one with its recipients, a finished one as a
 * summary (counts, and the chats that failed, so that the message can be sent to them again). It is
 * written when a job is queued and when one finishes, not while a job runs: a checkpoint appends
 * the chats handled since the last one, a line of JSON, to `broadcasts.progress.jsonl`, and flushes
 * it to disk. Its cost is that of a batch, whatever the number of subscribers and past jobs. The
 * lines are merged into `broadcasts.json` when a job finishes and at every open, then dropped.
 */
import { open as openFile, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../logger.js';
import { fsyncDir } from './durable-json-file.js';
import { JsonStoreFile, type Versioned } from './json-file.js';
import type { BroadcastJob, BroadcastStore, BroadcastSummary, NewBroadcastJob } from './types.js';

export type { BroadcastJob, BroadcastKind, BroadcastSummary, NewBroadcastJob } from './types.js';

type StoredJob = BroadcastJob | BroadcastSummary;

interface BroadcastsData {
  schemaVersion: 2;
  jobs: StoredJob[];
}

/** One checkpoint of one job: its status and the chats handled since the checkpoint before. */
interface ProgressLine {
  id: string;
  status: BroadcastJob['status'];
  delivered: number[];
  blocked: number[];
  failed: number[];
}

type Outcome = 'delivered' | 'blocked' | 'failed';
const OUTCOMES: Outcome[] = ['delivered', 'blocked', 'failed'];

/** What the files hold of an unfinished job: its fields, and its lists (the same arrays) up to a length. */
interface Saved {
  fields: string;
  lists: Record<Outcome, { list: number[]; length: number }>;
}

const fieldsOf = (job: BroadcastJob) => JSON.stringify([job.expiresAt, job.finishedAt, job.progress, job.html, job.resendOf]);

const isSummary = (job: StoredJob): job is BroadcastSummary => 'counts' in job;

/** What is kept of a finished job. */
export function summarise(job: BroadcastJob): BroadcastSummary {
  const { recipients, delivered, blocked, failed, ...rest } = job;
  return {
    ...rest,
    status: 'done',
    counts: { recipients: recipients.length, delivered: delivered.length, blocked: blocked.length, failed: failed.length },
    failed: [...failed],
  };
}

/** A list with a length but no items: what a finished job keeps of a list of chats. */
export function countOnly(length: number): number[] {
  return new Proxy<number[]>([], { get: (target, key, receiver) => (key === 'length' ? length : Reflect.get(target, key, receiver)) });
}

export class Broadcasts implements BroadcastStore {
  /** per unfinished job: what the files hold of it */
  private readonly saved = new Map<BroadcastJob, Saved>();
  /** per unfinished job: the status the files hold */
  private readonly savedStatus = new Map<BroadcastJob, BroadcastJob['status']>();
  /** summaries seen as jobs, one object each */
  private readonly views = new WeakMap<BroadcastSummary, BroadcastJob>();
  /** checkpoints, one at a time */
  private chain: Promise<void> = Promise.resolve();
  /** failed progress writes in a row */
  private failures = 0;

  private constructor(
    private readonly file: JsonStoreFile<BroadcastsData>,
    private readonly progressPath: string,
    private readonly logger: Logger,
  ) {
    for (const job of this.live()) this.markSaved(job);
  }

  static async open(path: string, logger: Logger): Promise<Broadcasts> {
    const file = await JsonStoreFile.open<BroadcastsData>(path, {
      schemaVersion: 2,
      logger,
      defaults: () => ({ schemaVersion: 2, jobs: [] }),
      migrate: (old) => {
        if (old.schemaVersion !== 1) throw new Error(`store: ${path}: schema version ${old.schemaVersion} cannot be migrated`);
        const jobs = (old as Versioned & { jobs: BroadcastJob[] }).jobs;
        return { schemaVersion: 2, jobs: jobs.map((j) => (j.status === 'done' ? summarise(j) : j)) };
      },
    });
    const progressPath = `${path.replace(/\.json$/, '')}.progress.jsonl`;
    const merged = await Broadcasts.replay(file, progressPath, logger);
    const broadcasts = new Broadcasts(file, progressPath, logger);
    if (merged) await broadcasts.compact();
    return broadcasts;
  }

  /** Applies the progress lines to the jobs; returns whether there were any. */
  private static async replay(file: JsonStoreFile<BroadcastsData>, progressPath: string, logger: Logger): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(progressPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new Error(`store: ${progressPath}: cannot be read (${(err as Error).message})`);
    }
    const jobs = new Map(file.data.jobs.filter((j): j is BroadcastJob => !isSummary(j)).map((j) => [j.id, j]));
    const handled = new Map<BroadcastJob, Set<number>>();
    let torn = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let entry: ProgressLine;
      try {
        entry = JSON.parse(line) as ProgressLine;
      } catch {
        torn++; // a write cut short (a crash or a full disk): that checkpoint was never confirmed
        continue;
      }
      const job = jobs.get(entry.id);
      if (!job) continue; // finished since
      let seen = handled.get(job);
      if (!seen) handled.set(job, (seen = new Set(OUTCOMES.flatMap((o) => job[o]))));
      for (const o of OUTCOMES) {
        for (const chatId of entry[o] ?? []) {
          if (!seen.has(chatId)) {
            seen.add(chatId);
            job[o].push(chatId);
          }
        }
      }
      if (entry.status === 'running' && job.status === 'pending') job.status = 'running';
    }
    if (torn) logger.warn(`store: ${progressPath}: ${torn} unfinished line(s) left out (checkpoints never confirmed)`);
    return true;
  }

  async get(id: string): Promise<BroadcastJob | undefined> {
    return this.find(id);
  }

  private find(id: string): BroadcastJob | undefined {
    const job = this.file.data.jobs.find((j) => j.id === id);
    return job && this.view(job);
  }

  /** Queues a job unless one with its id exists; resolves with the stored job once on disk. */
  async create(job: NewBroadcastJob): Promise<BroadcastJob> {
    const existing = this.find(job.id);
    if (existing) {
      await this.file.settled(); // queued by a call just before: on disk when that one is
      return existing;
    }
    const stored: BroadcastJob = {
      createdAt: new Date().toISOString(),
      ...job,
      status: 'pending',
      delivered: [],
      blocked: [],
      failed: [],
    };
    this.markSaved(stored);
    try {
      return await this.file.update((d) => {
        d.jobs.push(stored);
        return stored;
      });
    } catch (err) {
      // not saved: not queued either, so that it is not sent behind the back of whoever was told so
      if (stored.status === 'pending' && !stored.delivered.length) {
        const at = this.file.data.jobs.indexOf(stored);
        if (at >= 0) this.file.data.jobs.splice(at, 1);
        this.saved.delete(stored);
      }
      throw err;
    }
  }

  /**
   * Writes the progress of the jobs (the job objects are the stored ones, changed in place): the
   * chats handled since the last checkpoint are appended to the progress file; a job that finished
   * becomes a summary. Resolves once on disk. When the disk refuses the write, the failure is
   * logged once, the progress stays in memory and goes with the next checkpoint, and this resolves
   * all the same: sending goes on, and a crash before the disk takes writes again sends the chats
   * handled since the last saved checkpoint a second time.
   */
  checkpoint(): Promise<void> {
    this.chain = this.chain.then(() => this.writeProgress()).catch((err: Error) => this.failed(err));
    return this.chain;
  }

  /** Unfinished jobs, oldest first. */
  async unfinished(): Promise<BroadcastJob[]> {
    return this.live().filter((j) => j.status !== 'done');
  }

  /** Every job, oldest first; a finished job with counts only (see BroadcastJob). */
  async all(): Promise<BroadcastJob[]> {
    return this.file.data.jobs.map((j) => this.view(j));
  }

  /** Every job as counts, oldest first. */
  async summaries(): Promise<BroadcastSummary[]> {
    return this.file.data.jobs.map((j) => (isSummary(j) ? j : { ...summarise(j), status: j.status }));
  }

  /** Writes what is pending; never rejects. */
  async close(): Promise<void> {
    await this.checkpoint();
    await this.file.close();
  }

  private live(): BroadcastJob[] {
    return this.file.data.jobs.filter((j): j is BroadcastJob => !isSummary(j));
  }

  private view(job: StoredJob): BroadcastJob {
    if (!isSummary(job)) return job;
    let view = this.views.get(job);
    if (!view) {
      const { counts, ...rest } = job;
      view = {
        ...rest,
        recipients: countOnly(counts.recipients),
        delivered: countOnly(counts.delivered),
        blocked: countOnly(counts.blocked),
      };
      this.views.set(job, view);
    }
    return view;
  }

  private markSaved(job: BroadcastJob): void {
    this.saved.set(job, this.snapshot(job));
    this.savedStatus.set(job, job.status);
  }

  private snapshot(job: BroadcastJob): Saved {
    const lists = {} as Saved['lists'];
    for (const o of OUTCOMES) lists[o] = { list: job[o], length: job[o].length };
    return { fields: fieldsOf(job), lists };
  }

  private async writeProgress(): Promise<void> {
    // A change other than chats added to a running job's lists (a job finished, a list replaced, a
    // field changed) is written with broadcasts.json; finished jobs become summaries.
    let rewrite = false;
    const jobs = this.file.data.jobs.map((j): StoredJob => {
      if (isSummary(j)) return j;
      if (j.status === 'done') {
        rewrite = true;
        return summarise(j);
      }
      const saved = this.saved.get(j);
      if (
        !saved ||
        saved.fields !== fieldsOf(j) ||
        OUTCOMES.some((o) => saved.lists[o].list !== j[o] || j[o].length < saved.lists[o].length)
      )
        rewrite = true;
      return j;
    });
    if (rewrite) {
      this.file.data.jobs = jobs;
      await this.compact();
      return;
    }
    const lines: string[] = [];
    const after = new Map<BroadcastJob, Saved>();
    for (const job of this.live()) {
      const saved = this.saved.get(job)!;
      const now = this.snapshot(job);
      if (job.status === this.savedStatus.get(job) && OUTCOMES.every((o) => now.lists[o].length === saved.lists[o].length)) continue;
      const line: ProgressLine = {
        id: job.id,
        status: job.status,
        delivered: job.delivered.slice(saved.lists.delivered.length),
        blocked: job.blocked.slice(saved.lists.blocked.length),
        failed: job.failed.slice(saved.lists.failed.length),
      };
      lines.push(JSON.stringify(line));
      after.set(job, now);
    }
    if (!lines.length) return;
    try {
      await this.append(lines);
    } catch (err) {
      this.failed(err as Error);
      return;
    }
    this.recovered();
    for (const [job, saved] of after) {
      this.saved.set(job, saved);
      this.savedStatus.set(job, job.status);
    }
  }

  /** Appends lines to the progress file and flushes it; each line starts on a line of its own, after a torn one too. */
  private async append(lines: string[]): Promise<void> {
    const handle = await openFile(this.progressPath, 'a');
    try {
      const created = (await handle.stat()).size === 0;
      await handle.appendFile(`\n${lines.join('\n')}\n`);
      await handle.sync();
      if (created) await fsyncDir(dirname(this.progressPath));
    } finally {
      await handle.close();
    }
  }

  /** Writes broadcasts.json with every job's progress, then drops the progress lines it holds. */
  private async compact(): Promise<void> {
    const snapshots = new Map(this.live().map((j) => [j, { saved: this.snapshot(j), status: j.status }]));
    try {
      await this.file.write();
    } catch {
      return; // logged by the file, which writes it again later; the progress lines stay until then
    }
    for (const [job, { saved, status }] of snapshots) {
      this.saved.set(job, saved);
      this.savedStatus.set(job, status);
    }
    await rm(this.progressPath, { force: true }).catch((err: Error) =>
      this.logger.warn(`store: ${this.progressPath}: not removed (${err.message}); its lines are merged again at the next start`),
    );
  }

  private failed(err: Error): void {
    if (this.failures++ === 0) {
      this.logger.error(
        `store: ${this.progressPath}: cannot write broadcast progress (${err.message}); sending goes on, the progress is kept in memory and written when the disk takes it again`,
      );
    }
  }

  private recovered(): void {
    if (this.failures)
      this.logger.info(`store: ${this.progressPath}: broadcast progress written again after ${this.failures} failed attempts`);
    this.failures = 0;
  }
}
