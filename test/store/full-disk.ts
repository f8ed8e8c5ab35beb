/**
 * A data folder whose writes fail as on a full disk, for root too (where a read-only chmod stops
 * nothing): the files the store writes are symbolic links to /dev/full, where every write fails
 * with ENOSPC. The store's JSON files are written through a temporary file beside them (lowdb's
 * writer, steno: `.<name>.tmp`) that is renamed over them; the broadcast progress is appended to
 * its own file. No hook in the bot: the failures are the kernel's.
 */
import { existsSync, lstatSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const STORE_FILES = ['subscribers.json', 'events.json', 'stats.json', 'broadcasts.json'];

/** The paths whose writes are made to fail: each JSON file's temporary file, and the progress file. */
function targets(dir: string, progress: boolean): string[] {
  return [...STORE_FILES.map((f) => join(dir, `.${f}.tmp`)), ...(progress ? [join(dir, 'broadcasts.progress.jsonl')] : [])];
}

/**
 * Makes every write of the store in `dir` fail with ENOSPC; returns what frees the disk again.
 * The progress file is read at start-up (and /dev/full reads forever), so it is made to fail only
 * once the store is open (`progress`).
 */
export function fillDisk(dir: string, { progress = true } = {}): () => void {
  const paths = targets(dir, progress);
  for (const p of paths) {
    rmSync(p, { force: true });
    symlinkSync('/dev/full', p);
  }
  return () => {
    for (const p of paths) if (existsSync(p) || isLink(p)) rmSync(p, { force: true });
  };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
