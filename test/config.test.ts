import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, loadEnvFile } from '../src/config.js';

const TOKEN = '123456789:AAEtestTokenForTheLocalBotApi_0123456';

describe('loadConfig', () => {
  it('defaults to the local chat, the project corpus and ./data', () => {
    const c = loadConfig({});
    expect(c.ok).to.equal(true);
    if (!c.ok) return;
    expect(c.value.botToken).to.equal(undefined);
    expect(c.value).to.include({ port: 3000, broadcastRate: 25, pollTimeout: 25, apiTimeout: 15, stopTimeout: 5 });
    expect(c.value.corpusDir).to.match(/corpus$/);
    expect(c.value.dataDir).to.match(/data$/);
  });

  it('takes a PostgreSQL DATABASE_URL, and refuses anything else without repeating it', () => {
    const url = 'postgres://bot:s3cret@db.internal:5432/news';
    const c = loadConfig({ DATABASE_URL: url });
    expect(c.ok && c.value.databaseUrl).to.equal(url);
    expect(loadConfig({}).ok && (loadConfig({}) as { value: { databaseUrl?: string } }).value.databaseUrl).to.equal(undefined);
    for (const bad of ['mysql://bot:s3cret@db/news', 'not a url s3cret', 'postgres://']) {
      const r = loadConfig({ DATABASE_URL: bad });
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.error).to.match(/^DATABASE_URL must be a PostgreSQL URL/);
        expect(r.error).to.not.include('s3cret');
      }
    }
  });

  it('reads a full webhook setup', () => {
    const c = loadConfig({
      BOT_TOKEN: TOKEN,
      WEBHOOK_URL: 'https://bot.example.org/telegram',
      WEBHOOK_SECRET: 's_1',
      PORT: '8443',
      ADMIN_IDS: '1, 2',
      BROADCAST_RATE: '20',
    });
    expect(c.ok && c.value).to.deep.include({
      webhookUrl: 'https://bot.example.org/telegram',
      port: 8443,
      adminIds: [1, 2],
      broadcastRate: 20,
    });
  });

  it('listens on all interfaces unless HOST names one (an address, in brackets or not, or a host name)', () => {
    const host = (HOST?: string) => {
      const c = loadConfig(HOST === undefined ? {} : { HOST });
      return c.ok ? c.value.host : c.error;
    };
    expect(host()).to.equal(undefined);
    expect(host('')).to.equal(undefined);
    expect(host('127.0.0.1')).to.equal('127.0.0.1');
    expect(host('0.0.0.0')).to.equal('0.0.0.0');
    expect(host('::')).to.equal('::');
    expect(host('[::1]')).to.equal('::1');
    expect(host('localhost')).to.equal('localhost');
    expect(host('bot-1.internal')).to.equal('bot-1.internal');
  });

  // Each refusal names the variable but never repeats the token or the webhook secret it was given
  // (a secret that is only a little off, a malformed token, is still a secret).
  const SECRET = 'hush_0123456789';
  const bad = [
    { env: { BOT_TOKEN: '123456789:AAEshortSecret' }, says: 'BOT_TOKEN is malformed' },
    { env: { WEBHOOK_URL: 'https://x.org', WEBHOOK_SECRET: SECRET }, says: 'needs the bot token' },
    { env: { BOT_TOKEN: TOKEN, WEBHOOK_URL: 'http://x.org', WEBHOOK_SECRET: SECRET }, says: 'WEBHOOK_URL must be an https' },
    { env: { BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://x.org', WEBHOOK_SECRET: 'hush hush!' }, says: 'WEBHOOK_SECRET may hold only' },
    { env: { BOT_TOKEN: TOKEN, BROADCAST_RATE: '0' }, says: 'BROADCAST_RATE' },
    { env: { BOT_TOKEN: TOKEN, PORT: '70000' }, says: 'PORT' },
    { env: { POLL_TIMEOUT: '60' }, says: 'POLL_TIMEOUT must be whole seconds from 1 to 50' },
    { env: { POLL_TIMEOUT: '2.5' }, says: 'POLL_TIMEOUT' },
    { env: { API_TIMEOUT: '0' }, says: 'API_TIMEOUT must be seconds' },
    { env: { STOP_TIMEOUT: 'soon' }, says: 'STOP_TIMEOUT must be seconds' },
    { env: { CORPUS_DIR: '/no/such/corpus' }, says: 'CORPUS_DIR must be the folder of pages: /no/such/corpus does not exist' },
    { env: { BOT_TOKEN: TOKEN, HOST: 'not a host' }, says: 'HOST must be an address or a host name' },
    { env: { BOT_TOKEN: TOKEN, HOST: 'http://0.0.0.0' }, says: 'HOST must be' },
  ];
  for (const { env, says } of bad) {
    const secrets = [env.BOT_TOKEN, env.WEBHOOK_SECRET].filter((v): v is string => v !== undefined);
    const shown = Object.entries(env)
      .map(([k, v]) => `${k}=${secrets.includes(v) ? '…' : v}`)
      .join(' ');
    it(`refuses ${shown} with a line naming the variable, without the secrets`, () => {
      const c = loadConfig(env);
      expect(c.ok).to.equal(false);
      if (c.ok) return;
      expect(c.error).to.include(says);
      for (const secret of secrets) expect(c.error).to.not.include(secret);
    });
  }
});

describe('loadConfig: time limits', () => {
  it('reads POLL_TIMEOUT, API_TIMEOUT and STOP_TIMEOUT in seconds', () => {
    const c = loadConfig({ POLL_TIMEOUT: '1', API_TIMEOUT: '2.5', STOP_TIMEOUT: '0.5' });
    expect(c.ok && c.value).to.include({ pollTimeout: 1, apiTimeout: 2.5, stopTimeout: 0.5 });
  });
});

describe('loadEnvFile', () => {
  let dir: string;
  const names = ['QNB_TEST_TOKEN', 'QNB_TEST_PORT', 'QNB_TEST_EMPTY', 'QNB_TEST_SHELL'];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const n of names) delete process.env[n];
  });

  it('reads KEY=value lines, quotes and comments, and never overrides what is set', () => {
    const path = join(dir, '.env');
    writeFileSync(
      path,
      '# a comment\nQNB_TEST_TOKEN="123:abc"\nexport QNB_TEST_PORT=8080 # the port\nQNB_TEST_EMPTY=\nQNB_TEST_SHELL=given-by-file\n',
    );
    process.env.QNB_TEST_SHELL = 'given-by-shell';
    loadEnvFile(path);
    expect(names.map((n) => process.env[n])).to.deep.equal(['123:abc', '8080', '', 'given-by-shell']);
  });

  it('does nothing without a file or with an empty path', () => {
    expect(() => loadEnvFile(join(dir, 'none'))).to.not.throw();
    expect(() => loadEnvFile('')).to.not.throw();
  });

  it('says when the file cannot be read', () => {
    expect(() => loadEnvFile(dir)).to.throw(); // a folder, not a file
  });
});
