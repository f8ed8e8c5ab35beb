import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, SECOND_PAGE_CORPUS } from '../helpers.js';

const ASK = join(ROOT, 'build/src/cli/ask.js');
const run = (args: string[], input = '') =>
  spawnSync(process.execPath, [ASK, ...args], { input, encoding: 'utf8', cwd: ROOT, timeout: 60_000 });

describe('npm run ask', () => {
  describe('JSON-lines mode', () => {
    const lines = [
      JSON.stringify({ chat: 'c1', text: '工商银行个人养老金储蓄三年期的利率是多少' }),
      JSON.stringify({ chat: 'c1', text: '5年期的呢?' }),
      '下期民生在线什么时候',
      '{not json',
      '',
      JSON.stringify({ chat: 'c2', text: '北京明天天气如何' }),
      JSON.stringify({ chat: 'c3' }),
    ];
    const result = run(['--json', '--now', '2023-03-29T12:00:00+08:00'], `${lines.join('\n')}\n`);
    const outs = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

    it('exits 0 and writes one object per input line, in order', () => {
      expect(result.status, result.stderr).to.equal(0);
      expect(outs).to.have.length(lines.length);
      expect(outs[0].text).to.equal('工商银行个人养老金储蓄三年期的利率是多少');
    });

    it('answers with the contract fields', () => {
      expect(outs[0]).to.include({ chat: 'c1', answered: true, intent: 'rates' });
      expect(outs[0].reply).to.include('3.0%');
      expect(outs[0].score).to.be.a('number');
      expect(outs[0].sources[0]).to.have.keys('article', 'title');
    });

    it('keeps a conversation per chat', () => expect(outs[1].reply).to.include('3.05%'));
    it('answers plain-text lines', () => expect(outs[2]).to.include({ intent: 'schedule', answered: true }));

    it('marks bad lines with an error and goes on', () => {
      expect(outs[3]).to.include({ answered: false });
      expect(outs[3].error).to.match(/invalid JSON/);
      expect(outs[4].error).to.equal('empty line');
      expect(outs[6].error).to.match(/"text"/);
    });

    it('declines out-of-scope questions', () => expect(outs[5]).to.include({ chat: 'c2', answered: false }));

    it('reads another corpus with --corpus', () => {
      const r = run(['--json', '--corpus', SECOND_PAGE_CORPUS], '城阳新建改建了几所幼儿园\n');
      expect(JSON.parse(r.stdout).reply).to.include('12所');
    });
  });

  describe('human mode', () => {
    it('prints the reply text', () => {
      const r = run(['个人养老金储蓄5年期的利率多少']);
      expect(r.status).to.equal(0);
      expect(r.stdout).to.include('3.05%').and.include('——摘自');
    });
    it('explains its usage without a question', () => {
      const r = run([]);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.include('usage');
    });
  });

  it('fails with a clear message when the corpus folder cannot be read', () => {
    const r = run(['--json', '--corpus', '/nonexistent/folder'], 'x\n');
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.include('/nonexistent/folder').and.include('cannot read the corpus folder');
    expect(r.stdout).to.equal('');
  });
});
