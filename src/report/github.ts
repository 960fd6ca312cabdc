/**
 * GitHub Actions: annotations in the format of Playwright's `github` reporter (`::error file=…,line=…`) and
 * the run's Markdown appended to the job summary. pushcheck writes them itself rather than add Playwright's
 * reporter, because that one prints error messages unredacted (decisions/010).
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isSecurityFinding, type RunReport } from './model.ts';

/** Where a case is written, for the annotation to point at. */
export interface Location {
  file: string;
  line: number;
}

function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command per case worth a look: a new failure at a --fail-on level is an error, any other
 * failure or error a warning, a listed case that now passes a notice, a finding the document permits a warning
 * (a security one) or a notice. A security finding's title starts "SECURITY FINDING".
 */
export function annotations(r: RunReport, where: ReadonlyMap<string, Location>, root: string): string[] {
  const out: string[] = [];
  const gateFails = new Set(r.gate.newFailures);
  const known = new Set(r.gate.knownFailures);
  for (const c of r.cases) {
    let kind: 'error' | 'warning' | 'notice' | undefined;
    let message = '';
    if (gateFails.has(c.id)) kind = 'error';
    else if (c.outcome === 'failed' || c.outcome === 'error') kind = known.has(c.id) ? 'notice' : 'warning';
    else if (r.gate.fixed.includes(c.id)) {
      kind = 'notice';
      message = 'listed in the expectations file but now passes: run `pushcheck expectations update`\n';
    } else if (c.finding !== undefined) {
      // What the document permits passed, with a finding (decisions/022): said, never failed.
      kind = c.security ? 'warning' : 'notice';
      message = `passed, with a finding the document permits: ${c.finding}\n`;
    }
    if (kind === undefined) continue;
    message += [c.reason, c.expected && `expected: ${c.expected}`, c.actual && `actual: ${c.actual}`, c.curl]
      .filter(Boolean)
      .join('\n');
    const loc = where.get(c.id);
    const props = [
      ...(loc ? [`file=${property(relative(root, loc.file))}`, `line=${loc.line}`] : []),
      `title=${property(`${isSecurityFinding(c) ? 'SECURITY FINDING · ' : ''}${c.grade.toUpperCase()} ${c.level} ${c.id}: ${c.title}${known.has(c.id) ? ' (known)' : ''}`)}`,
    ];
    out.push(`::${kind} ${props.join(',')}::${data(message)}`);
  }
  return out;
}

/** Appends the Markdown to the job summary when GitHub Actions gives one. */
export function writeJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, `${markdown}\n`);
}
