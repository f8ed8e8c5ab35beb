import type { Engine } from '../core/engine.js';
import type { Config } from '../config.js';

/** Runs the Telegram bot. */
export async function runBot(_engine: Engine, _config: Config): Promise<void> {
  throw new Error('the Telegram layer is not built yet');
}
