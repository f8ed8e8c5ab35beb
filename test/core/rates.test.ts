import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yuanOf, type Rate } from '../../src/core/products.js';
import { ageNote, answerRates, rateTable, readRateQuestion } from '../../src/core/rates.js';
import { analyse } from '../../src/core/question.js';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { BANK_PAGES, corpusOf, engineFor, plain, SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

interface Expected {
  file: string;
  bank: string;
  product: string;
  term: string;
  rate: number;
  min_amount: string | null;
  conditions: string[];
  sentence: string;
}

const NOW = '2025-05-01T20:00:00+08:00';
const expected = JSON.parse(readFileSync(join(BANK_PAGES, 'expected-rates.json'), 'utf8')) as Expected[];

describe('the product table', () => {
  const engine = engineFor(corpusOf(SEED_CORPUS, SECOND_PAGE_CORPUS, BANK_PAGES), NOW);
  before(() => engine.ready());
  const rows = () => engine.rates;
  const find = (e: Expected) => rows().find((r) => r.bank === e.bank && r.product === e.product && r.term === e.term);

  it('holds every rate the pages print, and nothing else', () => {
    const key = (r: { bank: string; product: string; term: string }) => `${r.bank}/${r.product}/${r.term}`;
    expect(rows().map(key).sort()).to.deep.equal(expected.map(key).sort());
  });

  for (const e of expected) {
    it(`reads ${e.bank} ${e.product} ${e.term} from ${e.file.split('/').pop()}`, () => {
      const r = find(e);
      expect(r, 'row').to.not.equal(undefined);
      expect(r!.rate).to.equal(e.rate);
      expect(r!.minAmount ?? null).to.equal(e.min_amount);
      expect([...r!.conditions].sort()).to.deep.equal([...e.conditions].sort());
      expect(plain(r!.fact.text)).to.include(plain(e.sentence));
      expect(r!.fact.article.page).to.equal(e.file.split('/').pop());
      expect(r!.fact.article.date).to.equal(e.file.split('/').pop()!.slice(0, 10));
    });
  }

  it('leaves loan rates out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loans-'));
    writeFileSync(
      join(dir, '2025-01-10-qingdao-evening-news-loans.txt'),
      [
        '工行青岛市分行下调贷款利率',
        '',
        '本报1月10日讯 工行青岛市分行负责人介绍,该行个人养老金储蓄5年期利率2.2%。',
        '',
        '该行个人住房贷款5年期利率3.5%,小微企业贷款1年期利率3.1%。',
        '',
      ].join('\n'),
    );
    const loans = engineFor(dir, NOW);
    await loans.ready();
    expect(loans.rates.map((r) => `${r.product} ${r.term} ${r.rate}`)).to.deep.equal(['个人养老金储蓄 5年期 2.2']);
  });

  it('reads amounts in yuan', () => {
    expect(yuanOf('1万元')).to.equal(10_000);
    expect(yuanOf('20万元')).to.equal(200_000);
    expect(yuanOf('50元')).to.equal(50);
    expect(yuanOf('1.5万元')).to.equal(15_000);
  });
});

describe('questions about deposit rates', () => {
  const engine = engineFor(corpusOf(SEED_CORPUS, SECOND_PAGE_CORPUS, BANK_PAGES), NOW);
  before(() => engine.ready());
  const now = new Date(NOW);
  const read = (q: string) => readRateQuestion(analyse(q, engine.knowledge, DEFAULT_OPTIONS), engine.rates);
  const answer = (q: string) => {
    const query = read(q);
    expect(query, `${q} is a question about rates`).to.not.equal(undefined);
    return answerRates(query!, engine.rates, now);
  };

  it('reads rates and terms however they are written', () => {
    for (const q of ['3%的是哪家银行', '3.0%的是哪家银行', '百分之三的是哪家银行', '三个点的是几年期'])
      expect(read(q)?.rate, q).to.equal(3);
    for (const q of ['工行5年期养老金利率', '工行五年的养老金利率', '工行养老金5年的利率多少'])
      expect(read(q)?.years, q).to.deep.equal([5]);
  });

  it('leaves questions about other things to the pages', () => {
    for (const q of ['李沧家庭医生签了多少人', '下期民生在线什么时候', '普惠小微贷款利率下降了多少', '2023年存款余额多少']) {
      expect(read(q), q).to.equal(undefined);
    }
  });

  it('gives the rate of a bank, product and term, quoting its sentence and page', () => {
    const a = answer('建行养老金储蓄3年期利率多少');
    expect(a.answered).to.equal(true);
    expect(a.highlight).to.equal('2.35%');
    expect(a.reply).to.include('建设银行个人养老金储蓄3年期年利率2.35%').and.include('其中,3年期利率2.35%').and.include('2024年6月18日');
    expect(a.reply).to.include('(2024年6月的报道)');
  });

  it('gives the least amount', () => {
    const a = answer('中行大额存单多少钱起存');
    expect(a.answered).to.equal(true);
    expect(a.reply).to.include('中国银行大额存单20万元起存');
    expect(answer('中行大额存单10万能存吗').reply).to.include('100000元不够起存金额');
  });

  it('asked the most one may deposit, says the pages do not give it, not the highest rate', () => {
    const a = answer('中行大额存单最多可以存多少');
    expect(a.answered).to.equal(false);
    expect(a.reply).to.include('最多能存多少').and.include('中国银行大额存单20万元起存').and.not.include('%');
  });

  it('compares two terms in percentage points', () => {
    const a = answer('建行养老金5年期比3年期高多少');
    expect(a.highlight).to.equal('0.15个百分点');
    expect(a.reply).to.include('建设银行个人养老金储蓄5年期(2.5%)比建设银行个人养老金储蓄3年期(2.35%)高0.15个百分点');
  });

  it('compares two banks', () => {
    const a = answer('工行养老金5年期比建行高多少');
    expect(a.answered).to.equal(true);
    expect(a.reply).to.include('工商银行个人养老金储蓄5年期(3.05%)比建设银行个人养老金储蓄5年期(2.5%)高0.55个百分点');
  });

  it('names the highest and the banks it was chosen among', () => {
    const a = answer('哪家银行的养老金储蓄5年期利率最高');
    expect(a.highlight).to.equal('3.05%');
    expect(a.reply).to.include('工商银行个人养老金储蓄5年期').and.include('青岛银行').and.include('建设银行').and.include('中国银行');
    expect(answer('建行定期存款哪个期限利率最高').reply).to.include('建设银行定期存款5年期,年利率2%');
  });

  it('estimates the interest at maturity with its formula, as an estimate', () => {
    const a = answer('在建行存10万养老金5年期到期利息多少');
    expect(a.answered).to.equal(true);
    expect(a.reply).to.include('100000元 × 2.5% × 5年 = 12500元').and.include('估算');
    expect(a.highlight).to.equal('12500元');
  });

  it('says which product a rate is', () => {
    const a = answer('利率2.35%的是哪家银行');
    expect(a.reply).to.include('建设银行个人养老金储蓄3年期');
  });

  it('declines a bank, term or product the pages do not give, saying what they give', () => {
    const bank = answer('招商银行养老金利率多少');
    expect(bank.answered).to.equal(false);
    expect(bank.reply).to.include('没有招商银行').and.include('工商银行').and.include('建设银行');
    const term = answer('工行10年期养老金利率');
    expect(term.answered).to.equal(false);
    expect(term.reply).to.include('3年期、5年期');
    const product = answer('工行的大额存单利率是多少');
    expect(product.answered).to.equal(false);
    expect(product.reply).to.include('个人养老金储蓄');
    const interest = answer('工行养老金存10万10年利息多少');
    expect(interest.answered).to.equal(false);
  });

  it('keeps the bank, product and term of the question before', async () => {
    const conversation = {};
    expect((await engine.ask('建行养老金5年期利率多少', conversation)).reply).to.include('2.5%');
    const follow = await engine.ask('那3年期呢', conversation);
    expect(follow.answered).to.equal(true);
    expect(follow.reply).to.include('建设银行个人养老金储蓄3年期年利率2.35%');
    expect((await engine.ask('中行呢', conversation)).reply).to.include('中国银行个人养老金储蓄3年期年利率1.7%');
    const other = await engine.ask('比特币多少钱', conversation);
    expect(other.intent).to.not.equal('rates');
    expect(other.answered).to.equal(false);
  });
});

describe('ageNote and rateTable', () => {
  const now = new Date(NOW);
  it('marks a page half a year old or older with its month', () => {
    expect(ageNote('2023-03-29', now)).to.equal('(2023年3月的报道)');
    expect(ageNote('2025-04-15', now)).to.equal('');
    expect(ageNote(undefined, now)).to.equal('');
  });

  it('groups the rates by bank and product, with the date of each page', () => {
    const engine = engineFor(corpusOf(SEED_CORPUS, SECOND_PAGE_CORPUS, BANK_PAGES), NOW);
    const table = rateTable(engine.rates, now);
    expect(table).to.include('· 个人养老金储蓄:1年期 1.65%,3年期 2.35%,5年期 2.5%(100元起存,按季付息) — 2024年6月18日(2024年6月的报道)');
    expect(table.indexOf('建设银行')).to.be.below(table.indexOf('· 定期存款:1年期 1.45%'));
    expect(rateTable([] as Rate[], now)).to.include('还没有');
  });
});
