/**
 * Entities a question can be about: a place (district, city), an organisation (bank, bureau), a
 * product term ("5年期") or a period ("一季度", "2023年"). A question about one the corpus never
 * mentions must not be answered with another one's facts as if they were its own.
 */
import type { Lexicon } from './text/lexicon.js';
import { canonical, meaningful, type Word } from './text/segment.js';

export type EntityKind = 'place' | 'org' | 'term' | 'period';

export interface Entity {
  kind: EntityKind;
  /** its canonical text ("工商银行" for "工行") */
  text: string;
  /** where it stands in the text it was read from */
  start: number;
  end: number;
}

const ORG = /^.{2,}(银行|分行|支行|农商行|局|委员会|集团|公司|医院)$/;
const PLACE = /^.{2,}(区|县|市|镇|街道)$/;
const TERM = /^\d+年期$/;
const QUARTER = /^[一二三四1-4]季度$/;
const YEAR = /^(19|20)\d{2}$/;
/** Words that end a place's or organisation's name, which jieba may leave apart from the name. */
const PLACE_SUFFIX = /^(区|县|市|镇)$/;
const ORG_SUFFIX = /^(银行|分行|支行|局|公司|集团|医院)$/;

/** Whether the lexicon names this word: a user-dictionary word or a synonym. */
function knownName(word: string, lexicon: Lexicon): boolean {
  return lexicon.synonyms.has(word) || [...lexicon.synonyms.values()].includes(word) || lexicon.userWords.some((w) => w.word === word);
}

/** A word that can be part of a name: Chinese characters, not a stop word, not a name already. */
function nameLike(x: Word, lexicon: Lexicon): boolean {
  return /^[\u4e00-\u9fff]{1,3}$/.test(x.word) && meaningful(x.word, lexicon) && !entityKind(x.word);
}
/** A kind of area ("游览区", "停车区"): a place's name may stand before it, but alone it names none. */
const AREA_KIND =
  /^(?:旅游景|风景名胜|名胜|游览|风景|旅游|度假|观光|观景|服务|保护|示范|功能|商业|住宅|居住|生活|办公|商务|核心|停车|候车|候诊|就诊|施工|作业|隔离|缓冲|安置|试验|管控|封控|开发|工业|产业|娱乐|活动|健身|游乐|展示|体验|售票|安检|养殖|种植|风险|禁烟|吸烟|餐饮)区$/;
/** Words shaped like places or organisations that name no particular one. */
const GENERIC = /^(?:各区市|全市区|本市区|(?:新|老|主|中心)城区|特色小镇|商业银行|各银行|银行业|分支行)$/;

/** The kind of entity a word's shape says it is, or undefined. */
export function entityKind(word: string): EntityKind | undefined {
  if (TERM.test(word)) return 'term';
  if (QUARTER.test(word)) return 'period';
  if (GENERIC.test(word) || AREA_KIND.test(word)) return undefined;
  if (ORG.test(word)) return 'org';
  if (PLACE.test(word)) return 'place';
  return undefined;
}

/** The words from `from` to `to` (not included) as one text. */
const joined = (words: Word[], from: number, to: number) =>
  words
    .slice(from, to)
    .map((x) => x.word)
    .join('');

/** Where a name jieba cut into single characters begins, at most `most` of them right before word `at`. */
function charsBefore(words: Word[], at: number, most: number, lexicon: Lexicon): number {
  let from = at;
  while (from > 0 && at - from < most && words[from - 1]!.word.length === 1 && nameLike(words[from - 1]!, lexicon)) from--;
  return from;
}

/** A place's short name: "李沧" of 李沧区. */
export const shortPlaceName = (text: string) => text.replace(/[区县市]$/, '');

/**
 * Entities in segmented, normalised text, in order, each once. Read from the words' shapes (a place
 * ends in 区/市/县…, an organisation in 银行/局…), with a year ("2023" + "年") and a term ("5" +
 * "年期") read across two words; a district jieba splits into name + 区 ("李沧" "区") is joined.
 */
export function findEntities(words: Word[], lexicon: Lexicon): Entity[] {
  const found: Entity[] = [];
  const add = (kind: EntityKind, text: string, start: number, end: number) => {
    if (!found.some((e) => e.kind === kind && e.text === text)) found.push({ kind, text, start, end });
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    const word = canonical(w.word, lexicon);
    if (/^\d+$/.test(word) && next) {
      if (next.word === '年期') {
        add('term', `${word}年期`, w.start, next.end);
        i++;
        continue;
      }
      if (next.word === '年' && YEAR.test(word)) {
        add('period', `${word}年`, w.start, next.end);
        i++;
        continue;
      }
    }
    if (/^\d{4}年$/.test(word) && YEAR.test(word.slice(0, 4))) {
      add('period', word, w.start, w.end);
      continue;
    }
    // a name jieba cuts into characters before its 区/县/市 ("李" "沧" "区"), or leaves apart from
    // its 银行/局 ("青岛" "农商" "银行")
    if (next && nameLike(w, lexicon)) {
      const place = PLACE_SUFFIX.test(next.word) && word.length === 1;
      const org = ORG_SUFFIX.test(next.word) && word.length <= 2;
      let from = i;
      if (place) from = charsBefore(words, i, 2, lexicon);
      // a word before it belongs to the name only when the lexicon knows the whole ("青岛" "农商" "银行")
      if (
        org &&
        from > 0 &&
        words[from - 1]!.word.length === 2 &&
        nameLike(words[from - 1]!, lexicon) &&
        knownName(joined(words, from - 1, i + 1) + next.word, lexicon)
      )
        from--;
      const name = canonical(joined(words, from, i + 1) + next.word, lexicon);
      const kind = place || org ? entityKind(name) : undefined;
      if (name.length >= 3 && (kind === 'place' || kind === 'org')) {
        add(kind, name, words[from]!.start, next.end);
        i++;
        continue;
      }
    }
    // a kind of area after a name jieba cuts into characters ("北" "九" "水" "游览区") is a place
    if (AREA_KIND.test(word)) {
      const from = charsBefore(words, i, 4, lexicon);
      if (i - from >= 2) add('place', joined(words, from, i + 1), words[from]!.start, w.end);
      continue;
    }
    const kind = word.length >= 2 ? entityKind(word) : undefined;
    if (kind) add(kind, word, w.start, w.end);
  }
  return found;
}
