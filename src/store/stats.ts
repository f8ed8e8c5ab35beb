/**
 * Question statistics for the newsroom: how many answered and declined, and the declined questions
 * (to guide what to publish). Counted in memory and written every few seconds, not per question.
 * A write that fails is logged and retried by the file; counting goes on.
 */
import type { Logger } from '../logger.js';
import { JsonStoreFile } from './json-file.js';
import type { StatsStore } from './types.js';

interface StatsData {
  schemaVersion: 1;
  answered: number;
  declined: number;
  /** declined question text → times asked */
  unanswered: Record<string, number>;
}

/** Declined questions kept; the least asked are dropped beyond this. */
const MAX_UNANSWERED = 1000;

export class Stats implements StatsStore {
  private dirty = false;
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly file: JsonStoreFile<StatsData>,
    private readonly flushMs: number,
  ) {}

  static async open(path: string, logger: Logger, flushMs = 5000): Promise<Stats> {
    const file = await JsonStoreFile.open<StatsData>(path, {
      schemaVersion: 1,
      logger,
      defaults: () => ({ schemaVersion: 1, answered: 0, declined: 0, unanswered: {} }),
    });
    return new Stats(file, flushMs);
  }

  record(question: string, answered: boolean): void {
    const d = this.file.data;
    if (answered) d.answered++;
    else {
      d.declined++;
      const q = question.trim().slice(0, 200);
      if (q) d.unanswered[q] = (d.unanswered[q] ?? 0) + 1;
      const keys = Object.keys(d.unanswered);
      if (keys.length > MAX_UNANSWERED) {
        const least = keys.sort((a, b) => d.unanswered[a]! - d.unanswered[b]!).slice(0, keys.length - MAX_UNANSWERED);
        for (const k of least) delete d.unanswered[k];
      }
    }
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined); // logged and retried by the file
    }, this.flushMs);
    this.timer.unref?.();
  }

  async counts(): Promise<{ answered: number; declined: number }> {
    return { answered: this.file.data.answered, declined: this.file.data.declined };
  }

  /** The most often declined questions, most asked first. */
  async topUnanswered(n: number): Promise<Array<{ question: string; count: number }>> {
    return Object.entries(this.file.data.unanswered)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([question, count]) => ({ question, count }));
  }

  /** Writes the counts; rejects when the write fails (the file keeps them and writes them later). */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.file.write();
  }

  /** Writes what is counted; never rejects (a failed write is logged). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
    await this.file.close();
  }
}
