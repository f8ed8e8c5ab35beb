import { expect } from 'chai';
import { candidateTokens, decide, decisionTokens, oddsOfYes, probabilityOfYes, ranked } from '../../src/core/decide.js';
import type { Fact } from '../../src/core/knowledge.js';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { type AnswerType, analyse } from '../../src/core/question.js';
import { FEATURES, retrieve, type Candidate, type FeatureName } from '../../src/core/retrieve.js';
import { engineFor, SEED_CORPUS } from '../helpers.js';

const features = (set: Partial<Record<FeatureName, number>> = {}) =>
  ({ ...Object.fromEntries(FEATURES.map((f) => [f, 0])), ...set }) as Record<FeatureName, number>;
let doc = 0;
const candidate = (set: Partial<Record<FeatureName, number>> = {}, date = '2023-03-29', norm = `fact ${doc}`): Candidate => ({
  fact: { doc: doc++, norm, article: { date, id: `a${doc}` } } as unknown as Fact,
  features: features(set),
  prior: 0,
});

describe('candidateTokens', () => {
  it('gives one token a feature the ranker reads: yes or no, or the tenth a measure falls in', () => {
    const tokens = candidateTokens(features({ charCoverNear: 0.73, typeFound: 1, wordCoverContext: 1 }));
    expect(tokens.length).to.be.within(20, FEATURES.length);
    expect(tokens).to.include.members(['charCoverNear:7', 'typeFound+', 'typeMissing-', 'wordCoverContext:9']);
  });
});

describe('oddsOfYes and probabilityOfYes', () => {
  it("reads a classifier's labels", () => {
    const c = [
      { label: 'yes', value: 3e-20 },
      { label: 'no', value: 1e-20 },
    ];
    expect(probabilityOfYes(c)).to.be.closeTo(0.75, 1e-9);
    expect(oddsOfYes(c)).to.be.closeTo(Math.log(3), 1e-9);
    expect(
      oddsOfYes([
        { label: 'yes', value: 0 },
        { label: 'no', value: 1 },
      ]),
    ).to.be.below(-700);
  });
});

describe('ranked', () => {
  it('puts facts about another district or bank last, however the ranker rates them', () => {
    const clash = candidate({ entityClash: 1 });
    const own = candidate();
    expect(ranked([clash, own], [10, 1], DEFAULT_OPTIONS).map((r) => r.candidate)).to.deep.equal([own, clash]);
  });

  it('takes odds from a fact for each of the kind, unit and detail asked for that it lacks', () => {
    const lacking = candidate({ typeMissing: 1, measureMissing: 1 });
    const holding = candidate({ typeFound: 1 });
    const list = ranked([lacking, holding], [5, 0], { missingPenalty: 3, listPreference: 0, unitPreference: 0 });
    expect(list.map((r) => r.candidate)).to.deep.equal([holding, lacking]);
    expect(list.map((r) => r.odds)).to.deep.equal([0, -1]);
    expect(ranked([lacking, holding], [5, 0], { missingPenalty: 0, listPreference: 0, unitPreference: 0 })[0]!.candidate).to.equal(lacking);
  });

  it('takes more odds from a fact without the unit asked when a fact of its article has it', () => {
    const article = { date: '2023-03-29', id: 'park' };
    const ofPark = (set: Partial<Record<FeatureName, number>>, norm: string): Candidate => ({
      fact: { doc: doc++, norm, article } as unknown as Fact,
      features: features(set),
      prior: 0,
    });
    const lead = ofPark({ typeFound: 1, measureMissing: 1 }, '口袋公园建成开放,周边约1.2万名居民受益');
    const area = ofPark({ typeFound: 1, measureFound: 1 }, '公园占地约4500平方米');
    const options = { missingPenalty: 1, listPreference: 0, unitPreference: 6 };
    expect(ranked([lead, area], [8, 2], options)[0]!.candidate).to.equal(area);
    expect(ranked([lead, area], [8, 2], { ...options, unitPreference: 0 })[0]!.candidate).to.equal(lead);
    // in an article without the unit, the fact is only short of it
    const elsewhere = candidate({ typeFound: 1, measureMissing: 1 });
    expect(ranked([elsewhere], [8], options)[0]!.odds).to.equal(7);
  });

  it('gives odds to a list when what is on a list is asked', () => {
    const sentence = candidate();
    const list = candidate({ listAsked: 1 });
    expect(ranked([sentence, list], [5, 2], { missingPenalty: 0, listPreference: 4, unitPreference: 0 })[0]!.candidate).to.equal(list);
    expect(ranked([sentence, list], [5, 2], { missingPenalty: 0, listPreference: 0, unitPreference: 0 })[0]!.candidate).to.equal(sentence);
  });

  it('ranks a sentence printed again on a newer page, its figures updated, first among its copies', () => {
    const old = candidate({}, '2023-03-29', '家庭医生签约居民已达34万人');
    const newer = candidate({}, '2024-03-29', '家庭医生签约居民已达40万人');
    const other = candidate({}, '2024-01-01', '别的句子');
    expect(ranked([old, other, newer], [5, 4, 3], DEFAULT_OPTIONS).map((r) => r.candidate)).to.deep.equal([newer, old, other]);
  });
});

describe('a byline or caption asked for', () => {
  const article = { date: '2023-03-29', id: 'story' };
  const ofArticle = (set: Partial<Record<FeatureName, number>>, kind: string): Candidate => ({
    fact: { doc: doc++, norm: `fact ${doc}`, kind, article } as unknown as Fact,
    features: features(set),
    prior: 0,
  });

  it('comes first with the odds of its article, and is covered as its best fact is', () => {
    const byline = ofArticle({ roleAsked: 1, articleMatch: 1 }, 'byline');
    const sentence = ofArticle({ wordCoverContext: 0.9, charCoverNear: 0.8 }, 'body');
    const elsewhere = candidate({ wordCoverContext: 0.5 });
    const list = ranked([sentence, elsewhere, byline], [6, 2, -8], DEFAULT_OPTIONS);
    expect(list.map((r) => r.candidate)).to.deep.equal([byline, sentence, elsewhere]);
    expect(list[0]!.odds).to.equal(6);
    // its own article's sentences do not stand against it; the other article does
    const tokens = decisionTokens(list);
    expect(tokens).to.include.members(['lead:2', 'wordCoverContext:9', 'charCoverNear:8', 'roleAsked+']);
  });
});

describe('decisionTokens', () => {
  it('reads how sure the ranker is and how far ahead the best is', () => {
    const best = { candidate: candidate({ wordCoverContext: 1 }), odds: 20 };
    const same = { candidate: { ...candidate(), fact: { ...best.candidate.fact, doc: 99, norm: 'another fact' } }, odds: 18 };
    const other = { candidate: candidate(), odds: -10 };
    const tokens = decisionTokens([best, same, other]);
    expect(tokens).to.include.members(['best:9', 'lead:1', 'leadElsewhere:9', 'wordCoverContext:9']);
  });

  it('counts no sentence printed again, as a list item or in the text, as a rival to itself', () => {
    const best = { candidate: candidate({}, '2024-12-30', '◆ 便民服务：大厅2月24日起恢复办理'), odds: 6 };
    const again = { candidate: candidate({}, '2024-12-30', '大厅2月24日起恢复办理。'), odds: 4 };
    const other = { candidate: candidate({}, '2024-12-30', '景区7:30开放'), odds: -9 };
    expect(decisionTokens([best, again, other])).to.include('lead:9');
  });

  it('counts no fact about another district or bank as a rival from another article', () => {
    const best = { candidate: candidate({ wordCoverContext: 1 }, '2024-12-30', '城阳新增泊位860个'), odds: 5 };
    const clash = { candidate: candidate({ entityClash: 1 }, '2023-03-29', '李沧新增泊位231个'), odds: 5 };
    expect(decisionTokens([best, clash])).to.include('leadElsewhere:9');
    const rival = { candidate: candidate({}, '2023-03-29', '李沧新增泊位231个'), odds: 5 };
    expect(decisionTokens([best, rival])).to.include('leadElsewhere:0');
  });
});

describe('decide', () => {
  const options = { answerThreshold: 0.5, partialCover: 0.8 };
  it('answers above the threshold', () => expect(decide(candidate(), 0.9, options).kind).to.equal('answer'));
  it('declines below it', () => expect(decide(candidate(), 0.2, options).kind).to.equal('decline'));
  it('declines when there is no candidate', () => expect(decide(undefined, 1, options).kind).to.equal('decline'));
  it('never answers with a fact about another district or bank', () =>
    expect(decide(candidate({ entityClash: 1 }), 0.99, options).kind).to.equal('decline'));
  it('never answers with a fact that lacks the detail asked for; shows it when it covers the rest', () => {
    expect(decide(candidate({ detailMissing: 1 }), 0.99, options).kind).to.equal('decline');
    expect(decide(candidate({ detailMissing: 1, wordCoverContext: 0.9, charCoverContext: 0.9 }), 0.99, options).kind).to.equal('partial');
  });
  it('never answers a number asked in a unit ("多少人") with a fact that holds no number at all', () => {
    expect(decide(candidate({ typeMissing: 1, measureMissing: 1 }), 0.99, options).kind).to.equal('decline');
    expect(decide(candidate({ typeMissing: 1, measureMissing: 1, wordCoverContext: 1, charCoverContext: 1 }), 0.99, options).kind).to.equal(
      'partial',
    );
    // a number of another unit is left to the answer model ("几条路": "3处")
    expect(decide(candidate({ measureMissing: 1 }), 0.99, options, { types: ['number'], measure: '条' }).kind).to.equal('answer');
    // but not a number of people: households or buildings are no count of them
    expect(decide(candidate({ measureMissing: 1 }), 0.99, options, { types: ['number'], measure: '人|名|位' }).kind).to.equal('decline');
    const covering = candidate({ measureMissing: 1, wordCoverContext: 1, charCoverContext: 1 });
    expect(decide(covering, 0.99, options, { types: ['number'], measure: '人|名|位' }).kind).to.equal('partial');
  });
  it('never answers how much of a thing no page names ("余额是多少") with a figure of a fact that does not name it', () => {
    const number = { types: ['number'] as AnswerType[] };
    expect(decide(candidate({ focusUnknown: 1, focusFound: 0 }), 0.99, options, number).kind).to.equal('decline');
    expect(
      decide(candidate({ focusUnknown: 1, focusFound: 0, wordCoverContext: 1, charCoverContext: 1 }), 0.99, options, number).kind,
    ).to.equal('partial');
    expect(decide(candidate({ focusUnknown: 1, focusFound: 1 }), 0.99, options, number).kind).to.equal('answer');
    // the word before 多少 may only ask the unit ("比例是多少" → %)
    expect(decide(candidate({ focusUnknown: 1, focusFound: 0 }), 0.99, options, { ...number, measure: '%' }).kind).to.equal('answer');
  });
  it('never answers the year, day or hour asked with a fact without it, but for the year of a dated page', () => {
    const undated = { ...candidate({ typeMissing: 1 }) };
    undated.fact = { ...undated.fact, article: { id: 'undated' } } as unknown as Fact;
    expect(decide(undated, 0.99, options, { types: ['time'], time: 'year' }).kind).to.equal('decline');
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options, { types: ['time'], time: 'day' }).kind).to.equal('decline');
    // the page's date gives its year
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options, { types: ['time'], time: 'year' }).kind).to.equal('answer');
    // asked just when, a dated (news) page's fact without a time is no answer; an undated page's
    // (history: an era) is left to the answer model
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options, { types: ['time'] }).kind).to.equal('decline');
    expect(decide(undated, 0.99, options, { types: ['time'] }).kind).to.equal('answer');
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options).kind).to.equal('answer');
  });
  it('never answers how many, where or which organisation with a fact of a dated (news) page that holds none', () => {
    const undated = { ...candidate({ typeMissing: 1 }) };
    undated.fact = { ...undated.fact, article: { id: 'undated' } } as unknown as Fact;
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options, { types: ['number'] }).kind).to.equal('decline');
    expect(decide(undated, 0.99, options, { types: ['number'] }).kind).to.equal('answer');
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options, { types: ['org'] }).kind).to.equal('decline');
    // a person's name has no shape to tell it by: the answer model decides
    expect(decide(candidate({ typeMissing: 1 }), 0.99, options, { types: ['person'] }).kind).to.equal('answer');
  });
  it('gives a partial answer when the fact covers the question but lacks the number asked for', () => {
    expect(decide(candidate({ typeMissing: 1, wordCoverContext: 1, charCoverContext: 1 }), 0.2, options).kind).to.equal('partial');
  });
  it('answers with the byline or caption of the best-matching article when who wrote or took it is asked', () => {
    const byline = (set: Partial<Record<FeatureName, number>>) =>
      ({ ...candidate(set), fact: { ...candidate().fact, kind: 'byline' } }) as Candidate;
    expect(decide(byline({ roleAsked: 1, topArticle: 1 }), 0.05, options).kind).to.equal('answer');
    expect(decide(byline({ roleAsked: 1, topArticle: 0 }), 0.05, options).kind).to.equal('decline');
    expect(decide(byline({ roleAsked: 1, topArticle: 1, detailMissing: 1 }), 0.05, options).kind).to.equal('decline');
  });
  it('uses the documented default threshold', () => expect(DEFAULT_OPTIONS.answerThreshold).to.be.within(0.3, 0.9));
});

describe('retrieve', () => {
  it('tells a fact that holds a number in the unit asked for from one that does not', () => {
    const knowledge = engineFor(SEED_CORPUS).knowledge;
    const candidates = retrieve(analyse('李沧家庭医生签约居民有多少人', knowledge, DEFAULT_OPTIONS), knowledge, DEFAULT_OPTIONS);
    const holds = candidates.find((c) => c.fact.text.includes('34万人'))!;
    expect(holds.features).to.include({ measureFound: 1, measureMissing: 0 });
    expect(candidates.some((c) => c.features.measureMissing === 1 && !/\d+(?:\.\d+)?万?人/.test(c.fact.text))).to.equal(true);
    // a question that asks in no unit misses none
    const plain = retrieve(analyse('李沧家庭医生签约情况', knowledge, DEFAULT_OPTIONS), knowledge, DEFAULT_OPTIONS);
    expect(plain.every((c) => c.features.measureMissing === 0)).to.equal(true);
  });
});
