/** `report.md`: the run as a pull-request comment or a GitHub job summary (kept under GitHub's size limit). */
import { type Cause, failuresByCause, headline, simplestRequests, withoutListed } from './causes.ts';
import type { CaseReport, RunReport } from './model.ts';
import { LEVELS, OUTCOMES, securityFindingsOf, standingOf } from './model.ts';
import { GRADE_LABEL } from './html.ts';

/** GitHub refuses comments and summaries past 65,536 characters; details are cut well before. */
const LIMIT = 60_000;

const ICON = { pass: '✅', fail: '❌', incomplete: '⚠️' } as const;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fence(s: string): string {
  const ticks = '`'.repeat(Math.max(3, ...[...s.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}\n${s}\n${ticks}`;
}

/** A case's grade, level, id and title, on one line. */
function line(c: CaseReport): string {
  return `<b>${GRADE_LABEL[c.grade]}</b> ${c.level} <code>${c.id}</code>: ${cell(c.title)}${c.known ? ' (known)' : ''}`;
}

/** A failure with its details and `curl` line, folded unless `open`. */
function failure(c: CaseReport, note?: string, open = false): string {
  const lines = [
    `<details${open ? ' open' : ''}><summary>${line(c)}${note ? ` (${note})` : ''}</summary>`,
    '',
    `> ${cell(c.requirement)}`,
    `> — ${c.sourceUrl ? `[${cell(c.source)}](${c.sourceUrl})` : cell(c.source)}${c.codeUrl ? ` ([code](${c.codeUrl}))` : ''}`,
    // The vendor's words live in the source, not in the requirement text: quoted here once, with the translation.
    ...(c.quote ? [`> “${cell(c.quote)}”${c.translation ? ` (${cell(c.translation)})` : ''}`] : []),
    '',
    `**${c.reason ?? c.outcome}**`,
    '',
  ];
  if (c.expected !== undefined) lines.push(`- expected: ${cell(c.expected)}`);
  if (c.actual !== undefined) lines.push(`- actual: ${cell(c.actual)}`);
  if (c.known) lines.push(`- known failure: ${cell(c.known.reason)}`);
  if (c.curl) lines.push('', fence(c.curl));
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** Failures that share a cause: the cause once, the simplest case open with its details, the others listed. */
function group(cause: Cause): string {
  return [
    `#### ${cell(headline(cause))}`,
    '',
    failure(cause.simplest, `the simplest: ${simplestRequests(cause)}`, true),
    `With the same cause:`,
    '',
    ...cause.others.map((c) => `- ${line(c)}`),
    '',
  ].join('\n');
}

/** The Markdown of a run. */
export function toMarkdown(r: RunReport): string {
  const s = r.summary;
  const g = r.gate;
  const listed = r.cases.filter((c) => c.outcome === 'failed' || c.outcome === 'error').map((c) => c.id);
  const standing = standingOf(r);
  // A qualified pass is never shown with the clean pass's tick (decisions/022).
  const icon = standing.tone === 'qualified' ? '🟧' : ICON[g.result];
  const head = [
    `## ${icon} pushcheck ${r.profile} · ${r.label}: ${standing.label.toUpperCase()}`,
    '',
    `**Verdict:** ${standing.label} (${withoutListed(r.verdictReason, listed, 'below')})  `,
    `**CI gate:** ${g.result} (${withoutListed(g.reason, listed, 'below')}), failing on ${r.failOn} and above${g.expectations ? `, with ${g.expectations}` : ''}  `,
    `**Target:** \`${r.target}\`${r.mode ? ` (${r.mode})` : ''} · seed ${r.seed} · ${(r.durationMs / 1000).toFixed(1)} s${r.grep ? ` · only --grep ${r.grep}` : ''}${r.shard ? ` · shard ${r.shard.current}/${r.shard.total}` : ''}`,
    '',
    `| level | ${OUTCOMES.join(' | ')} |`,
    `| --- | ${OUTCOMES.map(() => '---:').join(' | ')} |`,
    ...[...LEVELS, 'all' as const].map((l) => {
      const counts = l === 'all' ? s : s.byLevel[l];
      return `| ${l} | ${OUTCOMES.map((o) => counts[o]).join(' | ')} |`;
    }),
    '',
  ];
  if (g.fixed.length) {
    head.push(
      `**Listed in the expectations file but now passing** (tighten it with \`pushcheck expectations update\`): ${g.fixed.map((id) => `\`${id}\``).join(', ')}`,
      '',
    );
  }
  const findings = securityFindingsOf(r.cases);
  if (findings.length) {
    head.push(
      `### ⚑ Security findings (${findings.length})`,
      '',
      'Forged, tampered or unauthenticated messages the receiver accepted:',
      '',
      ...findings.map(
        (c) =>
          `- ${c.level} \`${c.id}\`: ${cell(c.title)}${c.finding !== undefined ? ' (permitted by the document: passed, with this finding)' : ''}`,
      ),
      '',
    );
  }
  const permitted = r.cases.filter((c) => c.finding !== undefined);
  if (permitted.length) {
    head.push(
      `### Findings the document permits (${permitted.length})`,
      '',
      ...permitted.map((c) => failure({ ...c, reason: `passed, with a finding: ${c.finding ?? ''}` })),
    );
  }
  const bad = r.cases.filter((c) => c.outcome === 'failed' || c.outcome === 'error');
  const { causes, alone } = failuresByCause(r.cases);
  const out = [...head];
  if (bad.length) out.push(`### Failures (${bad.length})`, '');
  let size = out.join('\n').length;
  let cut = 0;
  const blocks = [
    ...causes.map((cause) => ({ text: group(cause), cases: cause.others.length + 1 })),
    ...alone.map((c) => ({ text: failure(c), cases: 1 })),
  ];
  for (const { text, cases } of blocks) {
    if (size + text.length > LIMIT) {
      cut += cases;
      continue;
    }
    out.push(text);
    size += text.length;
  }
  if (cut) out.push(`… and ${cut} more failure(s): see report.json or index.html.`, '');
  const na = r.cases.filter((c) => c.outcome === 'not-assessed');
  if (na.length) {
    out.push(
      `### Not assessed (${na.length})`,
      '',
      ...na.map((c) => `- \`${c.id}\` (${c.level}): ${cell(c.reason ?? '')}`),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
