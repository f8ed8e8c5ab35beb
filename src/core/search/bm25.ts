/**
 * BM25 over short documents (fact sentences), with an inverted index so that a query touches only
 * the documents that share a term with it. A document has body terms and context terms (headline,
 * section); context terms count with a lower weight.
 *
 * While documents are added, postings are gathered as one flat run of (term, document, frequency)
 * in typed arrays; the first read sorts them into per-term postings (document numbers ascending,
 * searched by bisection), all in two flat arrays. Adding more documents after that gathers them
 * again (postings looked up before are then out of date).
 */

import { TermNumbers } from '../text/term-numbers.js';

export interface Bm25Options {
  k1?: number;
  b?: number;
  contextWeight?: number;
  /** term numbers shared with other indexes (see TermNumbers); the index's own by default */
  numbers?: TermNumbers;
}

/** The documents holding one term. */
export interface Postings {
  docs: Int32Array;
  tfs: Float64Array;
  /** each posting's share of a BM25 score, worked out (when first searched) for an index of `weightFor` documents */
  weights: Float64Array | undefined;
  weightFor: number;
  /** idf, worked out for an index of `idfFor` documents */
  idf: number;
  idfFor: number;
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Postings in the order they were added: term numbers, documents, frequencies, in chunks. */
class Gathered {
  private static readonly CHUNK = 1 << 16;
  readonly terms: Int32Array[] = [];
  readonly docs: Int32Array[] = [];
  readonly tfs: Float64Array[] = [];
  length = 0;

  /** Adds a posting; returns where it is (see `addTf`). */
  push(term: number, doc: number, tf: number): number {
    const chunk = this.length >>> 16;
    const at = this.length & (Gathered.CHUNK - 1);
    if (at === 0) {
      // the first chunk starts small and grows (a small corpus needs little); the others are whole
      const size = chunk === 0 ? 1024 : Gathered.CHUNK;
      this.terms.push(new Int32Array(size));
      this.docs.push(new Int32Array(size));
      this.tfs.push(new Float64Array(size));
    } else if (at === this.terms[chunk]!.length) {
      this.terms[chunk] = grown(this.terms[chunk]!, new Int32Array(at * 2));
      this.docs[chunk] = grown(this.docs[chunk]!, new Int32Array(at * 2));
      this.tfs[chunk] = grown(this.tfs[chunk]!, new Float64Array(at * 2));
    }
    this.terms[chunk]![at] = term;
    this.docs[chunk]![at] = doc;
    this.tfs[chunk]![at] = tf;
    return this.length++;
  }

  /** Adds to the frequency of the posting at `where`. */
  addTf(where: number, tf: number): void {
    this.tfs[where >>> 16]![where & (Gathered.CHUNK - 1)]! += tf;
  }

  /** Visits every posting in the order added. */
  forEach(visit: (term: number, doc: number, tf: number) => void): void {
    for (let c = 0; c < this.terms.length; c++) {
      const n = Math.min(Gathered.CHUNK, this.length - c * Gathered.CHUNK);
      const terms = this.terms[c]!;
      const docs = this.docs[c]!;
      const tfs = this.tfs[c]!;
      for (let i = 0; i < n; i++) visit(terms[i]!, docs[i]!, tfs[i]!);
    }
  }
}

export class Bm25Index {
  readonly numbers: TermNumbers;
  /** per term number: the last document it was posted to (-1: none yet), and where that posting is */
  private lastDoc = new Int32Array(256).fill(-1);
  private lastAt = new Int32Array(256);
  private gathered: Gathered | undefined = new Gathered();
  /** per term number, once gathered postings are sorted; undefined for a term no document holds */
  private table: Array<Postings | undefined> = [];
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
    this.numbers = options.numbers ?? new TermNumbers();
  }

  /** A term's number, given to it now if it has none (for `addTerms`). */
  termId(term: string): number {
    return this.room(this.numbers.of(term));
  }

  /** Makes room for a term number met in `addTerms` (shared numbers may have grown meanwhile). */
  private room(id: number): number {
    if (id >= this.lastDoc.length) {
      const size = Math.max(id + 1, this.lastDoc.length * 2);
      const lastDoc = new Int32Array(size).fill(-1);
      lastDoc.set(this.lastDoc);
      this.lastDoc = lastDoc;
      this.lastAt = grown(this.lastAt, new Int32Array(size));
    }
    return id;
  }

  /** Adds a document; returns its number (documents are numbered from 0 in the order added). */
  add(body: string[], context: string[] = []): number {
    return this.addTerms(body.map((t) => this.termId(t)), context.map((t) => this.termId(t)));
  }

  /**
   * `add`, for terms numbered by the index's `numbers` (a builder that meets a term often looks it
   * up once; with shared numbers, once for several indexes).
   */
  addTerms(body: ArrayLike<number>, context: ArrayLike<number> = []): number {
    const doc = this.lengths.length;
    const gathered = this.gathering();
    if (this.numbers.size > this.lastDoc.length) this.room(this.numbers.size - 1); // every term has a number below size
    const { lastDoc, lastAt } = this;
    for (let i = 0; i < body.length; i++) {
      const t = body[i]!;
      if (lastDoc[t] === doc) gathered.addTf(lastAt[t]!, 1);
      else { lastAt[t] = gathered.push(t, doc, 1); lastDoc[t] = doc; }
    }
    for (let i = 0; i < context.length; i++) {
      // a context term counts once, and not at all on top of the same term in the body
      const t = context[i]!;
      if (lastDoc[t] !== doc) { lastAt[t] = gathered.push(t, doc, this.contextWeight); lastDoc[t] = doc; }
    }
    this.lengths.push(body.length);
    this.totalLength += body.length;
    return doc;
  }

  /** The gathered postings, taken back out of the per-term table if it was sorted already. */
  private gathering(): Gathered {
    if (this.gathered) return this.gathered;
    const gathered = new Gathered();
    this.table.forEach((p, t) => {
      if (!p) return;
      for (let i = 0; i < p.docs.length; i++) this.lastAt[t] = gathered.push(t, p.docs[i]!, p.tfs[i]!);
    });
    this.table = [];
    return (this.gathered = gathered);
  }

  /** Per term number, its postings: the gathered ones sorted by term (a counting sort, which keeps document order). */
  private postingsTable(): Array<Postings | undefined> {
    const gathered = this.gathered;
    if (!gathered) return this.table;
    const terms = this.numbers.size;
    const starts = new Int32Array(terms + 1);
    gathered.forEach((term) => { starts[term + 1]!++; });
    for (let t = 0; t < terms; t++) starts[t + 1]! += starts[t]!;
    const next = starts.slice(0, terms);
    const docs = new Int32Array(gathered.length);
    const tfs = new Float64Array(gathered.length);
    gathered.forEach((term, doc, tf) => {
      const at = next[term]!++;
      docs[at] = doc;
      tfs[at] = tf;
    });
    const table: Array<Postings | undefined> = new Array(terms);
    for (let t = 0; t < terms; t++) {
      const from = starts[t]!;
      const to = starts[t + 1]!;
      table[t] = from === to ? undefined : {
        docs: docs.subarray(from, to), tfs: tfs.subarray(from, to), weights: undefined, weightFor: -1, idf: 0, idfFor: -1,
      };
    }
    this.gathered = undefined;
    return (this.table = table);
  }

  get size(): number { return this.lengths.length; }

  /** How many documents hold the term. */
  df(term: string): number { return this.postingsOf(term)?.docs.length ?? 0; }

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

  /** The documents holding a term, for looking it up in many documents (see `tfIn`); undefined when none does. */
  postingsOf(term: string): Postings | undefined {
    const id = this.numbers.find(term);
    return id === undefined ? undefined : this.postingsTable()[id];
  }

  /** The term's frequency in one document: ≥ 1 in its body, below 1 in its context only, 0 absent. */
  tf(term: string, doc: number): number {
    return tfIn(this.postingsOf(term), doc);
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
    return this.searchPostings(query.map((term) => this.postingsOf(term)), commonDf);
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
