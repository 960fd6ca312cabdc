/**
 * The report commands of the CLI: `pushcheck report merge DIR… --out SITE` and
 * `pushcheck expectations update --report DIR… [--file FILE] [--add-new]`.
 */
import { join, resolve } from 'node:path';
import { parseOptions } from '../core/args.ts';
import { checkOutputDir } from '../core/paths.ts';
import { stringOption, usage } from '../core/errors.ts';
import { EXPECTATIONS_FILE, updateExpectations } from './expectations.ts';
import { allCaseIds } from './options.ts';

export const REPORT_COMMANDS_HELP = `  pushcheck report merge DIR… --out SITE [--title TEXT]
                                     a static site: a page per run and, per profile, a matrix of runs ×
                                     cases; joins the parts of runs split with --shard; SITE must not
                                     hold a run's report
  pushcheck expectations update --report DIR… [--file FILE] [--add-new]
                                     remove from the expectations file (default ./${EXPECTATIONS_FILE}) the
                                     listed cases that now pass; --add-new also lists the new failures`;

/** `pushcheck report merge …` */
export async function cmdReport(args: string[]): Promise<number> {
  // The site's writers load when a command runs: the CLI imports this file for its help text.
  const { mergeReports, shown } = await import('./site.ts');
  const { openCommand } = await import('./write.ts');
  const [sub, ...rest] = args;
  if (sub !== 'merge') usage('`pushcheck report` has one command: `pushcheck report merge DIR… --out SITE`');
  const { values, positionals } = parseOptions(
    rest,
    { out: { type: 'string' }, title: { type: 'string' } },
    'pushcheck report merge',
  );
  const out = stringOption(values.out);
  if (!out) usage('report merge needs --out SITE: the folder to write the site into');
  checkOutputDir(out, '--out');
  const title = stringOption(values.title);
  const result = mergeReports(
    positionals.map((p) => resolve(p)),
    resolve(out),
    title,
  );
  console.log(`merged ${result.files} report(s) into ${result.receivers.length} receiver page(s):`);
  for (const r of result.receivers) {
    const parts = r.shards > 0 ? ` (${r.shards} shards joined)` : '';
    console.log(
      `  ${r.profile} ${r.label}: ${r.standing}${parts} → ${shown(join(resolve(out), r.dir, 'index.html'))}`,
    );
  }
  console.log(`matrix: ${shown(join(resolve(out), 'index.html'))}`);
  console.log(`open: ${openCommand(join(resolve(out), 'index.html'))}`);
  return 0;
}

/** `pushcheck expectations update …` */
export async function cmdExpectations(args: string[]): Promise<number> {
  const { findReports, readReport, shown } = await import('./site.ts');
  const [sub, ...rest] = args;
  if (sub !== 'update')
    usage('`pushcheck expectations` has one command: `pushcheck expectations update --report DIR`');
  const { values, positionals } = parseOptions(
    rest,
    {
      report: { type: 'string', multiple: true },
      file: { type: 'string' },
      'add-new': { type: 'boolean', default: false },
    },
    'pushcheck expectations update',
  );
  if (positionals.length) {
    usage(`unexpected argument "${positionals[0]}"; see \`pushcheck expectations --help\``);
  }
  const dirs = (values.report as string[] | undefined) ?? [];
  if (dirs.length === 0) usage('expectations update needs --report DIR: the report folder of a run');
  const reports = dirs.flatMap((d) => findReports(resolve(d))).map(readReport);
  if (reports.length === 0) usage(`no report.json under ${dirs.join(', ')}`);
  const file = resolve(stringOption(values.file) ?? EXPECTATIONS_FILE);
  const { removed, added } = updateExpectations(file, reports, {
    addNew: values['add-new'] === true,
    known: allCaseIds(),
  });
  for (const id of removed) console.log(`  - ${id} (now passes)`);
  for (const id of added) console.log(`  + ${id} (new failure, listed)`);
  console.log(`${shown(file)}: ${removed.length} removed, ${added.length} added`);
  return 0;
}
