import { expect } from 'chai';
import { parsePreview, parseSessionTime, resolveYear } from '../../../src/core/corpus/preview.js';

describe('parseSessionTime', () => {
  const cases = [
    { text: '3月30日(周四)下午2:30—4:00', expected: { month: 3, day: 30, weekday: 4, start: [14, 30], end: [16, 0] } },
    { text: '3月30日(周四)下午2:30-4:00', expected: { month: 3, day: 30, weekday: 4, start: [14, 30], end: [16, 0] } },
    { text: '1月2日(星期四)上午9:30至11:00', expected: { month: 1, day: 2, weekday: 4, start: [9, 30], end: [11, 0] } },
    { text: '4月6日(周四)14:30—16:00', expected: { month: 4, day: 6, weekday: 4, start: [14, 30], end: [16, 0] } },
    { text: '5月8日 下午3点', expected: { month: 5, day: 8, start: [15, 0] } },
    { text: '6月1日(周五)上午11:00—下午1:00', expected: { month: 6, day: 1, weekday: 5, start: [11, 0], end: [13, 0] } },
  ];
  for (const { text, expected } of cases) {
    it(text, () => expect(parseSessionTime(text)).to.deep.include(expected));
  }
  it('reads a printed year', () => expect(parseSessionTime('2024年3月1日上午9:00')?.year).to.equal(2024));
  it('is undefined without a date', () => expect(parseSessionTime('下午2:30')).to.equal(undefined));
});

describe('resolveYear', () => {
  const cases = [
    { args: [3, 30, 4, 2023] as [number, number, number, number], expected: 2023, why: 'the page year agrees with Thursday' },
    { args: [1, 2, 4, 2024] as [number, number, number, number], expected: 2025, why: 'next year agrees (a December page)' },
    { args: [12, 29, 4, 2023] as [number, number, number, number], expected: 2022, why: 'last year agrees' },
  ];
  for (const { args, expected, why } of cases) {
    it(`${why}: ${args[1]}/${args[0]} → ${expected}`, () => expect(resolveYear(...args).year).to.equal(expected));
  }
  it('warns when no nearby year has that weekday', () => {
    const r = resolveYear(3, 30, 1, 2023);
    expect(r.year).to.equal(2023);
    expect(r.warning).to.match(/weekday does not match/);
  });
  it('without a weekday, takes a date far before the page date as next year', () => {
    expect(resolveYear(1, 5, undefined, 2024, '2024-12-30').year).to.equal(2025);
    expect(resolveYear(12, 31, undefined, 2024, '2024-12-30').year).to.equal(2024);
  });
});

describe('parsePreview', () => {
  it('gives a session with Asia/Shanghai times', () => {
    const { session, warning } = parsePreview(['网谈时间:3月30日(周四)下午2:30—4:00', '网谈单位:市生态环境局'], 'p', 2023);
    expect(warning).to.equal(undefined);
    expect(session).to.deep.include({ start: '2023-03-30T14:30:00+08:00', unit: '市生态环境局', weekday: 4 });
    expect(new Date(session!.start).toISOString()).to.equal('2023-03-30T06:30:00.000Z');
  });
  it('warns about a block without a unit', () => {
    const { session, warning } = parsePreview(['网谈时间:3月30日(周四)下午2:30—4:00'], 'p.txt', 2023);
    expect(session).to.equal(undefined);
    expect(warning).to.match(/p\.txt: 民生在线 preview without a guest unit/);
  });
  it('warns about a block without a date', () => {
    expect(parsePreview(['网谈时间:待定', '网谈单位:市生态环境局'], 'p.txt', 2023).warning).to.match(/without a readable date/);
  });
});
