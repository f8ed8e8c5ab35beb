/** The texts the bot sends on its own: previews, reminders, new-article notices (Telegram HTML). */
import { chineseDate, sessionWhen } from '../core/compose.js';
import type { Article, Session } from '../core/corpus/types.js';
import { escapeHtml, trimTo } from '../bot/format.js';

/** A key naming a session across reloads: its start and unit. */
export const sessionKey = (s: Session) => `${s.start}|${s.unit}`;

export function previewHtml(session: Session): string {
  return [
    '📢 <b>“民生在线”下期预告</b>',
    `网谈时间:${escapeHtml(sessionWhen(session))}`,
    `网谈单位:${escapeHtml(session.unit)}`,
    '开始前我会提醒你。退订请发 /unsubscribe',
  ].join('\n');
}

export type ReminderKind = 'evening' | 'soon';

export function reminderHtml(session: Session, kind: ReminderKind): string {
  const when = kind === 'evening' ? '明天' : '30分钟后';
  return [
    `⏰ <b>提醒:“民生在线”${when}开始</b>`,
    `网谈时间:${escapeHtml(sessionWhen(session))}`,
    `网谈单位:${escapeHtml(session.unit)}`,
    '有问题可以提前想好,届时在线提问。退订请发 /unsubscribe',
  ].join('\n');
}

/** Most headlines listed in one notice; the rest are counted. */
const LISTED = 15;

export function articlesHtml(articles: Article[]): string {
  const lines = [`📰 <b>新收录 ${articles.length} 篇报道</b>`];
  for (const a of articles.slice(0, LISTED)) {
    lines.push(`· 《${escapeHtml(trimTo(a.headline, 60))}》${a.date ? ` ${chineseDate(a.date)}` : ''}`);
  }
  if (articles.length > LISTED) lines.push(`……等 ${articles.length} 篇`);
  lines.push('直接问我报道里的内容吧。退订请发 /unsubscribe');
  return lines.join('\n');
}
