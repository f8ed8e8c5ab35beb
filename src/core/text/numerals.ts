/**
 * Numbers written in Chinese characters, read as digits, so that "三年期", "3年期" and "三年" meet,
 * and "百分之三", "三个点" and "3%" say the same rate.
 *
 * Only numerals that count something are rewritten: a numeral followed by a unit or measure word
 * ("五年", "十二所", "三十四万"), a year written digit by digit ("二〇二三年"), percentages
 * ("百分之三点零五"). Words that merely contain a numeral ("一些", "统一", "第一") stay as they are.
 */

const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Reads a Chinese numeral below ten thousand ("五", "十二", "三十五", "一百零八"); NaN when it is not one. */
export function chineseNumeral(text: string): number {
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(text)) return NaN;
  if (!/[十百千]/.test(text)) {
    // digit by digit ("二〇二三"), or a single digit
    let n = 0;
    for (const ch of text) n = n * 10 + DIGIT[ch]!;
    return text.length > 1 && !/^[一二三四五六七八九][〇零一二三四五六七八九]+$/.test(text) ? NaN : n;
  }
  let total = 0;
  let digit = -1;
  let zero = false;
  for (const ch of text) {
    if (ch in DIGIT) {
      if (DIGIT[ch] === 0) {
        zero = true;
        continue;
      } // "一百零八": a place left empty
      if (digit >= 0) return NaN; // two digits in a row ("三四十")
      digit = DIGIT[ch]!;
      continue;
    }
    zero = false;
    const unit = UNIT[ch]!;
    total += (digit < 0 ? 1 : digit) * unit;
    digit = -1;
  }
  return zero && digit < 0 ? total : total + Math.max(digit, 0);
}

/** Measure words and units after which a numeral counts something. */
const COUNTED =
  '年期|季度|个月|个点|周年|年|月|日|号|天|岁|个|所|支|名|届|栋|户|处|场|门|人|元|块|倍|家|座|条|项|次|期|辆|套|间|层|台|位|米|公里|千米|平方米|亩|吨|公斤|斤|克|小时|分钟|秒|点|成|万|亿';
const NUMERAL = '[零〇一二两三四五六七八九十百千]+';

const PERCENT = new RegExp(`百分之(${NUMERAL})(?:点([零〇一二三四五六七八九]+))?`, 'g');
const POINTS = new RegExp(`(${NUMERAL})(?:点([零〇一二三四五六七八九]+))?个(?:百分)?点`, 'g');
const COUNT = new RegExp(`(${NUMERAL})(?=${COUNTED})`, 'g');

function decimals(text: string | undefined): string {
  if (!text) return '';
  return `.${[...text].map((ch) => DIGIT[ch]).join('')}`;
}

/**
 * Rewrites counted numerals in normalised (simplified) text as digits: "五年期" → "5年期",
 * "二〇二三年" → "2023年", "三十四万" → "34万", "百分之三点零五" → "3.05%", "三个点" → "3%".
 * A lone "一" stays ("一个", "一年" are words) except before 季度 and 年期; so does a school grade
 * ("三年级", "初三年级") and any numeral that does not read cleanly.
 */
export function digitsForNumerals(text: string): string {
  if (!/[零〇一二两三四五六七八九十百千]/.test(text)) return text;
  const value = (numeral: string, point?: string) => {
    const n = chineseNumeral(numeral);
    return Number.isNaN(n) ? undefined : `${n}${decimals(point)}`;
  };
  return text
    .replace(PERCENT, (m, n: string, p?: string) => {
      const v = value(n, p);
      return v === undefined ? m : `${v}%`;
    })
    .replace(POINTS, (m, n: string, p?: string) => {
      const v = value(n, p);
      return v === undefined ? m : `${v}%`;
    })
    .replace(COUNT, (m: string, _n: string, at: number, whole: string) => {
      if (m === '一' && !/^(季度|年期)/.test(whole.slice(at + 1))) return m; // "一个", "一年", "一些" are words of their own
      if (at > 0 && whole[at - 1] === '第' && m.length === 1) return m; // "第一年" stays an ordinal
      if (whole.startsWith('年级', at + m.length)) return m; // a grade: "三年级", "初三年级"
      return value(m) ?? m;
    });
}
