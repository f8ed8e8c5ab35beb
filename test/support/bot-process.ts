/** Starts the bot the way `npm start` does, as a child process, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

export const TEST_TOKEN = '123456789:AAEtestTokenForTheLocalBotApi_0123456';

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  /** sends a signal and resolves with the exit code (null when killed by a signal) */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
}

export function startBot(env: Record<string, string>, args: string[] = ['--polling']): BotProcess {
  const child = spawn(process.execPath, [join(ROOT, 'build/src/main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM', ms = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the bot until it exits by itself; resolves with exit code and output. */
export async function runBotToExit(
  env: Record<string, string>,
  args: string[] = [],
  ms = 15_000,
): Promise<{ code: number | null; output: string }> {
  const bot = startBot(env, args);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      bot.child.kill('SIGKILL');
      resolve(null);
    }, ms);
    bot.child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output: bot.output() };
}
