/**
 * A command's cost as its user pays it: wall time, and the resident memory of its whole process tree (runner,
 * workers, receivers it starts), sampled from /proc while it runs. Linux only; elsewhere memory reads 0.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One process of the tree at a sample: its pid, resident bytes and what it is (from its command line). */
export interface ProcessRss {
  pid: number;
  rss: number;
  what: string;
}

/** What a command's command line says it is, in a few words: "playwright runner", "pushcheck run" … */
function describe(cmdline: string[]): string {
  const args = cmdline.filter((a) => !a.startsWith('--') || a === '--import');
  const text = cmdline.join(' ');
  if (
    /playwright[\\/].*processHost|workerMain|[\\/]worker\.js/.test(text) ||
    /testServer|workerProcessEntry/.test(text)
  )
    return 'playwright worker';
  if (/@playwright[\\/]test[\\/]cli|playwright[\\/]cli\.js/.test(text)) return 'playwright runner';
  const pushcheck = args.findIndex((a) => /pushcheck\.js$/.test(a));
  if (pushcheck >= 0) return `pushcheck ${args[pushcheck + 1] ?? ''}`.trim();
  return (
    args
      .slice(0, 3)
      .map((a) => a.split('/').pop())
      .join(' ') || '?'
  ).slice(0, 60);
}

/** Every process under `root` (itself included), with its resident memory. */
export function tree(root: number): ProcessRss[] {
  const parent = new Map<number, number>();
  const found: ProcessRss[] = [];
  const rss = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1];
      rss.set(Number(name), Number(kb ?? 0) * 1024);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  for (const [pid, bytes] of rss) {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) {
      if (p !== root) continue;
      let what = '?';
      try {
        what = describe(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean));
      } catch {
        // Gone meanwhile.
      }
      found.push({ pid, rss: bytes, what });
      break;
    }
  }
  return found;
}

export interface Measured {
  code: number | null;
  wallMs: number;
  /** The most the tree held at once, summed over its processes. */
  peak: number;
  /** The processes at that peak sample, largest first. */
  atPeak: ProcessRss[];
  /** Each process's own peak over the run, by pid. */
  perProcess: ProcessRss[];
  stdout: string;
  /** Stopped by {@link measure} at its time limit. */
  stopped: boolean;
}

/**
 * Runs `command args`, sampling its process tree every `everyMs`; stops it after `timeoutMs` (`stopped`).
 */
export async function measure(
  command: string,
  args: readonly string[],
  opts: SpawnOptions & { timeoutMs: number; everyMs?: number },
): Promise<Measured> {
  const t0 = performance.now();
  const child = spawn(command, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stdout += d.toString()));
  let peak = 0;
  let atPeak: ProcessRss[] = [];
  const own = new Map<number, ProcessRss>();
  const sample = (): void => {
    if (child.pid === undefined) return;
    const now = tree(child.pid);
    const sum = now.reduce((n, p) => n + p.rss, 0);
    if (sum > peak) {
      peak = sum;
      atPeak = now.sort((a, b) => b.rss - a.rss);
    }
    for (const p of now) if ((own.get(p.pid)?.rss ?? 0) < p.rss) own.set(p.pid, p);
  };
  const sampler = setInterval(sample, opts.everyMs ?? 50);
  // At the bound: SIGTERM, which pushcheck passes on to Playwright (its report then says it was stopped), and
  // SIGKILL to the whole group 15 s later if it is still there.
  let stopped = false;
  let force: NodeJS.Timeout | undefined;
  const killer = setTimeout(() => {
    stopped = true;
    child.kill('SIGTERM');
    force = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }, 15_000);
  }, opts.timeoutMs);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  const wallMs = performance.now() - t0;
  clearInterval(sampler);
  clearTimeout(killer);
  clearTimeout(force);
  // Whatever the command left behind in its group goes too: the bench leaves nothing running.
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Nothing left.
  }
  const perProcess = [...own.values()].sort((a, b) => b.rss - a.rss);
  return { code, wallMs, peak, atPeak, perProcess, stdout, stopped };
}

export const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
