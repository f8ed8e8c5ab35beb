/**
 * lowdb's JSONFile adapter, with writes made durable: a write resolves only once the file and its
 * directory entry are flushed to disk (fsync), so a confirmed change survives a power cut.
 * lowdb (through steno) writes a temporary file and renames it over the old one, without fsync.
 */
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JSONFile } from 'lowdb/node';

/** Opens a file or directory read-only and fsyncs it; returns its inode number. */
async function fsync(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
    return (await handle.stat()).ino;
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory, where the platform allows it (Windows refuses with EISDIR or EPERM). */
export async function fsyncDir(path: string): Promise<void> {
  try {
    await fsync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM') throw err;
  }
}

export class DurableJSONFile<T> extends JSONFile<T> {
  constructor(private readonly path: string) {
    super(path);
  }

  override async write(data: T): Promise<void> {
    await super.write(data);
    // The file now holds this data or newer. Fsync it, then the directory (which makes the rename
    // durable). Should a concurrent write rename a newer file in between, the directory may now name
    // a file not yet flushed: flush again until the name still points at the file flushed.
    for (;;) {
      const flushed = await fsync(this.path);
      await fsyncDir(dirname(this.path));
      if ((await stat(this.path)).ino === flushed) return;
    }
  }
}
