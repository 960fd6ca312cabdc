/**
 * `pushcheck report merge DIR… --out SITE`: a static site, as Autobahn|Testsuite publishes one for WebSocket
 * implementations: a page per receiver (its run's index.html, report.json, junit.xml, report.md, badge.svg)
 * and, per profile, a matrix of its runs × its cases. The parts of a run split with `--shard` are joined into
 * one report first; parts of the same receiver are recognised by profile, label and shard count.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { usage } from '../core/errors.ts';
import { esc, filterBar, GRADE_LABEL, narrowedNote, STYLE } from './html.ts';
import {
  type CaseReport,
  gateOf,
  type Grade,
  isSecurityFinding,
  LEVELS,
  type RunReport,
  standingOf,
  summarize,
  verdictOf,
} from './model.ts';
import { reportProblems } from './schema.ts';
import { writeReportFolder } from './write.ts';

/** How deep under each DIR report.json files are looked for (CI artifacts unpack one or two levels down). */
const MAX_DEPTH = 4;

/** Every report.json under `dir` (itself included), skipping Playwright's artifacts. */
export function findReports(dir: string, depth = 0): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`${dir} is not a folder`);
  const here = join(dir, 'report.json');
  if (existsSync(here)) return [here];
  if (depth >= MAX_DEPTH) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => findReports(join(dir, e.name), depth + 1));
}

/** Reads and validates one report.json; a UsageError names the file and its first problems. */
export function readReport(file: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return usage(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const problems = reportProblems(data);
  if (problems)
    usage(`${file} is not a pushcheck report (specs/report.schema.json): ${problems.slice(0, 300)}`);
  return data as RunReport;
}

/**
 * Joins the parts of a sharded run into one report: the cases of every part, counts, verdict and gate
 * recomputed. A missing part makes the merged run incomplete, and says which.
 */
export function joinShards(parts: readonly RunReport[]): RunReport {
  const first = parts[0];
  if (!first?.shard) throw new Error('joinShards needs sharded reports');
  const total = first.shard.total;
  const seen = new Set<number>();
  for (const p of parts) {
    const n = p.shard?.current ?? 0;
    if (seen.has(n)) {
      usage(
        `two reports are shard ${n}/${total} of ${first.profile} ${first.label}: give each run's folders to its own merge, or --label the receivers apart`,
      );
    }
    seen.add(n);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !seen.has(n));
  const cases: CaseReport[] = parts.flatMap((p) => p.cases).sort((a, b) => a.id.localeCompare(b.id));
  const errors = [
    ...parts.flatMap((p) => p.errors),
    ...missing.map((n) => `shard ${n}/${total} is missing from the merge`),
  ];
  const start = Math.min(...parts.map((p) => Date.parse(p.startedAt)));
  const end = Math.max(...parts.map((p) => Date.parse(p.startedAt) + p.durationMs));
  const stopped = parts.some((p) => p.verdictReason.startsWith('the run '));
  const { verdict, reason } = verdictOf(cases, first.failOn, {
    grep: first.grep ?? undefined,
    flag: `--fail-on ${first.failOn.toLowerCase()}`,
    errors,
  });
  return {
    ...first,
    runTag: [...new Set(parts.map((p) => p.runTag))].join(','),
    seed: first.seed,
    shard: null,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    verdict: stopped ? 'incomplete' : verdict,
    verdictReason: stopped ? 'a part of the run stopped early' : reason,
    standing: standingOf({ verdict: stopped ? 'incomplete' : verdict, cases, failOn: first.failOn }),
    gate: gateOf(cases, first.failOn, first.gate.expectations, {
      stopped: stopped ? 'stopped early in one of its parts' : undefined,
      errors,
    }),
    summary: summarize(cases),
    errors,
    cases,
  };
}

/** Groups reports by receiver and joins sharded runs. */
export function receivers(reports: readonly RunReport[]): RunReport[] {
  const whole = reports.filter((r) => r.shard === null);
  const parts = new Map<string, RunReport[]>();
  for (const r of reports) {
    if (r.shard === null) continue;
    const key = JSON.stringify([r.profile, r.label, r.shard.total]);
    parts.set(key, [...(parts.get(key) ?? []), r]);
  }
  return [...whole, ...[...parts.values()].map(joinShards)].sort(
    (a, b) => a.profile.localeCompare(b.profile) || a.label.localeCompare(b.label),
  );
}

/** What each grade says, for the legend. */
const MEANS: Record<Grade, string> = {
  ok: 'passed',
  failed: 'a MUST failed',
  'non-strict': 'a SHOULD failed',
  informational: 'a MAY failed',
  unimplemented: 'not offered by the receiver',
  'not-assessed': 'not assessed',
  error: "pushcheck's own error",
};

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'receiver'
  );
}

const SHORT: Record<Grade, string> = {
  ok: 'OK',
  failed: 'FAIL',
  'non-strict': 'NON-STRICT',
  informational: 'INFO',
  unimplemented: 'UNIMPL',
  'not-assessed': 'N/A',
  error: 'ERROR',
};

/** "2026-12-07 00:20": tells apart the runs of one receiver. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** One profile's matrix: its cases (rows) × the runs of that profile (columns). */
function profileMatrix(profile: string, runs: { r: RunReport; dir: string }[]): string {
  const ids = new Map<string, CaseReport>();
  for (const { r } of runs) for (const c of r.cases) if (!ids.has(c.id)) ids.set(c.id, c);
  const cases = [...ids.values()].sort(
    (a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || a.id.localeCompare(b.id),
  );
  // Two runs with one label (the same receiver run twice) are told apart by their date.
  const labels = runs.map(({ r }) => r.label);
  const head = runs
    .map(({ r, dir }) => {
      const s = standingOf(r);
      const twice = labels.filter((l) => l === r.label).length > 1;
      const narrowed = narrowedNote(r) ? ' · narrowed' : '';
      return `<th class="rcv"><a href="${esc(dir)}/index.html" title="${esc(`${r.label}, ${when(r.startedAt)} UTC${narrowedNote(r) ? `: ${narrowedNote(r)}` : ''}`)}">${esc(r.label)}</a><br><span class="muted${twice ? ' twice' : ''}">${esc(when(r.startedAt))}</span><br><span class="verdict v-${r.verdict} t-${s.tone}">${esc(s.label)}</span><br><span class="muted">${r.summary.passed}/${r.summary.total - r.summary.skipped}${narrowed}</span></th>`;
    })
    .join('');
  const body = cases.map((k) => {
    const cells = runs.map(({ r, dir }) => {
      const c = r.cases.find((x) => x.id === k.id);
      if (!c) return '<td class="cell"><span class="chip none">—</span></td>';
      const sec = isSecurityFinding(c);
      const found = c.finding !== undefined ? ` — passed, with a finding: ${c.finding}` : '';
      const tip = `${r.label}: ${sec ? 'security finding: ' : ''}${GRADE_LABEL[c.grade]}${c.reason ? ` — ${c.reason}` : ''}${found}`;
      const flag = sec ? ' <span class="sec" title="security finding">⚑</span>' : '';
      return `<td class="cell"><a href="${esc(dir)}/index.html#${esc(c.id)}" title="${esc(tip)}"><span class="chip ${c.grade}">${SHORT[c.grade]}</span>${flag}</a></td>`;
    });
    return `<tr class="row" data-profile="${esc(profile)}" data-level="${k.level}"><th class="case-id"><span class="lvl">${k.level}</span> <span class="id">${esc(k.id)}</span><br><span class="muted">${esc(k.title)}</span></th>${cells.join('')}</tr>`;
  });
  const n = runs.length;
  return `<section class="profile" id="profile-${esc(slug(profile))}"><h2>${esc(profile)}: ${n} run${n === 1 ? '' : 's'}, ${cases.length} case${cases.length === 1 ? '' : 's'}</h2>
<table class="matrix" id="matrix-${esc(slug(profile))}"><tr><th>case</th>${head}</tr>${body.join('\n')}</table></section>`;
}

/** The site's front page: one matrix per profile, since the profiles share no case. */
function matrixPage(rows: RunReport[], dirs: string[], title: string): string {
  const profiles = [...new Set(rows.map((r) => r.profile))].sort();
  const sections = profiles.map((p) =>
    profileMatrix(
      p,
      rows.flatMap((r, i) => (r.profile === p ? [{ r, dir: dirs[i] ?? '' }] : [])),
    ),
  );
  const { bar, script } = filterBar(
    [
      { name: 'profile', label: 'Profile', values: profiles },
      { name: 'level', label: 'Level', values: LEVELS },
    ],
    'tr.row',
    'section.profile',
  );
  const legend = (Object.keys(SHORT) as Grade[])
    .map((g) => `<span class="chip ${g}">${esc(SHORT[g])}</span> ${esc(MEANS[g])}`)
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>${STYLE}body{max-width:none}.rcv{font-weight:400;font-size:12px;min-width:120px;max-width:200px;word-break:break-word}
.rcv .verdict{padding:1px 6px;font-size:11px}.cell{text-align:center;padding:2px}.cell .chip{min-width:0;font-size:10px}
.verdict.t-qualified{background:#b35c00}.sec{color:#cf222e;font-weight:700}
.case-id{font-weight:400;min-width:360px}.legend .chip{min-width:0}.twice{font-weight:600;color:#1f2328}</style></head>
<body><h1>${esc(title)}</h1>
<p>${rows.length} run(s) across ${profiles.length} profile(s): ${profiles.map((p) => `<a href="#profile-${esc(slug(p))}">${esc(p)}</a>`).join(', ')}. Grades as Autobahn|Testsuite gives them:</p>
<p class="legend">${legend}, <span class="chip none">—</span> not run, <span class="sec">⚑</span> a security finding (a forged, tampered or unauthenticated message accepted). A conformant verdict with SHOULD failures or security findings (“conformant, with …”) is amber, never green.</p>
${bar}
${sections.join('\n')}
${script}
</body></html>
`;
}

/**
 * Each run's folder name on the site: profile and label, and, where two runs share both (the same receiver run
 * twice), the date and time of each, so that neither is a meaningless "-2".
 */
export function folderNames(rows: readonly RunReport[]): string[] {
  const base = rows.map((r) => slug(`${r.profile}-${r.label}`));
  const stamp = (r: RunReport, seconds: boolean) =>
    r.startedAt
      .slice(0, seconds ? 19 : 16)
      .replace(/[-:]/g, '')
      .replace('T', '-');
  const used = new Set<string>();
  return rows.map((r, i) => {
    const b = base[i] ?? 'receiver';
    const shared = base.filter((x) => x === b).length > 1;
    let name = shared ? `${b}-${stamp(r, false)}` : b;
    if (used.has(name)) name = `${b}-${stamp(r, true)}`;
    for (let n = 2; used.has(name); n++) name = `${b}-${stamp(r, true)}-${n}`;
    used.add(name);
    return name;
  });
}

export interface MergeResult {
  receivers: {
    profile: string;
    label: string;
    dir: string;
    verdict: string;
    /** The verdict as worded ("conformant, with 4 SHOULD failures"). */
    standing: string;
    shards: number;
  }[];
  files: number;
}

/** Builds the site in `out` from the report folders under `dirs`. */
export function mergeReports(
  dirs: readonly string[],
  out: string,
  title = 'pushcheck conformance',
): MergeResult {
  if (dirs.length === 0)
    usage('report merge needs at least one report folder: pushcheck report merge DIR… --out SITE');
  if (
    existsSync(join(out, 'report.json')) ||
    (existsSync(join(out, 'index.html')) && !existsSync(join(out, 'index.json')))
  ) {
    usage(
      `--out ${shown(out)} holds a run's report, which the site would overwrite: choose an empty folder or an earlier site`,
    );
  }
  // A site written inside a folder being merged is not merged into the next site.
  const files = dirs.flatMap((d) => findReports(d)).filter((f) => !f.startsWith(join(out, sep)));
  if (files.length === 0) usage(`no report.json under ${dirs.join(', ')}`);
  const reports = files.map(readReport);
  const rows = receivers(reports);
  mkdirSync(out, { recursive: true });
  const subdirs = folderNames(rows);
  rows.forEach((r, i) => {
    // Already redacted by the run that wrote it; re-rendered so every page has this version's layout.
    writeReportFolder(join(out, subdirs[i] ?? ''), r, []);
  });
  writeFileSync(join(out, 'index.html'), matrixPage(rows, subdirs, title));
  const index = rows.map((r, i) => ({
    profile: r.profile,
    label: r.label,
    dir: subdirs[i] ?? '',
    verdict: r.verdict,
    standing: standingOf(r).label,
    shards: reports.filter((p) => p.shard && p.profile === r.profile && p.label === r.label).length,
  }));
  writeFileSync(join(out, 'index.json'), `${JSON.stringify({ title, receivers: index }, null, 2)}\n`);
  return { receivers: index, files: files.length };
}

/** Paths relative to the working directory, for messages. */
export function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}
