/**
 * A throwaway PostgreSQL 15 server for the tests: `initdb` into a temporary folder, listening on
 * 127.0.0.1 on a free port (no unix socket), trust authentication, fsync off. One server per mocha
 * run, started by the first test that asks for it and stopped when the run ends (a root `after`
 * hook, and a synchronous stop at process exit should the hook not run). Each `createDatabase()` is
 * a fresh, empty database, so that tests do not see each other's rows.
 *
 * PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` system user
 * (`runuser -u postgres --`), which owns the data folder. When the server binaries are missing the
 * tests that need them are skipped, saying why; with REQUIRE_POSTGRES=1 (CI) that is a failure.
 *
 * Binaries: PG_BINDIR, else `pg_config --bindir`, else /usr/lib/postgresql/15/bin (or another version there).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** the server's maintenance database (`postgres`) */
  url: string;
  /** creates an empty database and returns its URL */
  createDatabase(): Promise<string>;
  /** stops the server and removes its folder */
  stop(): Promise<void>;
}

const DEFAULT_BINDIR = '/usr/lib/postgresql/15/bin';

/** The folder holding initdb, pg_ctl and postgres, or undefined with the reason. */
export function postgresBinDir(): { dir?: string; reason?: string } {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config on the PATH
  }
  candidates.push(DEFAULT_BINDIR);
  try {
    // Debian's layout, newest version first
    const versions = readdirSync('/usr/lib/postgresql').sort((x, y) => Number(y) - Number(x));
    candidates.push(...versions.map((v) => join('/usr/lib/postgresql', v, 'bin')));
  } catch {
    // no such folder
  }
  for (const dir of candidates) {
    if (['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)))) return { dir };
  }
  return {
    reason: `PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in ${[...new Set(candidates)].join(', ')}; install Debian's postgresql package or set PG_BINDIR`,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Running {
  root: string;
  data: string;
  bin: string;
  asPostgres: boolean;
  stopped: boolean;
}

/** Runs a server binary, as the postgres user when this process is root. */
function run(r: Pick<Running, 'bin' | 'asPostgres'>, tool: string, args: string[]): void {
  const file = join(r.bin, tool);
  const [cmd, argv] = r.asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const out = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (out.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} failed (${out.error?.message ?? `exit ${out.status}`}): ${out.stderr || out.stdout}`);
  }
}

function stopSync(r: Running): void {
  if (r.stopped) return;
  r.stopped = true;
  try {
    run(r, 'pg_ctl', ['stop', '-D', r.data, '-m', 'immediate', '-w', '-t', '20']);
  } catch {
    // already gone
  }
  rmSync(r.root, { recursive: true, force: true });
}

async function start(): Promise<TestPostgres> {
  const { dir: bin, reason } = postgresBinDir();
  if (!bin) throw new Error(reason);
  const asPostgres = process.getuid?.() === 0;
  let root = mkdtempSync(join(tmpdir(), 'qdnews-pg-'));
  chmodSync(root, 0o755); // the postgres user must reach the data folder inside
  if (asPostgres && spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', root]).status !== 0) {
    // TMPDIR inside a folder closed to other users (e.g. under /root): /tmp instead
    rmSync(root, { recursive: true, force: true });
    root = mkdtempSync('/tmp/qdnews-pg-');
    chmodSync(root, 0o755);
  }
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(data, uid, gid);
  }
  const r: Running = { root, data, bin, asPostgres, stopped: false };
  process.once('exit', () => stopSync(r));
  try {
    run(r, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        "-c listen_addresses='127.0.0.1'",
        "-c unix_socket_directories=''",
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        run(r, 'pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(data, 'server.log'), '-o', options]);
        break;
      } catch (err) {
        if (attempt >= 2) throw err; // the port taken meanwhile: another one
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let databases = 0;
    return {
      url,
      async createDatabase() {
        const name = `test_${process.pid}_${++databases}`;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        stopSync(r);
      },
    };
  } catch (err) {
    stopSync(r);
    throw err;
  }
}

let server: Promise<TestPostgres> | undefined;

/** The run's server, started on first use. Rejects when it cannot start (see `postgresOrSkip`). */
export function testPostgres(): Promise<TestPostgres> {
  server ??= start();
  return server;
}

let warned = false;

/**
 * For a `before` hook: the run's server, or the suite skipped (with one line saying why) when the
 * server binaries are missing. REQUIRE_POSTGRES=1 makes their absence a failure instead.
 */
export async function postgresOrSkip(ctx: Mocha.Context): Promise<TestPostgres> {
  const { reason } = postgresBinDir();
  if (reason) {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(reason);
    if (!warned) console.warn(`    (skipped: ${reason})`);
    warned = true;
    ctx.skip();
  }
  return testPostgres();
}

// One server per run: stopped once every test is done, failed or not.
if (typeof after === 'function') {
  after(async () => {
    if (!server) return;
    const s = await server.catch(() => undefined);
    await s?.stop();
  });
}
