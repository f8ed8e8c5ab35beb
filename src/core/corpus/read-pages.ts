/**
 * Reads the raw pages of a corpus folder: every `*.txt` file directly inside it.
 * A file that cannot be a page (empty, binary, too large, unreadable) is skipped with a warning that
 * names it; GBK / GB18030 text is decoded. The other pages still load.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export interface RawPage {
  /** file name inside the corpus folder, e.g. `2023-03-29-qingdao-evening-news.txt` */
  name: string;
  path: string;
  text: string;
  encoding: 'utf-8' | 'gb18030';
}

export interface ReadResult {
  pages: RawPage[];
  warnings: string[];
}

/** Pages larger than this are not newspaper pages (one printed page is about 10 KB). */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

/** Bytes that are not UTF-8, as GBK / GB18030 text; undefined when they are not that either. */
function decode(bytes: Buffer): { text: string; encoding: RawPage['encoding'] } | undefined {
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' };
  } catch {
    return undefined;
  }
}

/** Control characters other than tab, line feed, vertical tab, form feed and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL = /[\x00-\x08\x0e-\x1f]/;

/** True when the bytes look like a binary file rather than text. */
function looksBinary(bytes: Buffer): boolean {
  const length = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > length * 0.05;
}

/** Reads and decodes one page file; returns a warning instead when it cannot be a page. */
export function readPage(path: string, name: string, maxBytes = MAX_PAGE_BYTES): RawPage | string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    return `corpus: ${path}: cannot be read (${(err as Error).message})`;
  }
  if (size === 0) return `corpus: ${path}: empty file, skipped`;
  if (size > maxBytes) {
    return `corpus: ${path}: ${(size / 1048576).toFixed(1)} MB is too large for a page (limit ${(maxBytes / 1048576).toFixed(0)} MB), skipped`;
  }
  const bytes = readFileSync(path);
  // UTF-8 text holds a control byte only as that control character: text without any is not binary
  const utf8 = isUtf8(bytes) ? bytes.toString('utf8') : undefined;
  if ((utf8 === undefined || CONTROL.test(utf8)) && looksBinary(bytes)) return `corpus: ${path}: binary data, not a text page, skipped`;
  const decoded = utf8 === undefined ? decode(bytes) : { text: utf8, encoding: 'utf-8' as const };
  if (!decoded) return `corpus: ${path}: not UTF-8 or GBK text, skipped`;
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return `corpus: ${path}: holds only white space, skipped`;
  return { name, path, text, encoding: decoded.encoding };
}

/** Reads every page of a corpus folder, sorted by file name. Throws only when the folder is unusable. */
export function readPages(dir: string, maxBytes = MAX_PAGE_BYTES): ReadResult {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(`corpus: ${dir}: cannot read the corpus folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const pages: RawPage[] = [];
  const warnings: string[] = [];
  const names = entries
    .filter((e) => e.name.toLowerCase().endsWith('.txt'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const { name } = entry;
    const path = join(dir, name);
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // a link is read if it leads to a file
      try {
        isFile = statSync(path).isFile();
      } catch {
        isFile = true; /* a broken link: reported by readPage */
      }
    }
    if (!isFile) continue;
    const page = readPage(path, name, maxBytes);
    if (typeof page === 'string') warnings.push(page);
    else {
      if (page.encoding !== 'utf-8') warnings.push(`corpus: ${path}: decoded as GBK (GB18030); consider saving it as UTF-8`);
      pages.push(page);
    }
  }
  return { pages, warnings };
}
