/**
 * Composition, the last stage: reply texts. A fact with its source, the span that answers, a
 * 民生在线 session, partial answers and declines. Plain text; the Telegram layer escapes it (and
 * bolds the answering span) and the shell prints it as it is.
 */
import { splitClauses } from './corpus/sentences.js';
import type { Article, Session } from './corpus/types.js';
import { shanghaiParts, WEEKDAY_NAMES } from './corpus/shanghai-time.js';
import type { Fact } from './knowledge.js';
import type { Question } from './question.js';
import { normalize } from './text/normalize.js';

/** Longest snippet of a long sentence, in characters. */
export const SNIPPET_CHARS = 160;
/** Longest list shown whole ("名单如下:…"): a list is the answer to "有哪些", cut only when very long. */
const LIST_CHARS = 400;

/** "2023年3月29日" from "2023-03-29". */
export function chineseDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Articles, the newest first (an article without a date last). */
export function newestFirst(articles: readonly Article[]): Article[] {
  return [...articles].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
}

/** What a source line calls an article: its headline, else the first words of its first paragraph. */
export function articleName(article: Article): string {
  if (article.headline) return article.headline;
  const first = article.paragraphs[0]?.text ?? article.page;
  return first.length > 24 ? `${first.slice(0, 24)}…` : first;
}

/** Where a fact comes from: headline, paper and reporter, date. */
export function sourceLine(article: Article): string {
  const parts: string[] = [];
  const by = article.byline;
  if (by?.outlets.length) parts.push(by.outlets.join('/'));
  if (by?.reporters.length) parts.push(`记者 ${by.reporters.join('、')}`);
  if (article.date) parts.push(chineseDate(article.date));
  return `——摘自《${articleName(article)}》${parts.length ? `(${parts.join(',')})` : ''}`;
}

/**
 * The part of a fact that answers: the whole sentence when it is short, otherwise the run of
 * clauses that holds the most of the question, and the clauses after it, within SNIPPET_CHARS,
 * marked with ellipses.
 */
export function snippet(fact: Fact, question: Question): string {
  const text = fact.text;
  if (fact.kind === 'list') return text.length <= LIST_CHARS ? text : `${text.slice(0, text.lastIndexOf('、', LIST_CHARS))}等。`;
  const edition = editionAskedAbout(text, question);
  if (edition) return edition;
  if (text.length <= SNIPPET_CHARS) return text;
  const clauses = splitClauses(text);
  const span = answerSpan(text, question);
  const scores = clauses.map((c) => {
    const norm = normalize(c);
    let s = 0;
    for (const b of question.bigrams) if (norm.includes(b)) s += 1;
    if (span && c.includes(span)) s += 3;
    return s;
  });
  let bestFrom = 0;
  let bestTo = 0;
  let bestScore = -Infinity;
  let bestLen = Infinity;
  for (let from = 0; from < clauses.length; from++) {
    let len = 0;
    let score = 0;
    for (let to = from; to < clauses.length; to++) {
      len += clauses[to]!.length;
      if (len > SNIPPET_CHARS && to > from) break;
      score += scores[to]!;
      // on a tie the shorter run wins: a clause that adds nothing is left out
      if (score > bestScore || (score === bestScore && len < bestLen)) {
        bestFrom = from;
        bestTo = to;
        bestScore = score;
        bestLen = len;
      }
    }
  }
  // what answers usually follows the words the question shares ("羽片8~14对,对生或近对生,……"):
  // the clauses after the run are shown too, as many as the length allows
  while (bestTo + 1 < clauses.length && bestLen + clauses[bestTo + 1]!.length <= SNIPPET_CHARS) bestLen += clauses[++bestTo]!.length;
  let out = clauses.slice(bestFrom, bestTo + 1).join('');
  if (out.length > SNIPPET_CHARS + 40) out = out.slice(0, SNIPPET_CHARS + 40);
  if (bestTo < clauses.length - 1) out = `${out.replace(/[,;:\uff0c\uff1b\uff1a]$/, '')}……`;
  if (bestFrom > 0) out = `……${out}`;
  return out;
}

/** Where an edition's name begins: "第二十九届", "第3期", "第五批". */
const EDITION_START = /(?=第[一二三四五六七八九十百零〇两\d]+[届期次批])/;

/**
 * Asked which edition ("……是第几届"), a sentence that names several ("举办第二十九届“李沧之春”……及第二十三届
 * “梅花节”……") is cut to its opening and the edition whose words the question holds, so that the
 * reply does not give the other number too.
 */
function editionAskedAbout(text: string, question: Question): string | undefined {
  if (!/第几/.test(question.norm)) return undefined;
  const [opening, ...editions] = text.split(EDITION_START);
  if (editions.length < 2) return undefined;
  // a key as the lexicon reads it ("海产品") or as typed ("海鲜")
  const keys = question.keys.filter((k) => k.end - k.start > 1).map((k) => [k.key, question.norm.slice(k.start, k.end)]);
  const hits = editions.map((part) => keys.filter((forms) => forms.some((w) => normalize(part).includes(w))).length);
  const best = hits.indexOf(Math.max(...hits));
  if (hits[best] === 0 || hits.filter((h) => h === hits[best]).length > 1) return undefined;
  const part = editions[best]!.replace(/(?:及|以及|和|与|、|,|，)$/, '');
  return `${opening}${best > 0 ? '……' : ''}${part}${best < editions.length - 1 ? '……' : ''}`;
}

const NUMBER_SPAN =
  /(?:约|近|超过?)?\d+(?:[.,]\d+)*(?:%|‰)?(?:万|亿)?(?:余|多)?(?:个百分点|平方米|平方公里|公里|千米|米|万元|亿元|元|人次|人|所|支|名|届|栋|户|处|场|门|家|座|条|项|次|个|倍|年期|辆|套|间|层|台|位|岁|亩|吨|小时|分钟|天)?/g;
const TIME_SPAN =
  /\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日(?:[上下]午)?(?:\d{1,2}:\d{2}(?:\s*[-—–~至]\s*\d{1,2}:\d{2})?)?|\d{1,2}:\d{2}\s*[-—–~至]\s*\d{1,2}:\d{2}|(?:19|20)\d{2}年|[上下]午\d{1,2}:\d{2}/g;

/**
 * The span of a fact's text that answers what the question asks for: the number (in the unit
 * asked for, if any) or the date that the question does not itself contain, nearest the question's
 * words. Undefined when the question asks for something else, or the text holds no such span.
 */
export function answerSpan(text: string, question: Question): string | undefined {
  const wanted = question.types.includes('time') ? TIME_SPAN : question.types.includes('number') ? NUMBER_SPAN : undefined;
  if (!wanted) return undefined;
  const asked = question.norm;
  const spans = [...text.matchAll(wanted)].filter((m) => /\d/.test(m[0]) && !asked.includes(normalize(m[0])));
  if (spans.length === 0) return undefined;
  const unit = question.measure ? new RegExp(`(?:${question.measure})$`) : undefined;
  const withUnit = unit ? spans.filter((m) => unit.test(m[0])) : [];
  const pool = withUnit.length ? withUnit : spans;
  // nearest after a word of the question ("5年期3.05%"): the entities it names first, else any of its words
  const anchorsOf = (words: string[]) =>
    words.flatMap((w) => {
      const at = text.indexOf(w);
      return at >= 0 ? [at + w.length] : [];
    });
  const named = anchorsOf(question.entities.map((e) => e.text).concat(question.entities.map((e) => question.norm.slice(e.start, e.end))));
  const anchors = named.length ? named : anchorsOf(question.keys.map((k) => k.key));
  const distance = (m: RegExpMatchArray) =>
    anchors.length ? Math.min(...anchors.map((a) => (m.index! >= a ? m.index! - a : 1000 + a - m.index!))) : m.index!;
  return pool.reduce((a, b) => (distance(b) < distance(a) ? b : a))[0].trim();
}

function clock(date: Date): string {
  const p = shanghaiParts(date);
  return `${p.hour}:${String(p.minute).padStart(2, '0')}`;
}

/** A session's date and time: "2023年3月30日(周四)14:30—16:00". */
export function sessionWhen(session: Session): string {
  const start = new Date(session.start);
  const p = shanghaiParts(start);
  const end = session.end ? `—${clock(new Date(session.end))}` : '';
  return `${p.year}年${p.month}月${p.day}日(${WEEKDAY_NAMES[p.weekday]})${clock(start)}${end}`;
}

/** Whether a session is ahead, under way or held, relative to now. */
export function sessionStatus(session: Session, now: Date): string {
  const start = new Date(session.start).getTime();
  const end = session.end ? new Date(session.end).getTime() : start + 2 * 3600_000;
  const t = now.getTime();
  if (t >= end) return '这一期已经举行过了;新的预告刊出后,我会按新预告回答。';
  if (t >= start) return '这一期正在进行中,欢迎参与。';
  const minutes = Math.round((start - t) / 60_000);
  if (minutes < 60) return `这一期还没开始,约${minutes}分钟后开始。`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `这一期还没开始,约${hours}小时后开始。`;
  return `这一期还没开始,还有${Math.floor(minutes / 1440)}天。`;
}

/** The reply to a schedule question. */
export function sessionReply(session: Session, now: Date, pageDate?: string): string {
  return [
    '下期“民生在线”',
    `网谈时间:${sessionWhen(session)}`,
    `网谈单位:${session.unit}`,
    sessionStatus(session, now),
    `——摘自${pageDate ? ` ${chineseDate(pageDate)} ` : ''}版面的“民生在线”下期预告`,
  ].join('\n');
}

/** A polite decline with questions the bot can answer. */
export function declineReply(reason: string, suggestions: string[]): string {
  const lines = [reason];
  if (suggestions.length) {
    lines.push('', '你可以这样问我:');
    for (const s of suggestions) lines.push(`· ${s}`);
  }
  return lines.join('\n');
}
