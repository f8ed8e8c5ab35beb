/** The texts the bot sends on its own: previews, reminders, new-article notices (Telegram HTML). */
import { sessionWhen } from '../core/compose.js';
import type { Article, Session } from '../core/corpus/types.js';
import type { BroadcastJob } from '../store/broadcasts.js';
import { escapeHtml, headlineItem } from '../html.js';

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
  lines.push(...articles.slice(0, LISTED).map(headlineItem));
  if (articles.length > LISTED) lines.push(`……等 ${articles.length} 篇`);
  lines.push('直接问我报道里的内容吧。退订请发 /unsubscribe');
  return lines.join('\n');
}

/** The admin's progress message of a broadcast (plain text). */
export function broadcastProgressText(job: BroadcastJob): string {
  const counts = `${job.delivered.length + job.blocked.length + job.failed.length}/${job.recipients.length}(送达 ${job.delivered.length},已屏蔽 ${job.blocked.length},失败 ${job.failed.length})`;
  return job.status === 'done' ? `群发完成:${counts}` : `正在群发:${counts}`;
}
