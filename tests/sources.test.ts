/**
 * Every requirement is traceable to a public source, and nothing in the repository cites a file outside it.
 * Each profile lists its documents once in specs/<profile>/sources.ts; a requirement names one of those
 * documents (the same object, not a copy), with a URL or, for a document with no public copy, its publisher
 * and date; a requirement the documents state quotes them or names the code it rests on, and an interpreted one
 * names the section it reads or the public code it follows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Registry, Requirement, Source, SourceDocument } from '../src/core/case.ts';
import { PROFILES } from '../src/profiles.ts';
import { deviceRequirements } from '../specs/controlid/device-requirements.ts';
import { senderRequirements } from '../specs/onenet/sender-requirements.ts';
import { ROOT } from './helpers.ts';

/** The names of the working notes and the machine paths no tracked file may cite (spelt so as not to match itself). */
const FORBIDDEN = new RegExp(
  [
    'FACTS\\.md',
    '\\.seed\\.md',
    ['', 'work', ''].join('/'),
    ['', 'shared', ''].join('/'),
    ['', 'home', ''].join('/'),
  ].join('|'),
);

/** The lines of `text` that cite a file outside the repository. */
function outsideCitations(text: string): string[] {
  return text.split('\n').filter((line) => FORBIDDEN.test(line));
}

/** A source's problems, as sentences; empty when it is traceable. */
function sourceProblems(id: string, r: Requirement, documents: ReadonlySet<SourceDocument>): string[] {
  const s = r.source;
  const problems: string[] = [];
  const d = s.document;
  if (!documents.has(d)) problems.push(`${id}: its document is not one its profile's sources.ts lists`);
  if (!d.title) problems.push(`${id}: its document has no title`);
  if (d.url !== undefined && !/^https:\/\/\S+$/.test(d.url)) problems.push(`${id}: the URL is not https`);
  if (d.url === undefined && !(d.publisher && d.date && /^\d{4}-\d{2}-\d{2}$/.test(d.date))) {
    problems.push(`${id}: a document without a URL needs its publisher and date`);
  }
  if (s.code && !(/^[\w.-]+\/[\w.-]+$/.test(s.code.repository) && s.code.file)) {
    problems.push(`${id}: the code reference needs a repository (owner/name) and a file`);
  }
  if (s.code?.commit !== undefined && !/^[0-9a-f]{40}$/.test(s.code.commit)) {
    problems.push(`${id}: the commit is not a full hash`);
  }
  if (s.translation !== undefined && !s.quote) problems.push(`${id}: a translation without a quote`);
  if (s.quote && d.language !== 'en' && !s.translation)
    problems.push(`${id}: a ${d.language} quote needs a translation`);
  if (r.interpreted) {
    if (!s.code && !s.section) problems.push(`${id}: an interpretation names the section or code it follows`);
  } else if (!s.quote && !s.code) {
    problems.push(`${id}: quotes nothing and names no code`);
  }
  if (FORBIDDEN.test(JSON.stringify(r))) problems.push(`${id}: cites a file outside the repository`);
  return problems;
}

/**
 * Whether a requirement's text repeats its own quote: its first 20 characters, or any run of 10 Chinese characters
 * of it (a trimmed copy; a Chinese character says more than a letter), enough to tell a copy from a shared term
 * (a file name, a header). The vendor's words are stored once, in the source; the text says the requirement in
 * pushcheck's words.
 */
function copiesItsQuote(r: Requirement): boolean {
  const quote = r.source.quote;
  if (quote === undefined) return false;
  if (r.text.includes(quote.slice(0, 20))) return true;
  return (quote.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{10,}/g) ?? []).some((chinese) => {
    for (let i = 0; i + 10 <= chinese.length; i++) if (r.text.includes(chinese.slice(i, i + 10))) return true;
    return false;
  });
}

async function documentsOf(dir: string): Promise<Set<SourceDocument>> {
  const mod = (await import(`../specs/${dir}/sources.ts`)) as Record<string, unknown>;
  return new Set(
    Object.values(mod).filter(
      (v): v is SourceDocument => typeof v === 'object' && v !== null && 'title' in v && 'language' in v,
    ),
  );
}

const REGISTRIES: [string, string, Registry][] = [
  ...Object.entries(PROFILES).map(([name, p]): [string, string, Registry] => [name, name, p.registry]),
  ['onenet-sender', 'onenet', senderRequirements],
  ['controlid-device', 'controlid', deviceRequirements],
];

for (const [name, dir, registry] of REGISTRIES) {
  test(`${name}: every requirement cites a public document its sources.ts lists`, async () => {
    const documents = await documentsOf(dir);
    expect(documents.size).toBeGreaterThan(0);
    const problems = Object.entries(registry).flatMap(([id, r]) => sourceProblems(id, r, documents));
    expect(problems).toEqual([]);
  });
}

for (const [name, , registry] of REGISTRIES) {
  test(`${name}: no requirement text repeats its source's quote`, () => {
    expect(Object.keys(registry).length).toBeGreaterThan(0);
    const copies = Object.entries(registry)
      .filter(([, r]) => copiesItsQuote(r))
      .map(([id]) => id);
    expect(copies).toEqual([]);
  });
}

test('the quote check fails on a text that copies its quote and passes on one in its own words', () => {
  const source = {
    document: {
      title: 'A vendor document',
      publisher: 'Vendor',
      url: 'https://example.org/doc',
      language: 'zh',
    },
    quote: '若确认此次GET请求来自OneNET平台，需在响应中原样返回msg参数，实例验证才能通过',
    translation: 'the words',
  } as const;
  const own: Requirement = { level: 'MUST', title: 't', text: 'The body is msg, unchanged.', source };
  expect(copiesItsQuote(own)).toBe(false);
  expect(copiesItsQuote({ ...own, text: `${source.quote} — the body is msg, unchanged.` })).toBe(true);
  // A prefix of the quote is enough: a copy that trims the end is still a copy; so is one that skips the start.
  expect(copiesItsQuote({ ...own, text: `“${source.quote.slice(0, 24)} …”, glossed.` })).toBe(true);
  expect(copiesItsQuote({ ...own, text: `“… ${source.quote.slice(18, 29)}”, glossed.` })).toBe(true);
  const english: Source = {
    document: source.document,
    quote: 'the server must send an empty response, always',
  };
  expect(copiesItsQuote({ ...own, source: english, text: 'The server answers with no body.' })).toBe(false);
  expect(copiesItsQuote({ ...own, source: english, text: '“The server must send an empty response.”' })).toBe(
    false,
  );
  expect(copiesItsQuote({ ...own, source: english, text: '“the server must send an empty response”' })).toBe(
    true,
  );
  // Words the text shares with its quote are not a copy.
  expect(copiesItsQuote({ ...own, text: 'The body is the msg参数, unchanged.' })).toBe(false);
  expect(copiesItsQuote({ ...own, source: { document: source.document } })).toBe(false);
});

test('the source check fails on an untraceable source and passes on a traceable one', () => {
  const doc: SourceDocument = {
    title: 'A vendor document',
    publisher: 'Vendor',
    url: 'https://example.org/doc',
    language: 'zh',
  };
  const undated: SourceDocument = { title: 'A vendor document', publisher: 'Vendor', language: 'en' };
  const docs = new Set([doc, undated]);
  const base = { level: 'MUST', title: 't', text: 'a requirement' } as const;
  const good: Requirement = {
    ...base,
    source: { document: doc, section: '§1', quote: '原文', translation: 'the words' },
  };
  expect(sourceProblems('x', good, docs)).toEqual([]);
  const interpreted: Requirement = {
    ...base,
    level: 'SHOULD',
    interpreted: true,
    source: { document: doc, section: '§2 (silent)' },
  };
  expect(sourceProblems('x', interpreted, docs)).toEqual([]);
  const bad: [string, Requirement][] = [
    ['a copy', { ...good, source: { ...good.source, document: { ...doc } } }],
    ['no URL, no date', { ...good, source: { document: undated, quote: 'words' } }],
    ['untranslated', { ...good, source: { document: doc, quote: '原文' } }],
    ['no quote', { ...good, source: { document: doc, section: '§1' } }],
    ['interpreted, nothing named', { ...interpreted, source: { document: doc } }],
    [
      'short commit',
      { ...good, source: { ...good.source, code: { repository: 'o/n', file: 'f', commit: 'abc' } } },
    ],
    ['a working note', { ...good, text: `see ${['FACTS', 'md'].join('.')} §1` }],
  ];
  for (const [what, r] of bad) expect(sourceProblems('x', r, docs), what).not.toEqual([]);
});

test('no tracked file outside decisions/ cites the working notes or a machine path', () => {
  expect(outsideCitations(`as ${['onenet', 'seed', 'md'].join('.')} §4 says`)).toHaveLength(1);
  expect(outsideCitations(`from ${['', 'shared', 'protocols', ''].join('/')}`)).toHaveLength(1);
  expect(outsideCitations('OneNET, 数据推送 §4 (https://open.iot.10086.cn/doc/…)')).toEqual([]);
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && !f.startsWith('decisions/'));
  expect(files.length).toBeGreaterThan(100);
  const hits: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, f), 'utf8');
    } catch {
      continue; // listed but absent from the work tree (deleted, not yet committed)
    }
    if (text.includes('\0')) continue; // binary
    for (const line of outsideCitations(text)) {
      // The Docker image's own working directory, inside the container, is not a path on anyone's machine.
      if (
        f === 'tests/docker.test.ts' &&
        line.includes(`'report: ${['', 'work', 'reports', 'docker', ''].join('/')}`)
      ) {
        continue;
      }
      hits.push(`${f}: ${line.trim().slice(0, 120)}`);
    }
  }
  expect(hits).toEqual([]);
});
