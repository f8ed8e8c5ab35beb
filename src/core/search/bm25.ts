/**
 * BM25 over short documents (fact sentences), with an inverted index so that a query touches only
 * the documents that share a term with it. A document has body terms and context terms (headline,
 * section); context terms count with a lower weight. Postings are kept as plain arrays of document
 * numbers (ascending) and term frequencies: cheap to build, and searched by bisection.
 */

export interface Bm25Options { k1?: number; b?: number; contextWeight?: number }

/** The documents holding one term. */
export interface Postings {
  docs: number[];
  tfs: number[];
  /** each posting's share of a BM25 score, worked out (when first searched) for an index of `weightFor` documents */
  weights: Float64Array | undefined;
  weightFor: number;
  /** idf, worked out for an index of `idfFor` documents */
  idf: number;
  idfFor: number;
}

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

  /** The postings of a term, made empty if the index has none yet (for `addPostings`). */
  entry(term: string): Postings {
    let p = this.postings.get(term);
    if (!p) this.postings.set(term, (p = { docs: [], tfs: [], weights: undefined, weightFor: -1, idf: 0, idfFor: -1 }));
    return p;
  }

  /** Adds a document; returns its number (documents are numbered from 0 in the order added). */
  add(body: string[], context: string[] = []): number {
    return this.addPostings(body.map((t) => this.entry(t)), context.map((t) => this.entry(t)));
  }

  /** `add`, for terms already looked up with `entry` (a builder that meets a term often looks it up once). */
  addPostings(body: Postings[], context: Postings[] = []): number {
    const doc = this.lengths.length;
    for (const p of body) {
      const last = p.docs.length - 1;
      if (last >= 0 && p.docs[last] === doc) p.tfs[last]! += 1;
      else { p.docs.push(doc); p.tfs.push(1); }
    }
    for (const p of context) {
      // a context term counts once, and not at all on top of the same term in the body
      const last = p.docs.length - 1;
      if (last < 0 || p.docs[last] !== doc) { p.docs.push(doc); p.tfs.push(this.contextWeight); }
    }
    this.lengths.push(body.length);
    this.totalLength += body.length;
    return doc;
  }

  get size(): number { return this.lengths.length; }

  /** How many documents hold the term. */
  df(term: string): number { return this.postings.get(term)?.docs.length ?? 0; }

  /** Inverse document frequency (BM25+ style, never negative); an unseen term gets the highest. */
  idf(term: string): number { return this.idfFor(this.df(term)); }

  /** The idf of a term held by `n` documents. */
  idfFor(n: number): number { return Math.log(1 + (this.size - n + 0.5) / (n + 0.5)); }

  /** The idf of a term from its postings (worked out once per index size). */
  idfOf(p: Postings | undefined): number {
    if (!p) return this.idfFor(0);
    if (p.idfFor !== this.size) { p.idf = this.idfFor(p.docs.length); p.idfFor = this.size; }
    return p.idf;
  }

  /** The documents holding a term, for looking it up in many documents (see `tfIn`). */
  postingsOf(term: string): Postings | undefined { return this.postings.get(term); }

  /** The term's frequency in one document: ≥ 1 in its body, below 1 in its context only, 0 absent. */
  tf(term: string, doc: number): number {
    return tfIn(this.postings.get(term), doc);
  }

  /** Whether the document holds the term, in its body or its context. */
  has(term: string, doc: number): boolean { return this.tf(term, doc) > 0; }

  /** Whether the term is in the document's own text (not only its context). */
  inBody(term: string, doc: number): boolean { return this.tf(term, doc) >= 1; }

  /** Per document, BM25's length normaliser k1·(1 − b + b·len/avg); worked out again after `add`. */
  private norms = new Float64Array(0);

  private lengthNorms(): Float64Array {
    if (this.norms.length !== this.size) {
      const avg = this.totalLength / Math.max(1, this.size);
      const { k1, b } = this;
      this.norms = Float64Array.from(this.lengths, (len) => k1 * (1 - b + b * len / avg));
    }
    return this.norms;
  }

  /** What each document of a term's postings adds to a BM25 score (worked out once per index size). */
  private weightsOf(p: Postings): Float64Array {
    if (p.weights && p.weightFor === this.size) return p.weights;
    const norms = this.lengthNorms();
    const { docs, tfs } = p;
    const n = docs.length;
    const idf = Math.log(1 + (this.size - n + 0.5) / (n + 0.5)) * (this.k1 + 1);
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = idf * tfs[i]! / (tfs[i]! + norms[docs[i]!]!);
    p.weights = weights;
    p.weightFor = this.size;
    return weights;
  }

  /**
   * BM25 scores of every document sharing a term with the query, as parallel arrays. A term held by
   * more than `commonDf` documents is left out while the query has rarer ones: it would touch much
   * of the index and weigh little (its idf is near zero).
   */
  search(query: string[], commonDf = COMMON_DF): Scores {
    return this.searchPostings(query.map((term) => this.postings.get(term)), commonDf);
  }

  /** `search`, for query terms already looked up with `postingsOf`. */
  searchPostings(query: Array<Postings | undefined>, commonDf = COMMON_DF): Scores {
    if (this.scratch.length < this.size) this.scratch = new Float64Array(this.size);
    const acc = this.scratch;
    const touched: number[] = [];
    const found: Postings[] = [];
    let rare = 0;
    for (let i = 0; i < query.length; i++) {
      const p = query[i];
      if (!p || found.includes(p)) continue; // unknown, or a repeated term
      found.push(p);
      if (p.docs.length <= commonDf) rare++;
    }
    for (let f = 0; f < found.length; f++) {
      const p = found[f]!;
      if (rare > 0 && p.docs.length > commonDf) continue;
      const { docs } = p;
      const weights = this.weightsOf(p);
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        if (acc[doc] === 0) touched.push(doc);
        acc[doc]! += weights[i]!;
      }
    }
    const values: number[] = new Array(touched.length);
    for (let i = 0; i < touched.length; i++) { values[i] = acc[touched[i]!]!; acc[touched[i]!] = 0; }
    return { docs: touched, values };
  }
}

/** A term's frequency in one document, from its postings (see `Bm25Index.tf`). */
export function tfIn(p: Postings | undefined, doc: number): number {
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

/** Documents and their scores: `values[i]` is the score of `docs[i]`. */
export interface Scores { docs: number[]; values: number[] }

/** Posting lists longer than this are skipped while a query has rarer terms. */
export const COMMON_DF = 5000;
