/** What the benchmarks share: timing statistics, child processes, the synthetic corpus, the report. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (benchmarks run from build/bench/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SEED_CORPUS = join(ROOT, 'corpus');
export const DEV_SET = join(ROOT, '../shared/eval/dev.jsonl');

/** The benchmarks `npm run bench` runs, in order: one script a name under bench/. */
export const BENCHMARKS = [
  'cold-start',
  'answer-cost',
  'large-corpus',
  'index-build',
  'memory',
  'bot-throughput',
  'broadcast-rate',
  'broadcast-workers',
  'bot-workers',
  'store-growth',
];

export interface Row {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  /** value ÷ baseline (or baseline ÷ value for throughputs, so that higher is better is said in `target`) */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

/** When each message reached the Bot API server, in order. */
export function arrivals(api: { calls: Array<{ method: string; at: number }> }): number[] {
  return api.calls
    .filter((c) => c.method === 'sendMessage')
    .map((c) => c.at)
    .sort((a, b) => a - b);
}

/** Messages a second, from the first arrival to the last. */
export const arrivalRate = (arrived: number[]) => (arrived.length - 1) / ((arrived[arrived.length - 1]! - arrived[0]!) / 1000);

/** A broadcast's rate against its limit, as a row. */
export function rateRow(figure: string, rate: number, limit: number, note?: string): Row {
  return {
    figure,
    value: rate,
    unit: 'msg/s',
    baseline: limit,
    ratio: rate / limit,
    target: '≥ 0.95 × limit',
    met: rate >= 0.95 * limit,
    note,
  };
}

/** The most messages sent, and arrived, in any one second against the limit, as rows. */
export function busiestSecondRows(label: string, sent: number, arrived: number, limit: number): Row[] {
  return [
    {
      figure: `${label}: most sent in any 1 s`,
      value: sent,
      unit: 'msg',
      baseline: limit,
      ratio: sent / limit,
      target: '≤ limit',
      met: sent <= limit,
    },
    {
      figure: `${label}: most arrived in any 1 s`,
      value: arrived,
      unit: 'msg',
      baseline: limit,
      note: 'as the server saw them, network jitter included',
    },
  ];
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (values: number[]) => percentile(values, 50);

/** Runs a node script as a child process; resolves with its stdout parsed as JSON. */
export function runChild(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<any> {
  return new Promise((resolveChild, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err.slice(-500)}`));
      try {
        resolveChild(JSON.parse(out.trim().split('\n').pop()!));
      } catch {
        reject(new Error(`${script}: no JSON result: ${out.slice(-300)}`));
      }
    });
  });
}

/** The development set's questions, or the benchmarks' own list when the set is not beside the project. */
export function devQuestions(): string[] {
  if (!existsSync(DEV_SET)) {
    return readFileSync(join(ROOT, 'bench/questions.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
  }
  return readFileSync(DEV_SET, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l).q as string);
}

export function seedPageText(): string {
  const name = readdirSync(SEED_CORPUS).find((n) => n.endsWith('.txt'))!;
  return readFileSync(join(SEED_CORPUS, name), 'utf8');
}

/** A small deterministic random number generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_CHARS = '东西南北金银山河海湖林石云阳明春安平泰和宁华兴福康盛丰祥瑞嘉';
const BANKS = ['建设银行', '农业银行', '中国银行', '交通银行', '招商银行', '兴业银行', '浦发银行', '民生银行'];
const SHORT_BANKS: Record<string, string> = {
  建设银行: '建行',
  农业银行: '农行',
  中国银行: '中行',
  交通银行: '交行',
  招商银行: '招行',
  兴业银行: '兴业',
  浦发银行: '浦发',
  民生银行: '民生',
};

/**
 * Writes `copies` pages in the seed page's style into `dir`, each with another district, bank,
 * reporter and numbers, so that the index grows as a real archive would. With `withSeed`, one of
 * them is the seed page itself, so that the evaluation questions keep their answers.
 */
export function writeSyntheticCorpus(dir: string, copies: number, withSeed = false): { chars: number } {
  mkdirSync(dir, { recursive: true });
  const seed = seedPageText();
  if (withSeed) {
    writeFileSync(join(dir, 'seed.txt'), seed);
    copies--;
  }
  const rnd = random(20230329);
  const pick = <T>(xs: ArrayLike<T>) => xs[Math.floor(rnd() * xs.length)]!;
  let chars = 0;
  for (let i = 0; i < copies; i++) {
    const district = pick(NAME_CHARS) + pick(NAME_CHARS);
    const bank = pick(BANKS);
    const reporter = pick('王李张刘陈杨赵黄周吴') + pick(NAME_CHARS) + pick(NAME_CHARS);
    const text = seed
      .replace(/李沧/g, district)
      .replace(/中国工商银行|工商银行/g, bank)
      .replace(/工行/g, SHORT_BANKS[bank]!)
      .replace(/刘卓毅/g, reporter)
      .replace(/\d+(\.\d+)?(?![月日\d])/g, (m) => {
        if (m.length === 4 && m.startsWith('20')) return m; // years stay
        const n = Number(m) * (0.5 + rnd());
        return m.includes('.') ? n.toFixed(m.split('.')[1]!.length) : String(Math.max(1, Math.round(n)));
      });
    writeFileSync(join(dir, `page-${String(i + 1).padStart(4, '0')}.txt`), text);
    chars += text.length;
  }
  return { chars: chars + (withSeed ? seed.length : 0) };
}

/** Prints rows as a table. */
export function printTable(rows: Row[]): void {
  const fmt = (n: number | undefined, digits = 2) =>
    n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits);
  const lines = rows.map((r) => [
    r.figure,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`,
    r.ratio === undefined ? '' : `${fmt(r.ratio)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const head = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => width(l[i]!))));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join(' | ')} |`;
  console.log(row(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(row(l));
}

/** Display width: Chinese characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
