// Issue 9, the FITS panel and display tools: img.histogram() against a count made here in
// Node from the file's bytes; info().axis3 on a synthetic WAVE-LOG cube (built below; values
// per WCS Paper III: S = Sr·exp(w/Sr)); colorbar limits against getStretch; header search;
// the panel (controls option / key f) with HDU picker, plane slider, interval presets;
// right-drag contrast/bias changing the canvas; two images with their own stretches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, waitIdle, grab, meanBrightness, ARTIFACTS } from './lib.mjs';

const TD = path.resolve(import.meta.dirname, '..', 'testdata', 'fits');
let server, browser, page, log;

// Reads the primary HDU of a FITS file: header cards and physical values (float32, as the
// viewer holds them). Handles BITPIX 8/16/32/-32/-64, BSCALE/BZERO, BLANK.
function readPrimary(buf) {
  const cards = {};
  let off = 0, end = false;
  while (!end) {
    for (let i = 0; i < 36; i++, off += 80) {
      const c = buf.toString('latin1', off, off + 80);
      if (c.startsWith('END     ')) { end = true; }
      if (c[8] === '=') cards[c.slice(0, 8).trim()] = c.slice(10).replace(/\/.*$/, '').trim().replace(/^'(.*)'$/, '$1').trim();
    }
  }
  const bitpix = +cards.BITPIX, n = +cards.NAXIS1 * +cards.NAXIS2;
  const bs = cards.BSCALE ? +cards.BSCALE : 1, bz = cards.BZERO ? +cards.BZERO : 0, blank = cards.BLANK;
  const out = new Float32Array(n), dv = new DataView(buf.buffer, buf.byteOffset + off);
  for (let i = 0; i < n; i++) {
    let x;
    switch (bitpix) {
      case 8: x = dv.getUint8(i); break;
      case 16: x = dv.getInt16(2 * i); break;
      case 32: x = dv.getInt32(4 * i); break;
      case -32: x = dv.getFloat32(4 * i); break;
      case -64: x = dv.getFloat64(8 * i); break;
      default: throw new Error(`BITPIX ${bitpix}`);
    }
    out[i] = bitpix > 0 && blank !== undefined && x === +blank ? NaN : x * bs + bz;
  }
  return { cards, data: out };
}

// A synthetic 4×3×5 float32 cube with a logarithmic wavelength axis (WCS Paper III -LOG).
function logCube() {
  const card = (k, v) => (k.padEnd(8) + (v === undefined ? '' : '= ' + String(v).padStart(20))).padEnd(80);
  const cards = [card('SIMPLE', 'T'), card('BITPIX', -32), card('NAXIS', 3), card('NAXIS1', 4), card('NAXIS2', 3), card('NAXIS3', 5),
    card('CTYPE3', "'WAVE-LOG'"), card('CUNIT3', "'Angstrom'"), card('CRVAL3', 5000), card('CDELT3', 50), card('CRPIX3', 2), card('BUNIT', "'erg/s/cm2/A'"), 'END'.padEnd(80)];
  let h = cards.join('');
  h = h.padEnd(Math.ceil(h.length / 2880) * 2880);
  const data = Buffer.alloc(Math.ceil(4 * 60 / 2880) * 2880);
  for (let i = 0; i < 60; i++) data.writeFloatBE(i * 0.5, 4 * i);
  return Buffer.concat([Buffer.from(h, 'latin1'), data]);
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer(['astroquery_sha_img.fits', 'astropy_arange.fits', 'astroquery_candels_3band.fits', 'derived_sha_img_int16_blank.fits'].map(f => path.join(TD, f)));
  ({ page, log, ...browser } = await launch());
  await page.goto(server.url);
  await waitIdle(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('histogram: counts equal a count made from the file', async () => {
  for (const file of ['astroquery_sha_img.fits', 'derived_sha_img_int16_blank.fits']) {
    const { data } = readPrimary(fs.readFileSync(path.join(TD, file)));
    const r = await page.evaluate(async f => {
      const img = await window.viewer.v.openFITS('/files/' + f);
      const out = { all: img.histogram({ bins: 64 }), part: img.histogram({ bins: 10, min: 0, max: 20 }) };
      img.remove();
      return out;
    }, file);
    let mn = Infinity, mx = -Infinity, blank = 0;
    for (const x of data) { if (x !== x) blank++; else { mn = Math.min(mn, x); mx = Math.max(mx, x); } }
    assert.equal(r.all.lo, mn); assert.equal(r.all.hi, mx);
    const count = (bins, lo, hi) => {
      const c = new Array(bins).fill(0); let below = 0, above = 0;
      for (const x of data) {
        if (x !== x) continue;
        if (x < lo) below++; else if (x > hi) above++; else c[Math.min(bins - 1, Math.floor((x - lo) * (bins / (hi - lo))))]++;
      }
      return { c, below, above };
    };
    const a = count(64, mn, mx), p = count(10, 0, 20);
    assert.deepEqual(r.all.counts, a.c, file);
    assert.equal(r.all.blank, blank);
    assert.deepEqual(r.part.counts, p.c, file);
    assert.equal(r.part.below, p.below); assert.equal(r.part.above, p.above);
    assert.equal(r.all.counts.reduce((s, x) => s + x, 0) + blank, data.length);
  }
});

test('axis3: WAVE-LOG cube world coordinates (Paper III) in info() and the plane slider', async () => {
  const bytes = [...logCube()];
  const r = await page.evaluate(async b => {
    const v = window.viewer.v;
    const img = await v.openFITS(new Uint8Array(b), { name: 'logcube.fits' });
    v._fitsPanel.toggle(true);
    await img.setPlane(3);
    v._fitsPanel.refresh();
    const label = v._root.querySelector('.skyglass-fits-panel [data-k=planelabel]').textContent;
    const out = { axis3: img.info().axis3, label, hist: img.histogram({ bins: 5 }) };
    v._fitsPanel.toggle(false);
    img.remove();
    return out;
  }, bytes);
  assert.equal(r.axis3.ctype, 'WAVE-LOG');
  assert.equal(r.axis3.cunit, 'Angstrom');
  const want = [0, 1, 2, 3, 4].map(p => 5000 * Math.exp(50 * (p + 1 - 2) / 5000));
  r.axis3.values.forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-9, `plane ${i}: ${x} vs ${want[i]}`));
  assert.equal(r.label, `4/5 · WAVE-LOG = ${+want[3].toPrecision(6)} Angstrom`);
  // Plane 3 holds values 18..23.5 (i·0.5 for i = 36..47).
  assert.equal(r.hist.lo, 18); assert.equal(r.hist.hi, 23.5);
});
