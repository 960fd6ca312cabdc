/** A malformed spec is reported by file, in words, before any case runs. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkSchemas, loadSchemas, PACKAGE_ROOT, SpecError } from '../src/core/schemas.ts';
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
    expect(() => checkSchemas('p', root)).toThrow(SpecError);
    expect(() => checkSchemas('p', root)).toThrow(message);
  });
}

for (const [what, text, message] of MALFORMED.slice(2)) {
  test(`a schema with ${what} loads, and is a SpecError naming the file when its validator is asked for`, () => {
    const schemas = loadSchemas('p', specsWith('a.json', text));
    expect(schemas.files).toEqual(['a.json']);
    for (const get of [() => schemas.validator('a.json'), () => schemas.quickValidator('a.json')]) {
      expect(get).toThrow(SpecError);
      expect(get).toThrow(message);
    }
  });
}

test('a file with no schema is a SpecError', () => {
  const schemas = loadSchemas('onenet');
  expect(() => schemas.validator('nope.json')).toThrow(/specs\/onenet\/schemas\/nope\.json does not exist/);
  expect(() => schemas.quickValidator('nope.json')).toThrow(/nope\.json does not exist/);
});

test('a missing schemas folder is a SpecError', () => {
  expect(() => loadSchemas('nope', scratch())).toThrow(/specs\/nope\/schemas\/ is missing/);
});

test('every shipped spec compiles, and a validator is compiled once', () => {
  const specs = readdirSync(join(PACKAGE_ROOT, 'specs')).filter((d) =>
    existsSync(join(PACKAGE_ROOT, 'specs', d, 'schemas')),
  );
  expect(specs).toContain('onenet');
  for (const profile of specs) expect(() => checkSchemas(profile), profile).not.toThrow();
  const onenet = loadSchemas('onenet');
  const validate = onenet.validator('push.json');
  expect(onenet.validator('push.json')).toBe(validate);
  expect(validate({})).toBe(false);
});

test('a spec that passed the check is checked again once one of its files changes', () => {
  const root = specsWith('a.json', '{"$id": "https://x/a.json", "type": "object"}');
  checkSchemas('p', root);
  // The second check of the same bytes is answered from the record of the first.
  expect(() => checkSchemas('p', root)).not.toThrow();
  writeFileSync(join(root, 'p', 'schemas', 'a.json'), '{"$id": "https://x/a.json", "type": "objet"}');
  expect(() => checkSchemas('p', root)).toThrow(/a\.json (is not a valid schema|does not compile)/);
  writeFileSync(join(root, 'p', 'schemas', 'b.json'), '{"$id": "https://x/b.json", "$ref": "nope.json"}');
  writeFileSync(join(root, 'p', 'schemas', 'a.json'), '{"$id": "https://x/a.json", "type": "object"}');
  expect(() => checkSchemas('p', root)).toThrow(/b\.json does not compile/);
});
