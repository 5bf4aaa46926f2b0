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

test('panel: key f, colorbar = getStretch limits + BUNIT, presets, header search, HDU picker', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v, root = v._root;
    const img = await v.openFITS('/files/astroquery_sha_img.fits');
    const info = img.info();
    v.goto(info.center[0], info.center[1], { fov: info.size * 1.6 });
    const panel = root.querySelector('.skyglass-fits-panel');
    const q = k => panel.querySelector(`[data-k=${k}]`);
    const out = { hidden0: panel.style.display };
    root.focus();
    root.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', bubbles: true }));
    out.shown = panel.style.display;
    out.inPanel = document.querySelectorAll('.skyglass-fits-panel').length === 1 && root.contains(panel);
    const cb = q('colorbar');
    out.bar0 = { lo: +cb.dataset.lo, hi: +cb.dataset.hi, bunit: cb.dataset.bunit, st: img.getStretch(), info: img.info() };
    // Interval preset through the panel's select.
    q('interval').value = '99';
    q('interval').dispatchEvent(new Event('change'));
    await new Promise(r => setTimeout(r, 50));
    out.bar99 = { lo: +cb.dataset.lo, hi: +cb.dataset.hi, st: img.getStretch(), limits: img.info().limits };
    // Manual limits.
    q('interval').value = 'manual'; q('min').value = '1'; q('max').value = '40';
    q('interval').dispatchEvent(new Event('change'));
    await new Promise(r => setTimeout(r, 50));
    out.barManual = { lo: +cb.dataset.lo, hi: +cb.dataset.hi, st: img.getStretch() };
    q('colormap').value = 'viridis'; q('colormap').dispatchEvent(new Event('change'));
    q('stretch').value = 'asinh'; q('stretch').dispatchEvent(new Event('change'));
    q('interval').value = 'zscale'; q('interval').dispatchEvent(new Event('change'));
    await new Promise(r => setTimeout(r, 50));
    out.st2 = img.getStretch();
    q('search').value = 'crval';
    q('search').dispatchEvent(new Event('input'));
    out.search = { shown: q('header').textContent, n: q('nmatch').textContent, api: img.searchHeader('CRVAL') };
    out.hduOptions = [...q('hdu').options].map(o => o.textContent);
    out.histLimits = panel.querySelector('[data-k=hist]').width;
    return out;
  });
  assert.equal(r.hidden0, 'none');
  assert.equal(r.shown, '');
  assert.ok(r.inPanel);
  assert.deepEqual([r.bar0.lo, r.bar0.hi], r.bar0.info.limits);
  assert.equal(r.bar0.st.interval, 'zscale');
  assert.equal(r.bar0.bunit, r.bar0.info.bunit);
  assert.equal(r.bar99.st.interval, 'percentile'); assert.equal(r.bar99.st.percentile, 99);
  assert.deepEqual([r.bar99.lo, r.bar99.hi], r.bar99.limits);
  assert.notDeepEqual([r.bar99.lo, r.bar99.hi], [r.bar0.lo, r.bar0.hi]);
  assert.deepEqual([r.barManual.lo, r.barManual.hi], [1, 40]);
  assert.equal(r.barManual.st.interval, 'manual');
  assert.equal(r.st2.colormap, 'viridis'); assert.equal(r.st2.stretch, 'asinh'); assert.equal(r.st2.interval, 'zscale');
  // Header search: CRVAL1 and CRVAL2 (and nothing else) in this file.
  const hdr = fs.readFileSync(path.join(TD, 'astroquery_sha_img.fits'), 'latin1').slice(0, 2880 * 20);
  const want = [];
  for (let o = 0; o < hdr.length; o += 80) { const c = hdr.slice(o, o + 80); if (c.startsWith('END     ')) break; if (/crval/i.test(c)) want.push(c.trimEnd()); }
  assert.ok(want.length >= 2);
  assert.deepEqual(r.search.api.map(c => c.card.trimEnd()), want);
  assert.equal(r.search.shown, want.join('\n'));
  assert.equal(r.search.n, `${want.length} cards`);
  assert.match(r.hduOptions[0], /^0: PRIMARY 128×128 BITPIX -32$/);
  await waitIdle(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fitsui-panel.png') });
});

test('right-drag sets contrast and bias of the top image; the canvas changes', async () => {
  await waitIdle(page);
  const before = await grab(page);
  const box = await page.evaluate(() => { const r = window.viewer.v.canvas.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });
  await page.mouse.move(box.x + box.w * 0.2, box.y + box.h * 0.5);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(box.x + box.w * 0.25, box.y + box.h * 0.3, { steps: 3 });
  await page.mouse.up({ button: 'right' });
  await waitIdle(page);
  const st = await page.evaluate(() => window.viewer.v.images().at(-1).getStretch());
  assert.ok(Math.abs(st.bias - 0.25) < 0.01, `bias ${st.bias}`);
  assert.ok(Math.abs(st.contrast - 7) < 0.1, `contrast ${st.contrast}`);
  const afterImg = await grab(page);
  const b0 = meanBrightness(before, before.w / 2, before.h / 2, 20), b1 = meanBrightness(afterImg, afterImg.w / 2, afterImg.h / 2, 20);
  assert.ok(Math.abs(b1 - b0) > 5, `brightness ${b0} -> ${b1}`);
  // Back to the default: the frame returns to what it was.
  await page.evaluate(() => window.viewer.v.images().at(-1).setStretch({ contrast: 1, bias: 0.5 }));
  await waitIdle(page);
  const back = await grab(page);
  assert.ok(Math.abs(meanBrightness(back, back.w / 2, back.h / 2, 20) - b0) < 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fitsui-contrast.png') });
});

test('two images, each with its own stretch; HDU picker switches HDU; pixel-mode notice', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    for (const im of v.images()) im.remove();
    const a = await v.openFITS('/files/astroquery_sha_img.fits');
    const b = await v.openFITS('/files/derived_sha_img_int16_blank.fits');
    a.setStretch({ interval: 'minmax', colormap: 'viridis' });
    b.setStretch({ interval: { percentile: 95 }, stretch: 'log', invert: true });
    const out = { a: a.getStretch(), b: b.getStretch(), al: a.info().limits, bl: b.info().limits };
    a.remove(); b.remove();
    const c = await v.openFITS('/files/astroquery_candels_3band.fits');
    const root = v._root, panel = root.querySelector('.skyglass-fits-panel');
    const sel = panel.querySelector('[data-k=hdu]');
    out.opts = [...sel.options].map(o => o.textContent);
    out.hdu0 = c.info().hdu;
    sel.value = '2'; sel.dispatchEvent(new Event('change'));
    for (let i = 0; i < 50 && c.info().hdu !== 2; i++) await new Promise(r => setTimeout(r, 20));
    out.hdu1 = c.info().hdu; out.selAfter = sel.value; out.n = v.images().length;
    c.remove();
    const d = await v.openFITS('/files/astropy_arange.fits');
    out.notice = { pixel: d.info().pixelMode, text: root.querySelector('.skyglass-fits-notice').textContent, shown: root.querySelector('.skyglass-fits-notice').style.display };
    d.remove();
    out.noticeGone = root.querySelector('.skyglass-fits-notice').style.display;
    return out;
  });
  assert.equal(r.a.interval, 'minmax'); assert.equal(r.a.colormap, 'viridis'); assert.equal(r.a.invert, false);
  assert.equal(r.b.interval, 'percentile'); assert.equal(r.b.stretch, 'log'); assert.equal(r.b.invert, true);
  assert.notDeepEqual(r.al, r.bl);
  assert.equal(r.opts.length, 4);
  assert.match(r.opts[2], /^2: \S.* IMAGE \d+×\d+ BITPIX -?\d+/, r.opts.join(' | '));
  assert.equal(r.hdu1, 2); assert.equal(r.selAfter, '2'); assert.equal(r.n, 1);
  assert.ok(r.notice.pixel);
  assert.match(r.notice.text, /^astropy_arange\.fits: no usable celestial WCS/);
  assert.equal(r.notice.shown, '');
  assert.equal(r.noticeGone, 'none');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.consoleErrors, []);
});

test('pixel grid mode: image rows horizontal on screen, north-up option, no re-upload, canvas pixels follow', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    for (const im of v.images()) im.remove();
    const img = await v.openFITS('/files/astroquery_sha_img.fits');
    const inf = img.info();
    v.goto(inf.center[0], inf.center[1], { fov: inf.size * 1.6 });
    const [w, h] = inf.shape;
    // Screen positions of the image's pixel corners (1-based FITS pixel coordinates).
    const corners = () => [[1, 1], [w, 1], [1, h]].map(([x, y]) => v.worldToPixel(...img.pixelToWorld(x, y)));
    const gpu0 = v.gpuBytes();
    const out = { wcs: corners() };
    img.setPixelMode(true);
    out.grid = corners(); out.mode = img.pixelMode();
    // What the canvas shows at the screen position of pixel (30, 90) is that pixel's value.
    const s = v.worldToPixel(...img.pixelToWorld(30, 90));
    out.read = img.readoutAt(...v.pixelToWorld(...s));
    img.setPixelMode(true, { northUp: true });
    out.north = corners(); out.mode2 = img.pixelMode();
    img.setPixelMode(false);
    out.back = corners(); out.mode3 = img.pixelMode();
    out.gpu = [gpu0, v.gpuBytes()];
    img.remove();
    return out;
  });
  const ang = (a, b) => Math.atan2(b[1] - a[1], b[0] - a[0]) * 180 / Math.PI;
  // Pixel grid: the first row runs straight right on screen, the first column straight up.
  assert.ok(Math.abs(ang(r.grid[0], r.grid[1])) < 0.1, `row angle ${ang(r.grid[0], r.grid[1])}`);
  assert.ok(Math.abs(ang(r.grid[0], r.grid[2]) + 90) < 0.1, `column angle ${ang(r.grid[0], r.grid[2])}`);
  // The WCS has this image rotated (not axis-aligned), and north-up keeps that orientation.
  const rot = ang(r.wcs[0], r.wcs[1]);
  assert.ok(Math.abs(rot) > 5, `WCS row angle ${rot}`);
  assert.ok(Math.abs(ang(r.north[0], r.north[1]) - rot) < 2, // the linear part at the centre; SIP bends the true row
    `north-up ${ang(r.north[0], r.north[1])} vs ${rot}`);
  assert.deepEqual(r.mode, { on: true, northUp: false });
  assert.deepEqual(r.mode2, { on: true, northUp: true });
  assert.deepEqual(r.mode3, { on: false, northUp: false });
  for (let i = 0; i < 3; i++) for (let k = 0; k < 2; k++) assert.ok(Math.abs(r.back[i][k] - r.wcs[i][k]) < 1e-6);
  assert.equal(Math.round(r.read.x), 30); assert.equal(Math.round(r.read.y), 90);
  assert.equal(r.gpu[0], r.gpu[1]);
});

test('a bad file dropped on the viewer: visible error naming it, the viewer keeps running', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v, el = v._root;
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(2880).fill(32)], 'broken.fits'));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const n = el.querySelector('.skyglass-fits-notice');
    for (let i = 0; i < 100 && n.style.display === 'none'; i++) await new Promise(r => setTimeout(r, 20));
    const img = await v.openFITS('/files/astroquery_sha_img.fits');
    const ok = img.valueAtPixel(10, 10);
    img.remove();
    return { text: n.textContent, shown: n.style.display, ok };
  });
  assert.equal(r.shown, '');
  assert.match(r.text, /broken\.fits/);
  assert.equal(typeof r.ok, 'number');
});
