/** JUnit XML of a run, for CI systems: one testcase per case, failures with expected and actual. */
import type { RunReport } from './reporter.ts';

function esc(s: string): string {
  // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
  const noControl = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  return noControl.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function toJunit(r: RunReport): string {
  const s = r.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pushcheck" tests="${s.total}" failures="${s.failed}" errors="${s.error}" skipped="${s['not-assessed'] + s.skipped}" time="${r.durationMs / 1000}">`,
    `  <testsuite name="${esc(r.profile)}" tests="${s.total}" failures="${s.failed}" errors="${s.error}" skipped="${s['not-assessed'] + s.skipped}" timestamp="${r.startedAt}" time="${r.durationMs / 1000}">`,
  ];
  for (const c of r.cases) {
    const open = `    <testcase classname="${esc(c.id.split('.').slice(0, 2).join('.'))}" name="${esc(`${c.id} [${c.level}] ${c.title}`)}" time="${c.durationMs / 1000}"`;
    if (c.outcome === 'passed') {
      lines.push(`${open}/>`);
    } else if (c.outcome === 'error') {
      lines.push(`${open}>`, `      <error message="${esc(c.reason ?? 'error')}"/>`, '    </testcase>');
    } else if (c.outcome === 'failed') {
      const detail = [c.expected && `expected: ${c.expected}`, c.actual && `actual: ${c.actual}`, c.curl]
        .filter(Boolean)
        .join('\n');
      lines.push(
        `${open}>`,
        `      <failure message="${esc(c.reason ?? 'failed')}">${esc(detail)}</failure>`,
        '    </testcase>',
      );
    } else {
      lines.push(
        `${open}>`,
        `      <skipped message="${esc(`${c.outcome}: ${c.reason ?? ''}`)}"/>`,
        '    </testcase>',
      );
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
