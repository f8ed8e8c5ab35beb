/**
 * BM25 over short documents, with an inverted index so that a query touches only the documents
 * that share a term with it. Documents are added, then the index is searched: the first search
 * packs each term's postings into a typed array, which a large index needs (the garbage collector
 * does not walk typed arrays, so they cost a long-running bot no pauses). Adding after a search
 * unpacks them again.
 */

export interface Bm25Options {
  /** term frequency saturation (BM25's k1) */
  k1: number;
  /** length normalisation (BM25's b) */
  b: number;
}

/** Documents and their scores: `values[i]` is the score of `docs[i]`; `max` the best of them (or a tiny positive number). */
export interface Scores {
  docs: Int32Array;
  values: Float64Array;
  max: number;
}

type Postings = number[] | Int32Array;

export class Bm25Index {
  /** per term: documents and frequencies, interleaved, documents ascending */
  private readonly postings = new Map<string, Postings>();
  private packed = false;
  private readonly lengths: number[] = [];
  private totalLength = 0;
  /** per document, its score while a search runs (zero again after) */
  private scratch = new Float64Array(0);
  /** the documents a search has touched so far, in the order first touched */
  private touched = new Int32Array(0);

  constructor(private readonly options: Bm25Options = { k1: 1.2, b: 0.75 }) {}

  get size(): number {
    return this.lengths.length;
  }

  /** Adds a document made of these terms; returns its number (0, 1, 2 … in the order added). */
  add(terms: string[]): number {
    if (this.packed) {
      for (const [t, list] of this.postings) this.postings.set(t, Array.from(list));
      this.packed = false;
    }
    const doc = this.lengths.length;
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [t, n] of counts) {
      const list = this.postings.get(t) as number[] | undefined;
      if (list) list.push(doc, n);
      else this.postings.set(t, [doc, n]);
    }
    this.lengths.push(terms.length);
    this.totalLength += terms.length;
    return doc;
  }

  /** A term's postings, packed on first use after documents were added. */
  private list(term: string): Postings | undefined {
    if (!this.packed) {
      for (const [t, list] of this.postings) this.postings.set(t, Int32Array.from(list));
      this.packed = true;
    }
    return this.postings.get(term);
  }

  /** How many documents hold the term. */
  df(term: string): number {
    return (this.list(term)?.length ?? 0) / 2;
  }

  /** Inverse document frequency (never negative); a term no document holds gets the highest. */
  idf(term: string): number {
    const n = this.df(term);
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** How many documents numbered from `from` to `to` (both included) hold the term. */
  countIn(term: string, from: number, to: number): number {
    const list = this.list(term);
    if (!list) return 0;
    // the first posting at or after a document, by bisection over the documents (even places)
    const firstAtOrAfter = (doc: number) => {
      let lo = 0;
      let hi = list.length / 2;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[2 * mid]! < doc) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return firstAtOrAfter(to + 1) - firstAtOrAfter(from);
  }

  /**
   * BM25 scores of the documents sharing a term with the query (each distinct term counted once).
   * A term held by more than `commonDf` documents is left out while the query has rarer ones: it
   * would touch much of the index and weigh next to nothing (its idf is near zero).
   */
  search(query: Iterable<string>, commonDf = COMMON_DF): Scores {
    if (this.scratch.length < this.size) {
      this.scratch = new Float64Array(this.size);
      this.touched = new Int32Array(this.size);
    }
    const acc = this.scratch;
    const touched = this.touched;
    let n = 0;
    const { k1, b } = this.options;
    const avg = this.totalLength / Math.max(1, this.size);
    const terms = [...new Set(query)].filter((t) => this.list(t));
    const rare = terms.some((t) => this.df(t) <= commonDf);
    for (const term of terms) {
      const list = this.list(term)!;
      if (rare && list.length / 2 > commonDf) continue;
      const idf = this.idf(term) * (k1 + 1);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i]!;
        const tf = list[i + 1]!;
        if (acc[doc] === 0) touched[n++] = doc;
        acc[doc]! += (idf * tf) / (tf + k1 * (1 - b + (b * this.lengths[doc]!) / avg));
      }
    }
    // plain loops: the scores are read as unboxed numbers, and a search may touch tens of thousands
    const docs = touched.slice(0, n);
    const values = new Float64Array(n);
    let max = MIN_MAX;
    for (let i = 0; i < n; i++) {
      const v = acc[docs[i]!]!;
      values[i] = v;
      if (v > max) max = v;
      acc[docs[i]!] = 0;
    }
    return { docs, values, max };
  }
}

/** The `max` of a search that touched nothing, so that scores can be divided by it. */
export const MIN_MAX = 1e-9;

/** Posting lists longer than this are left out of a search while it has rarer terms. */
export const COMMON_DF = 5000;

/** The `k` best documents of a search, best first (equal scores in document order). */
export function best(scores: Scores, k: number): Array<{ doc: number; score: number }> {
  // one pass keeping the k best in order: a search can touch tens of thousands of documents
  const top: Array<{ doc: number; score: number }> = [];
  const before = (a: { doc: number; score: number }, b: { doc: number; score: number }) =>
    a.score > b.score || (a.score === b.score && a.doc < b.doc);
  for (let i = 0; i < scores.docs.length; i++) {
    const last = top[k - 1];
    if (last && (scores.values[i]! < last.score || (scores.values[i] === last.score && scores.docs[i]! > last.doc))) continue;
    const item = { doc: scores.docs[i]!, score: scores.values[i]! };
    let at = Math.min(top.length, k - 1);
    while (at > 0 && before(item, top[at - 1]!)) at--;
    top.splice(at, 0, item);
    if (top.length > k) top.pop();
  }
  return top;
}
