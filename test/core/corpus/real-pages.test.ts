import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePage } from '../../../src/core/corpus/parse-page.js';
import { FIXTURES } from '../../helpers.js';

/** What a careful reader sees in each page of test/fixtures/real-pages (written with the pages). */
interface Expected {
  shape: number[];
  articles: Array<{
    headline: string;
    byline_reporters: string[];
    correspondents: string[];
    outlets: string[];
    date: string | null;
    captions: string[];
    lists: Array<{ intro: string; items: string[] }>;
  }>;
}

const DIR = join(FIXTURES, 'real-pages');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;
const plain = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

describe('parsePage on pages as other outlets print them', () => {
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const want = expected[file]!;
    describe(`${file} (shapes ${want.shape.join(', ')})`, () => {
      const page = parsePage(file, readFileSync(join(DIR, file), 'utf8'), 2000);

      it(`finds its ${want.articles.length} article(s) and their headlines`, () => {
        expect(page.articles.map((a) => a.headline)).to.deep.equal(want.articles.map((a) => a.headline));
      });

      want.articles.forEach((w, i) => {
        it(`reads "${w.headline.slice(0, 16)}…": byline, date, captions, lists`, () => {
          const a = page.articles[i]!;
          expect(a.byline?.reporters ?? [], 'reporters').to.deep.equal(w.byline_reporters);
          expect(a.byline?.correspondents ?? [], 'correspondents').to.deep.equal(w.correspondents);
          expect(a.byline?.outlets ?? [], 'outlets').to.include.members(w.outlets);
          expect(a.date ?? null, 'date').to.equal(w.date);
          expect(a.captions.map(plain), 'captions').to.deep.equal(w.captions.map(plain));
          const lists = a.paragraphs.filter((p) => p.list).map((p) => p.list!);
          expect(
            lists.map((l) => l.items.map(plain)),
            'list items',
          ).to.deep.equal(w.lists.map((l) => l.items.map(plain)));
          lists.forEach((l, k) => {
            expect(plain(w.lists[k]!.intro), 'list intro').to.include(plain(l.intro).slice(-8));
          });
        });
      });

      it('never takes a caption for a headline, nor leaves an article without one', () => {
        for (const a of page.articles) {
          expect(a.headline, a.id).not.to.equal('');
          expect(a.captions, a.id).not.to.include(a.headline);
        }
      });
    });
  }
});

describe('parsePage on pages copied with their clutter and on briefs and notices', () => {
  for (const folder of ['fresh-pages', 'copied-pages', 'copied-pages-more']) {
    const dir = join(FIXTURES, folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
      it(`${folder}/${file}: every article has a headline that is no caption, and no warning`, () => {
        const page = parsePage(file, readFileSync(join(dir, file), 'utf8'), 2000);
        expect(page.articles.length).to.be.greaterThan(0);
        for (const a of page.articles) {
          expect(a.headline, a.id).not.to.equal('');
          expect(a.captions, a.id).not.to.include(a.headline);
        }
        expect(page.warnings).to.deep.equal([]);
      });
    }
  }
});
