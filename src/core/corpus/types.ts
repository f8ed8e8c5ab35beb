/** What the ingestion stage makes of a raw page. */

export interface Byline {
  raw: string;
  /** news outlets, e.g. ["观海新闻", "青岛晚报"] */
  outlets: string[];
  reporters: string[];
  correspondents: string[];
}

export interface Paragraph {
  /** the section heading (">>>…") the paragraph sits under, if any */
  section?: string;
  text: string;
}

export interface Article {
  /** `<page name>#<n>`, stable as long as the page is not edited */
  id: string;
  page: string;
  kickers: string[];
  headline: string;
  /** the dateline as printed, e.g. "本报3月29日讯" */
  dateline?: string;
  /** YYYY-MM-DD, from the dateline or the page */
  date?: string;
  paragraphs: Paragraph[];
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
  /** the year the page was printed in, worked out from its text */
  year: number;
  /** YYYY-MM-DD of the first dateline, if any */
  date?: string;
  articles: Article[];
  sessions: Session[];
  warnings: string[];
}
