// The pixel comparison of scripts/visual.mjs: PNG round trip and verdicts.
//   node --test tests/visual/
import test from 'node:test';
import assert from 'node:assert/strict';
import { decodePng, encodePng, compareImages } from '../../scripts/visual.mjs';

/** A width × height RGBA image, white, with fill(x, y) → [r, g, b, a] | undefined painted on. */
function image(width, height, fill = () => undefined) {
  const data = Buffer.alloc(width * height * 4, 255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const c = fill(x, y);
    if (c) data.set(c, (y * width + x) * 4);
  }
  return { width, height, data };
}

const line = (row) => (x, y) => (y === row ? [0, 97, 160, 255] : undefined);

test('PNG encode/decode round trip', () => {
  const img = image(37, 23, (x, y) => [(x * 7) & 255, (y * 11) & 255, (x * y) & 255, (x + y) % 2 ? 255 : 128]);
  const back = decodePng(encodePng(img));
  assert.equal(back.width, 37);
  assert.equal(back.height, 23);
  assert.ok(back.data.equals(img.data));
});

test('identical images', () => {
  assert.equal(compareImages(image(50, 40, line(10)), image(50, 40, line(10))).verdict, 'identical');
});

test('a moved line is DIFFERENT', () => {
  const r = compareImages(image(50, 40, line(10)), image(50, 40, line(12)));
  assert.equal(r.verdict, 'DIFFERENT');
  assert.equal(r.differing, 100);
});

test('a few faint isolated pixels are anti-aliasing only', () => {
  const r = compareImages(image(100, 100), image(100, 100, (x, y) => (x === 10 && y % 20 === 0 ? [220, 220, 220, 255] : undefined)));
  assert.equal(r.verdict, 'anti-aliasing only');
  assert.equal(r.differing, 5);
});

test('one unit off on a few pixels is within tolerance; everywhere, DIFFERENT', () => {
  const few = compareImages(image(100, 100), image(100, 100, (x, y) => (x === 3 && y === 4 ? [254, 255, 255, 255] : undefined)));
  assert.equal(few.verdict, 'within tolerance');
  const all = compareImages(image(100, 100), image(100, 100, () => [254, 255, 255, 255]));
  assert.equal(all.verdict, 'DIFFERENT');
});

test('different sizes are DIFFERENT', () => {
  assert.equal(compareImages(image(10, 10), image(10, 11)).verdict, 'DIFFERENT');
});
