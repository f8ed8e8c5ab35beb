/**
 * Entities a question can be about: a place (district, city), an organisation (bank, bureau), a
 * product term ("5年期") or a period ("一季度", "2023年"). A question about one the corpus never
 * mentions must not be answered with another one's facts as if they were its own.
 */
import type { Lexicon } from './text/lexicon.js';
import { wordInfo, type Word, type WordInfo } from './text/segment.js';

export type EntityKind = 'place' | 'org' | 'term' | 'period';

export interface Entity {
  kind: EntityKind;
  text: string;
  /** the words of the question it was read from ("2022" and "年" for "2022年") */
  words: string[];
}

const ORG = /^.{2,}(银行|分行|支行|局|委员会|集团|公司|医院)$/;
const PLACE = /^.{2,}(区|县|市|镇|街道)$/;
const TERM = /^\d+年期$/;
const QUARTER = /^[一二三四1-4]季度$/;
const YEAR = /^(19|20)\d{2}$/;
/** Words shaped like places that name no particular place. */
const GENERIC_PLACE = /^(各区市|全市区|本市区|新城区|老城区|主城区|中心城区)$/;

/**
 * Entities in segmented, normalised text, in order, de-duplicated. Read from the words' shapes
 * (a place ends in 区/市/县…, an organisation in 银行/局…), so that one jieba pass serves.
 */
export function findEntities(words: ReadonlyArray<string | Word>, lexicon: Lexicon): Entity[] {
  const reader = new EntityReader(lexicon);
  for (const w of words) reader.push(typeof w === 'string' ? w : w.word);
  return reader.found;
}

/** Reads entities a word at a time, in order (see findEntities): for a builder walking words once. */
export class EntityReader {
  /** the entities read so far, in order, de-duplicated */
  readonly found: Entity[] = [];
  /** a number just read, which the next word may make a term ("5" "年期") or a year ("2023" "年") */
  private number = '';

  constructor(private readonly lexicon: Lexicon) {}

  /** The next word; `info` is what the lexicon makes of it, when the caller has it at hand. */
  push(word: string, info?: WordInfo): void {
    const number = this.number;
    if (number) {
      this.number = '';
      if (word === '年期' && /^\d+$/.test(number)) this.add('term', `${number}年期`, [number, word]);
      else if (word === '年' && YEAR.test(number)) this.add('period', `${number}年`, [number, word]);
    }
    if (word.length < 2) return; // every entity has two characters at least
    const about = info ?? wordInfo(word, this.lexicon);
    const w = about.canonical;
    const first = w.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39) { // a number: a term ("5年期") or a year
      if (TERM.test(w)) this.add('term', w, [w]);
      else this.number = w;
      return;
    }
    if (about.kind === undefined) about.kind = kindOf(w);
    if (about.kind) this.add(about.kind, w, [w]);
  }

  private add(kind: EntityKind, text: string, parts: string[]): void {
    for (const e of this.found) if (e.kind === kind && e.text === text) return;
    this.found.push({ kind, text, words: parts });
  }
}

/** word → the kind of entity its shape says it is (memoised: words repeat). */
const kinds = new Map<string, EntityKind | null>();

function kindOf(w: string): EntityKind | null {
  let kind = kinds.get(w);
  if (kind === undefined) {
    kind = QUARTER.test(w) ? 'period' : ORG.test(w) ? 'org' : PLACE.test(w) && !GENERIC_PLACE.test(w) ? 'place' : null;
    if (kinds.size < 500_000) kinds.set(w, kind);
  }
  return kind;
}
