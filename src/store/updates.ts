/** Update ids already handled, in memory: the embedded store's one process sees every update. */
import type { UpdateStore } from './types.js';

export class MemoryUpdates implements UpdateStore {
  private readonly ids = new Set<number>();

  /** `max`: the most recent ids kept (Telegram re-sends an update soon after a failed answer) */
  constructor(private readonly max = 1000) {}

  async seen(updateId: number): Promise<boolean> {
    if (this.ids.has(updateId)) return true;
    this.ids.add(updateId);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return false;
  }

  async close(): Promise<void> {}
}
