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
    expect(c.value).to.include({ port: 3000, broadcastRate: 25 });
    expect(c.value.corpusDir).to.match(/corpus$/);
    expect(c.value.dataDir).to.match(/data$/);
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

  const bad = [
    { env: { BOT_TOKEN: 'abc' }, says: 'BOT_TOKEN is malformed' },
    { env: { WEBHOOK_URL: 'https://x.org' }, says: 'needs the bot token' },
    { env: { BROADCAST_RATE: '0' }, says: 'BROADCAST_RATE' },
    { env: { PORT: '70000' }, says: 'PORT' },
  ];
  for (const { env, says } of bad) {
    it(`refuses ${JSON.stringify(env)} with a line naming the variable`, () => {
      const c = loadConfig(env);
      expect(c.ok).to.equal(false);
      if (!c.ok) {
        expect(c.error).to.include(says);
        expect(c.error).to.not.include('abc:');
      }
    });
  }
});

describe('loadEnvFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads KEY=value lines, quotes and comments, and never overrides what is set', () => {
    const path = join(dir, '.env');
    writeFileSync(path, '# a comment\nBOT_TOKEN="123:abc"\nexport PORT=8080 # the port\nADMIN_IDS=\nCORPUS_DIR=given-by-file\n');
    const env: NodeJS.ProcessEnv = { CORPUS_DIR: 'given-by-shell' };
    expect(loadEnvFile(path, env)).to.deep.equal(['BOT_TOKEN', 'PORT', 'ADMIN_IDS']);
    expect(env).to.deep.equal({ BOT_TOKEN: '123:abc', PORT: '8080', ADMIN_IDS: '', CORPUS_DIR: 'given-by-shell' });
  });

  it('does nothing without a file', () => expect(loadEnvFile(join(dir, 'none'), {})).to.deep.equal([]));
});
