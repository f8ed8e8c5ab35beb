/**
 * One lowdb JSON file with a schema version: mutations serialised, each resolved only once it is
 * on disk. A file that is empty or not valid JSON is moved aside (never overwritten) with a clear
 * message, and the last good copy (`<file>.bak`, refreshed at every open) is restored when there is one.
 */
import { copyFileSync, readFileSync, renameSync } from 'node:fs';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Logger } from '../logger.js';

export interface Versioned { schemaVersion: number }

export interface OpenOptions<T> {
  schemaVersion: number;
  defaults: () => T;
  /** brings data of an older schema version up to date */
  migrate?: (old: Versioned) => T;
  logger: Logger;
}

type Parsed = { ok: true; data: Versioned } | { ok: false; why: string };

function parse(path: string): Parsed | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`store: ${path}: cannot be read (${(err as Error).message})`);
  }
  if (raw.trim() === '') return { ok: false, why: 'the file is empty' };
  try {
    const data = JSON.parse(raw) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof (data as Versioned).schemaVersion !== 'number') {
      return { ok: false, why: 'it holds no store data (no schemaVersion)' };
    }
    return { ok: true, data: data as Versioned };
  } catch (err) {
    return { ok: false, why: `not valid JSON (${(err as Error).message})` };
  }
}

export class JsonStoreFile<T extends Versioned> {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: Low<T>, readonly path: string) {}

  /** Opens (or creates) a store file. Throws only for a file it must not touch (newer schema, unreadable). */
  static async open<T extends Versioned>(path: string, options: OpenOptions<T>): Promise<JsonStoreFile<T>> {
    const { logger, schemaVersion } = options;
    const backup = `${path}.bak`;
    let parsed = parse(path);
    if (parsed && !parsed.ok) {
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(path, aside);
      const fromBackup = parse(backup);
      if (fromBackup?.ok) {
        logger.error(`store: ${path}: ${parsed.why}; moved it to ${aside} and restored the last good copy from ${backup}`);
        parsed = fromBackup;
      } else {
        logger.error(`store: ${path}: ${parsed.why}; moved it to ${aside}. No good backup: starting this file empty. Restore it from ${aside} if it can be mended.`);
        parsed = undefined;
      }
    }
    let data: T;
    if (!parsed) data = options.defaults();
    else if (parsed.data.schemaVersion > schemaVersion) {
      throw new Error(`store: ${path}: schema version ${parsed.data.schemaVersion} is newer than this bot understands (${schemaVersion}); upgrade the bot`);
    } else if (parsed.data.schemaVersion < schemaVersion) {
      if (!options.migrate) throw new Error(`store: ${path}: schema version ${parsed.data.schemaVersion} cannot be migrated to ${schemaVersion}`);
      data = options.migrate(parsed.data);
      logger.info(`store: ${path}: migrated from schema version ${parsed.data.schemaVersion} to ${schemaVersion}`);
    } else data = parsed.data as T;

    const file = new JsonStoreFile<T>(new Low<T>(new JSONFile<T>(path), data), path);
    await file.write();
    copyFileSync(path, backup); // the last copy known to be good
    return file;
  }

  get data(): T { return this.db.data; }

  /** Applies a mutation and resolves once it is on disk. Mutations run one at a time, in call order. */
  update<R>(mutate: (data: T) => R): Promise<R> {
    const run = this.queue.then(async () => {
      const result = mutate(this.db.data);
      await this.db.write();
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Writes the data as it is now (after changes made in place, e.g. a batch of counters). */
  write(): Promise<void> {
    return this.update(() => undefined);
  }
}
