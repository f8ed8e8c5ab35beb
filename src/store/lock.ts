/**
 * One bot process per data folder: lowdb files have one writer each. A lock file holds the owner's
 * pid; a lock left by a process that is gone (killed) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder's lock; throws when another live process holds it. Returns the release. */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) rmSync(path);
        } catch {
          /* gone already */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new Error(`store: ${dir}: cannot write the data folder (${(err as Error).message})`);
      const owner = Number(readFileSync(path, 'utf8'));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new Error(`store: ${dir} is in use by another bot process (pid ${owner}); one process per DATA_DIR`);
      }
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  throw new Error(`store: ${dir}: could not take the lock ${path}`);
}
