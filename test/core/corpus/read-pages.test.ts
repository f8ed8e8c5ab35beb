import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPages } from '../../../src/core/corpus/read-pages.js';
import { FIXTURES } from '../../helpers.js';

describe('readPages', () => {
  const broken = join(FIXTURES, 'broken-pages');

  it('loads the good pages of a folder with broken files', () => {
    const { pages } = readPages(broken);
    expect(pages.map((p) => p.name)).to.deep.equal(['gbk-page.txt', 'good-page.txt']);
  });

  it('decodes GBK text and says so', () => {
    const { pages, warnings } = readPages(broken);
    expect(pages.find((p) => p.name === 'gbk-page.txt')!.text).to.include('即墨交出全年“民生账单”');
    expect(warnings.some((w) => w.includes('gbk-page.txt') && w.includes('GBK'))).to.equal(true);
  });

  const skipped = [
    { file: 'empty.txt', says: 'empty' },
    { file: 'binary.txt', says: 'binary' },
  ];
  for (const { file, says } of skipped) {
    it(`skips ${file} with a warning naming it`, () => {
      const { warnings } = readPages(broken);
      expect(warnings.some((w) => w.includes(file) && w.includes(says))).to.equal(true);
    });
  }

  describe('with generated files', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'corpus-'));
      writeFileSync(join(dir, 'huge.txt'), '李沧区'.repeat(600_000)); // 5.4 MB
      writeFileSync(join(dir, 'blank.txt'), '\n\n   \n');
      writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0xff, 0xfe, 0x80]));
      writeFileSync(join(dir, 'page.txt'), '标题\n\n正文一句话。');
      writeFileSync(join(dir, 'notes.md'), 'not a page');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a 5 MB file with its size in the warning', () => {
      const { pages, warnings } = readPages(dir);
      expect(pages.map((p) => p.name)).to.deep.equal(['page.txt']);
      expect(warnings.find((w) => w.includes('huge.txt'))).to.match(/5\.\d MB is too large/);
    });

    it('skips white space only and undecodable files', () => {
      const { warnings } = readPages(dir);
      expect(warnings.some((w) => w.includes('blank.txt'))).to.equal(true);
      expect(warnings.some((w) => w.includes('latin1.txt') && w.includes('not UTF-8 or GBK'))).to.equal(true);
    });
  });

  describe('with control characters', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'corpus-'));
      writeFileSync(join(dir, 'controls.txt'), '\x01\x02\x03\x04 李沧区 '.repeat(200)); // valid UTF-8, but a third control characters
      writeFileSync(join(dir, 'stray.txt'), '标题\n\n正文\x1b一句话。\f\n'); // one stray escape, and a form feed
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('skips UTF-8 that is mostly control characters as binary and keeps a page with a stray one', () => {
      const { pages, warnings } = readPages(dir);
      expect(pages.map((p) => p.name)).to.deep.equal(['stray.txt']);
      expect(pages[0]!.text).to.include('正文\x1b一句话');
      expect(warnings.some((w) => w.includes('controls.txt') && w.includes('binary'))).to.equal(true);
    });
  });

  describe('with links and folders', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'corpus-'));
      writeFileSync(join(dir, 'a-page.txt'), '标题\n\n正文一句话。');
      symlinkSync(join(dir, 'a-page.txt'), join(dir, 'b-linked.txt'));
      symlinkSync(join(dir, 'gone.txt'), join(dir, 'c-broken.txt'));
      mkdirSync(join(dir, 'd-folder.txt'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads a linked page, names a broken link, and passes over a folder', () => {
      const { pages, warnings } = readPages(dir);
      expect(pages.map((p) => p.name)).to.deep.equal(['a-page.txt', 'b-linked.txt']);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.include('c-broken.txt').and.include('cannot be read');
    });
  });

  it('throws a message naming a folder that cannot be read', () => {
    expect(() => readPages('/nonexistent/corpus')).to.throw(/corpus: \/nonexistent\/corpus: cannot read the corpus folder \(ENOENT\)/);
  });

  it('reads a UTF-8 page as its text, byte order mark taken off', () => {
    const page = readPages(join(FIXTURES, 'broken-pages')).pages.find((p) => p.name === 'good-page.txt')!;
    expect(page.text).to.equal(readFileSync(page.path, 'utf8').replace(/^\ufeff/, ''));
  });
});
