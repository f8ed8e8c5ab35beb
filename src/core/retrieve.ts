/**
 * Retrieval, the stage between reading a question and deciding on an answer: the facts that might
 * answer it, each with what the decision needs to know about it.
 *
 * Candidates come from two channels over the same facts, keywords and character pairs (which
 * catch what a word-level match misses: a paraphrase that shares characters, a name jieba cut
 * apart), and from the articles that match best as a whole: a question is often about an article
 * whose answering sentence leaves the subject unsaid ("它", "该行").
 *
 * Each candidate gets features, plain numbers (most from 0 to 1): how much of the question it
 * covers by word, by character pair, with its article's headline and its neighbours, how well its
 * article matches, whether it holds the kind of answer asked for, whether it is about another
 * district or bank than the one asked about. The decision stage (decide.ts) reads them.
 */
import { type Entity, shortPlaceName } from './entities.js';
import { knows, type Fact, type Knowledge } from './knowledge.js';
import { type AnswerType, PRICE_MEASURE, type Question, type TimeAsked } from './question.js';
import { best, MIN_MAX, type Scores } from './search/bm25.js';
import { chineseNumeral } from './text/numerals.js';
import { literal } from './text/pattern.js';
import { bigrams, ROUTE } from './text/segment.js';

/** Feature names, in the order `Candidate.features` holds them. */
export const FEATURES = [
  // how much of the question the fact covers: by word with its context, by character pair with its
  // context and neighbours, by pairs rare in its article, by single characters, in one stretch
  'wordCoverContext',
  'charCover',
  'charCoverContext',
  'charCoverNear',
  'charCoverLocal',
  'charSingles',
  'window',
  // how well its article matches as a whole, and how much of the headline the question holds
  'articleMatch',
  'topArticle',
  'headlineAsked',
  // whether it holds the kind of answer asked for, in the unit asked, between the words around the question word
  'typeFound',
  'typeMissing',
  'typeNew',
  'measureFound',
  'measureMissing',
  'around',
  'focusFound',
  // what kind of fact it is and where it stands
  'novel',
  'lead',
  'title',
  'heading',
  'list',
  'caption',
  'byline',
  'length',
  'bestInArticle',
  'margin',
  // the question against the pages: words they never use (and whether what is asked about, right
  // before the question word, is one: "余额是多少" of pages that never say 余额), the share of the
  // question no fact of its holds
  'known',
  'unknownWords',
  'focusUnknown',
  'missingShare',
  'fewWords',
  // entities, details and roles asked about
  'entityFound',
  'entityClash',
  'detailMissing',
  'listAsked',
  'roleAsked',
  'aboutAsked',
] as const;
export type FeatureName = (typeof FEATURES)[number];

export interface Candidate {
  fact: Fact;
  /**
   * the sentence before, when the fact refers back to it for what is asked ("这一年……" after the
   * sentence that names the year): the two answer together
   */
  antecedent?: Fact;
  features: Record<FeatureName, number>;
  /** the order candidates are looked at in, before the answer model has read them */
  prior: number;
}

export interface RetrieveOptions {
  /** facts taken from each channel's best matches */
  perChannel: number;
  /** articles whose every fact is a candidate */
  articles: number;
  /** candidates whose features are worked out, best by their search scores */
  shortlist: number;
  /** candidates handed to the decision, best `prior` first */
  candidates: number;
}

/** What a fact must hold to answer each kind of question. */
const HOLDS: Record<AnswerType, RegExp> = {
  number: /\d|[一二三四五六七八九十百千万两]+[个位名次种人年天岁倍条座所家只项届栋支户处场门元米]/,
  time: /\d{3,4}年|\d{1,2}月|\d{1,2}日|\d{1,2}:\d{2}|\d{1,2}[点时]|世纪|年代|时期|时代|[上下]午|晚上|凌晨|今年|去年|明年|季度|[一二三四五六七八九十〇]{2,4}年|[一二三四五六七八九十]+月/,
  // a name with a dot, a role, or a name at the start of a clause that says something
  person:
    /·|记者|通讯员|摄|[市区县省局行校院处科部所社队团组会事]长(?!会议|办公会|座谈)|主任|书记|主席|总理|经理|总裁|董事|教授|院士|博士|医生|医师|教师|老师|律师|法官|演员|导演|歌手|作家|诗人|画家|皇帝|国王|王后|皇后|太子|公主|将军|总统|首相|委员|队员|员工|选手|(?:^|[,，。；;:：“"、\s])[\u4e00-\u9fff]{2,3}(?:介绍|表示|说|指出|认为|称)/,
  // a kind of place, not "全市" or "本区" (which name none)
  place: /(?<![全本各该此])[省市县区州镇乡村街路岛山河湖海港湾站园馆场]|位于/,
  org: /银行|局|公司|集团|医院|学校|大学|中心|委员会|协会|政府|部门|机构|单位|站|所/,
  reason: /因为|由于|因此|所以|原因|为了|导致|以致|因而|旨在|目的/,
  yesno: /./,
  // items named one after another ("松岭路小区、同安路一号院、……"), not figures ("98栋、3460户")
  list: /[^、,，。;；:：\d]{2}、[^、,，。;；:：\d]{2}|包括|分别|如下|名单|[:：][^,，。]+[,，;；][^,，。]+/,
  definition: /是|指|即|称为|称作|叫做|又称/,
};

/** Questions about who wrote a story or took its photo ("哪个记者写的", "谁拍的"), by the kind of fact that says it. */
const ROLES: Partial<Record<string, RegExp>> = {
  byline:
    /记者|通讯员|作者|编辑|谁写|写的|报道的|撰稿|公众号|哪家媒体|哪个媒体|哪家报纸|来源|出处|谁发的|哪里发的|(?:消息|新闻|报道|文章|稿子|那篇|那条)[^,，。？?]{0,6}(?:哪一?年|哪天|几号|什么时候|啥时候)(?:的|发的|发布的|登的)/,
  caption: /拍|摄|照片|图片|配图|图上|图里/,
};

/** A question about what an article says: "……是怎么回事?" (the suggestions a decline offers ask so). */
const ABOUT = /怎么回事|什么情况|啥情况|[说讲写]了些?(?:什么|啥)|主要[说讲]|主要内容|什么新闻/;
/** The share of a heading's character pairs that a question holds. */
const shareOf = (pairs: string[], asked: Set<string>) => (pairs.length ? pairs.filter((b) => asked.has(b)).length / pairs.length : 0);

/** How much of one of an article's headlines an "about" question must hold to be about that article. */
const ABOUT_HEADLINE = 0.8;

/** A question whether something is on a list: "我家在东山花园,在不在名单里", "有没有我们小区". */
const MEMBERSHIP = /在不在|有没有|是否在|在没在|名单|包括|包不包括|有我家|有你家/;

/** Spans of a fact that can be the answer of each kind, to find one the question does not hold itself. */
const SPANS: Partial<Record<AnswerType, RegExp>> = {
  number: /\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]{2,}/g,
  time: /\d{3,4}年|\d{1,2}月\d{0,2}日?|\d{1,2}:\d{2}|[一二三四五六七八九十]+世纪|\d+年代/g,
  person:
    /[\u4e00-\u9fff]{1,3}·[\u4e00-\u9fff]{1,5}|(?:记者|通讯员|主任|局长|行长|书记|校长|院长|经理)\s*[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]{2,3}(?=介绍|表示|说|指出)/g,
};

/** A question about when something ends or lasts until, and what a fact says an end with. */
const END_ASKED =
  /[到至](?:啥时候|什么时候|哪天|哪一天|几号|几月|何时|啥时)|(?:啥时候|什么时候|哪天|几号|何时|啥时|哪年|几月)(?:能|才能)?(?:结束|截止|闭幕|停|为止|到期|完事|走|完工|竣工|建成|修好|建好|完成|通车)/;
const END_HELD = /[至到止]|截止|结束|闭幕|为止|到期|持续|之前|前完成|前全部|完工|竣工|建成|完成|交付|投用|投入使用|底前|通车/;
/** asked where something was held ("在哪开的", "在哪里举行"), a fact says so with the place before the holding */
const VENUE_ASKED = /(?:在|于)(?:哪|哪儿|哪里|什么地方|何地|何处)(?:开|举行|召开|举办|办|进行)/;
const VENUE_HELD = /[在于][^,，。;；]{2,24}?(?:召开|举行|举办|开幕|进行|开展)|地点|会场|位于/;

/** Asked the most or the least of something, the words a fact gives that bound with. */
const BOUNDS: Array<[RegExp, RegExp]> = [
  [/最多|最高|上限|封顶|顶多/, /最多|最高|上限|封顶|超过|高于|以内|至多|最大|以下/],
  [/最少|最低|下限|至少/, /最少|最低|下限|至少|低于|少于|以上|起/],
];

/** asked from when to when ("几点到几点营业"), a fact gives a span: two figures with 至/到/— between them */
const SPAN_ASKED = /(?:几点|几号|哪天|几月)(?:钟)?(?:到|至|-|—)(?:几点|几号|哪天|几月)/;
const SPAN_HELD = /\d[^,，。;；]{0,10}?(?:至|到|~|～|—|–|-)+\s*(?:次日|第二天|当日|当天)?\d/;
/** Asked which district, street or community ("在哪些区", "哪个街道"): the kind of place asked. */
const PLACE_KIND_ASKED = /哪(?:些|个|几个|一个|一)?(区|街道|社区)(?![域别分间块])/;
/**
 * A place of each kind asked, as a fact names it: a name before the kind's word ("城阳区",
 * "双埠社区"), not a word that names none ("小区", "景区", "全区", "区域").
 */
const PLACE_OF_KIND: Record<string, RegExp> = {
  区: /[\u4e00-\u9fff][^\P{Script=Han}小社景园片辖城郊全本各该此每这那]区(?![域别分间内外级])/gu,
  街道: /[\u4e00-\u9fff][^\P{Script=Han}全本各该此每这那]街道/gu,
  社区: /[\u4e00-\u9fff][^\P{Script=Han}全本各该此每这那]社区/gu,
};
/** Whether a fact names a place of the kind asked that the question does not name itself. */
const namesPlaceOf = (kind: string, norm: string, asked: string) =>
  [...norm.matchAll(PLACE_OF_KIND[kind]!)].some((m) => !asked.includes(m[0]));

/** A headline of at most this many characters names what its article is about ("鸡毛松"); a longer one tells news. */
const NAME_HEADLINE = 8;
/** A word in more than this share of the articles ("位于", "因为") asks nothing of its own. */
const COMMON_WORD_SHARE = 0.05;

/** asked when a road opens to traffic, a fact says so in these words, not by another thing it completed */
const OPENING_ASKED = /通车/;
const OPENING_HELD = /通车|通行|开通/;

/** Dates and clock times: a count or an amount asked for is not one of them ("2021年" answers no "几个"). */
const DATES = /\d{4}年|\d{1,2}月\d{1,2}[日号]|\d{1,2}月|\d{1,2}日|\d{1,2}:\d{2}/g;

/** The text in which a fact is searched for the kind of answer wanted: without its dates when a number is wanted. */
const textFor = (type: AnswerType, norm: string) => (type === 'number' ? norm.replace(DATES, ' ') : norm);

/** A count asked as a whole ("一共多少家", "现在有多少人"), not how much it changed. */
const TOTAL_ASKED = /一共|总共|共有|共计|总数|总量|合计|现在|目前|累计/;
const CHANGE_ASKED = /增加|增长|新增|新建|减少|下降|提高|多了|少了|变化/;
/** A figure by how much something changed ("新增10家", "增加22.5万人", "新增泊位231个"): no total. */
const CHANGED_BY = /(?:增加|增长|新增|新建|又添|增添|减少|下降|提高|多了|少了)[\u4e00-\u9fff]{0,6}?[\d.]+[万亿]?/g;
const withoutChanges = (norm: string) => norm.replace(CHANGED_BY, ' ');
const ORDINAL = /第[\d一二三四五六七八九十百]+/g;

/** What a fact must hold to answer when a clock time, a year or a day is asked for ("几点开门", "哪一年"). */
const TIME_HELD: Record<TimeAsked, RegExp> = {
  clock: /\d{1,2}:\d{2}|\d{1,2}[点时]|[上下]午|晚上|凌晨|全天|24小时/,
  // (an era's year too: "民国18年", "昭和49年", "同治元年", "公元前221年")
  year: /\d{3,4}年|年代|世纪|今年|去年|明年|[一二三四五六七八九十〇零]{2,4}年|(?:民国|昭和|平成|明治|大正|令和)\d{1,2}年|[\u4e00-\u9fff]{2}元年|前\d{1,4}年/,
  day: /\d{1,2}月|\d{1,2}[日号]|今天|明天|昨天|今日|周[一二三四五六日末]|星期[一二三四五六日天]/,
};

/** Kinds of answer a name gives. */
const NAMED_TYPES: AnswerType[] = ['place', 'org'];

/** A fact's text without the words of time the question says itself ("下午" of "下午营业到几点" tells no hour). */
const without = (norm: string, said: string[]) => said.reduce((text, word) => text.split(word).join(' '), norm);

/** Whether the fact holds what answers any of the kinds asked for. */
function holdsType(types: AnswerType[], norm: string, time: TimeAsked | undefined): boolean {
  return types.some((t) => (t === 'time' && time ? TIME_HELD[time] : HOLDS[t]).test(textFor(t, norm)));
}

/**
 * Asked what a term is ("什么是棱柱", "棱柱是什么"), the pattern of a sentence that defines it: the
 * term opening a clause, then soon 是, 指, 即 or 为 ("棱柱(……)是……"), not "棱柱的体积为" nor
 * "乡里制作为……" (作为, 成为, 因为, 认为, 视为 define nothing).
 */
function definitionOf(question: Question): RegExp | undefined {
  if (!question.types.includes('definition')) return undefined;
  const norm = question.norm.replace(/[\s?？!！。.~]+$/, '');
  const term = /^(?:什么是|啥是|什么叫|啥叫)/.test(norm)
    ? question.right
    : /是(?:什么|啥)$/.test(norm) && question.left && norm.length - question.left.length <= 5 && norm.startsWith(question.left)
      ? question.left
      : undefined;
  if (!term) return undefined;
  // (a name in brackets after it, or another name in a clause of its own, may come between:
  // "暴发户(),也称为新贵,指……", "标准杆,是……")
  const bracket = '(?:[（(][^）)]{0,24}[）)])*';
  const alias = `(?:[,，](?:(?:也|又|或|亦)?(?:称|叫|名|简称|称为)[^,，。;；]{0,16}${bracket}[,，])?)?`;
  return new RegExp(
    `(?:^|[,，;；:：])[^,，]{0,2}${literal(term)}${bracket}[^,，。;；的]{0,16}?${alias}(?:是|指|即|(?<![作成因认视])为|称为|叫做)`,
  );
}

/** At most this many words of its own beside the question's, a sentence restates the question. */
const RESTATING_NOVEL = 2;

/** The words that refer back to what was named before: 他, 它, 该, 此, 这 … (texts are read in simplified script) */
const PRONOUN = '[他她它其该此这]';

/** A sentence whose subject refers back ("它是……", "该党也是……"; not "吉米在此片……", whose subject is named). */
const ANAPHOR_SUBJECT = new RegExp(`^(?:同时)?[,，]?${PRONOUN}`);

/** A sentence that begins by referring to what the sentence before it names. */
const REFERS_BACK = new RegExp(`^(?:${PRONOUN}|同时|之后|后来|随后|当年)`);

/** Characters that name nothing: a fact that adds only these to the question's words restates it. */
const NAMES_NOTHING = /[的了是在和与及或也都而且并被把将就又还很更之其他她它该此这那们个为于以所有]/;

/** Whether a fact says something the question does not: a character of its own that names something. */
function saysMore(norm: string, asked: string): boolean {
  for (const ch of norm) if (/[\p{L}\p{N}]/u.test(ch) && !asked.includes(ch) && !NAMES_NOTHING.test(ch)) return true;
  return false;
}

/** Whether the fact holds a span of a wanted kind that the question does not contain. */
function newSpan(types: AnswerType[], norm: string, asked: string): boolean {
  return types.some((t) => {
    const pattern = SPANS[t];
    if (!pattern) return false;
    for (const m of textFor(t, norm).matchAll(pattern)) if (!asked.includes(m[0])) return true;
    return false;
  });
}

const isCjk = (ch: string) => ch >= '\u3400' && ch <= '\u9fff';

/** The facts that might answer a question, with their features, best `prior` first. */
export function retrieve(question: Question, knowledge: Knowledge, options: RetrieveOptions): Candidate[] {
  const { facts, entries, words, chars, articleWords, articleChars } = knowledge;
  const keyTexts = question.keys.map((k) => k.key);
  if (keyTexts.length === 0 && question.bigrams.length === 0) return [];

  const wordScores = words.search(keyTexts);
  const charScores = chars.search(question.bigrams);
  const articleScores = combine(articleWords.search(keyTexts), articleChars.search(question.bigrams));
  const topArticles = best(articleScores, options.articles);

  const pool = new Set<number>();
  for (const { doc } of best(wordScores, options.perChannel)) pool.add(doc);
  for (const { doc } of best(charScores, options.perChannel)) pool.add(doc);
  for (const { doc } of topArticles) for (const f of entries[doc]!.facts) pool.add(f.doc);
  if (pool.size === 0) return [];

  // question weights: a word's rarity in the corpus, times its clause's weight; words the corpus
  // does not have at all are counted apart (`known`), so that a paraphrase does not sink coverage
  const keyWeights = question.keys.map((k, i) => ({
    key: k.key,
    weight: words.idf(k.key) * question.weights[i]!,
    known: knows(knowledge, k.key),
  }));
  const knownKeys = dedupe(keyWeights.filter((k) => k.known));
  const wordTotal = sum(knownKeys.map((k) => k.weight));
  const allTotal = sum(dedupe(keyWeights).map((k) => k.weight));
  const charWeights = question.bigrams.filter((b) => chars.df(b) > 0).map((b) => ({ b, weight: chars.idf(b) }));
  const charTotal = sum(charWeights.map((c) => c.weight));
  const singles = question.chars.map((ch) => ({ ch, weight: charIdf(knowledge, ch) }));
  const singleTotal = sum(singles.map((s) => s.weight));
  const known = allTotal > 0 ? wordTotal / allTotal : 0;
  const unknownWords = dedupe(keyWeights).filter((k) => !k.known).length;
  // whether what is asked about, the word right before the question word ("余额" of "余额是多少"), is
  // one no page uses (the word after it is as often a verb in words of one's own: "谁代表……")
  const focusUnknown = question.left && question.left.length > 1 && !knows(knowledge, question.left) ? 1 : 0;

  const poolArticles = new Set([...pool].map((doc) => facts[doc]!.entry.doc));
  const wordBm25 = scoresOf(wordScores, pool);
  const charBm25 = scoresOf(charScores, pool);
  const articleMatch = scoresOf(articleScores, poolArticles);
  const maxWord = wordScores.max;
  const maxChar = charScores.max;
  const maxArticle = articleScores.max;
  const bestArticle = topArticles[0]?.doc;
  const uniqueKeys = dedupe(keyWeights);
  const totalAsked = question.types.includes('number') && TOTAL_ASKED.test(question.norm) && !CHANGE_ASKED.test(question.norm);
  // a fact as read for what is asked: an ordinal ("第七次") counts nothing unless one is asked
  // ("第几届"), and asked how many in all, neither does how many were added
  const ordinalAsked = /第几/.test(question.norm);
  // the places and organisations the question names itself ("城阳" of "城阳家庭医生去哪签") are
  // not where or which one it asks
  const saidNames = question.entities
    .filter((e) => e.kind === 'place' || e.kind === 'org')
    .flatMap((e) => (e.kind === 'place' ? [e.text, shortPlaceName(e.text)] : [e.text]))
    .filter((n) => n.length >= 2);
  // asked which one or who, not how many, when or whether
  const nameAsked =
    !question.types.some((t) => t === 'number' || t === 'time' || t === 'yesno') &&
    (question.types.some((t) => t === 'person' || t === 'place' || t === 'org') || /哪一|哪[个种部条座所]/.test(question.norm));
  // the clock words the question says itself, and the editions it names: read once, not per fact
  const saidTimes = question.time === 'clock' ? (question.norm.match(new RegExp(TIME_HELD.clock.source, 'g')) ?? []) : [];
  const editionsAsked = editions(question.norm);
  // an article on other bus routes or lines than the ones asked about, and none of those ("637路"
  // for "7号线"), is about something else; so is one that names no route at all when the pages
  // have the one asked about elsewhere. Each article's routes are read once
  const routesAsked = question.norm.match(ROUTES) ?? [];
  const otherRoutes = new Map<number, boolean>();
  const routesKnown = routesAsked.some((r) => words.df(r) > 0);
  const otherRoute = (entry: Fact['entry']) => {
    let other = otherRoutes.get(entry.doc);
    if (other === undefined) {
      const named = routesOf(entry);
      other = (named.size > 0 || routesKnown) && !routesAsked.some((r) => named.has(r));
      otherRoutes.set(entry.doc, other);
    }
    return other;
  };
  const defines = definitionOf(question);
  const endHeld = endAskedOf(question);
  const mustGive = detailsAsked(question, knowledge, saidTimes, endHeld);
  // asked anything but yes or no, a fact that only restates the question ("他是……") does not answer
  const answerAsked = !question.types.includes('yesno');
  const asRead = (norm: string) => {
    const text = ordinalAsked ? norm : norm.replace(ORDINAL, ' ');
    return totalAsked ? withoutChanges(text) : text;
  };
  const measureIn = question.measure ? new RegExp(`[\\d一二三四五六七八九十百千万两几多余]\\s*(?:${question.measure})`) : undefined;
  /** in how many of an article's facts a term occurs (its facts are numbered one after another) */
  const inArticle = (index: typeof words, term: string, entry: Fact['entry']) =>
    index.countIn(term, entry.facts[0]!.doc, entry.facts[entry.facts.length - 1]!.doc);
  /** per article: how much of its headline the question holds */
  const headlineAsked = new Map<number, number>();
  const askedPairs = new Set(bigrams(question.norm));

  const headlineShare = (article: number) => {
    let share = headlineAsked.get(article);
    if (share === undefined) {
      share = 0;
      for (const f of entries[article]!.facts) {
        if (f.kind !== 'title') continue;
        share = Math.max(share, shareOf(bigrams(f.norm), askedPairs));
      }
      headlineAsked.set(article, share);
    }
    return share;
  };

  // per article: the words the question asks beyond what its headline names ("鸡毛松" of
  // "鸡毛松有多高" is the headline's; "高" is asked); a fact of the article that holds none of them,
  // by word or by a character as typed or as the lexicon reads it, says only what the article is
  // about, not what is asked. Only an article headed by a name (a news headline says too much),
  // and only words few articles use (a word many use, "位于", asks nothing of its own)
  const askedWords = question.keys
    .filter(
      (k, i) =>
        question.weights[i] === 1 && knows(knowledge, k.key) && articleWords.df(k.key) <= Math.max(2, COMMON_WORD_SHARE * entries.length),
    )
    .map((k) => ({ key: k.key, chars: [...new Set([...k.key, ...question.norm.slice(k.start, k.end)])].filter(isCjk) }));
  const beyondHeadline = new Map<number, typeof askedWords>();
  const askedBeyond = (article: number) => {
    let rest = beyondHeadline.get(article);
    if (rest === undefined) {
      const headline = entries[article]!.facts.filter((f) => f.kind === 'title')
        .map((f) => f.norm)
        .join(' ');
      rest =
        headline.length > NAME_HEADLINE
          ? []
          : askedWords.filter((k) => !headline.includes(k.key) && !k.chars.some((ch) => headline.includes(ch)));
      beyondHeadline.set(article, rest);
    }
    return rest;
  };
  const saysOnlyTopic = (fact: Fact, text: string) => {
    if (fact.kind === 'byline' || fact.kind === 'caption') return false;
    const rest = askedBeyond(fact.entry.doc);
    return rest.length > 0 && !rest.some((k) => fact.keys.includes(k.key) || k.chars.some((ch) => text.includes(ch)));
  };

  // only the pool's best by a plain sum of its search scores are read closely
  const shortlist = [...pool]
    .map((doc) => ({
      doc,
      score:
        (wordBm25.get(doc) ?? 0) / maxWord +
        (charBm25.get(doc) ?? 0) / maxChar +
        (0.5 * (articleMatch.get(facts[doc]!.entry.doc) ?? 0)) / maxArticle,
    }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, options.shortlist)
    .map((x) => x.doc);

  const out: Candidate[] = [];
  for (const doc of shortlist) {
    const fact = facts[doc]!;
    const entry = fact.entry;
    const factKeys = new Set(fact.keys);
    // a character pair (or number) of the question is in a text when the text contains it
    const inFact = (b: string) => fact.norm.includes(b);
    const near = [entry.facts[fact.position - 1], entry.facts[fact.position + 1]].filter(
      (f): f is Fact => !!f && f.kind === 'body' && fact.kind === 'body',
    );
    const inNear = (b: string) => near.some((f) => f.norm.includes(b));

    let wordCoverContext = 0;
    for (const k of knownKeys) if (factKeys.has(k.key) || fact.context.keys.has(k.key)) wordCoverContext += k.weight;
    let charCover = 0,
      charCoverContext = 0,
      charCoverNear = 0,
      localHave = 0,
      localAll = 0;
    for (const { b, weight } of charWeights) {
      const lw = weight / (1 + inArticle(chars, b, entry));
      localAll += lw;
      if (inFact(b)) {
        charCover += weight;
        charCoverContext += weight;
        charCoverNear += weight;
        localHave += lw;
      } else if (fact.context.bigrams.has(b)) {
        charCoverContext += weight;
        charCoverNear += weight;
      } else if (inNear(b)) charCoverNear += 0.7 * weight;
    }
    let singleCover = 0;
    for (const s of singles) if (fact.norm.includes(s.ch)) singleCover += s.weight;

    const types = question.types.filter((t) => t !== 'yesno');
    // (the words of time the question says itself tell no hour: "下午" of "下午几点散场")
    const read = asRead(saidTimes.length ? without(fact.norm, saidTimes) : fact.norm);
    // asked what a term is, a sentence that says "<term>……是/指/为" defines it; another "是" does not
    const holds =
      (defines
        ? defines.test(fact.norm) ||
          holdsType(
            types.filter((t) => t !== 'definition'),
            read,
            question.time,
          )
        : holdsType(
            types.filter((t) => !NAMED_TYPES.includes(t)),
            read,
            question.time,
          ) ||
          holdsType(
            types.filter((t) => NAMED_TYPES.includes(t)),
            without(read, saidNames),
            question.time,
          )) &&
      // asked until when ("烧到哪天停", "封到啥时候"), a fact that gives only when it began does not say
      (!endHeld || endHeld.test(read));
    // a sentence that refers back ("这一年,……") may leave what is asked to the sentence before it
    const before = entry.facts[fact.position - 1];
    const antecedent =
      !holds &&
      fact.kind === 'body' &&
      before?.kind === 'body' &&
      REFERS_BACK.test(fact.norm) &&
      holdsType(types, before.norm, question.time)
        ? before
        : undefined;
    const found = holds || antecedent !== undefined;
    // what the fact tells, with the sentence it refers back to
    const told = antecedent ? antecedent.norm + fact.norm : fact.norm;
    const measure = measureIn?.test(read) ?? false;
    const left = question.left ? fact.norm.indexOf(question.left) : -1;
    const right = question.right ? fact.norm.indexOf(question.right) : -1;
    const around = left >= 0 && right >= 0 && right > left + question.left!.length && right - left - question.left!.length <= 24;
    // the weightiest word of the question that neither the fact, its context nor its neighbours hold
    let missingSum = 0;
    for (const k of uniqueKeys) {
      if (!factKeys.has(k.key) && !fact.context.keys.has(k.key) && !fact.norm.includes(k.key) && !inNear(k.key)) missingSum += k.weight;
    }
    // the words right by the question word ("电话" in "电话是多少"), in the fact, whole or by a character pair
    const focus = [question.left, question.right].filter((w): w is string => !!w);
    const holdsFocus = (w: string) => fact.norm.includes(w) || factKeys.has(w) || bigrams(w).some(inFact);
    let novel = 0;
    for (const k of factKeys) if (!keyTexts.includes(k) && k.length > 1) novel++;
    // (nor, asked which one, does one whose subject refers back and that adds little to the
    // question: "该党也是……第九大党" leaves the party it is asked for to a sentence before it)
    const restates =
      (answerAsked && novel === 0 && !saysMore(told, question.norm)) ||
      (nameAsked && !antecedent && novel <= RESTATING_NOVEL && ANAPHOR_SUBJECT.test(fact.norm));

    out.push({
      fact,
      ...(antecedent && { antecedent }),
      prior: 0,
      features: {
        wordCoverContext: ratio(wordCoverContext, wordTotal),
        charCover: ratio(charCover, charTotal),
        charCoverContext: ratio(charCoverContext, charTotal),
        charCoverNear: ratio(charCoverNear, charTotal),
        charCoverLocal: ratio(localHave, localAll),
        charSingles: ratio(singleCover, singleTotal),
        window: ratio(bestWindow(fact.norm, charWeights), charTotal),
        articleMatch: (articleMatch.get(entry.doc) ?? 0) / maxArticle,
        topArticle: entry.doc === bestArticle ? 1 : 0,
        typeFound: types.length && found ? 1 : 0,
        typeMissing: types.length && !found ? 1 : 0,
        measureFound: measure ? 1 : 0,
        measureMissing: measureIn && !measure ? 1 : 0,
        around: around ? 1 : 0,
        novel: Math.min(novel, 10) / 10,
        lead: fact.kind === 'body' && entry.facts[fact.position - 1]?.kind !== 'body' ? 1 : 0,
        title: fact.kind === 'title' ? 1 : 0,
        caption: fact.kind === 'caption' ? 1 : 0,
        byline: fact.kind === 'byline' ? 1 : 0,
        length: Math.min(1, Math.log(1 + fact.norm.length) / Math.log(301)),
        known,
        entityClash:
          clashes(question.entities, fact, knowledge) ||
          otherEdition(editionsAsked, fact.norm) ||
          (routesAsked.length > 0 && otherRoute(entry))
            ? 1
            : 0,
        entityFound: question.entities.length && question.entities.every((e) => mentions(e, fact)) ? 1 : 0,
        margin: 0,
        fewWords: knownKeys.length <= 1 ? 1 : 0,
        typeNew: newSpan(types, told, question.norm) ? 1 : 0,
        headlineAsked: headlineShare(entry.doc),
        bestInArticle: 0,
        unknownWords: Math.min(unknownWords, 3) / 3,
        missingShare: ratio(missingSum, allTotal),
        focusFound: focus.length === 0 ? 0.5 : focus.filter(holdsFocus).length / focus.length,
        focusUnknown,
        heading: fact.kind === 'heading' ? 1 : 0,
        roleAsked: ROLES[fact.kind]?.test(question.norm) ? 1 : 0,
        // asked what an article, or a section of it ("……那部分说了啥"), says in its heading's words
        aboutAsked:
          ABOUT.test(question.norm) &&
          ((fact.kind === 'title' && headlineShare(entry.doc) >= ABOUT_HEADLINE) ||
            (fact.kind === 'heading' && shareOf(bigrams(fact.norm), askedPairs) >= ABOUT_HEADLINE))
            ? 1
            : 0,
        list: fact.kind === 'list' ? 1 : 0,
        listAsked: fact.kind === 'list' && (question.types.includes('list') || MEMBERSHIP.test(question.norm)) ? 1 : 0,
        // a detail asked that the fact does not give, or nothing asked beyond what its article is
        // about or the question says itself (asked which account or outlet published a story, its
        // byline is the answer: it names the source)
        detailMissing:
          !(fact.kind === 'byline' && ROLES.byline!.test(question.norm)) &&
          (mustGive.some((gives) => !gives(fact, read)) || saysOnlyTopic(fact, told) || restates)
            ? 1
            : 0,
      },
    });
  }

  // the order to look at them in, and how far each stands from the best of the others
  for (const c of out)
    c.prior = c.features.charCoverNear + c.features.wordCoverContext + 0.5 * c.features.articleMatch + 0.3 * c.features.typeFound;
  // of facts the context covers alike, the one that itself holds more of the question comes first
  out.sort((a, b) => b.prior - a.prior || b.features.charCoverLocal - a.features.charCoverLocal || a.fact.doc - b.fact.doc);
  const kept = out.slice(0, options.candidates);
  const bestOf = new Map<number, number>();
  for (const c of kept) bestOf.set(c.fact.entry.doc, Math.max(bestOf.get(c.fact.entry.doc) ?? 0, c.features.charCoverLocal));
  kept.forEach((c) => {
    const others = kept.filter((o) => o !== c).map((o) => o.features.charCoverNear);
    c.features.margin = Math.max(0, Math.min(1, c.features.charCoverNear - Math.max(0, ...others) + 0.5));
    c.features.bestInArticle = c.features.charCoverLocal >= bestOf.get(c.fact.entry.doc)! ? 1 : 0;
  });
  return kept;
}

/** Asked when something ends or opens to traffic ("烧到哪天停", "哪天通车"): the words a fact says that with. */
function endAskedOf(question: Question): RegExp | undefined {
  if (!question.types.includes('time') || !END_ASKED.test(question.norm)) return undefined;
  return OPENING_ASKED.test(question.norm) ? OPENING_HELD : END_HELD;
}

/**
 * The details a question asks that a fact must give to answer it, each a test of the fact (and of
 * its text as read for what is asked): a detail the lexicon names (a phone number, an address, a
 * fee: details.txt), a clock time (`said`: the words of time the question says itself, which tell
 * no hour), an end (`end`: the words a fact says it with), the place something was held, a bound,
 * and the thing whose price is asked.
 */
function detailsAsked(
  question: Question,
  knowledge: Knowledge,
  said: string[],
  end: RegExp | undefined,
): Array<(fact: Fact, read: string) => boolean> {
  const { norm } = question;
  const checks: Array<(fact: Fact, read: string) => boolean> = [];
  // asked where something was held ("在哪儿举行"), a fact that names where it was held gives the
  // place, though it prints no street or number
  if (VENUE_ASKED.test(norm)) checks.push((f) => VENUE_HELD.test(f.norm));
  else for (const given of question.details) checks.push((f) => given.some((w) => f.norm.includes(w)));
  if (question.time === 'clock') checks.push((f) => TIME_HELD.clock.test(without(f.norm, said)));
  if (end) checks.push((_, read) => end.test(read));
  if (SPAN_ASKED.test(norm)) checks.push((f) => SPAN_HELD.test(f.norm));
  const placeKind = PLACE_KIND_ASKED.exec(norm)?.[1];
  if (placeKind) checks.push((f) => namesPlaceOf(placeKind, f.norm, norm));
  // asked the most or the least of something ("最多能贷多少", "最低多少度"), a fact gives a bound
  const bound = question.types.includes('number') ? BOUNDS.find(([asked]) => asked.test(norm))?.[1] : undefined;
  if (bound) checks.push((f) => bound.test(f.norm));
  // asked the price of a thing the pages name ("门票多少钱"), a fact that names none of it gives no price of it
  const priced =
    question.measure === PRICE_MEASURE && question.left && question.left.length > 1 && knows(knowledge, question.left)
      ? question.left
      : undefined;
  if (priced) checks.push((f) => f.context.keys.has(priced) || [...priced].some((ch) => f.norm.includes(ch)));
  return checks;
}

/** Whether a fact or its article names an entity (its text, or the name without 区/市/银行…). */
function mentions(e: Entity, fact: Fact): boolean {
  if (fact.norm.includes(e.text) || fact.context.keys.has(e.text)) return true;
  // a district by its short name ("崂山风景区" is in 崂山区)
  const short = e.kind === 'place' ? shortPlaceName(e.text) : '';
  if (short.length >= 2 && short !== e.text && fact.norm.includes(short)) return true;
  const own = fact.entry.entities[e.kind];
  return own.includes(e.text) || own.some((o) => o.startsWith(e.text) || e.text.startsWith(o));
}

/** A fact about the whole city, province or country. */
const WHOLE_CITY = /全市|全省|全国/;

/**
 * Whether the fact is about another place, organisation, term or quarter than the one the question
 * names: the question names one the pages know (a district another article is about, "5年期"), the
 * fact's article does not mention it, and the article (for a term: the fact) names another of its
 * kind, or (for a district) the fact speaks of the whole city.
 */
function clashes(entities: Entity[], fact: Fact, knowledge: Knowledge): boolean {
  return entities.some((e) => {
    if (mentions(e, fact)) return false;
    if (e.kind === 'term') return (fact.norm.match(/\d+年期/g) ?? []).length > 0;
    if (e.kind === 'period') return /季度$/.test(e.text) && fact.entry.entities.period.some((p) => /季度$/.test(p));
    // a figure of the whole city is not one of the district asked about
    if (e.kind === 'place' && knowledge.entityNames.has(e.text) && WHOLE_CITY.test(fact.norm)) return true;
    return knowledge.entityNames.has(e.text) && fact.entry.entities[e.kind].length > 0;
  });
}

/** An edition, a session, a batch ("第30届", "第2期", "第一批" read as "第1批"). */
const EDITION = /第(\d+|[一二三四五六七八九十百零〇两]+)(届|期|次|批|轮|季)/g;

/** The editions a text names, by number and unit ("第三届" and "第3届" alike). */
const editions = (text: string) =>
  [...text.matchAll(EDITION)].map(([, n, unit]) => ({ n: /^\d+$/.test(n!) ? Number(n) : chineseNumeral(n!), unit: unit! }));

/** Whether the fact names another edition of the kind the question names, and not that one ("第29届" for "第30届"). */
function otherEdition(asked: Array<{ n: number; unit: string }>, fact: string): boolean {
  if (asked.length === 0) return false;
  const named = editions(fact);
  return asked.some((e) => named.some((x) => x.unit === e.unit) && !named.some((x) => x.unit === e.unit && x.n === e.n));
}

const ROUTES = new RegExp(ROUTE.source, 'g');

/** The bus routes and metro lines an article names. */
const routesOf = (entry: Fact['entry']) => new Set(entry.facts.flatMap((f) => f.norm.match(ROUTES) ?? []));

/** Question-pair weight in the densest stretch of 20 characters of the fact. */
function bestWindow(norm: string, weights: Array<{ b: string; weight: number }>): number {
  const hits: Array<[number, string, number]> = [];
  for (const { b, weight } of weights) {
    for (let at = norm.indexOf(b); at >= 0; at = norm.indexOf(b, at + 1)) hits.push([at, b, weight]);
  }
  hits.sort((x, y) => x[0] - y[0]);
  let bestSum = 0;
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<string>();
    let s = 0;
    for (let j = i; j < hits.length && hits[j]![0] - hits[i]![0] <= 20; j++) {
      if (seen.has(hits[j]![1])) continue;
      seen.add(hits[j]![1]);
      s += hits[j]![2];
    }
    bestSum = Math.max(bestSum, s);
  }
  return bestSum;
}

function charIdf(knowledge: Knowledge, ch: string): number {
  const n = knowledge.charCounts.get(ch) ?? 0;
  return isCjk(ch) ? Math.log(1 + (knowledge.facts.length - n + 0.5) / (n + 0.5)) : 0;
}

/** Two searches' scores added, each scaled to its best. */
function combine(a: Scores, b: Scores): Scores {
  let size = 0;
  for (const s of [a, b]) for (let i = 0; i < s.docs.length; i++) size = Math.max(size, s.docs[i]! + 1);
  const total = new Float64Array(size);
  const docs: number[] = [];
  for (const s of [a, b]) {
    for (let i = 0; i < s.docs.length; i++) {
      const doc = s.docs[i]!;
      if (total[doc] === 0) docs.push(doc);
      total[doc]! += s.values[i]! / s.max;
    }
  }
  const values = new Float64Array(docs.length);
  let max = MIN_MAX;
  for (let i = 0; i < docs.length; i++) {
    values[i] = total[docs[i]!]!;
    if (values[i]! > max) max = values[i]!;
  }
  return { docs: Int32Array.from(docs), values, max };
}

/** The scores of some documents (a search can touch tens of thousands; few are looked at). */
function scoresOf(scores: Scores, wanted: Set<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < scores.docs.length; i++) if (wanted.has(scores.docs[i]!)) out.set(scores.docs[i]!, scores.values[i]!);
  return out;
}

function dedupe(keys: Array<{ key: string; weight: number; known: boolean }>): Array<{ key: string; weight: number; known: boolean }> {
  const seen = new Map<string, { key: string; weight: number; known: boolean }>();
  for (const k of keys) if (!seen.has(k.key) || seen.get(k.key)!.weight < k.weight) seen.set(k.key, k);
  return [...seen.values()];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number) => (b > 0 ? Math.min(1, a / b) : 0);
