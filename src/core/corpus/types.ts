/** What the ingestion stage makes of a raw page. */

export interface Byline {
  raw: string;
  /** news outlets and sources, e.g. ["观海新闻", "青岛晚报"] */
  outlets: string[];
  reporters: string[];
  correspondents: string[];
  /** the editors a web page names at its end ("编辑：马骏") */
  editors?: string[];
}

/** A list a paragraph introduces ("名单如下:" and one name a line). */
export interface List {
  /** the sentence that introduces it, as printed */
  intro: string;
  items: string[];
}

export interface Paragraph {
  /** the section heading (">>>…") the paragraph sits under, if any */
  section?: string;
  text: string;
  /** when the paragraph introduces a list: the list (`text` is then its introduction) */
  list?: List;
}

export interface Article {
  /** `<page name>#<n>`, stable as long as the page is not edited */
  id: string;
  page: string;
  kickers: string[];
  /** '' when the page prints none (see compose.ts `articleName` for what a source line calls it then) */
  headline: string;
  /** a line under the headline that begins with a dash ("——闲置边角地变身居民“后花园”") */
  subtitle?: string;
  /** the dateline as printed, e.g. "本报3月29日讯" */
  dateline?: string;
  /** YYYY-MM-DD, from the dateline, the page's header, or the page's file name */
  date?: string;
  paragraphs: Paragraph[];
  /** photo captions and picture labels ("…摄", "图为…", "(效果图)", "资料图") */
  captions: string[];
  byline?: Byline;
}

/** A 民生在线 session announced in a page's preview block. */
export interface Session {
  page: string;
  /** ISO 8601 with the Asia/Shanghai offset, e.g. 2023-03-30T14:30:00+08:00 */
  start: string;
  end?: string;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  unit: string;
  /** the preview lines as printed */
  raw: string;
}

export interface Page {
  name: string;
  /** the year the page was printed in: from its file name, else its text */
  year: number;
  /** YYYY-MM-DD: the file name's date, else the first dateline's */
  date?: string;
  articles: Article[];
  sessions: Session[];
  warnings: string[];
}
