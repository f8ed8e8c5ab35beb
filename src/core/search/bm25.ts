/**
 * BM25 over short documents (fact sentences), with an inverted index so that a query touches only
 * the documents that share a term with it. A document has body terms and context terms (headline,
 * section); context terms count with a lower weight.
 */

export interface Bm25Options { k1?: number; b?: number; contextWeight?: number }

interface Posting { doc: number; tf: number }

export class Bm25Index {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private readonly k1: number;
  private readonly b: number;
  private readonly contextWeight: number;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.contextWeight = options.contextWeight ?? 0.4;
  }

  /** Adds a document; returns its number (documents are numbered from 0 in the order added). */
  add(body: string[], context: string[] = []): number {
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    for (const t of body) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of new Set(context)) tf.set(t, (tf.get(t) ?? 0) + this.contextWeight);
    for (const [term, f] of tf) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push({ doc, tf: f });
    }
    this.lengths.push(body.length);
    this.totalLength += body.length;
    return doc;
  }

  get size(): number { return this.lengths.length; }

  /** How many documents hold the term. */
  df(term: string): number { return this.postings.get(term)?.length ?? 0; }

  /** Inverse document frequency (BM25+ style, never negative); an unseen term gets the highest. */
  idf(term: string): number {
    const n = this.df(term);
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** Term frequency of a term in one document (0 when absent). */
  has(term: string, doc: number): boolean {
    const list = this.postings.get(term);
    if (!list) return false;
    // postings are in document order: binary search
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = list[mid]!.doc;
      if (d === doc) return true;
      if (d < doc) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  /** BM25 scores of every document sharing a term with the query. */
  search(query: string[]): Map<number, number> {
    const scores = new Map<number, number>();
    const avg = this.totalLength / Math.max(1, this.size);
    for (const term of new Set(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const { doc, tf } of list) {
        const norm = tf * (this.k1 + 1) / (tf + this.k1 * (1 - this.b + this.b * this.lengths[doc]! / avg));
        scores.set(doc, (scores.get(doc) ?? 0) + idf * norm);
      }
    }
    return scores;
  }
}
