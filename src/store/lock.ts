/**
 * One bot process per data folder: lowdb files have one writer each. The lock is proper-lockfile's:
 * a folder `bot.lock` made atomically (mkdir) whose time the holder refreshes every few seconds. The
 * library removes it when the process exits in any way it can see (a normal end, process.exit, an
 * uncaught error, a signal); a lock left by a process killed outright goes stale after STALE_MS and
 * is taken over. No process id is read, so a killed process that lingers (a zombie) holds nothing.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Logger } from '../logger.js';

/** A lock not refreshed for this long belongs to a process that is gone. */
export const STALE_MS = 10_000;
/** How long a starting process waits for the folder before it gives up. */
export const WAIT_MS = 30_000;

const LOCK_NAME = 'bot.lock';

/** Releases a lock this process holds; safe to call more than once. */
export type Release = () => void;

/** Locks this process holds, by folder: a later lockDataDir of the same folder is handed the same lock. */
const held = new Map<string, Release>();

function options(dir: string, onCompromised: (err: Error) => void) {
  return { lockfilePath: join(dir, LOCK_NAME), stale: STALE_MS, realpath: false, onCompromised };
}

/** What went wrong, as a line that names the folder (`code` ELOCKED: another process holds it). */
function describe(dir: string, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ELOCKED') {
    return Object.assign(new Error(`store: ${dir} is in use by another bot process; one process per DATA_DIR`), { code: 'ELOCKED' });
  }
  return new Error(`store: ${dir}: cannot lock the data folder (${err.message})`);
}

const warnCompromised = (dir: string) => (err: Error) =>
  process.stderr.write(`store: ${dir}: the data folder's lock was lost (${err.message}); another process may write to it\n`);

/**
 * Takes the data folder's lock now, or throws when another live process holds it. When this process
 * holds it already (taken by acquireDataDirLock), returns that lock's release.
 */
export function lockDataDir(dir: string, onCompromised?: (err: Error) => void): Release {
  const path = resolve(dir);
  const own = held.get(path);
  if (own) return own;
  let unlock: () => void;
  try {
    mkdirSync(path, { recursive: true });
    unlock = lockfile.lockSync(path, options(path, onCompromised ?? warnCompromised(path)));
  } catch (err) {
    throw describe(path, err as NodeJS.ErrnoException);
  }
  const release = () => {
    if (held.get(path) !== release) return;
    held.delete(path);
    try {
      unlock();
    } catch {
      /* taken away (compromised), nothing left to remove */
    }
  };
  held.set(path, release);
  return release;
}

/**
 * Takes the data folder's lock, waiting up to `waitMs` (with one line logged) while another process
 * holds it: a process stopping, or one killed whose lock has not gone stale yet.
 */
export async function acquireDataDirLock(
  dir: string,
  { logger, waitMs = WAIT_MS, onCompromised }: { logger: Logger; waitMs?: number; onCompromised?: (err: Error) => void },
): Promise<Release> {
  const path = resolve(dir);
  const deadline = Date.now() + waitMs;
  let logged = false;
  for (;;) {
    try {
      const release = lockDataDir(path, onCompromised);
      if (logged) logger.info(`store: ${path}: the data folder is ours now`);
      return release;
    } catch (err) {
      const locked = (err as NodeJS.ErrnoException).code === 'ELOCKED';
      if (!locked || Date.now() >= deadline) {
        throw locked ? new Error(`${(err as Error).message} (waited ${Math.round(waitMs / 1000)} s)`) : err;
      }
      if (!logged) {
        logger.warn(`store: ${path} is locked by another bot process; waiting up to ${Math.round(waitMs / 1000)} s for it`);
        logged = true;
      }
      await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
    }
  }
}
