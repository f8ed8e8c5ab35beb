/**
 * `npm start`: reads the configuration and runs the application (app.ts). With BOT_TOKEN it serves
 * Telegram (long polling, or a webhook when WEBHOOK_URL is set); without it, the same engine
 * answers in a local chat in the terminal.
 */
import { runApp } from './app.js';
import { loadConfig, loadEnvFile } from './config.js';

// ENV_FILE names another file to read instead of .env; empty, none
const envFile = process.env.ENV_FILE ?? '.env';
try {
  loadEnvFile(envFile);
} catch (err) {
  process.stderr.write(`config: ${envFile} cannot be read (${(err as Error).message})\n`);
  process.exit(1);
}
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
await runApp(config.value);
