/**
 * Body paragraphs → sentences → clauses. A sentence ends at 。！？ (with its closing quotes), not
 * within a title's 《》;
 * a short tail that only says who spoke ("丛德有介绍。") or next to nothing ("是。") stays with the
 * sentence before it. A short sentence that says something ("谥号“章皇后”。", "终年66岁。") stands
 * alone: a reply leads with the sentence that answers.
 * Clauses are the comma- and semicolon-separated parts of a sentence, used to trim long replies.
 */

/** Sentence ends (。！？ and their half-width forms), with the closing quotes and brackets after them. */
const SENTENCE = /[^\u3002\uff01\uff1f!?]*(?:[\u3002\uff01\uff1f!?]+[\u201d\u2019"'\u300d\u300f\uff09)]*|$)/g;
/** A sentence with fewer characters than this (punctuation aside) is short. */
const MIN_SENTENCE = 8;
/** A sentence with fewer characters than this (punctuation aside) says next to nothing alone. */
const MIN_SAYING = 3;
/** A short sentence that only says who spoke: "丛德有介绍。", "他表示。" */
const ATTRIBUTION = /(?:介绍|表示|说|称|指出|透露|坦言|回答|补充道|告诉记者|如是说)[。！？!?”’"'」』）)]*$/;

/** Splits a paragraph into sentences. */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  // a title's own ！ or ？ ("《我爱你！》") ends no sentence: a piece that closes an open 《 goes on
  let open = false;
  for (const m of paragraph.matchAll(SENTENCE)) {
    const s = m[0].trim();
    if (!s) continue;
    if (out.length && ((open && s.includes('》')) || isShort(s, MIN_SAYING) || (isShort(s, MIN_SENTENCE) && ATTRIBUTION.test(s))))
      out[out.length - 1] += s;
    else out.push(s);
    open = titleOpen(out[out.length - 1]!);
  }
  return out;
}

/** Whether a text has a 《 that no 》 after it closes. */
function titleOpen(text: string): boolean {
  return text.lastIndexOf('《') > text.lastIndexOf('》');
}

/** Whether a sentence has fewer than `min` characters besides punctuation and spaces. */
function isShort(sentence: string, min: number): boolean {
  // Chinese characters, Latin letters and digits count for sure: enough of them settles it
  let sure = 0;
  for (let i = 0; i < sentence.length && sure < min; i++) {
    const c = sentence.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) sure++;
  }
  return sure < min && sentence.replace(/[\p{P}\s]/gu, '').length < min;
}

/** Splits a sentence into clauses; the separators stay at the end of each clause. */
export function splitClauses(sentence: string): string[] {
  // ，；： and their half-width forms
  return sentence.match(/[^,;:\uff0c\uff1b\uff1a]+[,;:\uff0c\uff1b\uff1a]?/g) ?? [sentence];
}
