import { expect } from 'chai';
import { splitClauses, splitSentences } from '../../../src/core/corpus/sentences.js';

describe('splitSentences', () => {
  const cases: Array<[string, string, string[]]> = [
    ['ends at 。！？ with the closing quotes', '他说：“好。”天晴了！真的吗？', ['他说：“好。”', '天晴了！', '真的吗？']],
    [
      'keeps a short tail that only says who spoke with the sentence before it',
      '“我行的大额存单20万元起存。”张海峰介绍。',
      ['“我行的大额存单20万元起存。”张海峰介绍。'],
    ],
    [
      'keeps a tail that says next to nothing with the sentence before it',
      '这项工作已经全面完成了。是。',
      ['这项工作已经全面完成了。是。'],
    ],
    [
      'lets a short sentence that says something stand alone',
      '当年八月，与先帝合葬于陵园。谥号“章皇后”。',
      ['当年八月，与先帝合葬于陵园。', '谥号“章皇后”。'],
    ],
    ['lets a short figure stand alone', '她于建康去世。终年66岁。', ['她于建康去世。', '终年66岁。']],
    [
      "ends no sentence at a title's own ！ or ？",
      '她在《好运来！》节目中首次登台。《谁在敲门？》是她的新歌。',
      ['她在《好运来！》节目中首次登台。', '《谁在敲门？》是她的新歌。'],
    ],
  ];
  for (const [why, paragraph, sentences] of cases) it(why, () => expect(splitSentences(paragraph)).to.deep.equal(sentences));
});

describe('splitClauses', () => {
  it('splits at commas and semicolons, keeping each separator', () =>
    expect(splitClauses('一是改造，二是新建；三是提升')).to.deep.equal(['一是改造，', '二是新建；', '三是提升']));
});
