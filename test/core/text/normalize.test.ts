import { expect } from 'chai';
import { chineseNumeral, nfkc, nfkcLower, normalize } from '../../../src/core/text/normalize.js';

describe('normalize', () => {
  const cases = [
    { input: '３．０５％', expected: '3.05%', why: 'full-width digits and signs' },
    { input: 'ＩＣＢＣ', expected: 'icbc', why: 'full-width letters, lower case' },
    { input: '個人養老金儲蓄', expected: '个人养老金储蓄', why: 'traditional to simplified' },
    { input: '五年期利率', expected: '5年期利率', why: 'a numeral term of years' },
    { input: '十年期', expected: '10年期', why: 'ten' },
    { input: '一季度', expected: '一季度', why: 'quarters stay as printed' },
    { input: '第二十九届', expected: '第二十九届', why: 'ordinals stay as printed' },
  ];
  for (const { input, expected, why } of cases) {
    it(`${why}: ${input} → ${expected}`, () => expect(normalize(input)).to.equal(expected));
  }
});

describe('nfkcLower and nfkc', () => {
  const icu = (s: string) => s.normalize('NFKC').toLowerCase();

  it('agrees with ICU on every character it handles without ICU, and on those around them', () => {
    const ranges = [[0x00, 0xff], [0x2000, 0x206f], [0x3000, 0x303f], [0x4dc0, 0xa000], [0xf900, 0xfaff], [0xff00, 0xffef]];
    const differ: string[] = [];
    for (const [from, to] of ranges) {
      for (let c = from!; c <= to!; c++) {
        const ch = String.fromCharCode(c);
        if (nfkcLower(ch) !== icu(ch) || nfkc(ch) !== ch.normalize('NFKC')) differ.push(c.toString(16));
      }
    }
    expect(differ).to.deep.equal([]);
  });

  it('agrees with ICU on mixed text, combining marks and surrogate pairs included', () => {
    const alphabet = ['A', 'z', '5', ' ', '?', '?', 'Ａ', '５', '李', '沧', '區', '。', '《', '…', '\u3000', 'e\u0301', '\u0301', '①', '㎡', '😀', '\ud840\udc0b', '\uf900', 'Ⅻ'];
    let seed = 7;
    const pick = () => alphabet[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length]!;
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + (n % 45) }, pick).join('');
      expect(nfkcLower(text), JSON.stringify(text)).to.equal(icu(text));
      expect(nfkc(text), JSON.stringify(text)).to.equal(text.normalize('NFKC'));
    }
  });
});

describe('chineseNumeral', () => {
  const cases: Array<[string, number]> = [['五', 5], ['十', 10], ['十二', 12], ['二十', 20], ['三十五', 35], ['两', 2]];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => expect(chineseNumeral(input)).to.equal(expected));
  it('is NaN for what is not a numeral', () => expect(chineseNumeral('年')).to.be.NaN);
});
