/**
 * `npm run migrate`: applies the schema's migrations to DATABASE_URL.
 * `npm run migrate -- --from-data-dir DIR`: then copies the embedded store of DIR (a DATA_DIR) into
 * it (import.ts); safe to run again. Reads `.env` (or ENV_FILE) like `npm start`.
 */
import { resolve } from 'node:path';
import { loadEnvFile } from '../../config.js';
import { createLogger } from '../../logger.js';
import { importDataDir } from './import.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import { describeDatabase } from './store.js';

const USAGE = 'usage: npm run migrate [-- --from-data-dir DIR]   (DATABASE_URL names the database)';

async function main(argv: string[]): Promise<number> {
  let fromDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--from-data-dir' && argv[i + 1]) fromDir = resolve(argv[++i]!);
    else if (arg.startsWith('--from-data-dir=')) fromDir = resolve(arg.slice('--from-data-dir='.length));
    else {
      process.stderr.write(`${arg === '--help' || arg === '-h' ? '' : `migrate: unknown argument ${arg}\n`}${USAGE}\n`);
      return arg === '--help' || arg === '-h' ? 0 : 2;
    }
  }
  const envFile = process.env.ENV_FILE ?? '.env';
  loadEnvFile(envFile);
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    process.stderr.write(`migrate: DATABASE_URL is not set\n${USAGE}\n`);
    return 2;
  }
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password) || undefined;
    } catch {
      return undefined;
    }
  })();
  const logger = createLogger([password]);
  const where = describeDatabase(url);
  const pool = createPool(url, { logger, max: 2, applicationName: 'qingdao-news-bot migrate' });
  try {
    const applied = await migrate(pool, logger);
    process.stdout.write(`${where}: ${applied.length ? `applied migration(s) ${applied.join(', ')}` : 'schema up to date'}\n`);
    if (fromDir) {
      const r = await importDataDir(fromDir, pool, logger);
      process.stdout.write(
        `${where}: copied ${fromDir}: ${r.subscribers} subscriber(s), ${r.events} announcement record(s), ` +
          `${r.unansweredQuestions} declined question(s), ${r.broadcasts} broadcast(s)` +
          (r.broadcastsKept ? ` (${r.broadcastsKept} already there, left as they are)` : '') +
          '\n',
      );
    }
    return 0;
  } catch (err) {
    process.stderr.write(`migrate: ${where}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
