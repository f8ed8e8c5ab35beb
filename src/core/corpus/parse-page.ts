/**
 * A raw newspaper page → articles and 民生在线 sessions.
 *
 * A page is a run of lines separated by blank lines, as the layout left them. Each line is read as
 * one of: title (kicker or headline: short, no sentence end), section heading (">>>教育温暖人心"),
 * photo caption ("… 摄"), byline ("(观海新闻/青岛晚报 记者 …)", which ends an article), preview
 * block ("“民生在线”下期预告" and its field lines), or body text. A body line that does not end a
 * sentence is a layout break: the next body line continues it ("以人民健康为中" + "心”转变").
 */
import type { Article, Byline, Page, Paragraph } from './types.js';

import { PREVIEW_FIELD, PREVIEW_START, parsePreview } from './preview.js';

const HEADING = /^(?:>{2,}|》{2,}|■|◆|【)\s*(.+?)】?$/;
const CAPTION = /(?:\s|^)(?:摄|摄影|供图|图)$|[((](?:\S+\s*)?摄[))]$/;
/** the characters a caption can end with (a cheap test before CAPTION) */
const CAPTION_END = '摄影图))';
const DATELINE = /^(本报|新华社|本报讯)?(?:\S{0,8}?)(\d{1,2})月(\d{1,2})日(?:电|讯)\s*/;
const SENTENCE_END = /[。!?!?…;;][”’"'」』))]*$/;
const OUTLET_WORD = /新闻|晚报|日报|早报|全媒体|电视台|广播|网|社/;

/** Reads a byline line; undefined when the line is not one. */
export function parseByline(line: string): Byline | undefined {
  if (!line.includes('记')) return undefined; // no 记者 (NFKC makes no 记 of another character)
  const plain = line.normalize('NFKC').trim();
  const inner = plain.replace(/^[(\[]\s*/, '').replace(/\s*[)\]]$/, '');
  if (inner.length > 60 || /[。,]/.test(inner)) return undefined;
  const m = /^(.*?)\s*(?:本报)?记者\s+(.+)$/.exec(inner);
  if (!m) return undefined;
  const outlets = m[1]!.split(/[\/、\s]+/).filter((o) => o && OUTLET_WORD.test(o));
  const [reporterPart, correspondentPart = ''] = m[2]!.split(/\s*通讯员\s*/);
  const names = (s: string) => s.split(/[\s、,]+/).filter(Boolean);
  return { raw: line.trim(), outlets, reporters: names(reporterPart!), correspondents: names(correspondentPart) };
}

type Kind = 'heading' | 'caption' | 'byline' | 'preview' | 'title' | 'body';

function kindOf(line: string): Kind {
  const t = line.trim();
  if (HEADING.test(t) && t.length <= 30) return 'heading';
  if (t.length <= 100 && CAPTION_END.includes(t[t.length - 1]!) && CAPTION.test(t)) return 'caption';
  if (parseByline(t)) return 'byline';
  if (PREVIEW_START.test(t) && t.length <= 20) return 'preview';
  if (DATELINE.test(t) || /[。!?!?]/.test(t) || t.length > 60) return 'body';
  return 'title';
}

/** The year the page was printed in: the year its text names most often (the latest on a tie). */
export function pageYear(text: string, fallback: number): number {
  const counts = new Map<number, number>();
  for (const m of text.normalize('NFKC').matchAll(/(?<!\d)((?:19|20)\d{2})年/g)) {
    const y = Number(m[1]);
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  let best = fallback;
  let bestCount = 0;
  for (const [y, c] of counts) {
    if (c > bestCount || (c === bestCount && y > best)) { best = y; bestCount = c; }
  }
  return best;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Splits a raw page into articles and 民生在线 sessions. `fallbackYear` is used when the text names no year. */
export function parsePage(name: string, text: string, fallbackYear: number): Page {
  const year = pageYear(text, fallbackYear);
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()); // trim() takes U+3000 too
  const warnings: string[] = [];
  const articles: Article[] = [];
  const previewBlocks: string[][] = [];

  let titles: string[] = [];
  let current: Article | undefined;
  let section: string | undefined;
  let preview: string[] | undefined;
  let pendingCaptions: string[] = [];

  const closeArticle = () => {
    if (current) articles.push(current);
    current = undefined;
    section = undefined;
  };
  const openArticle = () => {
    const headline = titles.length ? titles[titles.length - 1]! : '';
    current = {
      id: `${name}#${articles.length + 1}`,
      page: name,
      kickers: titles.slice(0, -1),
      headline,
      paragraphs: [],
      captions: pendingCaptions,
    };
    titles = [];
    pendingCaptions = [];
  };
  const lastParagraph = (): Paragraph | undefined => current?.paragraphs[current.paragraphs.length - 1];
  const isOpen = (p: Paragraph | undefined) => p !== undefined && !SENTENCE_END.test(p.text);

  const filled = lines.filter((l) => l !== '');
  const kinds = filled.map(kindOf);
  // A title-like line inside an article starts a new one only when a headline or a dateline follows
  // it; otherwise it is a sentence the layout cut short ("李沧区推动…为中" + "心”转变…").
  const startsArticle = (i: number) =>
    kinds[i + 1] === 'title' || kinds[i + 1] === 'caption' || (kinds[i + 1] === 'body' && DATELINE.test(filled[i + 1]!));

  for (let i = 0; i < filled.length; i++) {
    const line = filled[i]!;
    const kind = kinds[i]!;

    if (preview) {
      if (PREVIEW_FIELD.test(line.normalize('NFKC'))) { preview.push(line); continue; }
      preview = undefined;
    }

    switch (kind) {
      case 'preview':
        closeArticle();
        preview = [line];
        previewBlocks.push(preview);
        break;
      case 'byline':
        if (current) {
          current.byline = parseByline(line);
          closeArticle();
        }
        break;
      case 'caption':
        if (current) current.captions.push(line);
        else pendingCaptions.push(line);
        break;
      case 'heading':
        if (!current) openArticle();
        section = HEADING.exec(line)![1]!.trim();
        break;
      case 'title':
        if (current && isOpen(lastParagraph()) && lastParagraph()!.section === section) {
          lastParagraph()!.text += line; // a layout break inside a sentence
        } else if (current && current.paragraphs.length > 0 && !startsArticle(i)) {
          current.paragraphs.push({ section, text: line }); // the first half of a broken sentence
        } else {
          if (current && current.paragraphs.length > 0) closeArticle(); // a new article with no byline before it
          titles.push(line);
        }
        break;
      case 'body': {
        if (!current) openArticle();
        const article = current!;
        const last = lastParagraph();
        if (last && isOpen(last) && last.section === section) {
          last.text += line;
          break;
        }
        const dateline = article.paragraphs.length === 0 ? DATELINE.exec(line) : null;
        if (dateline) {
          article.dateline = line.slice(0, dateline[0].length).trim();
          article.date = `${year}-${pad(Number(dateline[2]))}-${pad(Number(dateline[3]))}`;
          const rest = line.slice(dateline[0].length).trim();
          if (rest) article.paragraphs.push({ section, text: rest });
        } else {
          article.paragraphs.push({ section, text: line });
        }
        break;
      }
    }
  }
  closeArticle();
  if (titles.length) warnings.push(`corpus: ${name}: title lines with no article after them: ${titles.join(' / ')}`);

  const date = articles.find((a) => a.date)?.date;
  for (const a of articles) {
    if (!a.date && date) a.date = date;
    if (!a.headline) warnings.push(`corpus: ${name}: article ${a.id} has no headline`);
  }

  const sessions = [];
  for (const block of previewBlocks) {
    const { session, warning } = parsePreview(block.slice(1), name, year, date);
    if (warning) warnings.push(warning);
    if (session) sessions.push(session);
  }
  return { name, year, date, articles: articles.filter((a) => a.paragraphs.length > 0), sessions, warnings };
}
