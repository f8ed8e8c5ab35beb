/**
 * The engine in service, and its replacement when the newsroom changes the corpus: a new engine is
 * built off to the side and swapped in only when the build succeeded. A page that is new or changed
 * and could not be read fails the build, so the old engine keeps serving and the reason is reported.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine } from '../core/engine.js';

export interface ReloadResult {
  ok: boolean;
  /** what to tell the newsroom */
  message: string;
  warnings: string[];
  engine: Engine;
}

type Snapshot = Map<string, string>;

function snapshot(dir: string): Snapshot {
  const out: Snapshot = new Map();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.toLowerCase().endsWith('.txt')) continue;
    try {
      const s = statSync(join(dir, name));
      if (s.isFile()) out.set(name, `${s.size}:${s.mtimeMs}`);
    } catch {
      /* vanished meanwhile */
    }
  }
  return out;
}

export class EngineHolder {
  private files: Snapshot;

  constructor(
    private engine: Engine,
    readonly corpusDir: string,
    private readonly now?: () => Date,
  ) {
    this.files = snapshot(corpusDir);
  }

  get current(): Engine {
    return this.engine;
  }

  /** Rebuilds from the corpus folder; swaps the new engine in only when the build succeeded. */
  reload(): ReloadResult {
    const before = snapshot(this.corpusDir);
    const changed = [...before.keys()].filter((name) => this.files.get(name) !== before.get(name));
    const removed = [...this.files.keys()].filter((name) => !before.has(name));
    let next: Engine;
    try {
      next = createEngine({ corpusDir: this.corpusDir, now: this.now });
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
}
