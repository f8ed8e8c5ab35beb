/**
 * The engine in service, and its replacement when the newsroom changes the corpus: a new engine is
 * built off to the side and swapped in only when the build succeeded. A page that is new or changed
 * and could not be read fails the build, so the old engine keeps serving and the reason is reported.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPage, type RawPage } from '../core/corpus/read-pages.js';
import { createEngine, Engine, lexiconDirFor } from '../core/engine.js';
import { extendKnowledge } from '../core/knowledge.js';

export interface ReloadResult {
  ok: boolean;
  /** what to tell the newsroom */
  message: string;
  warnings: string[];
  engine: Engine;
}

type Snapshot = Map<string, string>;

function snapshot(dir: string, suffix = '.txt'): Snapshot {
  const out: Snapshot = new Map();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.toLowerCase().endsWith(suffix)) continue;
    try {
      const s = statSync(join(dir, name));
      if (s.isFile()) out.set(name, `${s.size}:${s.mtimeMs}`);
    } catch {
      /* vanished meanwhile */
    }
  }
  return out;
}

/** The lexicon's files, as a text that changes when one of them does. */
function lexiconState(corpusDir: string): string {
  const dir = lexiconDirFor(corpusDir);
  return `${dir}|${[...snapshot(dir, '').entries()].join(';')}`;
}

export class EngineHolder {
  private files: Snapshot;
  private lexicon: string;

  constructor(
    private engine: Engine,
    readonly corpusDir: string,
    private readonly now?: () => Date,
  ) {
    this.files = snapshot(corpusDir);
    this.lexicon = lexiconState(corpusDir);
  }

  get current(): Engine {
    return this.engine;
  }

  /** Whether the corpus folder (its pages or the lexicon) differs from what the engine in service was built from. */
  changed(): boolean {
    const now = snapshot(this.corpusDir);
    if (now.size !== this.files.size || lexiconState(this.corpusDir) !== this.lexicon) return true;
    for (const [name, state] of now) if (this.files.get(name) !== state) return true;
    return false;
  }

  /**
   * Reads the corpus folder again; swaps the new engine in only when the build succeeded. Pages that
   * are only new are added to the index in service (a new page costs the time of that page); a page
   * changed or removed, or a changed lexicon, rebuilds the whole index off to the side.
   */
  reload(): ReloadResult {
    const before = snapshot(this.corpusDir);
    const lexicon = lexiconState(this.corpusDir);
    const changed = [...before.keys()].filter((name) => this.files.get(name) !== before.get(name));
    const removed = [...this.files.keys()].filter((name) => !before.has(name));
    const onlyAdded = removed.length === 0 && lexicon === this.lexicon && changed.every((name) => !this.files.has(name));
    let next: Engine;
    try {
      next = onlyAdded && changed.length > 0 ? this.extended(changed) : createEngine({ corpusDir: this.corpusDir, now: this.now });
    } catch (err) {
      return { ok: false, message: `没有更新:${(err as Error).message}`, warnings: [], engine: this.engine };
    }
    // a new or changed page that did not make it into the index is a broken page
    const loaded = new Set(next.knowledge.pages.map((p) => p.name));
    const skipped = changed.filter((name) => !loaded.has(name));
    if (skipped.length) {
      next.close();
      const why = next.warnings.filter((w) => skipped.some((name) => w.includes(join(this.corpusDir, name)) || w.includes(`: ${name}:`)));
      return {
        ok: false,
        message: `没有更新,仍用原来的索引。新放入或改动的版面有问题:\n${why.join('\n')}`,
        warnings: why,
        engine: this.engine,
      };
    }
    if (next.knowledge.articles.length === 0 && this.engine.knowledge.articles.length > 0) {
      next.close();
      return { ok: false, message: '没有更新:新的语料里一篇报道也读不出来,仍用原来的索引。', warnings: next.warnings, engine: this.engine };
    }
    this.engine.close();
    this.engine = next;
    this.files = before;
    this.lexicon = lexicon;
    const what =
      [changed.length ? `新放入或改动 ${changed.length} 个版面` : '', removed.length ? `移除 ${removed.length} 个版面` : '']
        .filter(Boolean)
        .join(',') || '版面没有变化';
    // what the reader noticed in the new or changed pages, each naming its file and line
    const noticed = next.warnings.filter((w) => changed.some((name) => w.includes(`: ${name}:`) || w.includes(join(this.corpusDir, name))));
    const notes = noticed.length
      ? `\n读版提示 ${noticed.length} 条:\n${noticed
          .slice(0, 3)
          .map((w) => `· ${w.replace(/^corpus: /, '')}`)
          .join('\n')}${noticed.length > 3 ? '\n……' : ''}`
      : '';
    return {
      ok: true,
      message: `已更新:${what},共 ${next.knowledge.articles.length} 篇报道。${notes}`,
      warnings: next.warnings,
      engine: next,
    };
  }

  /** The engine in service with the new pages added, or a whole new build when one of them cannot be read. */
  private extended(names: string[]): Engine {
    const raw: RawPage[] = [];
    for (const name of names.sort()) {
      const page = readPage(join(this.corpusDir, name), name);
      if (typeof page === 'string') return createEngine({ corpusDir: this.corpusDir, now: this.now });
      raw.push(page);
    }
    const year = (this.now?.() ?? new Date()).getFullYear();
    const knowledge = extendKnowledge(this.engine.knowledge, raw, { fallbackYear: year });
    for (const page of raw)
      if (page.encoding !== 'utf-8')
        knowledge?.warnings.push(`corpus: ${page.path}: decoded as GBK (GB18030); consider saving it as UTF-8`);
    return knowledge ? new Engine(knowledge, { now: this.now }) : createEngine({ corpusDir: this.corpusDir, now: this.now });
  }
}
