/**
 * `index.html`: one self-contained page per run (no external asset, no network: its Content-Security-Policy
 * forbids both), readable without JavaScript; the script only filters. It shows the verdict and the gate,
 * counts per level and outcome, an ack-latency chart of every request, and per case the quoted requirement
 * with its source, expected vs actual, the timed wire log and the `curl` reproduction.
 */
import { STATUS_CODES } from 'node:http';
import { failuresByCause, headline, simplestRequests, withoutListed } from './causes.ts';
import { basename } from 'node:path';
import type { Outcome } from '../core/case.ts';
import type { CaseReport, Grade, RunReport, WireEntry } from './model.ts';
import { isSecurityFinding, LEVELS, OUTCOMES, securityFindingsOf, standingOf } from './model.ts';

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

/**
 * The page's fonts: the system's own first, then the CJK faces of each platform, so that the vendors'
 * Chinese quotes render wherever the reader has any CJK font (Noto on Linux, PingFang on macOS, YaHei on Windows).
 */
export const FONTS = `system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif`;
const MONO = `ui-monospace,Menlo,Consolas,"Noto Sans Mono CJK SC","Noto Sans CJK SC","Microsoft YaHei",monospace`;

/** Shared by the run page and the site's matrix. */
export const STYLE = `
:root{--ok:#1a7f37;--failed:#cf222e;--non-strict:#bc4c00;--informational:#0969da;--unimplemented:#6e7781;
--not-assessed:#8250df;--error:#6639ba;--line:#d0d7de;--muted:#57606a;--should:#9a6700}
*{box-sizing:border-box}body{font:14px/1.45 ${FONTS};margin:0 auto;
max-width:1200px;padding:16px 24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3.group{font-size:15px;margin:16px 0 4px}
code,pre{font:12px/1.4 ${MONO}}pre{background:#f6f8fa;border:1px solid var(--line);padding:8px;overflow:auto;
white-space:pre-wrap;word-break:break-all;margin:4px 0}table{border-collapse:collapse}th,td{border:1px solid
var(--line);padding:3px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}.num{text-align:right}
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;color:#fff;font-weight:600}
.v-conformant,.g-pass{background:var(--ok)}.v-non-conformant,.g-fail{background:var(--failed)}
.v-conformant-should{background:var(--should)}.verdict.t-qualified{background:var(--should)}.sec{color:#cf222e;font-weight:700}.v-incomplete,.g-incomplete{background:var(--muted)}
.chip{display:inline-block;min-width:96px;
text-align:center;padding:1px 6px;border-radius:3px;color:#fff;font-size:11px;font-weight:600}
.ok{background:var(--ok)}.failed{background:var(--failed)}.non-strict{background:var(--non-strict)}
.informational{background:var(--informational)}.unimplemented{background:var(--unimplemented)}
.not-assessed{background:var(--not-assessed)}.error{background:var(--error)}.none{background:#eaeef2;color:#57606a}
.meta td:first-child{color:var(--muted);white-space:nowrap}.case{border:1px solid var(--line);border-radius:6px;margin:6px 0}
.case>details>summary{padding:6px 10px;cursor:pointer;list-style:none}.case>details>summary::-webkit-details-marker{display:none}
.case .body{padding:4px 12px 12px;border-top:1px solid var(--line)}.lvl{font-weight:600;width:72px;display:inline-block}
.id{font-family:${MONO}}.muted{color:var(--muted)}blockquote{margin:6px 0;padding:4px 10px;
border-left:4px solid var(--line);background:#fbfbfc}.ev{display:grid;grid-template-columns:80px 1fr;gap:2px 8px}
.bar{display:inline-block;height:9px;background:#54aeff;vertical-align:middle}.bar.late,.bar.err{background:var(--failed)}
.filters{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:8px;background:#f6f8fa;border:1px solid
var(--line);border-radius:6px}.filters input[type=search]{width:280px;padding:3px 6px;font:inherit}
.known{color:var(--non-strict)}.hidden{display:none}
.narrowed{display:inline-block;padding:2px 8px;border-radius:4px;background:#fff8c5;border:1px solid #d4a72c}
.facts{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}.chart{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}.chart table{font-size:13px}
`;
const fmtMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;

/** A decade tick's label: 0.1 ms, 1 ms, 10 ms, 100 ms, 1 s, 10 s, 100 s. */
const tickLabel = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/** A grade chip. */
export function chip(grade: Grade): string {
  return `<span class="chip ${grade}">${GRADE_LABEL[grade]}</span>`;
}

/**
 * Whether a request was acknowledged: a success response with content. A 204 is a poll's "nothing queued"
 * (Control iD) or an empty answer, a 4xx a rejection (often the one a case asked for), a missing response an
 * error: none of them says how fast the receiver acks a push, so the chart counts them apart.
 */
export function isAck(w: WireEntry): boolean {
  return w.status !== undefined && w.status >= 200 && w.status < 300 && w.status !== 204;
}

/** What a request that was not an ack got, for the count beside the chart: "HTTP 404 Not Found". */
function notAckKind(w: WireEntry): string {
  if (w.status === undefined) return `no response (${w.error ?? 'none'})`;
  return `HTTP ${w.status} ${STATUS_CODES[w.status] ?? ''}`.trimEnd();
}

/**
 * Every ack of the run as a dot at its time to the last byte, on a logarithmic axis (loopback acks take a
 * millisecond, the deadline is seconds: a linear axis piles every dot at 0), with the protocol's deadline
 * marked. The requests that got no ack are counted beside the chart by what they got.
 */
export function latencyChart(r: RunReport): string {
  const requests = r.cases.flatMap((c) => c.wire.map((w) => ({ c, w })));
  if (requests.length === 0) return '<p class="muted">No request was sent.</p>';
  const acks = requests.filter(({ w }) => isAck(w));
  const others = new Map<string, number>();
  for (const { w } of requests) {
    if (!isAck(w)) others.set(notAckKind(w), (others.get(notAckKind(w)) ?? 0) + 1);
  }
  const times = acks.map(({ w }) => w.totalMs);
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(r.deadlineMs, ...times))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(r.deadlineMs * 1.5, ...times)));
  const left = 16;
  const plotW = 640;
  const top = 22;
  const plotH = 96;
  const x = (ms: number) => left + (Math.log10(Math.max(lo, ms) / lo) / Math.log10(hi / lo)) * plotW;
  const parts = [
    `<svg id="latency" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="ack latency, logarithmic axis" data-scale="log" width="${left + plotW + 24}" height="${top + plotH + 34}" font-size="11" font-family="${esc(FONTS)}">`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#f6f8fa" stroke="#d0d7de"/>`,
  ];
  for (let t = lo; t <= hi * 1.0001; t *= 10) {
    const tx = x(t).toFixed(1);
    parts.push(
      `<line x1="${tx}" x2="${tx}" y1="${top}" y2="${top + plotH + 4}" stroke="#d0d7de"/>`,
      `<text class="tick" x="${tx}" y="${top + plotH + 17}" text-anchor="middle" fill="#57606a">${esc(tickLabel(Number(t.toPrecision(1))))}</text>`,
    );
  }
  // A golden-ratio spread of the dots over the band's height keeps equal times from hiding one another.
  acks.forEach(({ c, w }, i) => {
    const late = w.totalMs > r.deadlineMs;
    const y = top + 8 + ((i * 0.618034) % 1) * (plotH - 16);
    const tip = `${c.id}: ${w.label}: HTTP ${w.status} in ${fmtMs(w.totalMs)}`;
    parts.push(
      `<circle class="ack${late ? ' late' : ''}" cx="${x(w.totalMs).toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${late ? '#cf222e' : '#0969da'}" fill-opacity="0.55"><title>${esc(tip)}</title></circle>`,
    );
  });
  const dx = x(r.deadlineMs).toFixed(1);
  parts.push(
    `<line class="deadline" x1="${dx}" x2="${dx}" y1="${top - 4}" y2="${top + plotH}" stroke="#cf222e" stroke-width="2" stroke-dasharray="5 3"/>`,
    `<text class="deadline" x="${dx}" y="${top - 8}" text-anchor="middle" fill="#cf222e">deadline ${esc(tickLabel(r.deadlineMs))}</text>`,
    `<text x="${left + plotW / 2}" y="${top + plotH + 32}" text-anchor="middle" fill="#57606a">time to the last response byte (logarithmic)</text>`,
    '</svg>',
  );
  const sorted = [...times].sort((a, b) => a - b);
  const p = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const late = times.filter((t) => t > r.deadlineMs).length;
  const stats = acks.length
    ? `${acks.length} acks: p50 ${fmtMs(p(0.5))}, p95 ${fmtMs(p(0.95))}, max ${fmtMs(sorted.at(-1) ?? 0)}; ${late === 0 ? `all within the ${tickLabel(r.deadlineMs)} deadline` : `<b class="known">${late} after the ${tickLabel(r.deadlineMs)} deadline</b>`}.`
    : 'No request was acknowledged.';
  const rows = [...others.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([kind, n]) => `<tr><td>${esc(kind)}</td><td class="num">${n}</td></tr>`);
  const table = rows.length
    ? `<table id="not-acks"><tr><th colspan="2">Not acks, not plotted</th></tr>${rows.join('')}</table>`
    : '';
  return `<div class="chart">${parts.join('')}${table}</div><p id="ack-stats" class="muted">${stats} ${rows.length ? 'Rejections a case asked for, empty answers and errors are counted in the table, not plotted.' : ''}</p>`;
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

/**
 * One observation on one line, "role expected, marker pc…, seen 1": without `where`, the observer's local
 * path, which report.json keeps.
 */
function observationLine(o: unknown): string {
  if (o === null || typeof o !== 'object') return String(o);
  return Object.entries(o as Record<string, unknown>)
    .filter(([k]) => k !== 'where')
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function caseArticle(c: CaseReport, r: RunReport): string {
  const bad = c.outcome === 'failed' || c.outcome === 'error';
  const body: string[] = [
    `<blockquote class="requirement">${esc(c.requirement)}</blockquote>`,
    `<div class="source muted">Source: ${c.sourceUrl ? `<a href="${esc(c.sourceUrl)}" rel="noopener">${esc(c.source)}</a>` : esc(c.source)}${c.codeUrl ? ` · <a href="${esc(c.codeUrl)}" rel="noopener">code</a>` : ''}${c.interpreted ? ' · <b>interpreted</b> (the documents are silent; pushcheck decided, never above SHOULD)' : ''}${c.quote ? `<br><q>${esc(c.quote)}</q>${c.translation ? ` — ${esc(c.translation)}` : ''}` : ''}</div>`,
  ];
  if (c.reason) body.push(`<p class="reason"><b>${esc(c.outcome)}:</b> ${esc(c.reason)}</p>`);
  // What the document permits passed, and what was found is said with its evidence (decisions/022).
  if (c.finding !== undefined) {
    body.push(`<p class="reason finding"><b>passed, with a finding:</b> ${esc(c.finding)}</p>`);
  }
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
      `<details><summary>What the observer saw</summary><pre>${esc(c.observations.map(observationLine).join('\n'))}</pre></details>`,
    );
  }
  body.push(wireTable(c.wire, r.deadlineMs));
  if (c.exchanges?.length) body.push(`<h4>Requests and responses</h4>${exchangeDetails(c.exchanges)}`);
  if (c.curl) body.push(`<h4>Reproduce</h4><pre class="curl">${esc(c.curl)}</pre>`);
  return `<article class="case" id="${esc(c.id)}" data-profile="${esc(r.profile)}" data-level="${c.level}" data-outcome="${c.outcome}" data-grade="${c.grade}"><details${bad ? ' open' : ''}><summary>${chip(c.grade)} <span class="lvl">${c.level}</span> <span class="id">${esc(c.id)}</span>${isSecurityFinding(c) ? ' <span class="sec" title="security finding: a forged, tampered or unauthenticated message accepted">⚑ security finding</span>' : ''} ${esc(c.title)} <span class="muted">(${esc(fmtMs(c.durationMs))})</span>${c.known ? ' <span class="known">known</span>' : ''}</summary><div class="body">${body.join('')}</div></details></article>`;
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

/**
 * The filter bar and its script: each select hides the rows (`[data-<name>]`) that do not match, the search box
 * those whose text (id, title, requirement, reason…) does not contain every word typed; a group
 * (`groupSelector`) whose rows are all hidden hides too.
 */
export function filterBar(
  selects: { name: string; label: string; values: readonly string[] }[],
  rowSelector: string,
  groupSelector = '',
): { bar: string; script: string } {
  const search = `<label>Search <input type="search" id="search" placeholder="id, title or text" autocomplete="off"></label>`;
  const bar = `<div class="filters">${search}${selects.map((s) => options(s.name, s.label, s.values)).join('')}<span id="shown" class="muted"></span></div>`;
  const script = `<script>
(function(){var rows=[].slice.call(document.querySelectorAll(${JSON.stringify(rowSelector)}));
var texts=rows.map(function(row){return row.textContent.toLowerCase();});
var groups=${JSON.stringify(groupSelector)}?[].slice.call(document.querySelectorAll(${JSON.stringify(groupSelector)})):[];
var sels=[].slice.call(document.querySelectorAll('select[data-filter]'));var box=document.getElementById('search');
function apply(){var n=0;var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);
rows.forEach(function(row,i){var ok=sels.every(function(s){return !s.value||row.getAttribute('data-'+s.getAttribute('data-filter'))===s.value;})
&&words.every(function(w){return texts[i].indexOf(w)>=0;});row.classList.toggle('hidden',!ok);if(ok)n++;});
groups.forEach(function(g){g.classList.toggle('hidden',!g.querySelector(${JSON.stringify(rowSelector)}+':not(.hidden)'));});
document.getElementById('shown').textContent=n+' of '+rows.length+' shown';}
sels.forEach(function(s){s.addEventListener('change',apply);});box.addEventListener('input',apply);apply();})();
</script>`;
  return { bar, script };
}

/** The order of the case list: what failed, then what could not be judged, then what passed or was not offered. */
export const OUTCOME_ORDER: readonly Outcome[] = ['failed', 'error', 'not-assessed', 'passed', 'skipped'];

const GROUP_TITLE: Record<Outcome, string> = {
  failed: 'Failed',
  error: 'pushcheck errors',
  'not-assessed': 'Not assessed',
  passed: 'Passed',
  skipped: 'Skipped (not offered by this receiver)',
};

/** The cases in the page's order: by outcome (failures first), then MUST before SHOULD before MAY, then id. */
export function ordered(cases: readonly CaseReport[]): CaseReport[] {
  return [...cases].sort(
    (a, b) =>
      OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
      LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The verdict as the page words and colours it (the model's standing): a conformant run with SHOULD failures
 * or security findings is never shown like a clean pass.
 */
export function verdictWording(r: RunReport): { word: string; cls: string } {
  const standing = standingOf(r);
  return { word: standing.label.toUpperCase(), cls: `v-${r.verdict} t-${standing.tone}` };
}

/** The counts behind the verdict, in words: "1 MUST and 2 SHOULD requirements failed; 96 passed, … of 107 cases". */
export function verdictCounts(r: RunReport): string {
  const s = r.summary;
  const failed = LEVELS.filter((l) => s.byLevel[l].failed > 0).map((l) => `${s.byLevel[l].failed} ${l}`);
  const head = failed.length
    ? `${failed.join(' and ')} requirement${s.failed === 1 ? '' : 's'} failed`
    : 'no requirement failed';
  const rest = [
    `${s.passed} passed`,
    ...(s['not-assessed'] ? [`${s['not-assessed']} not assessed`] : []),
    ...(s.skipped ? [`${s.skipped} skipped`] : []),
    ...(s.error ? [`${s.error} pushcheck error${s.error === 1 ? '' : 's'}`] : []),
  ];
  return `${head}; ${rest.join(', ')} of ${s.total} case${s.total === 1 ? '' : 's'}`;
}

/** A URL without what may be secret: user and password, query and fragment (said to be left out). */
export function publicUrl(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return target;
  }
  const hidden = url.search !== '' || url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return `${url.href}${hidden ? ' (credentials and query not shown)' : ''}`;
}

/** A local path (POSIX or Windows): kept out of the page, which is published. */
const isLocalPath = (v: string) => /^(\/|~\/|[A-Za-z]:[\\/]|\.\.?\/)/.test(v);

/** How a setting's value reads: secrets and local paths are named, never shown. */
function settingValue(key: string, v: unknown): string {
  if (v === true) return 'yes';
  if (v === false) return 'no';
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') {
    if (isLocalPath(v)) return 'a local path';
    if (/^https?:\/\//.test(v) && !publicUrl(v).includes('[REDACTED]')) return publicUrl(v);
    if (/token|key|secret|bearer|password|guid/i.test(key) || v.includes('[REDACTED]'))
      return 'set (not shown)';
    return v;
  }
  if (typeof v === 'number' && /Ms$/.test(key)) return v % 1000 === 0 ? tickLabel(v) : fmtMs(v);
  if (Array.isArray(v)) return v.map((x) => settingValue(key, x)).join(', ');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${words(k)} ${settingValue(k, x)}`)
      .join(', ');
  }
  return String(v);
}

/** `encodingAesKey` → "encoding AES key", `requestTimeoutMs` → "request timeout". */
function words(key: string): string {
  return key
    .replace(/Ms$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b(aes|api|url|guid|id)\b/g, (w) => w.toUpperCase());
}

/** The profile's settings in words, one per item: "token set (not shown) · burst 20 · retry scale 0.001". */
export function settingsInWords(settings: unknown): string {
  if (settings === null || typeof settings !== 'object') return settingValue('', settings);
  const items = Object.entries(settings as Record<string, unknown>).map(
    ([k, v]) => `${words(k)} ${settingValue(k, v)}`,
  );
  return items.length ? items.join(' · ') : 'the defaults';
}

/** Which observer assessed what the receiver did, without its local path (report.json keeps the full line). */
function observerInWords(observer: string | null): string {
  if (observer === null) return 'none: what the receiver did with a message was not observed';
  const kind = observer.split(' ')[0];
  const said: Record<string, string> = {
    file: 'a file the receiver writes',
    log: "the receiver's log",
    http: 'HTTP reports from the receiver',
    command: 'a command that asks the receiver',
  };
  return said[kind ?? ''] ?? observer;
}

/** What fails the run, in words. */
function failOnInWords(r: RunReport): string {
  if (r.failOn === 'MUST') return 'MUST failures fail the run; SHOULD and MAY failures are graded but do not';
  if (r.failOn === 'SHOULD') return 'MUST and SHOULD failures fail the run (strict); MAY failures do not';
  return 'any failure fails the run, MAY included';
}

/** Why a run covers part of the catalogue only (--grep, --shard), in words; undefined for a whole run. */
export function narrowedNote(r: Pick<RunReport, 'grep' | 'shard'>): string | undefined {
  const why = [
    ...(r.grep ? [`only the cases matching --grep ${r.grep}`] : []),
    ...(r.shard ? [`part ${r.shard.current} of ${r.shard.total} of a run split with --shard`] : []),
  ];
  return why.length ? `Narrowed: ${why.join(', ')}; the verdict speaks for these cases only.` : undefined;
}

/** "2026-12-07 00:20 UTC". */
const dateOf = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

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
  const narrowed = narrowedNote(r);
  const meta: [string, string][] = [
    ['receiver', publicUrl(r.target)],
    ['profile', `${r.profile}${r.mode ? ` (${r.mode})` : ''}`],
    ['date', `${dateOf(r.startedAt)}, the run took ${fmtMs(r.durationMs)}`],
    ['pushcheck', `version ${r.pushcheck}`],
    ['settings', settingsInWords(r.settings)],
    ['judged with', failOnInWords(r)],
    ['observer', observerInWords(r.observer)],
    ...(r.receiver
      ? ([['launched', `by pushcheck (${r.receiver.launcher}), ready in ${fmtMs(r.receiver.readyMs)}`]] as [
          string,
          string,
        ][])
      : []),
    ...(g.expectations
      ? ([['expectations', `known failures listed in ${basename(g.expectations)}`]] as [string, string][])
      : []),
    ['seed', `${r.seed} (--seed ${r.seed} sends the same messages again)`],
  ];
  const { bar, script } = filterBar(
    [
      { name: 'level', label: 'Level', values: LEVELS },
      { name: 'outcome', label: 'Outcome', values: OUTCOMES },
    ],
    'article.case',
    'section.group',
  );
  const list = (title: string, ids: readonly string[]) =>
    ids.length
      ? `<p><b>${title}:</b> ${ids.map((id) => `<a href="#${esc(id)}">${esc(id)}</a>`).join(', ')}</p>`
      : '';
  const cases = ordered(r.cases);
  const groups = OUTCOME_ORDER.map((o) => {
    const here = cases.filter((c) => c.outcome === o);
    if (here.length === 0) return '';
    return `<section class="group" data-group="${o}"><h3 class="group">${esc(GROUP_TITLE[o])} (${here.length})</h3>\n${here.map((c) => caseArticle(c, r)).join('\n')}</section>`;
  });
  const v = verdictWording(r);
  const title = r.label === r.target || publicUrl(r.target).includes(r.label) ? '' : ` · ${r.label}`;
  // Authenticity cases that failed or passed with a finding (decisions/022), listed beside the verdict.
  const security = securityFindingsOf(r.cases).map((c) => c.id);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pushcheck ${esc(r.profile)} · ${esc(r.label)}: ${esc(v.word.toLowerCase())}</title><style>${STYLE}</style></head>
<body>
<header><h1>pushcheck ${esc(r.profile)} conformance report${esc(title)}</h1>
<p><span id="verdict" class="verdict ${v.cls}">${esc(v.word)}</span> <span id="verdict-counts">${esc(verdictCounts(r))}</span></p>
${narrowed ? `<p id="narrowed" class="narrowed">${esc(narrowed)}</p>` : ''}
${r.verdict === 'incomplete' ? `<p class="muted">${esc(r.verdictReason)}.</p>` : ''}
<p>CI gate: <span id="gate" class="verdict g-${g.result}">${esc(g.result.toUpperCase())}</span> ${esc(withoutListed(g.reason, g.newFailures, 'below'))}</p>
${list('Security findings', security)}${list('New failures', g.newFailures)}${list('Known failures (tolerated)', g.knownFailures)}${list('Listed but now passing', g.fixed)}
${r.errors.length ? `<p class="known">pushcheck errors outside any case: ${esc(r.errors.join('; '))}</p>` : ''}
<div class="facts"><table class="meta" id="meta">${meta.map(([k, val]) => `<tr><td>${esc(k)}</td><td>${esc(val)}</td></tr>`).join('')}</table>
<div><table id="counts"><tr><th>level</th>${OUTCOMES.map((o) => `<th>${o}</th>`).join('')}</tr>${countRows.join('')}</table>
<p>${grades}</p></div></div></header>
${causesSection(r)}<h2>Ack latency</h2>
${latencyChart(r)}
<h2>Cases</h2>
${bar}
<section id="cases">${groups.join('\n')}</section>
${script}
</body></html>
`;
}
