import { expect } from 'chai';
import { normalize } from '../../../src/core/text/normalize.js';
import { chineseNumeral, digitsForNumerals } from '../../../src/core/text/numerals.js';

describe('normalize', () => {
  const cases = [
    { input: '３．０５％', expected: '3.05%', why: 'full-width digits and signs' },
    { input: 'ＩＣＢＣ', expected: 'icbc', why: 'full-width letters, lower case' },
    { input: '個人養老金儲蓄', expected: '个人养老金储蓄', why: 'traditional to simplified' },
    { input: '五年期利率', expected: '5年期利率', why: 'a numeral term of years' },
    { input: '十年期', expected: '10年期', why: 'ten' },
    { input: '一季度', expected: '1季度', why: 'a quarter' },
    { input: '一些人', expected: '一些人', why: 'a lone 一 stays' },
    { input: '第二十九届', expected: '第29届', why: 'an ordinal of two characters or more is read as digits' },
    { input: '第一年', expected: '第一年', why: 'a one-character ordinal stays' },
    { input: '1月2号那期', expected: '1月2日那期', why: 'the day of a month as it is said' },
    { input: '十二月三十号', expected: '12月30日', why: 'the day of a month in words' },
    { input: '3号线', expected: '3号线', why: 'a 号 that is no day' },
  ];
  for (const { input, expected, why } of cases) {
    it(`${why}: ${input} → ${expected}`, () => expect(normalize(input)).to.equal(expected));
  }
});

describe('chineseNumeral', () => {
  const cases: Array<[string, number]> = [
    ['五', 5],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['三十五', 35],
    ['两', 2],
    ['一百零八', 108],
    ['二〇二三', 2023],
    ['三千', 3000],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => expect(chineseNumeral(input)).to.equal(expected));
  it('is NaN for what is not a numeral', () => expect(chineseNumeral('年')).to.be.NaN);
});

describe('digitsForNumerals', () => {
  const cases = [
    ['三年期', '3年期'],
    ['五年', '5年'],
    ['二〇二三年', '2023年'],
    ['三十四万人', '34万人'],
    ['百分之三', '3%'],
    ['百分之三点零五', '3.05%'],
    ['三个点', '3%'],
    ['十二所幼儿园', '12所幼儿园'],
    ['一些人', '一些人'],
    ['统一', '统一'],
    ['一个', '一个'],
    ['三四十人', '三四十人'],
    // a school grade is no count of years
    ['初三年级', '初三年级'],
    ['二年级学生', '二年级学生'],
    ['提高三倍', '提高3倍'],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => expect(digitsForNumerals(input!)).to.equal(expected));
});
