/** The box's alerts are valid against the published schemas, carry real JPEGs, and reproduce from the seed. */
import { expect, test } from '@playwright/test';
import { createRng } from '../../src/core/rng.ts';
import { loadSchemas } from '../../src/core/schemas.ts';
import { EdgeBox } from '../../src/protocols/alertpush/messages.ts';

const schemas = loadSchemas('alertpush');

test('an alert matches alert.json, its image is the JPEG, its boxes lie inside the frame', () => {
  const box = new EdgeBox('12345678', createRng(1, 't'));
  const a = box.alert('medium');
  expect(schemas.validator('alert.json')(a.body)).toBe(true);
  expect(Buffer.from(a.body.image, 'base64').equals(a.jpeg)).toBe(true);
  expect([...a.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  expect(a.body.id.startsWith(a.marker)).toBe(true);
  expect(a.body.id).toHaveLength(24);
  expect(Number.isInteger(a.body.alert_time)).toBe(false);
  for (const r of a.body.reserved_data.bbox.rectangles) {
    expect(r.xyxy[2]).toBeLessThanOrEqual(640);
    expect(r.xyxy[3]).toBeLessThanOrEqual(360);
  }
  expect(JSON.parse(a.json)).toEqual(a.body);
});

test('a video alert matches video-alert.json and carries an AVI clip', () => {
  const v = new EdgeBox('12345678', createRng(2, 't')).videoAlert();
  expect(schemas.validator('video-alert.json')(v.body)).toBe(true);
  expect(v.clip.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect('image' in v.body).toBe(false);
});

test('the same seed and label give the same alert; another label another', () => {
  const a = new EdgeBox('1', createRng(9, 'case')).alert();
  const b = new EdgeBox('1', createRng(9, 'case')).alert();
  const c = new EdgeBox('1', createRng(9, 'other')).alert();
  expect({ ...a.body, alert_time: 0 }).toEqual({ ...b.body, alert_time: 0 });
  expect(c.body.id).not.toBe(a.body.id);
});

test('the schemas refuse what the box never sends', () => {
  const a = new EdgeBox('1', createRng(3, 't')).alert();
  const validate = schemas.validator('alert.json');
  expect(validate({ ...a.body, image: `data:image/jpeg;base64,${a.body.image}` })).toBe(false);
  expect(validate({ ...a.body, image: a.body.image.slice(0, -1) })).toBe(false);
  expect(validate({ ...a.body, alert_time: '1742458171.8' })).toBe(false);
  expect(validate(Object.fromEntries(Object.entries(a.body).filter(([k]) => k !== 'image')))).toBe(false);
  expect(schemas.validator('token.json')('abc"def')).toBe(false);
});
