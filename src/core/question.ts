/**
 * Question analysis, the first stage of answering: what the resident asks, apart from how they
 * ask it.
 *
 *  normalise → repair homophones of corpus words ("刘桌毅" → "刘卓毅") → segment → the words that
 *  only ask out (stop words and the lexicon's question words: 啥, 呀, 帮我查一下 …) → what kind of
 *  answer is wanted (a number, a date, a person …), the unit asked for ("多少人" → 人), the words
 *  either side of the question word, entities, and whether it leans on the question before.
 *
 * In a long question with background ("我家老人住在李沧,想问问……签了多少人") the clause that
 * asks weighs in full and the others less.
 */
import { findEntities, type Entity } from './entities.js';
import { knows, type Knowledge } from './knowledge.js';
import { normalize } from './text/normalize.js';
import { bigrams, canonical, keywords, segment, type Keyword, type Word } from './text/segment.js';

export type AnswerType = 'number' | 'time' | 'person' | 'place' | 'org' | 'reason' | 'yesno' | 'list' | 'definition';

export interface Question {
  /** as asked */
  text: string;
  /** normalised, homophones repaired */
  norm: string;
  words: Word[];
  /** the words that carry its meaning, in order */
  keys: Keyword[];
  /** per key: 1 in the clause that asks, `backgroundWeight` in the others */
  weights: number[];
  /** the character channel of its meaningful words */
  bigrams: string[];
  /** its meaningful Chinese characters, each once */
  chars: string[];
  types: AnswerType[];
  /** the time asked for more narrowly than "when": a clock time ("几点开门"), a year, a day */
  time?: TimeAsked;
  /** the unit a number is asked in, as a pattern ("人", "[米公里]") */
  measure?: string;
  /** the meaningful words right before and after the question word */
  left?: string;
  right?: string;
  entities: Entity[];
  /** marked as a follow-up: "那…", "…呢", "还有…" */
  marked: boolean;
  /** refers back with a pronoun: 他, 她, 这个, 那里 … */
  refersBack: boolean;
  /** the details it asks for (lexicon details.txt): per detail, the words a sentence gives it with */
  details: string[][];
  /** corpus words read for words typed with a character of the same sound */
  repaired: Array<{ typed: string; read: string }>;
}

/** What kind of answer a question wants, by the words it asks with. Order matters only for readability. */
const TYPES: Array<[AnswerType, RegExp]> = [
  [
    'time',
    /什么时候|啥时候|啥时|何时|哪一?年|[公西]元几年|哪一?天|几月|几号|几点|何年|什么时间|哪个时间|多会儿|哪个朝代|什么年代|哪个年代|什么时期|哪个时期|哪一时期|什么时代|哪个时代|日期|什么日子|截止到?什么|星期几|周几|礼拜几|上午还是下午/,
  ],
  [
    'number',
    /多少|(?<!哪)几(?![月号点时何乎])(?<!星期几|周几|礼拜几)|多[大长高远久重深宽厚快]|比例|百分之几|第几|几成|增幅|降幅|增长了?多|下降了?多|少了多|多了多/,
  ],
  ['person', /谁|哪位|什么人|何人|哪一位|哪一人|叫什么名字|叫啥名|名字|哪个人|哪个记者|职务|职位|头衔|什么官|啥官/],
  [
    'place',
    /哪里|哪儿|哪边|何处|何地|在哪(?!一?(?:年|天|月|位|个?(?:时代|时期|朝代|年代|世纪|人)))|[到去]哪(?![一个些位家种年天所条])|什么地方|啥地方|哪座|位于|哪(?:一个?|个)?(?:国家|城市|地区|省|区)(?![域别分])|哪条路|哪一?国(?!人)|什么国家|什么地区|什么城市|哪一?座城市/,
  ],
  ['org', /哪家|哪(?:一个?|个)?(?:单位|部门|机构|组织|公司|企业|银行)|什么单位|什么部门|什么机构|什么组织|哪所|哪一家/],
  // ("称为什么", "成为什么" ask a name or a thing, not a reason)
  ['reason', /(?<![称成作认视改译转化变算])为什么|为何|原因|何故|怎么会|咋会/],
  ['yesno', /吗[??]?$|是不是|有没有|能不能|是否|可不可以|会不会|[不没](?:[??]?$|[,，])|没有[??]?$|([\u4e00-\u9fff])[不没]\1/],
  [
    'list',
    /哪些|哪几|哪(?:[两二三四五六七八九十]|\d+)|有(?:什么|啥)(?!变化|区别|不同|影响|意义|用处|用途|作用|好处|关系|特点|特色|特征)|都有|包括什么|包括哪/,
  ],
  ['definition', /是什么[??]?$|是啥[??]?$|指什么|什么是|啥是|什么意思|是什么样/],
];

export type TimeAsked = 'clock' | 'year' | 'day';

/** The words that ask for a clock time, a year, a day; the first kind a question's words match is wanted. */
const TIMES_ASKED: Array<[TimeAsked, RegExp]> = [
  ['clock', /几点|几时|什么时间开|什么时间关/],
  ['year', /哪一?年|几几年|[公西]元几年|何年|哪个年代|什么年代/],
  ['day', /哪一?天|几号|几月几|什么日子|星期几|周几|礼拜几/],
];

/** The phrase that asks, for finding the clause it stands in and the words either side. */
const ASKING =
  /什么时候|啥时候|哪一?年|哪一?天|什么地方|叫什么名字|为什么|怎么样|多少|什么|啥|哪个|哪些|哪几|哪里|哪儿|哪位|哪家|哪所|哪种|谁|几[个位名次种年天岁条座所家只项届栋支户处场门人元倍]?|何时|何地|如何|多[大长高远久重深宽]/;

/** "哪", "何" or "什么", with "一" and a measure word after it or not: the words after it say what kind of answer is asked. */
const WHICH = /(?:哪|何|什么|啥)一?$/;
/** The measure words that follow "哪" ("哪一种", "哪间", "哪一个人"). */
const WHICH_MEASURE = /^(?:\d+个?|一|一个|一种|个|种|间|位|名|条|部|场|支|所|家|座|类|项|国|人|一部分|部分)$/;
const WHICH_MEASURE_AFTER = /(?:个|种|间|位|名|条|部|场|支|所|家|座|类|项)$/;
/** Whether a keyword comes right after "哪", "哪一" or "哪一个" (and the like). */
const afterWhich = (norm: string, k: Keyword) => WHICH.test(norm.slice(0, k.start).replace(WHICH_MEASURE_AFTER, ''));

/**
 * "开始" or "结束" right after the words that ask when ("啥时候开始", "几点结束"): the page gives the
 * start as a date with 起 or 开工 as often as with these words, so they weigh as background.
 */
const WHEN_START = /(?:什么时候|啥时候|啥时|何时|哪天|几号|几点|几月几日|几月份?)$/;
const startAfterWhen = (norm: string, k: Keyword) => /^(?:开始|结束)$/.test(k.key) && WHEN_START.test(norm.slice(0, k.start));

/** A price asked: "多少钱", "几块钱", "票价" … */
const PRICE_ASKED = /多少钱|多少块|几块|几元|价格|费用|收费|票价|花多少/;

/** A price, as the pages print it ("50元") and as people say it ("22块"). */
export const PRICE_MEASURE = '元|块';

/** Units asked for without a measure word after 多少/几. */
const IMPLIED_MEASURE: Array<[RegExp, string]> = [
  [/(?:孩子|小孩|儿童|宝宝|老人|学生|年龄)[^,，。?？]{0,6}多大|多大(?:年纪|岁数)|几岁/, '周?岁'],
  [/多高/, '米'],
  [/多重/, '[克吨斤]'],
  [/多大面积|面积多大|多少平|占地|(?:公园|广场|湖|小区|园区|绿地|场地|场馆|地块|湿地|沙滩|房子|房间)[^,，。?？]{0,4}多大/, '平方|亩|公顷'],
  [/多久|多长时间|多少年/, '[年月天日周]|小时|分钟'],
  [/多远|多长/, '米|公里'],
  [PRICE_ASKED, PRICE_MEASURE],
  [/多少度|几度|温度/, '°c|度'],
  [/利率|利息|比例|百分之|增幅|降幅|增长|下降|覆盖率|签约率/, '%|个百分点'],
];

/** Measure words a number can be asked in directly ("多少人", "几所"). */
const MEASURE_WORD = /[人元所支名届栋户处场门家座条项辆套间层台位岁天年月倍亩吨起件例次]/;

/** Measure words that count the same things: "多少家食堂" is answered by "36处". */
const MEASURE_KINDS = [
  ['家', '处', '个', '所', '座'],
  ['人', '名', '位'],
  ['栋', '幢', '座'],
  ['辆', '台'],
];

/** A question about how much something changed. */
const CHANGE = /下降|降低|上升|提高|上调|下调|调整|变化|增加|减少|高多少|低多少|差多少/;
/** A change asked without asking how much ("有啥变化", "怎么调整的"). */
const CHANGE_HOW = /^(?!.*(?:多少|几个)).*(?:变化|变动|调整|怎么变|变没变|变了)/;
/** Words that say which way something changed. */
const CHANGED_WAY = ['下降', '降低', '压降', '下调', '调降', '上调', '提高', '上升', '调整'];

/** Products whose rate a question may ask that are not deposits. */
const OTHER_RATES = /房贷|车贷|贷款|消费贷|信用贷|经营贷|理财|基金|保险|国债|信用卡/g;

const MARKED = /^(那|那么|还有|另外|那个|再问|然后|接着)|呢[??!!。.~\s]*$/;
const REFERS_BACK = /他|她|它|这个|这家|这里|那里|这些|那些|该|其中|这次|这项/;

export interface AnalyseOptions {
  /** how much a word outside the clause that asks counts */
  backgroundWeight: number;
}

/** A question that ends in "为?" or "是?" ("……的领导人为?"): the words before it. */
const ENDS_ASKING = /([\u4e00-\u9fff]{1,4})(?:为|是)[?？]?$/;
/** The kind of answer the last noun of such a question names. */
const HEAD_KINDS: Array<[AnswerType, RegExp]> = [
  ['person', /(?:人|者|总统|总理|主席|皇帝|国王|首相|市长|校长|作家|教练)$/],
  ['place', /(?:国家|城市|地点|地方|地区|首都|所在地|位置|发源地)$/],
  ['time', /(?:时间|日期|年份|年代|时期|时候)$/],
  ['number', /(?:距离|数量|人数|长度|高度|面积|人口|比例|金额|总数|数目|票价|价格)$/],
  ['org', /(?:单位|机构|组织|公司|主办方|部门|学校|大学)$/],
];

/** "时后" typed for 时候 after the words that ask when. */
const WHEN_SLIP = /(什么|啥|那|这)时后/g;

/** Reads a question (see the module comment). */
export function analyse(text: string, knowledge: Knowledge, options: AnalyseOptions): Question {
  const { lexicon } = knowledge;
  const repaired: Question['repaired'] = [];
  // ("什么时后", a slip of the same sound as 什么时候, asks when)
  let norm = normalize(text).trim().replace(WHEN_SLIP, '$1时候');
  let words = segment(norm);
  let keys = keywords(words, lexicon);
  // a word the corpus does not have, or a stretch of it, that sounds like a word the corpus has
  for (const k of keys) {
    if (k.key.length < 2 || knows(knowledge, k.key) || knowledge.previewTerms.has(k.key)) continue;
    const typed = norm.slice(k.start, k.end);
    search: for (let len = Math.min(4, typed.length); len >= 2; len--) {
      for (let at = 0; at + len <= typed.length; at++) {
        const window = typed.slice(at, at + len);
        if (knowledge.words.df(window) > 0) continue;
        const [read] = knowledge.homophones.like(window);
        if (read) {
          repaired.push({ typed: window, read });
          break search;
        }
      }
    }
  }
  if (repaired.length) {
    for (const r of repaired) norm = norm.replace(r.typed, r.read);
    words = segment(norm);
    keys = keywords(words, lexicon);
  }

  keys = readAsTheCorpusDoes(
    keys.map((k) => withoutCountedMeasure(k, norm, lexicon)),
    norm,
    knowledge,
    findEntities(words, lexicon),
  )
    // a run of single characters joined is a name only when the pages have it ("路去" in "12路去哪" is none)
    .filter((k) => !k.run || knows(knowledge, k.key))
    // "不" or "没" that only asks: at the end ("能钓鱼不", "有厕所没") or between a word and itself ("给不给")
    .filter(
      (k) => !(/^(不|没有?)$/.test(k.key) && (/^(?:[\s??!!。.~]*$|[,，])/.test(norm.slice(k.end)) || norm[k.start - 1] === norm[k.end])),
    )
    // the unit or measure that only asks, when jieba cuts it off its question word ("多少/钱", "多/大", "多少/栋")
    .filter(
      (k) =>
        !(
          k.key.length === 1 &&
          (/[钱度大长久远高重深宽]/.test(k.key) || COUNTED_MEASURE.test(k.key)) &&
          /(多少|多|几)$/.test(norm.slice(0, k.start))
        ),
    )
    // "一趟", "每次", "一斤" of a price asked ("来回一趟多少钱"): the page prints the price, not the unit it is for
    .filter(
      (k) =>
        !(
          /^[一每](?:趟|次|张|位|个|份|人|回|程|斤|公斤|袋|盒|瓶|杯|碗|箱|桶|件|只|针|剂|平米|平方米)$/.test(k.key) &&
          PRICE_ASKED.test(norm)
        ),
    )
    // the measure word of "哪一种", "哪间", "哪一个人": it asks, the page does not print it
    .filter((k) => !(WHICH_MEASURE.test(k.key) && afterWhich(norm, k)));

  // "哪一个人", "哪一所" ask as "哪个人", "哪所" do
  const asked = norm.replace(/哪一(?=[个位所家座条种部间国])/g, '哪');
  const types = TYPES.filter(([, pattern]) => pattern.test(asked)).map(([type]) => type);
  // a question that ends "……的领导人为?" asks the kind of thing its last noun names
  if (types.length === 0) {
    const head = ENDS_ASKING.exec(norm)?.[1];
    const kind = head ? HEAD_KINDS.find(([, pattern]) => pattern.test(head))?.[0] : undefined;
    if (kind) types.push(kind);
  }
  const asking = ASKING.exec(norm);
  const measure = measureOf(norm);

  // the clause that asks weighs in full; background clauses less
  const clauses = clauseBounds(norm);
  const asks = asking ? clauses.find(([from, to]) => asking.index >= from && asking.index < to) : undefined;
  const entities = findEntities(words, lexicon);
  // a place the pages name, asked by its short name ("李沧" for 李沧区)
  for (const k of keys) {
    const named = knowledge.entityNames.get(k.key);
    if (named && !entities.some((e) => e.text === named.text || (k.start >= e.start && k.end <= e.end))) {
      entities.push({ kind: named.kind, text: named.text, start: k.start, end: k.end });
    }
  }
  const inEntity = (k: Keyword) => entities.some((e) => k.start >= e.start && k.end <= e.end);
  // the noun "哪一个" asks about ("哪一条河", "哪种材料") names the kind of the answer, which the page
  // seldom prints beside it: it weighs as background
  const weights = keys.map((k) =>
    (!asks || clauses.length < 2 || (k.start >= asks[0] && k.start < asks[1]) || inEntity(k)) &&
    !afterWhich(norm, k) &&
    !startAfterWhen(norm, k)
      ? 1
      : options.backgroundWeight,
  );

  // the character channel: the meaningful stretches of the question, other characters blanked
  let content = '';
  let at = 0;
  // (a run of characters joined, "李沧之春", before its characters: its stop word is part of it)
  for (const k of [...keys].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (k.start < at) continue;
    content += ' '.repeat(k.start - at) + norm.slice(k.start, k.end);
    at = k.end;
  }
  const contentBigrams = [...new Set(bigrams(content))];
  const chars = [...new Set([...content].filter((ch) => ch >= '\u3400' && ch <= '\u9fff'))];

  let left: string | undefined;
  let right: string | undefined;
  if (asking) {
    for (const k of keys) {
      if (k.end <= asking.index) left = k.key;
      else if (k.start >= asking.index + asking[0].length && right === undefined) right = k.key;
    }
  }

  return {
    text,
    norm,
    words,
    keys,
    weights,
    bigrams: contentBigrams,
    chars,
    types,
    time: types.includes('time') ? TIMES_ASKED.find(([, asked]) => asked.test(norm))?.[0] : undefined,
    measure,
    left,
    right,
    entities,
    marked: MARKED.test(norm),
    refersBack: REFERS_BACK.test(norm),
    repaired,
    details: [
      // a rate asked for is a level ("%"), unless a change is asked for ("下降了多少个百分点")
      // ("叫啥名字" of a person asks for a name, not for a list of names)
      // (a question that ends "在哪" asks an address too; where someone was born or something grows
      // is a region, not an address: "出生地在哪里")
      ...lexicon.details
        .filter((d) => {
          const address = d.asked.includes('地址');
          if (address && REGION_ASKED.test(norm)) return false;
          return (
            (address && WHERE_ENDS.test(norm)) ||
            d.asked.some((w) => norm.includes(w) && !(types.includes('person') && /^叫.{1,2}名$/.test(w))) ||
            // or in a word the synonyms read as one of them ("要钱" as 收费)
            keys.some((k) => d.asked.includes(k.key))
          );
        })
        .map((d) => (CHANGE.test(norm) ? d.given : d.given.filter((w) => w !== '个百分点')))
        // asked how a rate changed, not by how much ("利率有啥变化"), a fact that says which way gives it
        .map((given) => (given.includes('%') && CHANGE_HOW.test(norm) ? [...given, ...CHANGED_WAY] : given)),
      // the rate of a loan, a fund, an insurance: a sentence that does not name it does not give it
      ...(/利率|收益/.test(norm) ? [...norm.matchAll(OTHER_RATES)].map((m) => [m[0]]) : []),
    ],
  };
}

/** A question that ends asking where ("首贷中心在哪?"): where a place is, its address answers. */
const WHERE_ENDS = /在哪(?:儿|里)?(?:呢|啊|呀|嘞)?[?？]?$/;

/** Asked where someone was born, something comes from, lives or grows: a region answers. */
const REGION_ASKED = /(?:出生|原产|发源|起源|栖息|分布|生长|籍贯|祖籍|老家)地?[^,，。?？]{0,3}(?:哪|何处|何地|什么地方)/;

/** Measure words jieba may join to the noun after them when they follow 几 or 多少 ("几/支队", "多少/栋楼"). */
const COUNTED_MEASURE = /^[个支栋座家所位名条项只辆台间套]/;

/**
 * The noun of a two-character word jieba cut as measure word + noun after 几 or 多少 ("支队" of
 * "几支队" → 队, "个人" of "几个人" → 人), or of two characters jieba left apart and read as one
 * ("多少/栋/楼" → 楼); a longer word is a word of its own ("多少/个人养老金").
 */
function withoutCountedMeasure(k: Keyword, norm: string, lexicon: Knowledge['lexicon']): Keyword {
  if (k.end - k.start !== 2 || !COUNTED_MEASURE.test(norm.slice(k.start, k.end)) || !/(?:几|多少)$/.test(norm.slice(0, k.start))) return k;
  return { key: canonical(norm.slice(k.start + 1, k.end), lexicon), start: k.start + 1, end: k.end };
}

/**
 * A word the corpus does not have may be jieba's misreading of words it does ("城阳新建" cut as
 * 城/阳新/建): such a word is replaced by the corpus words of two to four characters that overlap
 * it in the question, when there are any.
 */
function readAsTheCorpusDoes(keys: Keyword[], norm: string, knowledge: Knowledge, entities: Entity[]): Keyword[] {
  const { words, previewTerms } = knowledge;
  const out: Keyword[] = [];
  const isCjk = (i: number) => i >= 0 && i < norm.length && norm.charCodeAt(i) >= 0x3400 && norm.charCodeAt(i) <= 0x9fff;
  const named = (k: Keyword) => previewTerms.has(k.key) || entities.some((e) => k.start >= e.start && k.end <= e.end);
  for (const k of keys) {
    if (k.key.length < 2 || knows(knowledge, k.key) || !isCjk(k.start) || named(k)) {
      out.push(k);
      continue;
    }
    const found: Keyword[] = [];
    for (let from = Math.max(0, k.start - 3); from < k.end; from++) {
      for (let len = 2; len <= 4; len++) {
        const to = from + len;
        if (to <= k.start || to > norm.length || (from === k.start && to === k.end)) continue;
        let cjk = true;
        for (let i = from; i < to; i++) if (!isCjk(i)) cjk = false;
        if (!cjk) break;
        const word = norm.slice(from, to);
        if (words.df(word) > 0 && !found.some((f) => f.key === word)) found.push({ key: word, start: from, end: to });
      }
    }
    if (found.length) out.push(...found);
    else out.push(k);
  }
  return out;
}

/** The unit a number is asked in: the measure word after 多少/几 ("多少人" → 人), or one implied ("多高" → 米). */
function measureOf(norm: string): string | undefined {
  for (const [pattern, unit] of IMPLIED_MEASURE) if (pattern.test(norm)) return unit;
  const m = /(?:多少|几)([\u4e00-\u9fff])/.exec(norm);
  if (!m || !MEASURE_WORD.test(m[1]!)) return undefined;
  return MEASURE_KINDS.find((kind) => kind.includes(m[1]!))?.join('|') ?? m[1];
}

/** [start, end) of each clause: the stretches between commas and sentence ends. */
function clauseBounds(norm: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  for (let i = 0; i <= norm.length; i++) {
    if (i === norm.length || /[,,;;。!!??\s]/.test(norm[i]!)) {
      if (i > from) out.push([from, i]);
      from = i + 1;
    }
  }
  return out;
}
