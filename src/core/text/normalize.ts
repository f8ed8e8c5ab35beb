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

/** Per CJK character (U+2E80–U+9FFF): 0 not yet known, 1 OpenCC leaves it, 2 OpenCC changes it. */
const CJK_FROM = 0x2e80;
const changes = new Uint8Array(0xa000 - CJK_FROM);

/** Whether any character needs OpenCC (most text is simplified already: the conversion is skipped). */
function needsSimplifying(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < CJK_FROM) continue;
    if (code >= 0xa000) {
      if (code >= 0xd800 && code <= 0xdbff) { // a character beyond the BMP (rare CJK extensions)
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        i++;
        if (toSimplified(ch) !== ch) return true;
      }
      continue;
    }
    let c = changes[code - CJK_FROM]!;
    if (c === 0) {
      const ch = text[i]!;
      c = changes[code - CJK_FROM] = toSimplified(ch) !== ch ? 2 : 1;
    }
    if (c === 2) return true;
  }
  return false;
}

/**
 * Characters NFKC leaves as they are: printable ASCII, CJK unified ideographs, and the usual Chinese
 * punctuation (、。〈〉《》「」『』【】, curly quotes, — and ·). Full-width ASCII forms (U+FF01–U+FF5E)
 * become their ASCII letters under NFKC, and the few in NFKC_SIMPLE what it says. The test suite
 * checks these claims character by character.
 */
const NFKC_STABLE: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0a], [0x0d, 0x0d], [0x20, 0x7e], [0x4e00, 0x9fff], [0x3001, 0x3002], [0x3008, 0x3011], [0x2018, 0x201d], [0x2014, 0x2014], [0xb7, 0xb7],
];

function nfkcStable(c: number): boolean {
  for (let r = 0; r < NFKC_STABLE.length; r++) if (c >= NFKC_STABLE[r]![0] && c <= NFKC_STABLE[r]![1]) return true;
  return false;
}

const FULL_WIDTH_FROM = 0xff01;
const FULL_WIDTH_TO = 0xff5e;
/** Other characters NFKC maps one way, common in Chinese text: … and the ideographic and no-break spaces. */
const NFKC_SIMPLE: Record<number, string> = { 0x2026: '...', 0x3000: ' ', 0xa0: ' ' };
const MAPPED = /[\uff01-\uff5e\u2026\u3000\u00a0]/g;

/**
 * NFKC and lower case for text made only of the characters above and full-width ASCII (most
 * questions), without calling ICU; undefined when some other character needs the full treatment.
 */
function plainWithoutIcu(text: string, lower = true): string | undefined {
  let upper = false;
  let wide = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) continue; // most of the text: Chinese characters
    if (c >= 0x20 && c <= 0x7e) { if (c >= 0x41 && c <= 0x5a) upper = lower; continue; }
    if ((c >= FULL_WIDTH_FROM && c <= FULL_WIDTH_TO) || NFKC_SIMPLE[c] !== undefined) { wide = true; continue; }
    if (!nfkcStable(c)) return undefined;
  }
  const narrow = wide ? text.replace(MAPPED, (ch) => NFKC_SIMPLE[ch.charCodeAt(0)] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0)) : text;
  return lower && (upper || wide) ? narrow.toLowerCase() : narrow;
}

/** Up to this length (a question) the check above is cheaper than a call to ICU; past it, ICU is faster. */
const SHORT_TEXT = 40;

/** `text.normalize('NFKC')`, without ICU for short plain text. */
export function nfkc(text: string): string {
  return (text.length <= SHORT_TEXT ? plainWithoutIcu(text, false) : undefined) ?? text.normalize('NFKC');
}

/** `text.normalize('NFKC').toLowerCase()`, without ICU for short plain text. */
export function nfkcLower(text: string): string {
  return (text.length <= SHORT_TEXT ? plainWithoutIcu(text) : undefined) ?? text.normalize('NFKC').toLowerCase();
}

/** Normalises text for matching: NFKC, simplified Chinese, lower case, numeral terms as digits. */
export function normalize(text: string): string {
  let plain = nfkcLower(text);
  if (needsSimplifying(plain)) plain = toSimplified(plain);
  if (!plain.includes('年期')) return plain;
  return plain.replace(/([零〇一二两三四五六七八九十]{1,3})(?=年期)/g, (m: string) => {
    const n = chineseNumeral(m);
    return Number.isNaN(n) ? m : String(n);
  });
}
