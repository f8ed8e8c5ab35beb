/**
 * Reply texts: a fact with its source, a 民生在线 session, declines. Plain text; the Telegram layer
 * escapes it and the shell prints it as it is.
 */
import type { Article, Session } from '../corpus/types.js';
import { shanghaiParts, WEEKDAY_NAMES } from '../corpus/shanghai-time.js';
import type { Clause } from '../knowledge.js';

/** Longest snippet of a long sentence, in characters. */
export const SNIPPET_CHARS = 100;

/** "2023年3月29日" from "2023-03-29". */
export function chineseDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Where a fact comes from: headline, paper and reporter, date. */
export function sourceLine(article: Article): string {
  const parts: string[] = [];
  const by = article.byline;
  if (by?.outlets.length) parts.push(by.outlets.join('/'));
  if (by?.reporters.length) parts.push(`记者 ${by.reporters.join('、')}`);
  if (article.date) parts.push(chineseDate(article.date));
  return `——摘自《${article.headline}》${parts.length ? `(${parts.join(',')})` : ''}`;
}

/**
 * The part of a sentence that answers: the whole sentence when it is short, otherwise the run of
 * clauses that covers the most of the question within SNIPPET_CHARS, marked with ellipses.
 */
export function snippet(clauses: Clause[], clauseScore: (c: Clause) => number, whole?: string): string {
  if (clauses.length === 1) return whole ?? clauses[0]!.text;
  const text = whole ?? clauses.map((c) => c.text).join('');
  if (text.length <= SNIPPET_CHARS) return text;
  const scores = clauses.map(clauseScore);
  let bestFrom = 0;
  let bestTo = 0;
  let bestScore = -Infinity;
  let bestLen = Infinity;
  for (let from = 0; from < clauses.length; from++) {
    let len = 0;
    let score = 0;
    for (let to = from; to < clauses.length; to++) {
      len += clauses[to]!.text.length;
      if (len > SNIPPET_CHARS && to > from) break;
      score += scores[to]!;
      // on a tie the shorter run wins: a clause that adds nothing is left out
      if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && len < bestLen)) {
        bestFrom = from; bestTo = to; bestScore = score; bestLen = len;
      }
    }
  }
  let out = '';
  for (let i = bestFrom; i <= bestTo; i++) out += clauses[i]!.text;
  if (bestTo < clauses.length - 1) out = out.replace(/[,;,;:]$/, '') + '……';
  if (bestFrom > 0) out = '……' + out;
  return out;
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
