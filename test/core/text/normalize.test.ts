import { expect } from 'chai';
import { chineseNumeral, normalize } from '../../../src/core/text/normalize.js';

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

describe('chineseNumeral', () => {
  const cases: Array<[string, number]> = [['五', 5], ['十', 10], ['十二', 12], ['二十', 20], ['三十五', 35], ['两', 2]];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => expect(chineseNumeral(input)).to.equal(expected));
  it('is NaN for what is not a numeral', () => expect(chineseNumeral('年')).to.be.NaN);
});
