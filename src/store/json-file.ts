/**
 * One lowdb JSON file with a schema version. Each change resolves once it is flushed to disk
 * (DurableJSONFile). A file that is empty, not valid JSON or not store data is moved aside (never
 * overwritten) with a clear message, and the last good copy (`<file>.bak`, refreshed at every open)
 * is restored when there is one.
 */
import { copyFileSync, existsSync, renameSync, statSync } from 'node:fs';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Logger } from '../logger.js';
import { DurableJSONFile } from './durable-json-file.js';

export interface Versioned {
  schemaVersion: number;
}

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

export class JsonStoreFile<T extends Versioned> {
  private constructor(
    private readonly db: Low<T>,
    readonly path: string,
  ) {}

  /** Opens (or creates) a store file. Throws only for a file it must not touch (newer schema, unreadable). */
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

    await db.write();
    copyFileSync(path, backup); // the last copy known to be good
    return new JsonStoreFile<T>(db, path);
  }

  get data(): T {
    return this.db.data;
  }

  /**
   * Applies a mutation and resolves with its result once the data is on disk. The mutation runs at
   * once, within this call (lowdb's update), so what a caller checked just before still holds; lowdb's
   * writer always writes the latest data, so concurrent updates are all kept.
   */
  async update<R>(mutate: (data: T) => R): Promise<R> {
    let result!: R;
    await this.db.update((data) => {
      result = mutate(data);
    });
    return result;
  }

  /** Writes the data as it is now (after changes made in place, e.g. a batch of counters). */
  write(): Promise<void> {
    return this.db.write();
  }
}
