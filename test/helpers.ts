/** Shared test helpers: engines over the project's corpus and the fixtures, built once. */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shanghaiParts, WEEKDAY_NAMES } from '../src/core/corpus/shanghai-time.js';
import { createEngine, type Engine } from '../src/core/engine.js';

/** The repository root (tests run from build/test/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SEED_CORPUS = join(ROOT, 'corpus');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const SECOND_PAGE_CORPUS = join(FIXTURES, 'second-page');
export const BANK_PAGES = join(FIXTURES, 'bank-pages');

/** A corpus folder holding the pages of some folders (copied into a new temporary folder). */
export function corpusOf(...folders: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
  for (const folder of folders) {
    for (const f of readdirSync(folder).filter((n) => n.endsWith('.txt'))) copyFileSync(join(folder, f), join(dir, basename(f)));
  }
  return dir;
}

const engines = new Map<string, Engine>();

/** An engine over a corpus folder with a fixed clock, cached per folder and clock. */
export function engineFor(corpusDir: string, now = '2023-03-29T20:00:00+08:00'): Engine {
  const key = `${corpusDir}@${now}`;
  let engine = engines.get(key);
  if (!engine) {
    const at = new Date(now);
    engine = createEngine({ corpusDir, now: () => at });
    engines.set(key, engine);
  }
  return engine;
}

/** Text compared the way the evaluation set compares it: NFKC, no white space. */
export function plain(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** The second page with its dates moved so that its 民生在线 preview is three days from now, still ahead. */
export function pageWithUpcomingSession(): string {
  const start = shanghaiParts(new Date(Date.now() + 3 * 86_400_000));
  const text = readFileSync(join(SECOND_PAGE_CORPUS, readdirSync(SECOND_PAGE_CORPUS)[0]!), 'utf8');
  return text
    .replace(/2024年/g, `${start.year}年`)
    .replace(/本报12月30日讯/, `本报${start.month}月${start.day}日讯`)
    .replace(/网谈时间:.*/, `网谈时间:${start.month}月${start.day}日(${WEEKDAY_NAMES[start.weekday]})下午2:30—4:00`);
}
