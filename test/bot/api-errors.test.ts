import { expect } from 'chai';
import { Telegram } from 'telegraf';
import { BotApiTimeout } from '../../src/bot-api.js';
import type { Logger } from '../../src/logger.js';
import { testBot } from './harness.js';
import { textUpdate } from './updates.js';

describe('an update whose reply fails', () => {
  const real = Telegram.prototype.callApi;
  let failure: unknown;
  let logged: Array<{ level: string; message: string }>;
  const logger: Logger = {
    info: (message) => logged.push({ level: 'info', message }),
    warn: (message) => logged.push({ level: 'warn', message }),
    error: (message, err) => logged.push({ level: 'error', message: `${message}: ${(err as Error)?.stack ?? err}` }),
  };
  before(() => {
    Telegram.prototype.callApi = (async () => {
      throw failure;
    }) as any;
  });
  after(() => {
    Telegram.prototype.callApi = real;
  });
  beforeEach(() => {
    logged = [];
  });

  const cases: Array<{ what: string; error: () => unknown }> = [
    { what: 'no answer in time', error: () => new BotApiTimeout('sendMessage', 15_000) },
    { what: 'a connection refused', error: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'FetchError' }) },
    { what: 'a 502', error: () => Object.assign(new Error('502: Bad Gateway'), { response: { error_code: 502 } }) },
  ];
  for (const { what, error } of cases) {
    it(`logs one line, not a stack trace, for ${what}`, async () => {
      failure = error();
      await testBot({ logger }).send(textUpdate('李沧家庭医生签约了多少人'));
      expect(logged).to.have.length(1);
      expect(logged[0]!.level).to.equal('warn');
      expect(logged[0]!.message).to.match(/^update \d+: the reply did not reach Telegram \(.+\)$/);
    });
  }

  it("logs the bot's own faults with their stack", async () => {
    failure = new TypeError('x is not a function');
    await testBot({ logger }).send(textUpdate('李沧家庭医生签约了多少人'));
    expect(
      logged.some((l) => l.level === 'error' && l.message.includes('TypeError: x is not a function') && l.message.includes('\n    at ')),
    ).to.equal(true);
  });
});
