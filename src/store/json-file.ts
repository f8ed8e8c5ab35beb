/**
 * One lowdb JSON file with a schema version. Each change resolves once it is flushed to disk
 * (DurableJSONFile). Changes made while a write is under way are committed together by the next
 * write (group commit): one file write confirms every change queued behind it, however many.
 *
 * A write that fails (disk full, read-only folder) never ends the process: the changes stay in
 * memory, the failure is logged once (and its end once), and the file is written again with backoff
 * until the disk takes it; the callers whose changes that write carried get the error.
 *
 * A file that is empty, not valid JSON or not store data is moved aside (never overwritten) with a
 * clear message, and the last good copy (`<file>.bak`, refreshed at every open) is restored when
 * there is one.
 */
import { copyFileSync, existsSync, renameSync, statSync } from 'node:fs';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Logger } from '../logger.js';
import { DurableJSONFile } from './durable-json-file.js';

export interface Versioned {
  schemaVersion: number;
}

/** Waits before writing again after a failed write: doubled each time, up to the last. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

export interface OpenOptions<T> {
  schemaVersion: number;
  defaults: () => T;
  /** brings data of an older schema version up to date */
  migrate?: (old: Versioned) => T;
  logger: Logger;
}

const isVersioned = (data: unknown): data is Versioned =>
  typeof data === 'object' && data !== null && !Array.isArray(data) && typeof (data as Versioned).schemaVersion === 'number';

/**
 * Reads a file into db.data with lowdb. Returns why the file cannot be used, or undefined when it
 * is good or absent (db.data then keeps its default). Throws for a file that cannot be read at all.
 */
async function load<T>(db: Low<T>, path: string): Promise<string | undefined> {
  const before = db.data;
  try {
    await db.read();
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw new Error(`store: ${path}: cannot be read (${(err as Error).message})`);
    return statSync(path).size === 0 ? 'the file is empty' : `not valid JSON (${err.message})`;
  }
  const noData = 'it holds no store data (no schemaVersion)';
  // lowdb keeps the default both when there is no file and when it holds null, false, 0 or ""
  if (db.data === before) return existsSync(path) ? noData : undefined;
  return isVersioned(db.data) ? undefined : noData;
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class JsonStoreFile<T extends Versioned> {
  /** callers whose changes the next write carries */
  private queued: Waiter[] = [];
  /** the write under way, if any */
  private writing?: Promise<void>;
  /** changes in memory that no successful write holds yet */
  private dirty = false;
  /** failed writes in a row; 0 while the disk takes writes */
  private failures = 0;
  /** retries in a row that failed (the backoff) */
  private retries = 0;
  private retry?: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly db: Low<T>,
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens (or creates) a store file. Throws only for a file it must not touch (newer schema,
   * unreadable, cannot be moved aside). A file that cannot be written is opened all the same, with
   * its data in memory, and written once the disk takes it.
   */
  static async open<T extends Versioned>(path: string, options: OpenOptions<T>): Promise<JsonStoreFile<T>> {
    const { logger, schemaVersion } = options;
    const backup = `${path}.bak`;
    const db = new Low<T>(new DurableJSONFile<T>(path), options.defaults());
    const problem = await load(db, path);
    if (problem) {
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(path, aside);
      const last = new Low<T>(new JSONFile<T>(backup), options.defaults());
      if (existsSync(backup) && !(await load(last, backup))) {
        logger.error(`store: ${path}: ${problem}; moved it to ${aside} and restored the last good copy from ${backup}`);
        db.data = last.data;
      } else {
        logger.error(
          `store: ${path}: ${problem}; moved it to ${aside}. No good backup: starting this file empty. Restore it from ${aside} if it can be mended.`,
        );
        db.data = options.defaults();
      }
    }

    const found = db.data.schemaVersion;
    if (found > schemaVersion) {
      throw new Error(`store: ${path}: schema version ${found} is newer than this bot understands (${schemaVersion}); upgrade the bot`);
    }
    if (found < schemaVersion) {
      if (!options.migrate) throw new Error(`store: ${path}: schema version ${found} cannot be migrated to ${schemaVersion}`);
      db.data = options.migrate(db.data);
      logger.info(`store: ${path}: migrated from schema version ${found} to ${schemaVersion}`);
    }

    const file = new JsonStoreFile<T>(db, path, logger);
    try {
      await file.write();
      copyFileSync(path, backup); // the last copy known to be good
    } catch {
      // logged by the write; the data is in memory and is written when the disk takes it
    }
    return file;
  }

  get data(): T {
    return this.db.data;
  }

  /**
   * Applies a mutation and resolves with its result once the data is on disk. The mutation runs at
   * once, within this call, so what a caller checked just before still holds; the write that
   * carries it also carries every change made before it resolves. Rejects when that write fails
   * (the change is kept in memory and written later).
   */
  async update<R>(mutate: (data: T) => R): Promise<R> {
    const result = mutate(this.db.data);
    await this.write();
    return result;
  }

  /** Writes the data as it is now (after changes made in place, e.g. a batch of counters). */
  write(): Promise<void> {
    this.dirty = true;
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ resolve, reject });
      this.next();
    });
  }

  /** Resolves once every change made so far is on disk (at once when nothing is waiting to be written). */
  settled(): Promise<void> {
    return this.dirty || this.writing ? this.write() : Promise.resolve();
  }

  /** Writes what is pending, once, and stops retrying; never rejects (a failure is logged). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    await this.settled().catch(() => undefined);
  }

  /** Starts the next write unless one is under way (its end starts the next). */
  private next(retrying = false): void {
    if (this.writing || (!this.queued.length && !this.dirty)) return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    const carried = this.queued;
    this.queued = [];
    this.dirty = false;
    this.writing = this.db.write().then(
      () => {
        if (this.failures) this.logger.info(`store: ${this.path}: written again after ${this.failures} failed attempts`);
        this.failures = 0;
        this.retries = 0;
        for (const w of carried) w.resolve();
      },
      (err: Error) => {
        this.dirty = true;
        if (this.failures++ === 0) {
          this.logger.error(
            `store: ${this.path}: cannot write (${err.message}); the changes are kept in memory and written when the disk takes them again`,
          );
        }
        if (retrying) this.retries++;
        for (const w of carried) w.reject(err);
        this.scheduleRetry();
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      if (this.queued.length) this.next();
    });
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry) return;
    const ms = RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)]!;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.next(true);
    }, ms);
    this.retry.unref?.();
  }
}
