import { expect } from 'chai';
import { Telegram } from 'telegraf';
import { ApiLink, apiAgent, Backoff, BotApiTimeout, IDLE_SOCKET_MS, isOutage, retrying, useAgent, withTimeouts } from '../src/bot-api.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { TEST_TOKEN } from './support/bot-process.js';

describe('bot-api: the way to the Bot API', function () {
  this.timeout(20_000);
  let api: FakeBotApi;
  let apiRoot: string;
  beforeEach(async () => {
    api = new FakeBotApi(TEST_TOKEN);
    apiRoot = await api.start();
  });
  afterEach(() => api.stop());

  const client = (link = new ApiLink(silentLogger), apiTimeoutMs = 300) =>
    withTimeouts(new Telegram(TEST_TOKEN, { apiRoot, webhookReply: false }), { apiTimeoutMs, link });

  it('gives up a call that gets no answer after its time limit, as an outage', async () => {
    api.faults.push(() => 'stall');
    const started = Date.now();
    const err = await client()
      .getMe()
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BotApiTimeout);
    expect((err as BotApiTimeout).code).to.equal('ETIMEDOUT');
    expect(isOutage(err)).to.equal(true);
    expect(Date.now() - started).to.be.within(250, 3000);
  });

  it('lets a long poll wait its own timeout on top of the limit', async () => {
    const started = Date.now();
    const updates = await client().callApi('getUpdates', { timeout: 1, offset: 0 });
    expect(updates).to.deep.equal([]);
    expect(Date.now() - started).to.be.at.least(900); // answered by the API after 1 s, not cut at 0.3 s
  });

  it('passes an answer through, and a refusal as telegraf gives it (not an outage)', async () => {
    expect((await client().getMe()).username).to.equal('qd_news_bot');
    const err = await client()
      .sendMessage(1, '')
      .catch((e: unknown) => e);
    expect(isOutage(err)).to.equal(false);
    expect((err as { response: { error_code: number } }).response.error_code).to.equal(400);
  });

  it('aborts a call when the caller does', async () => {
    api.faults.push(() => 'stall');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await client(undefined, 5000)
      .callApi('getMe', {}, { signal: controller.signal as never })
      .catch((e: unknown) => e);
    expect((err as Error).name).to.equal('AbortError');
  });

  it('logs losing and regaining the API once each way, whatever calls stalled before', async () => {
    const lines: string[] = [];
    const link = new ApiLink(createLogger([], (l) => lines.push(l)));
    const telegram = client(link);
    let stalled = true;
    api.faults.push(() => (stalled ? 'stall' : undefined));
    // three calls stall together, and one more starts after they are given up
    await Promise.all([telegram.getMe(), telegram.getMe(), telegram.getMe()].map((p) => p.catch(() => undefined)));
    const late = telegram.getMe().catch(() => undefined); // stalled, given up after the API is back
    stalled = false;
    await telegram.getMe();
    await telegram.getMe();
    await late;
    expect(lines.filter((l) => l.includes('Bot API unreachable'))).to.have.length(1);
    expect(lines.filter((l) => l.includes('Bot API reachable again'))).to.have.length(1);
    expect(link.up).to.equal(true);
  });

  it('gives an https client (and those made from its options) connections that close when idle, and an http one none', () => {
    const agent = apiAgent();
    expect(agent.options).to.include({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    const https = useAgent(new Telegram(TEST_TOKEN), agent);
    expect(https.options.agent).to.equal(agent);
    expect(new Telegram(TEST_TOKEN, https.options).options.agent).to.equal(agent);
    expect(useAgent(new Telegram(TEST_TOKEN, { apiRoot }), agent).options.agent).to.equal(undefined);
  });

  it('backs off from 1 s to at most 10 s, and retries until the call succeeds', async () => {
    const b = new Backoff();
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).to.deep.equal([1000, 2000, 4000, 8000, 10_000, 10_000]);
    let calls = 0;
    const result = await retrying(
      'test',
      async () => {
        if (++calls < 2) throw new BotApiTimeout('getMe', 1);
        return 'ok';
      },
      { signal: new AbortController().signal, logger: silentLogger },
    );
    expect([result, calls]).to.deep.equal(['ok', 2]);
  });

  it('does not retry a refused token', async () => {
    const other = new FakeBotApi('999999:OTHERTOKENOTHERTOKENOTHERTOKEN123');
    const root = await other.start();
    try {
      const telegram = withTimeouts(new Telegram(TEST_TOKEN, { apiRoot: root }), { apiTimeoutMs: 1000, link: new ApiLink(silentLogger) });
      const err = await retrying('getMe', () => telegram.getMe(), { signal: new AbortController().signal, logger: silentLogger }).catch(
        (e: unknown) => e,
      );
      expect((err as { response: { error_code: number } }).response.error_code).to.equal(401);
      expect(other.of('getMe')).to.have.length(1);
    } finally {
      await other.stop();
    }
  });
});
