/**
 * Questions about deposit rates, answered from the product table (products.ts) rather than from a
 * sentence: a rate for a bank, product and term; the least amount; the terms of use; the difference
 * between two terms or two banks, in percentage points; the highest and lowest; what a deposit
 * earns at maturity (simple interest at the printed annual rate, shown with its formula); which
 * product or term a given rate is. Each answer quotes the sentence and date it comes from. What the
 * table does not hold (a bank, product or term the pages do not give) is declined, saying what
 * they do give. Follow-ups ("那3年期呢", "建行呢", "比农行高了多少") keep the question before's
 * bank, product and term.
 */
import { chineseDate, sourceLine } from './compose.js';
import { productsIn, yuanOf, type Rate } from './products.js';
import type { Question } from './question.js';

export type RateKind = 'lookup' | 'min' | 'cap' | 'conditions' | 'compare' | 'highest' | 'lowest' | 'interest' | 'reverse';

/** What a conversation remembers of its last question about rates. */
export interface RateContext {
  banks: string[];
  product?: string;
  years: number[];
  kind: RateKind;
  amount?: number;
}

export interface RateQuery extends RateContext {
  /** every product the question names (a comparison may name two) */
  products: string[];
  /** a rate the question names ("百分之三", "2.35的") */
  rate?: number;
  /** banks the question names that the table has no rate of */
  unknownBanks: string[];
}

export interface RateAnswer {
  answered: boolean;
  reply: string;
  /** the figure that answers, to be shown in bold */
  highlight?: string;
  rows: Rate[];
}

/** Words that make a question one about deposit rates. */
const ABOUT_RATES = /利率|利息|收益|起存|几个点|百分之|%|存\d|\d+(?:万|千)(?:元|块)?存|提前支取|付息/;
/** Words of a deposit: about rates only with a bank, a term or a kind of question the table answers ("存款余额" is not). */
const DEPOSITS = /存款|储蓄|存单|定期|整存整取/;
/** Products the table does not hold: their rates are not deposit rates. */
const OTHER_PRODUCTS = /理财|基金|保险|国债|贷款|房贷|车贷|消费贷|信用贷|信用卡/;
const KINDS: Array<[RateKind, RegExp]> = [
  ['interest', /利息|能拿|多拿|拿多少|收益多少|赚多少|挣多少/],
  ['min', /起存|最少存|最低存|多少钱才能存|多少钱能存|够不够|能买.*[不吗]|能存.*[不吗]|可以存.*[不吗]|够吗|起步/],
  // the most one may deposit ("每年最多能存多少钱"), not the highest rate
  ['cap', /最多(?:能|可以)?存|最高(?:能|可以)?存|存.{0,4}上限|封顶/],
  ['conditions', /提前支取|提前取|随时取|取出来|付息|转让/],
  ['compare', /差多少|相差|差几个点|哪个高|哪家高|哪个低|哪家低|高多少|低多少/],
  ['highest', /最高|最多|最划算/],
  ['lowest', /最低|最少(?!存)/],
];
const COMPARE_BY_比 = /比.{0,14}(高|低|多|少)/;
const REVERSE = /几年|哪家|哪个期限|啥产品|是啥|什么产品|那个是|的是哪/;

/** Terms of years a question names: "5年期", "五年" (read as 5年), "3年的" — not a year ("2023年") or "两年后". */
function yearsIn(norm: string): number[] {
  const out: number[] = [];
  for (const m of norm.matchAll(/(\d+|一)年(?:期)?(?![前后底内来以度级])/g)) {
    const n = m[1] === '一' ? 1 : Number(m[1]); // "一年" stays as written (一 alone is kept by normalize)
    if (n >= 1 && n <= 30 && !out.includes(n)) out.push(n);
  }
  return out;
}

/** The amount a question deposits, in yuan: "存10万" → 100000, "5万块" → 50000. */
function amountIn(norm: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*(万|千)\s*(?:元|块)?|(\d{3,})\s*(?:元|块)/.exec(norm);
  if (!m) return undefined;
  return m[3] ? Number(m[3]) : yuanOf(`${m[1]}${m[2]}`);
}

/** A rate a question names: "3%", "三个点" (read as 3%), "2.35的". */
function rateIn(norm: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)%/.exec(norm) ?? /利率\s*(\d+\.\d+)|(\d+\.\d+)的/.exec(norm);
  const v = m ? Number(m[1] ?? m[2]) : NaN;
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Reads a question as one about deposit rates, when it is one: it names a product, a rate or an
 * amount to deposit, or follows on a question about rates (and names a bank or term, or asks a
 * kind of question the table answers). Undefined for any other question.
 */
export function readRateQuestion(question: Question, table: Rate[], context?: RateContext): RateQuery | undefined {
  const norm = question.norm;
  const products = productsIn(norm);
  const product = products[0];
  const banks = question.entities.filter((e) => e.kind === 'org' && /银行$/.test(e.text)).map((e) => e.text);
  const years = yearsIn(norm);
  // "A比B高": 比 compares only as a word of its own ("比特币多少钱" compares nothing)
  const comparesBy比 = question.words.some((w) => w.word === '比') && COMPARE_BY_比.test(norm);
  const kind = KINDS.find(([, pattern]) => pattern.test(norm))?.[0] ?? (comparesBy比 ? 'compare' : undefined);
  // "3%的是哪家" / "三个点的是几年期": a rate and a question of which bank or term
  const reverse = rateIn(norm) !== undefined && REVERSE.test(norm) && /年期|几年|利率|银行|哪家/.test(norm);
  const about =
    ABOUT_RATES.test(norm) ||
    ((product !== undefined || DEPOSITS.test(norm)) && (banks.length > 0 || years.length > 0 || kind !== undefined));
  const follows = context && (question.marked || question.keys.length <= 3) && (banks.length || years.length || kind || product);
  if (!about && !follows) return undefined;
  if (!product && OTHER_PRODUCTS.test(norm)) return undefined; // a loan or a fund: a question for the pages
  if (!about && !context) return undefined;
  if (!product && !banks.length && !context && !years.length && !reverse && !/存款|储蓄|起存/.test(norm)) return undefined;

  const known = new Set(table.map((r) => r.bank));
  const rate = rateIn(norm);
  const q: RateQuery = {
    products,
    banks: banks.filter((b) => known.has(b)),
    unknownBanks: banks.filter((b) => !known.has(b)),
    product,
    years,
    rate,
    amount: amountIn(norm),
    kind: kind ?? (rate !== undefined && REVERSE.test(norm) ? 'reverse' : 'lookup'),
  };
  if (context) {
    // a follow-up keeps what it does not say anew; a comparison keeps the bank or term before too
    if (q.kind === 'compare' && q.banks.length === 1 && context.banks.length === 1 && context.banks[0] !== q.banks[0])
      q.banks = [context.banks[0]!, ...q.banks];
    else if (!q.banks.length && !q.unknownBanks.length) q.banks = context.banks;
    if (q.kind === 'compare' && q.years.length === 1 && context.years.length === 1 && context.years[0] !== q.years[0])
      q.years = [context.years[0]!, ...q.years];
    else if (!q.years.length) q.years = q.kind === 'highest' || q.kind === 'lowest' ? [] : context.years;
    q.product ??= context.product;
    if (q.kind === 'lookup' && !kind && (context.kind === 'highest' || context.kind === 'lowest') && !years.length && !banks.length)
      q.kind = context.kind;
    if (q.kind === 'interest' && q.amount === undefined) q.amount = context.amount;
  }
  return q;
}

const pct = (rate: number) => `${rate}%`;
/** A difference in percentage points, without float noise: 3.05 − 3.0 → "0.05". */
const points = (a: number, b: number) => String(Math.round(Math.abs(a - b) * 1000) / 1000);
const yuan = (n: number) => `${Math.round(n * 100) / 100}元`;
const nameOf = (r: Rate) => `${r.bank}${r.product}${r.term}`;

/** A page older than this at the time of asking is marked as such. */
const OLD_MS = 183 * 86_400_000;

/** "(2023年3月的报道)" for a page half a year old or older; '' for a recent one. */
export function ageNote(date: string | undefined, now: Date): string {
  if (!date || now.getTime() - new Date(`${date}T00:00:00+08:00`).getTime() < OLD_MS) return '';
  const [y, m] = date.split('-').map(Number);
  return `(${y}年${m}月的报道)`;
}

/** The quoted sentences and the source lines of some rows, each once. */
function citations(rows: Rate[]): string[] {
  const facts = [...new Set(rows.map((r) => r.fact))];
  return [
    // a sentence that quotes someone is cited as printed, with its own quotation marks
    ...facts.map((f) => (/[“”]/.test(f.text) ? `原文:${f.text}` : `原文:“${f.text}”`)),
    ...[...new Set(facts.map((f) => f.article))].map(sourceLine),
  ];
}

/** The least amount a product takes, as the page prints it: "中国银行大额存单20万元起存". */
const leastAmount = (r: Rate) => `${r.bank}${r.product}${r.minAmount}起存`;

/** Answers a question about deposit rates from the table. */
export function answerRates(q: RateQuery, table: Rate[], now: Date): RateAnswer {
  const decline = (reply: string): RateAnswer => ({ answered: false, reply, rows: [] });
  const banksWithRates = [...new Set(table.map((r) => r.bank))];
  if (!table.length) return decline('已收录的报道里没有刊登存款利率。');
  if (q.unknownBanks.length) {
    return decline(`报道里没有${q.unknownBanks.join('、')}的存款利率。已收录的报道刊登了利率的银行有:${banksWithRates.join('、')}。`);
  }
  const ofBank = (bank?: string) => table.filter((r) => !bank || r.bank === bank);
  const productsAsked = q.products.length ? q.products : q.product ? [q.product] : [];
  const rows = table.filter(
    (r) => (!q.banks.length || q.banks.includes(r.bank)) && (!productsAsked.length || productsAsked.includes(r.product)),
  );
  const what = `${q.banks.join('、')}${q.product ?? '存款'}`;
  if (!rows.length) {
    const given = q.banks.length
      ? q.banks.map((b) => `${b}:${[...new Set(ofBank(b).map((r) => r.product))].join('、') || '没有'}`).join(';')
      : [...new Set(table.filter((r) => r.product === q.product).map((r) => r.bank))].join('、');
    return decline(
      `报道里没有${what}的利率。${q.banks.length ? `刊登了利率的产品是 ${given}。` : `刊登了${q.product}利率的银行是:${given || '没有'}。`}`,
    );
  }
  const withTerms = q.years.length ? rows.filter((r) => q.years.includes(r.years)) : rows;
  const missingTerms = q.years.filter((y) => !rows.some((r) => r.years === y));
  const termsGiven = (rs: Rate[]) => [...new Set(rs.map((r) => r.term))].sort().join('、');

  switch (q.kind) {
    case 'cap': {
      const mins = groupBy(rows, (r) => `${r.bank}${r.product}`)
        .map((g) => g[0]!)
        .filter((r) => r.minAmount);
      const said = mins.length ? `报道只写了起存金额:${mins.map(leastAmount).join(';')}。` : '';
      return decline(`报道里没有写${what}最多能存多少。${said}`);
    }
    case 'min': {
      const groups = groupBy(rows, (r) => `${r.bank}${r.product}`);
      const lines = groups.map((g) =>
        g[0]!.minAmount
          ? `${leastAmount(g[0]!)}。${q.amount !== undefined && g[0]!.minYuan! > q.amount ? `${yuan(q.amount)}不够起存金额。` : ''}`
          : `报道里没有写${g[0]!.bank}${g[0]!.product}的起存金额。`,
      );
      const found = groups.filter((g) => g[0]!.minAmount).map((g) => g[0]!);
      if (!found.length) return decline(lines.join('\n'));
      return { answered: true, reply: [...lines, ...citations(found)].join('\n'), highlight: found[0]!.minAmount, rows: found };
    }
    case 'conditions': {
      const groups = groupBy(rows, (r) => `${r.bank}${r.product}`).filter((g) => g[0]!.conditions.length);
      if (!groups.length) return decline(`报道里没有写${what}能不能提前支取、怎样付息。`);
      const lines = groups.map((g) => `${g[0]!.bank}${g[0]!.product}:${g[0]!.conditions.join(',')}。`);
      return { answered: true, reply: [...lines, ...citations(groups.map((g) => g[0]!))].join('\n'), rows: groups.map((g) => g[0]!) };
    }
    case 'reverse': {
      const hits = rows.filter((r) => Math.abs(r.rate - q.rate!) < 1e-9);
      if (!hits.length) return decline(`报道里没有利率为${pct(q.rate!)}的${what}。`);
      const lines = hits.map((r) => `${nameOf(r)}的年利率是${pct(r.rate)}${ageNote(r.fact.article.date, now)}。`);
      return { answered: true, reply: [...lines, ...citations(hits)].join('\n'), highlight: hits[0]!.term, rows: hits };
    }
    case 'highest':
    case 'lowest': {
      if (missingTerms.length) break;
      const pool = withTerms;
      const pick = pool.reduce((a, b) => ((q.kind === 'highest' ? b.rate > a.rate : b.rate < a.rate) ? b : a));
      const among = [...new Set(pool.map((r) => r.bank))];
      const scope = among.length > 1 ? `在报道刊登了利率的${among.join('、')}中,` : '';
      const word = q.kind === 'highest' ? '最高' : '最低';
      return {
        answered: true,
        highlight: pct(pick.rate),
        rows: [pick],
        reply: [
          `${scope}${q.years.length ? `${q.years.map((y) => `${y}年期`).join('、')}` : ''}${q.product ?? '存款'}利率${word}的是${nameOf(pick)},年利率${pct(pick.rate)}${ageNote(pick.fact.article.date, now)}。`,
          ...citations([pick]),
        ].join('\n'),
      };
    }
    case 'compare':
    case 'interest': {
      if (missingTerms.length || !withTerms.length) break;
      // the two sides: two banks (one term), or two terms (one bank)
      const sides =
        q.banks.length >= 2
          ? q.banks.map((b) => withTerms.find((r) => r.bank === b)).filter((r): r is Rate => !!r)
          : q.years.length >= 2
            ? q.years.map((y) => withTerms.find((r) => r.years === y)).filter((r): r is Rate => !!r)
            : productsAsked.length >= 2
              ? productsAsked.map((p) => withTerms.find((r) => r.product === p)).filter((r): r is Rate => !!r)
              : [];
      if (q.kind === 'interest') {
        if (q.amount === undefined) return decline('请说一下打算存多少钱,比如“存10万5年期利息多少”。');
        const chosen = sides.length >= 2 ? sides : withTerms.length === 1 || q.years.length === 1 ? [withTerms[0]!] : [];
        if (!chosen.length) return decline(`请说一下存几年期。报道刊登的${what}期限有:${termsGiven(rows)}。`);
        const earn = (r: Rate) => ((q.amount! * r.rate) / 100) * r.years;
        const lines = chosen.map((r) => `${nameOf(r)}:${yuan(q.amount!)} × ${pct(r.rate)} × ${r.years}年 = ${yuan(earn(r))}`);
        if (chosen.length >= 2)
          lines.push(
            `${nameOf(chosen[0]!)}比${nameOf(chosen[1]!)}${earn(chosen[0]!) >= earn(chosen[1]!) ? '多' : '少'}${yuan(Math.abs(earn(chosen[0]!) - earn(chosen[1]!)))}。`,
          );
        lines.push('按报道刊登的年利率单利估算,到期实际利息以银行为准。');
        const figure = chosen.length >= 2 ? yuan(Math.abs(earn(chosen[0]!) - earn(chosen[1]!))) : yuan(earn(chosen[0]!));
        return { answered: true, reply: [...lines, ...citations(chosen)].join('\n'), highlight: figure, rows: chosen };
      }
      if (sides.length < 2) break;
      const [a, b] = sides as [Rate, Rate];
      const higher = a.rate >= b.rate ? a : b;
      const lower = higher === a ? b : a;
      const verdict =
        a.rate === b.rate
          ? `${nameOf(a)}和${nameOf(b)}一样,都是${pct(a.rate)}。`
          : `${nameOf(higher)}(${pct(higher.rate)})比${nameOf(lower)}(${pct(lower.rate)})高${points(a.rate, b.rate)}个百分点。`;
      return {
        answered: true,
        reply: [verdict, ...citations([a, b])].join('\n'),
        highlight: `${points(a.rate, b.rate)}个百分点`,
        rows: [a, b],
      };
    }
    case 'lookup':
      break;
  }
  if (missingTerms.length || !withTerms.length) {
    return decline(
      `报道里没有${what}${missingTerms.map((y) => `${y}年期`).join('、')}的利率。报道刊登的期限有:${groupBy(
        rows,
        (r) => `${r.bank}${r.product}`,
      )
        .map((g) => `${g[0]!.bank}${g[0]!.product} ${termsGiven(g)}`)
        .join(';')}。`,
    );
  }
  const groups = groupBy(withTerms, (r) => `${r.bank}${r.product}`);
  const lines = groups.map(
    (g) =>
      `${g[0]!.bank}${g[0]!.product}${g.length === 1 ? `${g[0]!.term}年利率${pct(g[0]!.rate)}` : `:${g.map((r) => `${r.term} ${pct(r.rate)}`).join(',')}`}${ageNote(g[0]!.fact.article.date, now)}。`,
  );
  return {
    answered: true,
    reply: [...lines, ...citations(withTerms)].join('\n'),
    highlight: withTerms.length === 1 ? pct(withTerms[0]!.rate) : undefined,
    rows: withTerms,
  };
}

/** The known rates as a compact table, grouped by bank and product, each with its page's date. */
export function rateTable(table: Rate[], now: Date): string {
  if (!table.length) return '已收录的报道里还没有刊登存款利率。';
  const lines = ['已收录报道刊登的存款年利率:'];
  for (const bank of groupBy(table, (r) => r.bank)) {
    lines.push('', bank[0]!.bank);
    for (const product of groupBy(bank, (r) => r.product)) {
      const first = product[0]!;
      const extra = [first.minAmount && `${first.minAmount}起存`, ...first.conditions].filter(Boolean).join(',');
      const date = first.fact.article.date;
      lines.push(
        `· ${first.product}:${[...product]
          .sort((a, b) => a.years - b.years)
          .map((r) => `${r.term} ${pct(r.rate)}`)
          .join(',')}${extra ? `(${extra})` : ''}${date ? ` — ${chineseDate(date)}${ageNote(date, now)}` : ''}`,
      );
    }
  }
  lines.push('', '利率以报道刊出时为准,办理前请向银行确认。');
  return lines.join('\n');
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}
