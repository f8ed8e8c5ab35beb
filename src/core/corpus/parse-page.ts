/**
 * A raw page → articles and 民生在线 sessions.
 *
 * Pages come as the paper prints them (kicker, headline, dateline, ">>>" sections, captions, a
 * byline that ends the article, the 民生在线 preview block) and as other outlets put them online
 * (a title line and paragraphs; a header with the outlet and time; bylines and sources at the top
 * or the bottom, in many forms; captions without 摄; lists of names, one a line; reading counts and
 * editors' names). The reader works in two passes:
 *
 *  1. each line is told by more than its last character: its length, its punctuation, brackets,
 *     the words that mark captions, bylines, sources and datelines (`kindOf`, lines.ts);
 *  2. the lines are gathered into articles, with what follows a line deciding what it is when
 *     its own shape does not: a short line is a headline when an article starts after it, an item
 *     of a list after a line that introduces one, the half of a sentence the layout cut, or a
 *     paragraph of its own. A line it cannot place is kept as body text: a fact lost is worse than
 *     a fact mislabelled.
 *
 * Every warning names the file and the line, and says what was done with it. Lines are told
 * apart by their NFKC form, in which full-width punctuation is plain ASCII ("：" is ":").
 */
import type { Article, Byline, Page, Paragraph } from './types.js';
import { PREVIEW_FIELD, parsePreview } from './preview.js';
import {
  ANSWER_LINE,
  BULLET,
  cellsOf,
  CHANNEL_HEADER,
  DATE_FIRST,
  DATELINE,
  DECORATION,
  ENGAGEMENT,
  HEADER_CELL,
  HEADING,
  INLINE_FURNITURE,
  isField,
  ITEM_END,
  kindOf,
  LABEL,
  LIST_INTRO,
  MASTHEAD,
  NUMBER_COLUMN,
  NUMBERING,
  ORDINAL_HEADING,
  OUTLET_LINE,
  OUTLET_WORD,
  PAGE_HEADER,
  PAGE_HEADER_ANYWHERE,
  parseByline,
  PUBLISHED,
  QA_LINE,
  QUESTION_LINE,
  RELATED,
  REPORTED_FROM,
  REPOSTED,
  SENTENCE_END,
  SEPARATOR,
  SIGNED,
  SOURCE,
  STAMP_AFTER,
  titleLike,
  withoutMarkdown,
  withoutMarkup,
  type Kind,
} from './lines.js';
import { isoDay } from './shanghai-time.js';

export { parseByline } from './lines.js';

/** The date in a page's file name ("2018-05-12-….txt"), if it has one. */
export function fileDate(name: string): { year: number; iso: string } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(name);
  return m ? { year: Number(m[1]), iso: `${m[1]}-${m[2]}-${m[3]}` } : undefined;
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
    if (c > bestCount || (c === bestCount && y > best)) {
      best = y;
      bestCount = c;
    }
  }
  return best;
}

/** A line with the number it has in the file (from 1). */
interface Line {
  text: string;
  no: number;
  kind: Kind;
  /** printed indented, as a paragraph's first line is ("　　9月21日一早,……") */
  indented: boolean;
  /** the rest of the paragraph an indented line opened, on a page that indents its paragraphs */
  continues?: true;
}

/**
 * Splits a raw page into articles and 民生在线 sessions. The page's date is its file name's, when
 * the name begins with one; else its year is the one its text names most, else `fallbackYear`.
 */
export function parsePage(name: string, text: string, fallbackYear: number): Page {
  const named = fileDate(name);
  const year = named?.year ?? pageYear(text, fallbackYear);
  const warnings: string[] = [];
  const warn = (no: number, what: string) => warnings.push(`corpus: ${name}:${no}: ${what}`);
  const all = withoutMarkdown(withoutMarkup(text))
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l, i) => ({
      text: l.replace(INLINE_FURNITURE, '').trim(), // trim() takes U+3000 too
      no: i + 1,
      indented: /^(?:\u3000|\s{2,})\S/.test(l),
      blank: l.trim() === '', // (a jump line taken out is no blank line)
    }));
  const lines: Line[] = all
    .filter((l) => l.text !== '')
    .flatMap((l) => {
      // a masthead, "青岛晚报 | 城事速递": the outlet, then the headline
      const masthead = MASTHEAD.exec(l.text.normalize('NFKC'));
      if (masthead && OUTLET_LINE.test(masthead[1]!))
        return [
          { ...l, text: masthead[1]!, kind: 'meta' as Kind },
          { ...l, text: masthead[2]!, kind: kindOf(masthead[2]!) },
        ];
      const kind = kindOf(l.text);
      // "【来电时间】2019年8月2日 08:40": a field, its name in brackets
      const bracketed = /^【([^】]{2,8})】\s*(?=[^。]{1,20}$)([^。]*\d[^。]*)$/.exec(l.text);
      if (bracketed && kind !== 'furniture') return [{ ...l, text: `${bracketed[1]}：${bracketed[2]}`, kind: 'body' as Kind }];
      // a headline with the site's time after it on the same line ("……防鲨网 2017-07-22 16:48:03")
      const stamped = STAMP_AFTER.exec(l.text);
      if (stamped && kindOf(stamped[1]!) === 'title')
        return [
          { ...l, text: stamped[1]!, kind: 'title' as Kind },
          { ...l, text: stamped[2]!, kind: 'meta' as Kind },
        ];
      return [{ ...l, kind }];
    });
  /** whether a blank line stands between two lines (by their numbers) */
  const gapBetween = (a: number, b: number) => all.slice(a, b - 1).some((l) => l.blank);
  // a post's first line, set off by a blank line, is its headline though it points down at the
  // text ("……下班也能看病👇"): no list follows it
  // on a page that indents its paragraphs, a line that is not indented, right under the text of
  // one, is more of it: the copy kept the printed column's line breaks
  if (lines.filter((l) => l.indented).length >= 2) {
    // (a printed page's header or a jump line between two lines of a column is skipped over)
    let above: Line | undefined;
    for (const l of lines) {
      if (l.indented && (l.kind === 'title' || l.kind === 'subtitle')) l.kind = 'body';
      else if (
        !l.indented &&
        above &&
        (above.kind === 'body' || above.continues) &&
        !gapBetween(above.no, l.no) &&
        (l.kind === 'title' || l.kind === 'body') &&
        !BULLET.test(l.text) &&
        !ORDINAL_HEADING.test(l.text.normalize('NFKC'))
      ) {
        l.kind = 'body';
        l.continues = true;
      }
      if (l.kind !== 'meta' && l.kind !== 'furniture') above = l;
    }
  }
  // who signed a notice, over its date; the account a post is from, over "来自……客户端"
  lines.forEach((l, k) => {
    const next = lines[k + 1];
    if (l.kind !== 'title' || !next || gapBetween(l.no, next.no)) return;
    const plainNext = next.text.normalize('NFKC');
    if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(plainNext) || /来自\s*\S*客户端/.test(plainNext)) l.kind = 'meta';
  });
  // the outlet's name alone over the headline ("观海新闻", "青岛晚报") says who published it
  const top = lines[0];
  const below = lines.slice(1).find((l) => l.kind !== 'furniture');
  if (top?.kind === 'title' && below?.kind === 'title' && OUTLET_LINE.test(top.text.normalize('NFKC'))) top.kind = 'meta';
  const at = lines.findIndex((l) => l.kind !== 'meta');
  const [first, second] = [lines[at], lines[at + 1]];
  if (first?.kind === 'body' && second && gapBetween(first.no, second.no) && titleLike(first.text.replace(/[\s↓👇]+$/u, '')))
    first.kind = 'title';

  const articles: Article[] = [];
  const previewBlocks: Array<{ no: number; lines: string[] }> = [];
  let titles: string[] = [];
  let subtitle: string | undefined;
  let pendingCaptions: string[] = [];
  /** a byline, source or date printed before the article it belongs to */
  let pendingByline: Byline | undefined;
  let pendingDate: string | undefined;
  let current: Article | undefined;
  let section: string | undefined;
  let preview: string[] | undefined;
  /** the headline just read came under an editor's note: the byline under it does not end the article */
  let underNote = false;

  const closeArticle = () => {
    if (current) articles.push(current);
    current = undefined;
    section = undefined;
  };
  // The paper prints kickers above the headline; other outlets put the headline first and a deck
  // below it. A page with the paper's own marks ("本报…讯", ">>>" sections, a 民生在线 preview), or a
  // first line shaped like a kicker (ending "……"), reads the first way.
  const printedPage = /^>>>|民生在线.{0,6}预告/m.test(text.normalize('NFKC'));
  const kickerShaped = (t: string) => /…$/.test(t);
  /** `firstLine`: the article's first body line, when it is what opens it */
  const openArticle = (firstLine?: string) => {
    const printed = printedPage || /^本报/.test(firstLine?.normalize('NFKC') ?? '');
    const webOrder = titles.length > 1 && !printed && !kickerShaped(titles[0]!);
    const [kickers, headline] = webOrder ? [[], titles[0]!] : [titles.slice(0, -1), titles[titles.length - 1] ?? ''];
    // online, the lines under the headline are a deck when short and plain, else the text begins
    const under = webOrder ? titles.slice(1) : [];
    const deck = under.filter(
      (t) => t !== headline && t.normalize('NFKC').length <= 30 && !/[!?~。]$/.test(t.normalize('NFKC').replace(DECORATION, '')),
    );
    if (deck.length) subtitle = [...deck, ...(subtitle ? [subtitle] : [])].join(' ');
    current = {
      id: `${name}#${articles.length + 1}`,
      page: name,
      kickers,
      // a post's pictographs ("🔥扩散！……👇") decorate its headline; a citation leaves them out
      headline: headline.replace(DECORATION, '').trim() || headline,
      subtitle,
      paragraphs: [],
      captions: pendingCaptions,
      byline: pendingByline,
      date: pendingDate,
    };
    for (const t of under) if (!deck.includes(t) && t !== headline) current.paragraphs.push({ text: t });
    titles = [];
    subtitle = undefined;
    pendingCaptions = [];
    pendingByline = undefined;
    pendingDate = undefined;
  };
  /** the article a byline or source printed after it belongs to */
  const lastArticle = () => current ?? articles[articles.length - 1];
  const lastParagraph = (): Paragraph | undefined => current?.paragraphs[current.paragraphs.length - 1];
  // a paragraph the layout cut ends mid-word ("…以人民健康为中"): not at a sentence end, an emoji or a "~"
  const isOpen = (p: Paragraph | undefined) => {
    if (p === undefined || p.list) return false;
    const end = p.text.normalize('NFKC');
    // (a figure the cut split, "15." over "8%", or a field's value, which ends a fact of its own)
    return !SENTENCE_END.test(end) && /[\p{L}\p{N},、:“"(《]$|\d[.-]$/u.test(end) && !isField(end.split(';').pop()!);
  };
  const merge = (a: Byline | undefined, b: Byline): Byline =>
    a
      ? {
          raw: `${a.raw} ${b.raw}`,
          outlets: [...new Set([...a.outlets, ...b.outlets])],
          reporters: [...new Set([...a.reporters, ...b.reporters])],
          correspondents: [...new Set([...a.correspondents, ...b.correspondents])],
          ...((a.editors ?? b.editors) && { editors: [...new Set([...(a.editors ?? []), ...(b.editors ?? [])])] }),
        }
      : b;
  const nextOf = (i: number) => lines[i + 1];
  /** the index of the last body line: a title after it starts no article */
  let lastBody = -1;
  lines.forEach((l, k) => {
    if (l.kind === 'body') lastBody = k;
  });
  /** the first line after line i that is of the kind asked */
  const nextOfKind = (i: number, ok: (l: Line) => boolean) => {
    for (let j = i + 1; j < lines.length; j++) if (ok(lines[j]!)) return lines[j];
    return undefined;
  };
  const numbered = (t: string) => BULLET.test(t);
  // A title-like line starts an article when a headline, caption, subtitle, byline or dateline
  // follows it; otherwise, inside an article, it is a line of the article's own.
  const startsArticle = (i: number) => {
    const next = nextOf(i);
    if (!next || i >= lastBody) return false; // nothing but titles and furniture after it
    return (
      next.kind === 'title' ||
      next.kind === 'caption' ||
      next.kind === 'subtitle' ||
      next.kind === 'meta' ||
      (next.kind === 'byline' && !current?.paragraphs.length) ||
      DATELINE.test(next.text.normalize('NFKC'))
    );
  };
  /**
   * A short line set off by a blank line above it, with a whole paragraph right under it: the
   * headline of one of several briefs on a page, or a subheading. It heads what follows; it is not
   * the start of a sentence the layout cut.
   */
  const opensSection = (i: number) => {
    const line = lines[i]!;
    const prev = lines[i - 1];
    const next = nextOf(i);
    return (
      prev !== undefined &&
      next !== undefined &&
      next.kind === 'body' &&
      gapBetween(prev.no, line.no) &&
      !gapBetween(line.no, next.no) &&
      line.text.normalize('NFKC').length <= 30 &&
      !numbered(line.text) &&
      !LIST_INTRO.test(line.text.normalize('NFKC')) &&
      SENTENCE_END.test(next.text.normalize('NFKC'))
    );
  };
  /** whether the line under line i, with no blank line between, is a field ("📍地址:……") */
  const fieldsUnder = (i: number) => {
    const next = nextOf(i);
    return next !== undefined && !gapBetween(lines[i]!.no, next.no) && isField(next.text.normalize('NFKC'));
  };
  /** whether line i stands right under a label a pictograph opens, or under a line that does */
  const underLabel = (i: number): boolean => {
    const above = lines[i - 1];
    if (!above || gapBetween(above.no, lines[i]!.no)) return false;
    const plainAbove = above.text.normalize('NFKC');
    return LABEL.test(plainAbove) || ORDINAL_HEADING.test(plainAbove) || (i > 1 && underLabel(i - 1));
  };
  /** the rows of a table whose header is line i, each in the header's words, and the index of its last line */
  const tableAt = (i: number): { rows: string[]; end: number } | undefined => {
    const header = lines[i] && cellsOf(lines[i]!.text);
    if (!header || header.some((h) => /^\d+$/.test(h)) || !header.some((h) => HEADER_CELL.test(h))) return undefined;
    const rows: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !gapBetween(lines[j - 1]!.no, lines[j]!.no); j++) {
      const cells = cellsOf(lines[j]!.text);
      if (!cells || cells.length < header.length) break;
      // a numbered row whose cells cannot be told apart is kept as printed
      if (cells.length > header.length) {
        if (!/^\d+$/.test(cells[0]!)) break;
        rows.push(cells.slice(1).join(' '));
        continue;
      }
      rows.push(
        header
          .map((h, k) => (NUMBER_COLUMN.test(h) ? '' : `${h}：${cells[k]}`))
          .filter(Boolean)
          .join('，'),
      );
    }
    return rows.length >= 2 ? { rows, end: j - 1 } : undefined;
  };
  /** the items of a list that starts after line i, and the index of its last line */
  const listAfter = (i: number): { items: string[]; end: number } | undefined => {
    const intro = lines[i]!;
    const items: string[] = [];
    let j = i + 1;
    let bulleted = false;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (QA_LINE.test(l.text.normalize('NFKC'))) break; // questions and answers, each read as one
      const isBullet = numbered(l.text) && l.kind !== 'heading';
      const shortItem = (l.kind === 'title' || l.kind === 'body') && !isBullet && titleLike(l.text);
      if (items.length === 0) {
        if (!isBullet && !(shortItem && LIST_INTRO.test(intro.text.normalize('NFKC')))) break;
        bulleted = isBullet;
      } else if (bulleted ? !isBullet : !shortItem || gapBetween(lines[j - 1]!.no, l.no)) break;
      items.push(l.text.replace(NUMBERING, '').replace(ITEM_END, '').trim());
    }
    return items.length >= 2 ? { items, end: j - 1 } : undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const { text: t, kind } = line;
    const plain = t.normalize('NFKC');

    if (preview) {
      if (PREVIEW_FIELD.test(plain)) {
        preview.push(t);
        continue;
      }
      preview = undefined;
    }

    // a table ("序号 单位名称 报修电话" over rows of as many cells): each row a fact in the
    // header's words, under the line that names the table
    const named =
      current && kind === 'title' && !cellsOf(t) && !gapBetween(line.no, lines[i + 1]?.no ?? line.no) ? tableAt(i + 1) : undefined;
    const table = named ?? (current ? tableAt(i) : undefined);
    if (table) {
      for (const row of table.rows) current!.paragraphs.push({ section: named ? t : section, text: row });
      i = table.end;
      continue;
    }
    // a question and its answer on one line ("1.问:……?答:……"): the question heads the answer
    const qa = current || titles.length ? QA_LINE.exec(plain) : null;
    if (qa) {
      if (!current) openArticle();
      current!.paragraphs.push({ section: qa[1]!, text: qa[2]! });
      continue;
    }
    // a question and its answer ("Q:……?" over "A:……"): the question heads the answer
    const answer = QUESTION_LINE.test(plain) ? nextOfKind(i, (l) => l.kind !== 'furniture') : undefined; // (a time stamp between them aside)
    if ((current || titles.length) && answer && ANSWER_LINE.test(answer.text.normalize('NFKC'))) {
      if (!current) openArticle();
      section = t;
      continue;
    }
    // a heading numbered as official texts number them ("二、管制范围及措施") heads what follows
    if ((current || titles.length) && (kind === 'title' || kind === 'body') && ORDINAL_HEADING.test(plain)) {
      if (!current) openArticle();
      section = t;
      continue;
    }

    switch (kind) {
      case 'furniture':
        // "相关新闻" and the headlines of other stories listed under it are no part of the article
        if (RELATED.test(plain)) while (lines[i + 1] && (lines[i + 1]!.kind === 'title' || lines[i + 1]!.kind === 'furniture')) i++;
        // a post's counts of shares, comments and likes: readers' comments follow, not news
        if (ENGAGEMENT.test(plain)) i = lines.length;
        break;
      case 'meta': {
        const header = CHANNEL_HEADER.exec(plain) ?? PAGE_HEADER.exec(plain) ?? PAGE_HEADER_ANYWHERE.exec(plain);
        const reposted = REPOSTED.exec(plain);
        const dated = DATE_FIRST.exec(plain);
        const author = /(?:作者|记者)\s*[::]\s*([\u4e00-\u9fff·]{2,5})(?:\s|$)/.exec(plain);
        const source = SOURCE.exec(plain) ?? /来源\s*[::]\s*(\S+)/.exec(plain);
        const outlets = [
          header?.[1],
          ...(source ? source[1]!.split(/[/、\s]+/) : []),
          ...(OUTLET_LINE.test(plain) ? [plain] : []),
          reposted?.[1],
          dated?.[4] && OUTLET_WORD.test(dated[4]) ? dated[4] : undefined,
        ].filter((o): o is string => !!o && o.length >= 2);
        const printed = header
          ? header.slice(2, 5)
          : dated
            ? dated.slice(1, 4)
            : (/(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(plain) ?? SIGNED.exec(plain))?.slice(1, 4);
        const date = printed ? isoDay(printed[0]!, printed[1]!, printed[2]!) : undefined;
        const byline: Byline = { raw: t, outlets, reporters: author ? [author[1]!] : [], correspondents: [] };
        const target = header || PUBLISHED.test(plain) ? current : lastArticle();
        // "摄影:崔海洋" in a site's stamp: who took the pictures, as a caption credits them
        const photographer = /摄影\s*[::]\s*([\u4e00-\u9fff·]{2,5})(?:\s|$)/.exec(plain);
        if (photographer) (target ? target.captions : pendingCaptions).push(`摄影：${photographer[1]}`);
        if (target) {
          target.byline = merge(target.byline, byline);
          if (date && !target.date) target.date = date;
        } else {
          pendingByline = merge(pendingByline, byline);
          pendingDate ??= date;
        }
        break;
      }
      case 'preview':
        closeArticle();
        preview = [t];
        previewBlocks.push({ no: line.no, lines: preview });
        break;
      case 'byline': {
        const byline = parseByline(t)!;
        if (current && underNote)
          current.byline = merge(current.byline, byline); // the byline under that headline
        else if (current && current.paragraphs.length > 0) {
          current.byline = merge(current.byline, byline); // a byline after the text ends its article
          closeArticle();
        } else if (current || titles.length) {
          if (!current) openArticle();
          current!.byline = merge(current!.byline, byline);
        } else if (articles.length && !nextOf(i)) {
          articles[articles.length - 1]!.byline = merge(articles[articles.length - 1]!.byline, byline);
        } else {
          pendingByline = merge(pendingByline, byline); // printed above the headline
        }
        break;
      }
      case 'caption':
        if (current) current.captions.push(t);
        else pendingCaptions.push(t);
        break;
      case 'heading': {
        if (current && nextOf(i) && numbered(nextOf(i)!.text)) {
          i = addBody(i);
          break;
        } // "【划重点】" over a list
        const m = HEADING.exec(t);
        // a post that opens with its title in brackets ("【9号线一期今起空载试运行】"): its headline
        const bracketTitle = m?.[2] ?? m?.[3];
        if (!current && !titles.length && bracketTitle && bracketTitle.length >= 8) {
          titles.push(bracketTitle);
          break;
        }
        if (!current) openArticle();
        // "【划重点】现场审核" heads a section called 现场审核; "记者手记" one called so
        section = m ? (m[1] ?? m[2] ?? m[3]!).trim() : plain.replace(/[::]$/, '');
        break;
      }
      case 'subtitle':
        if (titles.length && !current) subtitle = t.replace(/^——\s*/, '');
        else if (current && current.paragraphs.length === 0) current.subtitle = t.replace(/^——\s*/, '');
        else i = addBody(i);
        break;
      case 'title':
        // a separator ("——————", "02") before a title: the next article of a digest begins
        if (current && current.paragraphs.length > 0 && i > 0 && SEPARATOR.test(lines[i - 1]!.text.normalize('NFKC'))) {
          closeArticle();
          titles.push(t);
          break;
        }
        // the headline under an editor's note that opened the page ("【编者按】……")
        if (current && current.headline === '' && current.paragraphs.length > 0 && current.paragraphs.every((p) => p.section)) {
          current.headline = t;
          section = undefined;
          underNote = true;
          break;
        }
        if (current && current.paragraphs.length > 0 && (LABEL.test(plain) || (numbered(t) && fieldsUnder(i)))) {
          // "⏰ 开诊时间", or "1⃣ 海泊河夜市" over its fields, heads the lines under it
          section = plain.replace(NUMBERING, '').replace(DECORATION, '').trim();
        } else if (current && underLabel(i)) {
          i = addBody(i); // a line under such a label ("周一至周五 17:30—21:00") is what the label gives
        } else if (current && isOpen(lastParagraph()) && !numbered(t) && lastParagraph()!.section === section && !/[!?!?]$/.test(plain)) {
          lastParagraph()!.text += t; // a layout break inside a sentence
        } else if (current && current.paragraphs.length > 0 && opensSection(i)) {
          section = t; // the headline of a brief, or a subheading, over the paragraph right under it
        } else if (current && current.paragraphs.length > 0 && (!startsArticle(i) || listAfter(i))) {
          i = addBody(i); // a line of the article's own, or one that introduces a list
        } else if (!current && !titles.length && articles.length && !startsArticle(i) && !nextOf(i)) {
          warn(line.no, `"${t}" follows the last article and starts none: kept as its last paragraph`);
          current = articles.pop();
          i = addBody(i);
        } else {
          if (current && current.paragraphs.length > 0)
            closeArticle(); // a new article with no byline before it
          else if (current) {
            titles = [...current.kickers, current.headline].filter(Boolean);
            pendingCaptions = current.captions;
            pendingByline = current.byline;
            current = undefined;
          }
          titles.push(t);
        }
        break;
      case 'body':
        i = addBody(i);
        break;
    }
  }
  closeArticle();
  if (titles.length) {
    const last = articles[articles.length - 1];
    const where = lines.find((l) => l.text === titles[0])?.no ?? lines.length;
    if (last) {
      warn(where, `title lines with no article after them ("${titles.join(' / ')}"): kept as the last article's paragraphs`);
      for (const t of titles) last.paragraphs.push({ text: t });
    } else {
      warn(where, `a page of title lines only ("${titles.join(' / ')}"): read as one article with these lines as its text`);
      articles.push({
        id: `${name}#1`,
        page: name,
        kickers: [],
        headline: '',
        paragraphs: titles.map((t) => ({ text: t })),
        captions: pendingCaptions,
      });
    }
  }

  /** Adds line i to the current article as body text; returns the last line it took (a list takes the lines after it). */
  function addBody(i: number): number {
    underNote = false;
    const line = lines[i]!;
    const t = line.text;
    const plain = t.normalize('NFKC');
    if (!current) openArticle(t);
    const article = current!;
    const last = lastParagraph();
    if (line.continues && last && !last.list && last.section === section) {
      last.text += t; // the printed column's next line
      return i;
    }
    if (
      last &&
      isOpen(last) &&
      last.section === section &&
      !DATELINE.test(plain) &&
      !numbered(t) &&
      !LIST_INTRO.test(plain) &&
      !isField(plain)
    ) {
      last.text += t; // the rest of a sentence the layout cut
      return i;
    }
    // the fields of a notice one under another ("时间:…" "地点:…") are one fact, read together
    const above = lines[i - 1];
    if (
      last &&
      !last.list &&
      last.section === section &&
      isField(plain) &&
      above !== undefined &&
      isField(above.text.normalize('NFKC')) &&
      !gapBetween(above.no, line.no) &&
      last.text.endsWith(above.text)
    ) {
      last.text += `；${t}`;
      return i;
    }
    // an item numbered "三、" ends the part a heading "二、……" opened
    if (/^[一二三四五六七八九十]{1,3}、/.test(plain)) section = undefined;
    let body = t;
    const dateline = article.paragraphs.length === 0 ? DATELINE.exec(plain) : null;
    if (dateline) {
      article.dateline = plain.slice(0, dateline[0].length).trim();
      if (dateline[2]) article.date = isoDay(year, dateline[2], dateline[3]!);
      const outlets = (dateline[1] ?? '').split(/[/、]+/).filter((o) => o && OUTLET_WORD.test(o));
      if (outlets.length) article.byline = merge(article.byline, { raw: article.dateline, outlets, reporters: [], correspondents: [] });
      body = plain.slice(dateline[0].length).trim();
      // "…讯(记者 王佳琪 通讯员 刘海燕)上班族看病有了新选择。"
      const credit = /^[((]([^()()]{2,40})[))]\s*/.exec(body);
      const byline = credit ? parseByline(credit[1]!) : undefined;
      if (byline) {
        article.byline = merge(article.byline, byline);
        body = body.slice(credit![0].length);
      }
      if (!body) return i;
    }
    // "【记者林佩璇/青岛报道】" opening the text: who reported it, and from where
    const reported = article.paragraphs.length === 0 ? REPORTED_FROM.exec(plain) : null;
    if (reported) {
      article.byline = merge(article.byline, { raw: reported[0], outlets: [], reporters: [reported[1]!], correspondents: [] });
      body = plain.slice(reported[0].length).trim();
      if (!body) return i;
    }
    const list = (LIST_INTRO.test(plain) || (nextOf(i) && numbered(nextOf(i)!.text))) && !tableAt(i + 1) ? listAfter(i) : undefined;
    article.paragraphs.push(list ? { section, text: body, list: { intro: body, items: list.items } } : { section, text: body });
    return list ? list.end : i;
  }

  const date = named?.iso ?? articles.find((a) => a.date)?.date;
  for (const a of articles) a.date ??= date;

  const sessions = [];
  for (const block of previewBlocks) {
    const { session, warning } = parsePreview(block.lines.slice(1), `${name}:${block.no}`, year, date);
    if (warning) warnings.push(warning);
    if (session) sessions.push(session);
  }
  // an article copied twice into the page is read once
  const seen = new Set<string>();
  const once = articles.filter((a) => {
    const key = [a.headline, ...a.paragraphs.map((p) => p.text)].join('\n');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { name, year, date, articles: once.filter((a) => a.paragraphs.length > 0 || a.captions.length > 0), sessions, warnings };
}
