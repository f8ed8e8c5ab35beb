/**
 * Text normalisation, the first stage of the pipeline (normalise → segment → terms).
 *
 *  1. Unicode NFKC: full-width digits, letters and punctuation become their plain forms.
 *  2. Traditional → simplified Chinese (OpenCC, Taiwan/Hong Kong variants included).
 *  3. Lower case for Latin letters (ICBC = icbc).
 *  4. Chinese numerals before a term of years become digits (五年期 → 5年期), so terms compare.
 *
 * Used on questions and on the text that goes into the index, never on the text shown to users.
 */
import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Reads a Chinese numeral below one hundred ("五", "十", "二十", "三十五"); NaN when it is not one. */
export function chineseNumeral(text: string): number {
  if (!/^[零〇一二两三四五六七八九十]+$/.test(text)) return NaN;
  const ten = text.indexOf('十');
  if (ten < 0) return text.length === 1 ? DIGITS[text]! : NaN;
  const tens = ten === 0 ? 1 : DIGITS[text.slice(0, ten)] ?? NaN;
  const rest = text.slice(ten + 1);
  const ones = rest === '' ? 0 : rest.length === 1 ? DIGITS[rest] ?? NaN : NaN;
  return tens * 10 + ones;
}

/** Per character: does OpenCC change it? (Most text is simplified already: skip the conversion.) */
const changes = new Map<string, boolean>();

function needsSimplifying(text: string): boolean {
  for (const ch of text) {
    if (ch < '\u2e80') continue; // below the CJK blocks
    let c = changes.get(ch);
    if (c === undefined) { c = toSimplified(ch) !== ch; changes.set(ch, c); }
    if (c) return true;
  }
  return false;
}

/** Normalises text for matching: NFKC, simplified Chinese, lower case, numeral terms as digits. */
export function normalize(text: string): string {
  let plain = text.normalize('NFKC').toLowerCase();
  if (needsSimplifying(plain)) plain = toSimplified(plain);
  return plain.replace(/([零〇一二两三四五六七八九十]{1,3})(?=年期)/g, (m: string) => {
    const n = chineseNumeral(m);
    return Number.isNaN(n) ? m : String(n);
  });
}
