/**
 * Pieces of the HTML the bot sends (Telegram's subset: <b>, <i>, escaped text), shared by the
 * bot's replies and the newsroom's own messages.
 */
import { chineseDate } from './core/compose.js';
import type { Article } from './core/corpus/types.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Trims a plain text to a length, with an ellipsis when it was longer. */
export function trimTo(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An article as one line of a list: "· 《headline》 2023年3月29日". */
export function headlineItem(article: Article): string {
  return `· 《${escapeHtml(trimTo(article.headline, 60))}》${article.date ? ` ${chineseDate(article.date)}` : ''}`;
}
