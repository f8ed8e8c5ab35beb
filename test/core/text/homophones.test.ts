import { expect } from 'chai';
import { Homophones, soundKey } from '../../../src/core/text/homophones.js';

describe('Homophones', () => {
  const h = new Homophones();
  for (const w of ['刘卓毅', '李沧', '丁倩倩', '工商银行', 'icbc', '沧']) h.add(w);

  it('hears a name with a character of the same sound', () => {
    expect(h.like('刘桌毅')).to.deep.equal(['刘卓毅']);
    expect(h.like('李仓')).to.deep.equal(['李沧']);
  });
  it('does not offer a word for itself, or for one that differs by two characters', () => {
    expect(h.like('刘卓毅')).to.deep.equal([]);
    expect(h.like('丁茜茜')).to.deep.equal([]);
  });
  it('keeps only words of two to four Chinese characters', () => expect(h.like('沧')).to.deep.equal([]));
  it('sounds a word character by character, without tones', () => expect(soundKey('李沧')).to.equal('li cang'));
});
