/**
 * Body paragraphs → sentences → clauses. A sentence ends at 。!? (with its closing quotes);
 * a tail too short to stand alone ("丛德有介绍。") stays with the sentence before it.
 * Clauses are the comma- and semicolon-separated parts of a sentence, used to trim long replies.
 */

const SENTENCE = /[^。!?!?]*(?:[。!?!?]+[”’"'」』)]*|$)/g;
const MIN_SENTENCE = 8;

/** Splits a paragraph into sentences. */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  for (const m of paragraph.matchAll(SENTENCE)) {
    const s = m[0].trim();
    if (!s) continue;
    const bare = s.replace(/[\p{P}\s]/gu, '');
    if (out.length && bare.length < MIN_SENTENCE) out[out.length - 1] += s;
    else out.push(s);
  }
  return out;
}

/** Splits a sentence into clauses; the separators stay at the end of each clause. */
export function splitClauses(sentence: string): string[] {
  return sentence.match(/[^,;,;:]+[,;,;:]?/g) ?? [sentence];
}
