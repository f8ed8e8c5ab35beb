/**
 * The PostgreSQL schema, as versioned SQL files: `migrations/NNN_name.sql`, applied in the order of
 * their number, each in its own transaction and recorded in `schema_migrations` in that same
 * transaction, so a migration is applied whole or not at all. Every transaction first takes one
 * transaction-scoped advisory lock, so processes that start together apply each migration once:
 * the second waits, then finds it recorded. A file once released is never edited; a change is a
 * new file with the next number.
 *
 * The files are read from the source folder (`src/store/pg/migrations`), which the compiled module
 * finds from `build/src/store/pg/`, or from a `migrations` folder beside the module.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../logger.js';
import { inTransaction, type Pool } from './pool.js';

/** The advisory lock every migration transaction takes (an arbitrary constant of this application). */
export const MIGRATION_LOCK = 7_310_266_013;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{3,})_([A-Za-z0-9_-]+)\.sql$/;

/** The folder of migration files. */
export function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'migrations'), resolve(here, '../../../../src/store/pg/migrations')];
  const found = candidates.find((d) => existsSync(d) && readdirSync(d).some((f) => FILE.test(f)));
  if (!found) throw new Error(`store: no PostgreSQL migrations found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The migrations in a folder, by version; two files with one number are an error. */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new Error(`store: two migrations numbered ${m[1]} in ${dir}`);
    out.push({ version, name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') });
  }
  return out.sort((a, b) => a.version - b.version);
}

/** Applies the migrations not yet applied; returns the versions this call applied. */
export async function migrate(pool: Pool, logger?: Logger, migrations = loadMigrations()): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rowCount } = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (rowCount) return false;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) {
      applied.push(m.version);
      logger?.info(`store: PostgreSQL migration ${String(m.version).padStart(3, '0')}_${m.name} applied`);
    }
  }
  return applied;
}
