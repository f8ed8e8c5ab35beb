/**
 * The product table: every deposit rate the pages print, read from their sentences as plain data
 * the engine can query (which bank, which product, which term, what rate, from how much, on what
 * conditions), each with the sentence, article and date it comes from. Built with the index, so a
 * reload refreshes it.
 *
 * A bank's rates come from its articles (the 民生在线 session of a bank's official): the bank is the
 * article's bank, the product the one its sentences last named ("个人养老金储蓄设有1年期、3年期和
 * 5年期……其中,3年期利率2.35%。"), and a rate is a term with a percentage after it, alone ("5年期
 * 3.05%", "五年期年利率为2.5%", "三年期的利率是百分之二点八") or in a row ("1年期、2年期、3年期年
 * 利率分别为1.45%、1.65%、1.95%"). Loan rates are not deposit rates and are left out.
 */
import type { Fact, Knowledge } from './knowledge.js';

export interface Rate {
  /** the bank's full name, as the lexicon's synonyms make it ("工商银行") */
  bank: string;
  product: string;
  /** "5年期" */
  term: string;
  years: number;
  /** the annual rate in percent (3.05 for 3.05%) */
  rate: number;
  /** the least that can be deposited, as printed ("1万元"), and in yuan */
  minAmount?: string;
  minYuan?: number;
  /** what the page says of taking it out early, paying interest, transfer … */
  conditions: string[];
  /** the sentence it is printed in */
  fact: Fact;
}

/** Deposit products, by the words the pages and residents call them. */
export const PRODUCTS: Array<[product: string, words: RegExp]> = [
  ['个人养老金储蓄', /养老金储蓄|养老储蓄|养老金(?!账户|业务|融|产品|投资|理财)/],
  ['大额存单', /大额存单|存单/],
  ['定期存款', /定期|整存整取|定存/],
];

/** What a page may say of a deposit's terms of use, and how the table names it. */
const CONDITIONS: Array<[RegExp, string]> = [
  [/可(?:以)?提前支取/, '可提前支取'],
  [/按季付息/, '按季付息'],
  [/按月付息/, '按月付息'],
  [/到期(?:一次)?还本付息/, '到期还本付息'],
  [/可(?:以)?转让/, '可转让'],
  [/达到领取条件后方?可支取/, '达到领取条件后方可支取'],
];

const TERM_RATE = /(\d+)年期(?:的)?(?:年?利率)?(?:是|为|:)?\s*(\d+(?:\.\d+)?)%/g;
const TERMS_THEN_RATES = /((?:\d+年期[、和及,]?\s*)+)[^%。]{0,10}?分别(?:为|是)\s*((?:\d+(?:\.\d+)?%[、和及,]?\s*)+)/g;
const MIN_AMOUNT = /(\d+(?:\.\d+)?(?:万|千)?元)起存/;

/** Yuan in an amount as printed: "1万元" → 10000, "50元" → 50. */
export function yuanOf(amount: string): number {
  const m = /(\d+(?:\.\d+)?)\s*(万|千)?/.exec(amount.normalize('NFKC'));
  if (!m) return NaN;
  return Math.round(Number(m[1]) * (m[2] === '万' ? 10_000 : m[2] === '千' ? 1_000 : 1));
}

/** The product a text names, if any. */
export function productIn(norm: string): string | undefined {
  return PRODUCTS.find(([, words]) => words.test(norm))?.[0];
}

/** Every product a text names, in the order it names them. */
export function productsIn(norm: string): string[] {
  return PRODUCTS.map(([product, words]) => ({ product, at: norm.search(words) }))
    .filter((p) => p.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((p) => p.product);
}

/** Reads the product table from the knowledge base. */
export function readRates(knowledge: Knowledge): Rate[] {
  const { lexicon } = knowledge;
  const out: Rate[] = [];
  for (const entry of knowledge.entries) {
    const bank = entry.entities.org.map((o) => lexicon.synonyms.get(o) ?? o).find((o) => /银行$/.test(o) && !/^(商业|各)/.test(o));
    if (!bank) continue;
    /** per product: its least amount and conditions, from wherever the article says them */
    const terms = new Map<string, { minAmount?: string; conditions: Set<string> }>();
    const of = (product: string) => {
      let t = terms.get(product);
      if (!t) terms.set(product, (t = { conditions: new Set() }));
      return t;
    };
    const found: Rate[] = [];
    let product: string | undefined;
    for (const fact of entry.facts) {
      if (fact.kind !== 'body' && fact.kind !== 'list') continue;
      const norm = fact.norm;
      product = productIn(norm) ?? product;
      if (!product || /贷/.test(norm)) continue; // a loan's rate is no deposit rate
      const amount = MIN_AMOUNT.exec(norm);
      if (amount && (productIn(norm) ?? product) === product) of(product).minAmount ??= amount[1];
      for (const [pattern, condition] of CONDITIONS) if (pattern.test(norm)) of(product).conditions.add(condition);
      const pairs: Array<[years: number, rate: number]> = [];
      for (const m of norm.matchAll(TERMS_THEN_RATES)) {
        const ys = [...m[1]!.matchAll(/(\d+)年期/g)].map((x) => Number(x[1]));
        const rs = [...m[2]!.matchAll(/(\d+(?:\.\d+)?)%/g)].map((x) => Number(x[1]));
        if (ys.length === rs.length)
          ys.forEach((y, i) => {
            pairs.push([y, rs[i]!]);
          });
      }
      const listed = new Set(pairs.map(([y]) => y));
      for (const m of norm.matchAll(TERM_RATE)) if (!listed.has(Number(m[1]))) pairs.push([Number(m[1]), Number(m[2])]);
      for (const [years, rate] of pairs) {
        if (rate <= 0 || rate >= 20) continue;
        found.push({ bank, product, term: `${years}年期`, years, rate, conditions: [], fact });
      }
    }
    for (const r of found) {
      const t = terms.get(r.product);
      if (t?.minAmount) {
        r.minAmount = t.minAmount;
        r.minYuan = yuanOf(t.minAmount);
      }
      r.conditions = [...(t?.conditions ?? [])];
    }
    // a rate printed twice in one article (a headline and its sentence) is one row
    for (const r of found)
      if (!out.some((o) => o.bank === r.bank && o.product === r.product && o.years === r.years && o.fact.article === r.fact.article))
        out.push(r);
  }
  return out;
}
