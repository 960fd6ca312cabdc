/**
 * `badge.svg`: "pushcheck onenet | conformant 25/25", for a vendor's README. A conformant run with SHOULD
 * failures or security findings is amber and says so ("conformant* 22/26 · 4 SHOULD failed · 3 security
 * findings"): a vendor must not be able to publish it as a clean pass.
 */
import { esc } from './html.ts';
import { type RunReport, standingOf, type Tone } from './model.ts';

const COLOUR: Record<Tone, string> = {
  clean: '#2da44e',
  qualified: '#d97706',
  failed: '#cf222e',
  incomplete: '#9a6700',
};

/** Verdana 11px averages about 6.5 px a character; textLength makes any font fit the box. */
function width(text: string): number {
  return Math.round(text.length * 6.6 + 12);
}

/** The badge: the verdict and the passed cases out of those the receiver offers (not skipped). */
export function toBadge(r: RunReport): string {
  const left = `pushcheck ${r.profile}`;
  const offered = r.summary.total - r.summary.skipped;
  const standing = standingOf(r);
  const findings = standing.securityFindings.length;
  const right = [
    `${standing.short} ${r.summary.passed}/${offered}`,
    ...(standing.shouldFailures > 0 && standing.tone === 'qualified'
      ? [`${standing.shouldFailures} SHOULD failed`]
      : []),
    ...(findings > 0 ? [`${findings} security finding${findings === 1 ? '' : 's'}`] : []),
    // A run narrowed with --grep or --shard says so: its count is not the catalogue's.
    ...(r.grep || r.shard ? ['narrowed'] : []),
  ].join(' · ');
  const lw = width(left);
  const rw = width(right);
  const text = (x: number, w: number, s: string) =>
    `<text x="${x + w / 2}" y="14" text-anchor="middle" textLength="${w - 12}" lengthAdjust="spacingAndGlyphs">${esc(s)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="20" role="img" aria-label="${esc(`${left}: ${right}`)}">
<title>${esc(`${left}: ${right}`)}</title>
<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${COLOUR[standing.tone]}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">${text(0, lw, left)}${text(lw, rw, right)}</g>
</svg>
`;
}
