/**
 * The engine's side of the models thread (worker.ts): one thread per process, started with the
 * first engine, shared by every engine after it. Requests are answered in the order sent.
 */
import { Worker } from 'node:worker_threads';
import { DEFAULT_ANSWER_MODEL } from '../paths.js';
import type { Classification, Job, WorkerReply, WorkerRequest } from './protocol.js';

export type { Classification, Job } from './protocol.js';

interface Pending {
  resolve(results: Classification[][][]): void;
  reject(err: Error): void;
}

export class Models {
  private static readonly shared = new Map<string, Models>();

  /** The models thread for an answer model file, started on first use. */
  static for(modelPath = DEFAULT_ANSWER_MODEL): Models {
    let models = Models.shared.get(modelPath);
    if (!models) Models.shared.set(modelPath, (models = new Models(modelPath)));
    return models;
  }

  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextKey = 1;
  /** resolves once the answer model is restored; rejects with why it could not be */
  private ready!: Promise<void>;
  /** what the thread was taught, to teach a restarted thread again */
  private readonly taught = new Map<string, WorkerRequest>();

  private constructor(private readonly modelPath: string) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { modelPath: this.modelPath } });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onReady = (reply: WorkerReply) => {
        if (reply.type === 'ready') resolve();
        else if (reply.type === 'failed') reject(new Error(reply.message));
        else return;
        worker.off('message', onReady);
      };
      worker.on('message', onReady);
    });
    this.ready.catch(() => {}); // reported to whoever asks next
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'classified' && reply.type !== 'error') return;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.type === 'classified') p.resolve(reply.results);
      else p.reject(new Error(`models: ${reply.message}`));
    });
    worker.on('error', (err) => this.failed(worker, err));
    worker.on('exit', (code) => this.failed(worker, new Error(`models: the models thread stopped (exit code ${code})`)));
    for (const request of this.taught.values()) worker.postMessage(request);
    worker.unref(); // an idle models thread does not keep the process alive (after the listeners: they ref it)
  }

  private failed(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private send(request: WorkerRequest): void {
    if (!this.worker) this.start();
    this.worker!.postMessage(request);
  }

  /** Waits until the answer models are ready; rejects when they cannot be restored. */
  async whenReady(): Promise<void> {
    const worker = this.worker;
    worker?.ref(); // someone waits for the thread: it keeps the process alive until it is ready
    try {
      await this.ready;
    } finally {
      if (this.pending.size === 0) worker?.unref();
    }
  }

  /** Teaches an intent classifier; returns the key to ask it by. */
  teachIntents(examples: Array<{ tokens: string[]; label: string }>): string {
    const key = `intents-${this.nextKey++}`;
    const request: WorkerRequest = { type: 'teach-intents', key, examples };
    this.taught.set(key, request);
    this.send(request);
    return key;
  }

  /** Forgets an intent classifier no engine uses any more. */
  forgetIntents(key: string): void {
    this.taught.delete(key);
    this.worker?.postMessage({ type: 'forget-intents', key } satisfies WorkerRequest);
  }

  /** Each job's observations classified by its model: per job, per observation, the classifications. */
  async classify(jobs: Job[]): Promise<Classification[][][]> {
    await this.whenReady();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'classify', id, jobs });
      this.worker?.ref();
    });
  }

  /** The name to classify with the intent classifier taught under `key`. */
  static intents(key: string): string {
    return `intents:${key}`;
  }
}
