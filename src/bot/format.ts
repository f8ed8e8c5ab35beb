/**
 * Reply text → Telegram HTML messages: escaped, the span that answers in bold, the source line in
 * italics, and split into messages of at most 4096 characters at line breaks (a line longer than
 * that is cut where it must be).
 */

import { escapeHtml } from '../html.js';

export const MAX_MESSAGE_CHARS = 4096;

/** One line as HTML: the "——摘自…" source line in italics; `bold`, if the line holds it, in bold. */
function lineHtml(line: string, bold?: string): string {
  if (line.startsWith('——')) return `<i>${escapeHtml(line)}</i>`;
  const at = bold ? line.indexOf(bold) : -1;
  if (at < 0) return escapeHtml(line);
  return `${escapeHtml(line.slice(0, at))}<b>${escapeHtml(bold!)}</b>${escapeHtml(line.slice(at + bold!.length))}`;
}

const escapedLength = (ch: string) => (ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : ch.length);

/** Cuts one plain line into pieces whose HTML stays within the limit (never inside a character). */
function cutLine(line: string, limit: number): string[] {
  const room = limit - (line.startsWith('——') ? '<i></i>'.length : 0);
  const pieces: string[] = [];
  let piece = '';
  let length = 0;
  for (const ch of line) {
    const n = escapedLength(ch);
    if (length + n > room) {
      pieces.push(piece);
      piece = '';
      length = 0;
    }
    piece += ch;
    length += n;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * Formats a plain reply as one or more HTML messages, none longer than `limit` characters; the first
 * occurrence of `highlight` in the reply's body (not its source line) is bold.
 */
export function toHtmlMessages(text: string, limit = MAX_MESSAGE_CHARS, highlight?: string): string[] {
  const messages: string[] = [];
  let current = '';
  let bold = highlight || undefined;
  const push = () => {
    if (current.trim()) messages.push(current);
    current = '';
  };
  for (const line of text.split('\n').flatMap((l) => (lineHtml(l).length > limit - 7 ? cutLine(l, limit - 7) : [l]))) {
    const html = lineHtml(line, bold);
    if (bold && !line.startsWith('——') && line.includes(bold)) bold = undefined;
    const joined = current ? `${current}\n${html}` : html;
    if (joined.length > limit) {
      push();
      current = html;
    } else current = joined;
  }
  push();
  return messages.length ? messages : [escapeHtml(text.slice(0, limit)) || '…'];
}
