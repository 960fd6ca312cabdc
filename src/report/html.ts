/**
 * `index.html`: one self-contained page per run (no external asset, no network: its Content-Security-Policy
 * forbids both), readable without JavaScript; the script only filters. It shows the verdict and the gate,
 * counts per level and outcome, an ack-latency chart of every request, and per case the quoted requirement
 * with its source, expected vs actual, the timed wire log and the `curl` reproduction.
 */
import { failuresByCause, headline, simplestRequests, withoutListed } from './causes.ts';
import type { CaseReport, Grade, RunReport, WireEntry } from './model.ts';
import { LEVELS, OUTCOMES, securityFindingsOf, standingOf } from './model.ts';

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const GRADE_LABEL: Record<Grade, string> = {
  ok: 'OK',
  failed: 'FAILED',
  'non-strict': 'NON-STRICT',
  informational: 'INFORMATIONAL',
  unimplemented: 'UNIMPLEMENTED',
  'not-assessed': 'NOT ASSESSED',
  error: 'ERROR',
};

/** Shared by the run page and the site's matrix. */
export const STYLE = `
:root{--ok:#1a7f37;--failed:#cf222e;--non-strict:#bc4c00;--informational:#0969da;--unimplemented:#6e7781;
--not-assessed:#8250df;--error:#6639ba;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;
max-width:1200px;padding:16px 24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}code,pre{font:12px/1.4 ui-monospace,
Menlo,Consolas,monospace}pre{background:#f6f8fa;border:1px solid var(--line);padding:8px;overflow:auto;
white-space:pre-wrap;word-break:break-all;margin:4px 0}table{border-collapse:collapse}th,td{border:1px solid
var(--line);padding:3px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}.num{text-align:right}
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;color:#fff;font-weight:600}
.v-conformant,.g-pass{background:var(--ok)}.v-non-conformant,.g-fail{background:var(--failed)}
.v-incomplete,.g-incomplete{background:var(--muted)}.verdict.t-qualified{background:#b35c00}.chip{display:inline-block;min-width:96px;
text-align:center;padding:1px 6px;border-radius:3px;color:#fff;font-size:11px;font-weight:600}
.ok{background:var(--ok)}.failed{background:var(--failed)}.non-strict{background:var(--non-strict)}
.informational{background:var(--informational)}.unimplemented{background:var(--unimplemented)}
.not-assessed{background:var(--not-assessed)}.error{background:var(--error)}.none{background:#eaeef2;color:#57606a}
.meta td:first-child{color:var(--muted)}.case{border:1px solid var(--line);border-radius:6px;margin:6px 0}
.case>details>summary{padding:6px 10px;cursor:pointer;list-style:none}.case>details>summary::-webkit-details-marker{display:none}
.case .body{padding:4px 12px 12px;border-top:1px solid var(--line)}.lvl{font-weight:600;width:64px;display:inline-block}
.id{font-family:ui-monospace,Menlo,monospace}.muted{color:var(--muted)}blockquote{margin:6px 0;padding:4px 10px;
border-left:4px solid var(--line);background:#fbfbfc}.ev{display:grid;grid-template-columns:80px 1fr;gap:2px 8px}
.bar{display:inline-block;height:9px;background:#54aeff;vertical-align:middle}.bar.late,.bar.err{background:var(--failed)}
.filters{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:8px;background:#f6f8fa;border:1px solid
var(--line);border-radius:6px}.known{color:var(--non-strict)}.hidden{display:none}
`;

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** A grade chip. */
export function chip(grade: Grade): string {
  return `<span class="chip ${grade}">${GRADE_LABEL[grade]}</span>`;
}

/**
 * Every request of the run as a dot at its time to the last byte, one row per case, with the deadline as a
 * red line: what a receiver's ack latency looks like at a glance.
 */
export function latencyChart(r: RunReport): string {
  const rows = r.cases.filter((c) => c.wire.length > 0);
  if (rows.length === 0) return '<p class="muted">No request was sent.</p>';
  const all = rows.flatMap((c) => c.wire.map((w) => w.totalMs));
  const max = Math.max(r.deadlineMs * 1.1, ...all);
  const labelW = 300;
  const plotW = 560;
  const rowH = 14;
  const h = rows.length * rowH + 30;
  const x = (ms: number) => labelW + (Math.min(ms, max) / max) * plotW;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * max));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="ack latency of every request" width="${labelW + plotW + 20}" height="${h}" font-size="10" font-family="ui-monospace,monospace">`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="0" y2="${h - 18}" stroke="#eaeef2"/>`,
      `<text x="${x(t)}" y="${h - 4}" text-anchor="middle" fill="#57606a">${esc(fmtMs(t))}</text>`,
    );
  }
  rows.forEach((c, i) => {
    const y = i * rowH + 8;
    parts.push(`<text x="${labelW - 6}" y="${y + 3}" text-anchor="end" fill="#1f2328">${esc(c.id)}</text>`);
    for (const w of c.wire) {
      const bad = w.error !== undefined || w.totalMs > r.deadlineMs;
      const tip = `${c.id}: ${w.label}: ${w.status ?? w.error ?? ''} in ${fmtMs(w.totalMs)}`;
      parts.push(
        `<circle cx="${x(w.totalMs).toFixed(1)}" cy="${y}" r="3" fill="${bad ? '#cf222e' : '#0969da'}" fill-opacity="0.6"><title>${esc(tip)}</title></circle>`,
      );
    }
  });
  parts.push(
    `<line x1="${x(r.deadlineMs)}" x2="${x(r.deadlineMs)}" y1="0" y2="${h - 18}" stroke="#cf222e" stroke-dasharray="4 2"/>`,
    `<text x="${x(r.deadlineMs) - 3}" y="10" text-anchor="end" fill="#cf222e">deadline ${esc(fmtMs(r.deadlineMs))}</text>`,
    '</svg>',
  );
  const sorted = [...all].sort((a, b) => a - b);
  const p = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return `${parts.join('')}<p class="muted">${all.length} requests; time to the last response byte: p50 ${fmtMs(p(0.5))}, p95 ${fmtMs(p(0.95))}, max ${fmtMs(sorted.at(-1) ?? 0)}.</p>`;
}

function wireTable(wire: readonly WireEntry[], deadlineMs: number): string {
  if (wire.length === 0) return '';
  const max = Math.max(deadlineMs, ...wire.map((w) => w.totalMs));
  const rows = wire.map((w, i) => {
    const late = w.error !== undefined ? 'err' : w.totalMs > deadlineMs ? 'late' : '';
    const width = Math.max(1, Math.round((w.totalMs / max) * 160));
    return `<tr><td class="num">${i + 1}</td><td>${esc(w.label)}</td><td>${esc(w.method)}</td><td>${w.status ?? `<span class="known">${esc(w.error ?? 'no response')}</span>`}</td><td class="num">${w.headersMs === undefined ? '' : esc(fmtMs(w.headersMs))}</td><td class="num">${esc(fmtMs(w.totalMs))}</td><td><span class="bar ${late}" style="width:${width}px"></span></td><td class="muted">${esc(w.startedAt.slice(11, 23))}</td></tr>`;
  });
  return `<h4>Timed wire log</h4><table class="wire"><tr><th>#</th><th>request</th><th>method</th><th>status</th><th>headers</th><th>last byte</th><th></th><th>sent at (UTC)</th></tr>${rows.join('')}</table>`;
}

interface RecordedExchange {
  label?: string;
  request?: {
    method?: string;
    url?: string;
    headers?: Record<string, string>;
    body?: string;
    bodyBytes?: number;
  };
  response?: { status?: number; headers?: Record<string, string>; body?: string; bodyBytes?: number };
  error?: string;
  timings?: { headersMs?: number; totalMs?: number };
}

function headerLines(h: Record<string, string> | undefined): string {
  return Object.entries(h ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

function exchangeDetails(exchanges: readonly unknown[]): string {
  return exchanges
    .map((raw, i) => {
      const e = raw as RecordedExchange;
      const req = e.request ?? {};
      const res = e.response;
      const head = `${req.method ?? ''} ${req.url ?? ''}`;
      const request = `${head}\n${headerLines(req.headers)}${req.body ? `\n\n${req.body}` : ''}`;
      const response = res
        ? `HTTP ${res.status ?? ''}\n${headerLines(res.headers)}${res.body ? `\n\n${res.body}` : ''}`
        : `(no response: ${e.error ?? 'none'})`;
      return `<details class="exchange"><summary>${i + 1}. ${esc(e.label ?? '')} — ${esc(res ? `HTTP ${res.status}` : (e.error ?? ''))}</summary><div class="ev"><b>request</b><pre>${esc(request)}</pre><b>response</b><pre>${esc(response)}${e.error && res ? esc(`\n(${e.error})`) : ''}</pre></div></details>`;
    })
    .join('');
}

function caseArticle(c: CaseReport, r: RunReport): string {
  const bad = c.outcome === 'failed' || c.outcome === 'error';
  const body: string[] = [
    `<blockquote class="requirement">${esc(c.requirement)}</blockquote>`,
    `<div class="source muted">Source: ${c.sourceUrl ? `<a href="${esc(c.sourceUrl)}" rel="noopener">${esc(c.source)}</a>` : esc(c.source)}${c.codeUrl ? ` · <a href="${esc(c.codeUrl)}" rel="noopener">code</a>` : ''}${c.interpreted ? ' · <b>interpreted</b> (the documents are silent; pushcheck decided, never above SHOULD)' : ''}${c.quote ? `<br><q>${esc(c.quote)}</q>${c.translation ? ` — ${esc(c.translation)}` : ''}` : ''}</div>`,
  ];
  if (c.reason) body.push(`<p class="reason"><b>${esc(c.outcome)}:</b> ${esc(c.reason)}</p>`);
  if (c.expected !== undefined || c.actual !== undefined) {
    body.push(
      `<div class="ev"><b>expected</b><pre class="expected">${esc(c.expected ?? '')}</pre><b>actual</b><pre class="actual">${esc(c.actual ?? '')}</pre></div>`,
    );
  }
  if (c.known) {
    body.push(
      `<p class="known">Known ${esc(c.known.outcome)} (expectations file): ${esc(c.known.reason)}</p>`,
    );
  }
  if (c.metrics) {
    const m = Object.entries(c.metrics).map(([k, v]) => `${esc(k)} ${esc(String(v))}`);
    body.push(`<p class="metrics muted">Measured: ${m.join(', ')}</p>`);
  }
  if (c.observations?.length) {
    body.push(
      `<details><summary>What the observer saw</summary><pre>${esc(JSON.stringify(c.observations, null, 1))}</pre></details>`,
    );
  }
  body.push(wireTable(c.wire, r.deadlineMs));
  if (c.exchanges?.length) body.push(`<h4>Requests and responses</h4>${exchangeDetails(c.exchanges)}`);
  if (c.curl) body.push(`<h4>Reproduce</h4><pre class="curl">${esc(c.curl)}</pre>`);
  return `<article class="case" id="${esc(c.id)}" data-profile="${esc(r.profile)}" data-level="${c.level}" data-outcome="${c.outcome}" data-grade="${c.grade}"><details${bad ? ' open' : ''}><summary>${chip(c.grade)} <span class="lvl">${c.level}</span> <span class="id">${esc(c.id)}</span> ${esc(c.title)} <span class="muted">(${esc(fmtMs(c.durationMs))})</span>${c.known ? ' <span class="known">known</span>' : ''}</summary><div class="body">${body.join('')}</div></details></article>`;
}

/**
 * The causes several failures share (src/report/causes.ts), each said once, with links to its cases and the
 * `curl` line of the one that shows it most simply; the cases' own details stay in their articles below.
 */
function causesSection(r: RunReport): string {
  const { causes } = failuresByCause(r.cases);
  if (causes.length === 0) return '';
  const link = (c: CaseReport) =>
    `<a href="#${esc(c.id)}">${esc(c.id)}</a> <span class="muted">(${c.level}${c.known ? ', known' : ''})</span>`;
  const items = causes.map((cause) => {
    const first = cause.simplest;
    return `<div class="cause"><h3>${esc(headline(cause))}</h3><p>The simplest: ${link(first)}, ${simplestRequests(cause)}: ${esc(first.reason ?? '')}</p>${first.curl ? `<pre class="curl">${esc(first.curl)}</pre>` : ''}<p>With the same cause: ${cause.others.map(link).join(', ')}</p></div>`;
  });
  return `<h2>Failures by cause</h2>\n<section id="causes">${items.join('\n')}</section>\n`;
}

function options(name: string, label: string, values: readonly string[]): string {
  const opts = values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
  return `<label>${label} <select id="f-${name}" data-filter="${name}"><option value="">all</option>${opts}</select></label>`;
}

/** The filter bar and its script: each select hides the rows (`[data-<name>]`) that do not match. */
export function filterBar(
  selects: { name: string; label: string; values: readonly string[] }[],
  rowSelector: string,
): { bar: string; script: string } {
  const bar = `<div class="filters">${selects.map((s) => options(s.name, s.label, s.values)).join('')}<span id="shown" class="muted"></span></div>`;
  const script = `<script>
(function(){var rows=[].slice.call(document.querySelectorAll(${JSON.stringify(rowSelector)}));
var sels=[].slice.call(document.querySelectorAll('select[data-filter]'));
function apply(){var n=0;rows.forEach(function(row){var ok=sels.every(function(s){return !s.value||row.getAttribute('data-'+s.getAttribute('data-filter'))===s.value;});
row.classList.toggle('hidden',!ok);if(ok)n++;});document.getElementById('shown').textContent=n+' of '+rows.length+' shown';}
sels.forEach(function(s){s.addEventListener('change',apply);});apply();})();
</script>`;
  return { bar, script };
}

/** The whole page of one run. */
export function toHtml(r: RunReport): string {
  const s = r.summary;
  const countRows = [...LEVELS, 'all' as const].map((l) => {
    const counts = l === 'all' ? s : s.byLevel[l];
    return `<tr><th>${l}</th>${OUTCOMES.map((o) => `<td class="num">${counts[o]}</td>`).join('')}</tr>`;
  });
  const grades = (Object.keys(s.grades) as Grade[])
    .filter((g) => s.grades[g] > 0)
    .map((g) => `${chip(g)} ${s.grades[g]}`)
    .join(' ');
  const g = r.gate;
  const meta: [string, string][] = [
    ['target', r.target],
    ['profile', `${r.profile}${r.mode ? ` (${r.mode})` : ''}`],
    ['started', `${r.startedAt}, ${fmtMs(r.durationMs)}`],
    ['fails on', `${r.failOn} and above`],
    ['seed', `${r.seed} (run tag ${r.runTag})`],
    ['observer', r.observer ?? 'none'],
    ...(r.grep ? ([['only', `cases matching --grep ${r.grep}`]] as [string, string][]) : []),
    ...(r.shard ? ([['shard', `${r.shard.current} of ${r.shard.total}`]] as [string, string][]) : []),
    ...(g.expectations ? ([['expectations', g.expectations]] as [string, string][]) : []),
    ['settings', JSON.stringify(r.settings)],
    ['pushcheck', r.pushcheck],
  ];
  const profiles = [r.profile];
  const { bar, script } = filterBar(
    [
      { name: 'profile', label: 'Profile', values: profiles },
      { name: 'level', label: 'Level', values: LEVELS },
      { name: 'outcome', label: 'Outcome', values: OUTCOMES },
    ],
    'article.case',
  );
  const list = (title: string, ids: readonly string[]) =>
    ids.length
      ? `<p><b>${title}:</b> ${ids.map((id) => `<a href="#${esc(id)}">${esc(id)}</a>`).join(', ')}</p>`
      : '';
  // Authenticity cases that failed or passed with a finding (decisions/020), listed beside the verdict.
  const security = securityFindingsOf(r.cases).map((c) => c.id);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pushcheck ${esc(r.profile)} · ${esc(r.label)}: ${esc(r.verdict)}</title><style>${STYLE}</style></head>
<body>
<header><h1>pushcheck ${esc(r.profile)} · ${esc(r.label)}</h1>
<p><span id="verdict" class="verdict v-${r.verdict} t-${standingOf(r).tone}">${esc(standingOf(r).label.toUpperCase())}</span> ${esc(r.verdictReason)}</p>
<p>CI gate: <span id="gate" class="verdict g-${g.result}">${esc(g.result.toUpperCase())}</span> ${esc(withoutListed(g.reason, g.newFailures, 'below'))}</p>
${list('Security findings', security)}${list('New failures', g.newFailures)}${list('Known failures (tolerated)', g.knownFailures)}${list('Listed but now passing', g.fixed)}
${r.errors.length ? `<p class="known">pushcheck errors outside any case: ${esc(r.errors.join('; '))}</p>` : ''}
<table class="meta">${meta.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table></header>
<h2>Counts</h2>
<table id="counts"><tr><th>level</th>${OUTCOMES.map((o) => `<th>${o}</th>`).join('')}</tr>${countRows.join('')}</table>
<p>${grades}</p>
<h2>Ack latency</h2>
${latencyChart(r)}
${causesSection(r)}<h2>Cases</h2>
${bar}
<section id="cases">${r.cases.map((c) => caseArticle(c, r)).join('\n')}</section>
${script}
</body></html>
`;
}
