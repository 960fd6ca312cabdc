/**
 * JUnit XML of a run, for CI systems: one testcase per case, failures with expected, actual and the `curl`
 * line. A failure the expectations file lists is reported as skipped ("known failure"), as the gate treats it;
 * a failure below the --fail-on level stays a failure, since JUnit has no softer word for it. Each testcase
 * carries its requirement's source (citation, document URL, code URL) as properties, and an authenticity case a
 * `security` property ("finding" or "passed"); a failed one's message starts "security finding:".
 */
import { isSecurityFinding, type RunReport } from './model.ts';

function esc(s: string): string {
  // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
  const noControl = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  return noControl.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function toJunit(r: RunReport): string {
  const known = new Set(r.gate.knownFailures);
  const failed = r.cases.filter((c) => c.outcome === 'failed' && !known.has(c.id)).length;
  const errors = r.cases.filter((c) => c.outcome === 'error' && !known.has(c.id)).length;
  const skipped = r.summary.total - r.summary.passed - failed - errors;
  const counts = `tests="${r.summary.total}" failures="${failed}" errors="${errors}" skipped="${skipped}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pushcheck" ${counts} time="${r.durationMs / 1000}">`,
    `  <testsuite name="${esc(`${r.profile} ${r.label}`)}" ${counts} timestamp="${r.startedAt}" time="${r.durationMs / 1000}">`,
  ];
  for (const c of r.cases) {
    const open = `    <testcase classname="${esc(c.id.split('.').slice(0, 2).join('.'))}" name="${esc(`${c.id} [${c.level}] ${c.title}`)}" time="${c.durationMs / 1000}"`;
    // The requirement's source, as testcase properties (GitLab, Jenkins and others show them).
    const props = [
      '      <properties>',
      `        <property name="source" value="${esc(c.source)}"/>`,
      // Authenticity cases (decisions/022): CI systems can filter the security findings by this property.
      ...(c.security
        ? [`        <property name="security" value="${isSecurityFinding(c) ? 'finding' : 'passed'}"/>`]
        : []),
      ...(c.finding !== undefined ? [`        <property name="finding" value="${esc(c.finding)}"/>`] : []),
      ...(c.sourceUrl ? [`        <property name="source.url" value="${esc(c.sourceUrl)}"/>`] : []),
      ...(c.codeUrl ? [`        <property name="source.code" value="${esc(c.codeUrl)}"/>`] : []),
      '      </properties>',
    ];
    if (c.outcome === 'passed') {
      lines.push(`${open}>`, ...props, '    </testcase>');
    } else if (known.has(c.id)) {
      const why = `known ${c.outcome} (expectations file): ${c.known?.reason ?? ''}; ${c.reason ?? ''}`;
      lines.push(`${open}>`, ...props, `      <skipped message="${esc(why)}"/>`, '    </testcase>');
    } else if (c.outcome === 'error') {
      lines.push(
        `${open}>`,
        ...props,
        `      <error message="${esc(c.reason ?? 'error')}"/>`,
        '    </testcase>',
      );
    } else if (c.outcome === 'failed') {
      const detail = [c.expected && `expected: ${c.expected}`, c.actual && `actual: ${c.actual}`, c.curl]
        .filter(Boolean)
        .join('\n');
      lines.push(
        `${open}>`,
        ...props,
        `      <failure type="${c.grade}" message="${esc(`${c.security ? 'security finding: ' : ''}${c.reason ?? 'failed'}`)}">${esc(detail)}</failure>`,
        '    </testcase>',
      );
    } else {
      lines.push(
        `${open}>`,
        ...props,
        `      <skipped message="${esc(`${c.outcome}: ${c.reason ?? ''}`)}"/>`,
        '    </testcase>',
      );
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
