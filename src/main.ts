/**
 * `npm start`: the bot. With BOT_TOKEN it serves Telegram (long polling, or a webhook when
 * WEBHOOK_URL is set); without it, the same engine answers in a local chat in the terminal.
 */
import { createEngine } from './core/engine.js';
import { runTerminalChat } from './cli/terminal-chat.js';
import { loadConfig, loadEnvFile } from './config.js';

async function main(): Promise<void> {
  loadEnvFile(process.env.ENV_FILE ?? '.env'); // ENV_FILE= (empty) reads none
  const config = loadConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`config: ${config.error}\n`);
    process.exit(1);
  }
  // the Procfile's processes name their mode: `--polling` (worker) or `--webhook` (web)
  const mode = process.argv.includes('--webhook') ? 'webhook' : process.argv.includes('--polling') ? 'polling' : undefined;
  if (mode === 'webhook' && !config.value.webhookUrl) {
    process.stderr.write('config: the web process needs WEBHOOK_URL and WEBHOOK_SECRET (see .env.example)\n');
    process.exit(1);
  }
  if (mode === 'polling') delete config.value.webhookUrl;
  const engine = createEngine({ corpusDir: config.value.corpusDir });
  for (const w of engine.warnings) process.stderr.write(`warning: ${w}\n`);

  if (!config.value.botToken) {
    process.stderr.write(
      'BOT_TOKEN is not set: starting the local chat. To connect to Telegram, create a bot with @BotFather,\n' +
        'then run BOT_TOKEN=<token> npm start (see README, "Running on Telegram").\n\n',
    );
    await runTerminalChat(engine, process.stdin, process.stdout);
    return;
  }
  const { runBot } = await import('./bot/run.js');
  await runBot(engine, config.value);
}

await main();
