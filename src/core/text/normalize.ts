/**
 * Text normalisation, the first stage of reading a question or a page:
 *
 *  1. Unicode NFKC: full-width digits, letters and punctuation become their plain forms.
 *  2. Lower case for Latin letters (ICBC = icbc).
 *  3. Traditional → simplified Chinese (OpenCC, Taiwan and Hong Kong variants included).
 *  4. Counted numerals as digits (五年期 → 5年期, 百分之三 → 3%; see numerals.ts).
 *  5. The day of a month as it is said, "1月2号", as it is printed, "1月2日".
 *
 * Used on questions and on the text that goes into the index, never on the text shown to users.
 */
import * as OpenCC from 'opencc-js/t2cn';
import { digitsForNumerals } from './numerals.js';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Per CJK character (U+2E80–U+9FFF): 0 not yet known, 1 OpenCC leaves it, 2 OpenCC changes it. */
const CJK_FROM = 0x2e80;
const changes = new Uint8Array(0xa000 - CJK_FROM);

/**
 * Whether any character needs OpenCC. Most text is simplified already, and OpenCC's conversion
 * of a whole page costs more than this check.
 */
function needsSimplifying(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < CJK_FROM || code >= 0xa000) continue;
    let c = changes[code - CJK_FROM]!;
    if (c === 0) {
      const ch = text[i]!;
      c = changes[code - CJK_FROM] = toSimplified(ch) !== ch ? 2 : 1;
    }
    if (c === 2) return true;
  }
  return false;
}

/** Normalises text for matching: NFKC, lower case, simplified Chinese, counted numerals as digits, 号 of a date as 日. */
export function normalize(text: string): string {
  let plain = text.normalize('NFKC').toLowerCase();
  if (needsSimplifying(plain)) plain = toSimplified(plain);
  return digitsForNumerals(plain).replace(/(\d月\d{1,2})号/g, '$1日');
}
