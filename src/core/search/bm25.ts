/**
 * BM25 over short documents (fact sentences), with an inverted index so that a query touches only
 * the documents that share a term with it. A document has body terms and context terms (headline,
 * section); context terms count with a lower weight. Postings are kept as plain arrays of document
 * numbers (ascending) and term frequencies: cheap to build, and searched by bisection.
 */

export interface Bm25Options { k1?: number; b?: number; contextWeight?: number }

interface Postings { docs: number[]; tfs: number[] }

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private readonly k1: number;
  private readonly b: number;
  readonly contextWeight: number;
  private scratch = new Float64Array(0);

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.contextWeight = options.contextWeight ?? 0.4;
  }

  private post(term: string, doc: number, tf: number): void {
    let p = this.postings.get(term);
    if (!p) this.postings.set(term, (p = { docs: [], tfs: [] }));
    const last = p.docs.length - 1;
    if (last >= 0 && p.docs[last] === doc) p.tfs[last]! += tf;
    else { p.docs.push(doc); p.tfs.push(tf); }
  }

  /** Adds a document; returns its number (documents are numbered from 0 in the order added). */
  add(body: string[], context: string[] = []): number {
    const doc = this.lengths.length;
    for (const t of body) this.post(t, doc, 1);
    for (const t of context) {
      const p = this.postings.get(t);
      const i = p ? p.docs.length - 1 : -1;
      // a context term counts once, and not at all on top of the same term in the body
      if (!(p && i >= 0 && p.docs[i] === doc)) this.post(t, doc, this.contextWeight);
    }
    this.lengths.push(body.length);
    this.totalLength += body.length;
    return doc;
  }

  get size(): number { return this.lengths.length; }

  /** How many documents hold the term. */
  df(term: string): number { return this.postings.get(term)?.docs.length ?? 0; }

  /** Inverse document frequency (BM25+ style, never negative); an unseen term gets the highest. */
  idf(term: string): number {
    const n = this.df(term);
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** The term's frequency in one document: ≥ 1 in its body, below 1 in its context only, 0 absent. */
  tf(term: string, doc: number): number {
    const p = this.postings.get(term);
    if (!p) return 0;
    const docs = p.docs;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = docs[mid]!;
      if (d === doc) return p.tfs[mid]!;
      if (d < doc) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
  }

  /** Whether the document holds the term, in its body or its context. */
  has(term: string, doc: number): boolean { return this.tf(term, doc) > 0; }

  /** Whether the term is in the document's own text (not only its context). */
  inBody(term: string, doc: number): boolean { return this.tf(term, doc) >= 1; }

  /**
   * BM25 scores of every document sharing a term with the query, as parallel arrays. A term held by
   * more than `commonDf` documents is left out while the query has rarer ones: it would touch much
   * of the index and weigh little (its idf is near zero).
   */
  search(query: string[], commonDf = COMMON_DF): Scores {
    if (this.scratch.length < this.size) this.scratch = new Float64Array(this.size);
    const acc = this.scratch;
    const touched: number[] = [];
    const avg = this.totalLength / Math.max(1, this.size);
    const { k1, b } = this;
    const found: Postings[] = [];
    let rare = 0;
    for (let i = 0; i < query.length; i++) {
      const p = this.postings.get(query[i]!);
      if (!p || found.includes(p)) continue; // unknown, or a repeated term
      found.push(p);
      if (p.docs.length <= commonDf) rare++;
    }
    for (const p of found) {
      if (rare > 0 && p.docs.length > commonDf) continue;
      const n = p.docs.length;
      const idf = Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
      const { docs, tfs } = p;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const tf = tfs[i]!;
        if (acc[doc] === 0) touched.push(doc);
        acc[doc]! += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * this.lengths[doc]! / avg));
      }
    }
    const values = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i++) { values[i] = acc[touched[i]!]!; acc[touched[i]!] = 0; }
    return { docs: touched, values };
  }
}

/** Documents and their scores: `values[i]` is the score of `docs[i]`. */
export interface Scores { docs: number[]; values: Float64Array }

/** Posting lists longer than this are skipped while a query has rarer terms. */
export const COMMON_DF = 5000;
