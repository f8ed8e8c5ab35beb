/**
 * Broadcast jobs: who must receive what, and who already did. Progress is written in batches by
 * the broadcaster (a write per batch, not per message: lowdb rewrites the whole file).
 */
import type { Logger } from '../logger.js';
import { JsonStoreFile } from './json-file.js';

export type BroadcastKind = 'preview' | 'reminder' | 'articles' | 'admin';

export interface BroadcastJob {
  /** derived from what is announced, so the same announcement is never queued twice */
  id: string;
  kind: BroadcastKind;
  /** the message, Telegram HTML */
  html: string;
  createdAt: string;
  status: 'pending' | 'running' | 'done';
  recipients: number[];
  delivered: number[];
  blocked: number[];
  failed: number[];
  finishedAt?: string;
  /** an admin's message that shows the progress */
  progress?: { chatId: number; messageId: number };
}

interface BroadcastsData {
  schemaVersion: 1;
  jobs: BroadcastJob[];
}

export class Broadcasts {
  private constructor(private readonly file: JsonStoreFile<BroadcastsData>) {}

  static async open(path: string, logger: Logger): Promise<Broadcasts> {
    const file = await JsonStoreFile.open<BroadcastsData>(path, {
      schemaVersion: 1,
      logger,
      defaults: () => ({ schemaVersion: 1, jobs: [] }),
    });
    return new Broadcasts(file);
  }

  get(id: string): BroadcastJob | undefined {
    return this.file.data.jobs.find((j) => j.id === id);
  }

  /** Queues a job unless one with its id exists; resolves with the stored job once on disk. */
  async create(
    job: Omit<BroadcastJob, 'status' | 'delivered' | 'blocked' | 'failed' | 'createdAt'> & { createdAt?: string },
  ): Promise<BroadcastJob> {
    const existing = this.get(job.id);
    if (existing) return existing;
    return this.file.update((d) => {
      const stored: BroadcastJob = {
        createdAt: new Date().toISOString(),
        ...job,
        status: 'pending',
        delivered: [],
        blocked: [],
        failed: [],
      };
      d.jobs.push(stored);
      return stored;
    });
  }

  /** Writes a job's progress (the job object is the stored one, changed in place). */
  checkpoint(): Promise<void> {
    return this.file.write();
  }

  unfinished(): BroadcastJob[] {
    return this.file.data.jobs.filter((j) => j.status !== 'done');
  }
  all(): BroadcastJob[] {
    return this.file.data.jobs;
  }
}
