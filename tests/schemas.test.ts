/** A malformed spec is reported by file, in words, before any case runs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadSchemas, SpecError } from '../src/core/schemas.ts';
import { scratch } from './helpers.ts';

function specsWith(file: string, text: string): string {
  const root = scratch();
  mkdirSync(join(root, 'p', 'schemas'), { recursive: true });
  writeFileSync(join(root, 'p', 'schemas', file), text);
  return root;
}

const MALFORMED: [string, string, RegExp][] = [
  ['not JSON', '{"$id": "x",', /specs\/p\/schemas\/a\.json is not valid JSON/],
  ['no $id', '{"type": "object"}', /specs\/p\/schemas\/a\.json has no \$id/],
  [
    'an unknown keyword',
    '{"$id": "https://x/a.json", "type": "object", "requird": ["a"]}',
    /a\.json (is not a valid schema|does not compile).*requird/,
  ],
  [
    'a dangling $ref',
    '{"$id": "https://x/a.json", "$ref": "missing.json"}',
    /a\.json does not compile.*missing\.json/,
  ],
];

for (const [what, text, message] of MALFORMED) {
  test(`a schema with ${what} is a SpecError naming the file`, () => {
    const root = specsWith('a.json', text);
    expect(() => loadSchemas('p', root)).toThrow(SpecError);
    expect(() => loadSchemas('p', root)).toThrow(message);
  });
}

test('a missing schemas folder is a SpecError', () => {
  expect(() => loadSchemas('nope', scratch())).toThrow(/specs\/nope\/schemas\/ is missing/);
});

test('the shipped OneNET schemas load and compile', () => {
  expect(loadSchemas('onenet').validator('push.json')).toBeInstanceOf(Function);
});
