// Issue 9's mask overlays: an image+mask+variance MEF (testdata/mask, laid out like a Rubin calexp)
// opened with openFITS; img.masks() lists the MASK HDU's MP_ bit names with pixel counts equal to a
// count made here in Node from the file's bytes; showMask draws one bit in a pure colour at opacity 1
// (the canvas is that colour where the bit is set and exactly the no-mask frame elsewhere, also with
// the image split into several textures); hideMask restores the frame and frees the texture; a mask
// of another shape is refused naming both shapes; bits without MP_ names come from the data; the
// FITS panel's Mask section shows a plane when its checkbox is ticked; no WebGL object is left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, waitIdle, grab, ARTIFACTS, GL_COUNTER } from './lib.mjs';

const FILE = path.resolve(import.meta.dirname, '..', 'testdata', 'mask', 'sha_img_image_mask_variance.fits');
let server, browser, page, log;

// Reads every HDU of a FITS file: header cards (values as strings) and the raw data bytes.
function readHDUs(buf) {
  const hdus = [];
  let off = 0;
  while (off < buf.length) {
    const cards = {};
    let end = false;
    while (!end) {
      for (let i = 0; i < 36; i++, off += 80) {
        const c = buf.toString('latin1', off, off + 80);
        if (c.startsWith('END     ')) end = true;
        const m = /^HIERARCH +([^=]+?) *= *(.*)$/.exec(c); // long keywords (MP_DETECTED) are HIERARCH cards
        const [k, v] = m ? [m[1], m[2]] : c[8] === '=' ? [c.slice(0, 8).trim(), c.slice(10)] : [];
        if (k) cards[k] = v.replace(/\/.*$/, '').trim().replace(/^'(.*)'$/, '$1').trim();
      }
    }
    const naxis = +cards.NAXIS, axes = [];
    for (let k = 1; k <= naxis; k++) axes.push(+cards['NAXIS' + k]);
    const n = naxis ? axes.reduce((a, b) => a * b, 1) : 0, size = n * Math.abs(+cards.BITPIX) / 8;
    hdus.push({ cards, axes, data: buf.subarray(off, off + size) });
    off += Math.ceil(size / 2880) * 2880;
  }
  return hdus;
}

// A small MEF built here: a 4×3 float image, then an int16 image of the same shape with no
// EXTNAME or MP_ keywords (a mask by shape), then a 2×2 int32 'MASK' (the wrong shape).
function smallMEF() {
  const card = (k, v) => (k.padEnd(8) + (v === undefined ? '' : '= ' + String(v).padStart(20))).padEnd(80);
  const block = (cards, data) => {
    let h = [...cards, 'END'.padEnd(80)].join('');
    h = h.padEnd(Math.ceil(h.length / 2880) * 2880);
    const d = Buffer.alloc(Math.ceil(data.length / 2880) * 2880);
    data.copy(d);
    return Buffer.concat([Buffer.from(h, 'latin1'), d]);
  };
  const ext = (bitpix, w, h, name) => [card('XTENSION', "'IMAGE   '"), card('BITPIX', bitpix), card('NAXIS', 2), card('NAXIS1', w), card('NAXIS2', h),
    card('PCOUNT', 0), card('GCOUNT', 1), ...(name ? [card('EXTNAME', `'${name.padEnd(8)}'`)] : [])];
  const img = Buffer.alloc(48), flags = Buffer.alloc(24), bad = Buffer.alloc(16);
  for (let i = 0; i < 12; i++) img.writeFloatBE(i, 4 * i);
  [0, 1, 4, 5, 4, 0, 0, 16, 1, 0, 0, 5].forEach((v, i) => flags.writeInt16BE(v, 2 * i)); // bits 0 ×4, 2 ×4, 4 ×1
  return Buffer.concat([
    block([card('SIMPLE', 'T'), card('BITPIX', 8), card('NAXIS', 0), card('EXTEND', 'T')], Buffer.alloc(0)),
    block(ext(-32, 4, 3, 'SCI'), img), block(ext(16, 4, 3), flags), block(ext(32, 2, 2, 'MASK'), bad),
  ]);
}

const hdus = readHDUs(fs.readFileSync(FILE));
const maskHDU = hdus.findIndex(h => h.cards.EXTNAME === 'MASK');
const W = hdus[maskHDU].axes[0], H = hdus[maskHDU].axes[1];
const flags = Int32Array.from({ length: W * H }, (_, i) => hdus[maskHDU].data.readInt32BE(4 * i));
const names = Object.entries(hdus[maskHDU].cards).filter(([k]) => k.startsWith('MP_')).map(([k, v]) => ({ bit: +v, name: k.slice(3) })).sort((a, b) => a.bit - b.bit);
const count = bit => flags.reduce((n, v) => n + ((v >>> bit) & 1), 0);
// FITS pixels (1-based) whose 3×3 neighbourhood's flags all satisfy pred.
function pixelsWhere(pred, n) {
  const out = [];
  for (let y = 3; y <= H - 2 && out.length < n; y += 3) for (let x = 3; x <= W - 2 && out.length < n; x += 3) {
    let ok = true;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (!pred(flags[(y - 1 + dy) * W + x - 1 + dx])) ok = false;
    if (ok) out.push([x, y]);
  }
  return out;
}
// Pixels where the bit is set (set = true) or not set, with their neighbours.
const pixels = (bit, set, n) => pixelsWhere(f => (((f >>> bit) & 1) === 1) === set, n);

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer([FILE]);
  ({ page, log, ...browser } = await launch());
  await page.goto(server.url);
  await waitIdle(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the test file: an image+mask+variance MEF with MP_ bit names', () => {
  assert.deepEqual(hdus.map(h => h.cards.EXTNAME), [undefined, 'IMAGE', 'MASK', 'VARIANCE']);
  assert.deepEqual(names.map(p => p.name), ['BAD', 'SAT', 'INTRP', 'CR', 'EDGE', 'DETECTED', 'DETECTED_NEGATIVE', 'SUSPECT', 'NO_DATA']);
  // The numbers tools/makemask printed: NO_DATA = the image's NaN pixels, SAT > 2500, DETECTED > 1500.
  assert.deepEqual([count(8), count(1), count(5)], [4068, 1706, 3883]);
});

test('masks(): the MASK HDU with its MP_ bit names and pixel counts; info() marks it', async () => {
  const r = await page.evaluate(async () => {
    const img = await window.viewer.v.openFITS('/files/sha_img_image_mask_variance.fits');
    const out = { masks: await img.masks(), hdus: img.info().hdus.map(h => [h.name, h.mask]), hdu: img.info().hdu };
    img.remove();
    return out;
  });
  assert.equal(r.hdu, 1);
  assert.deepEqual(r.hdus, [['', false], ['IMAGE', false], ['MASK', true], ['VARIANCE', false]]);
  assert.equal(r.masks.length, 1);
  assert.deepEqual([r.masks[0].hdu, r.masks[0].name, r.masks[0].shape], [maskHDU, 'MASK', [W, H]]);
  assert.deepEqual(r.masks[0].bits, names.map(p => ({ bit: p.bit, name: p.name, count: count(p.bit) })));
});

for (const maxTexture of [undefined, 50]) {
  test(`showMask: SAT in pure red at opacity 1 where set, the frame unchanged elsewhere; hideMask restores it${maxTexture ? ' (textures of 50 pixels)' : ''}`, async () => {
    const r = await page.evaluate(async mt => {
      const v = window.viewer.v;
      for (const im of v.images()) im.remove();
      const img = await v.openFITS('/files/sha_img_image_mask_variance.fits', mt ? { maxTexture: mt } : {});
      const inf = img.info();
      v.goto(inf.center[0], inf.center[1], { fov: inf.size * 1.3 });
      window.__img = img;
      return { gpu: v.gpuBytes() };
    }, maxTexture);
    await waitIdle(page);
    const before = await grab(page);
    await page.evaluate(() => window.__img.showMask({ planes: [{ bit: 1, color: '#ff0000' }], opacity: 1 }));
    await waitIdle(page);
    const shown = await grab(page);
    const st = await page.evaluate(() => ({ mask: window.__img.getMask(), gpu: window.viewer.v.gpuBytes() }));
    assert.deepEqual(st.mask, { hdu: maskHDU, planes: [{ bit: 1, color: '#ff0000' }], opacity: 1 });
    assert.equal(st.gpu - r.gpu, W * H * 4, 'one R32UI texture of the mask');
    const toCanvas = ps => page.evaluate(ps => ps.map(([x, y]) => window.viewer.v.worldToPixel(...window.__img.pixelToWorld(x, y))), ps);
    const on = await toCanvas(pixels(1, true, 12)), off = await toCanvas(pixels(1, false, 12));
    assert.ok(on.length >= 8 && off.length >= 8);
    for (const [x, y] of on) assert.deepEqual(shown.px(x, y).slice(0, 3), [255, 0, 0], `SAT pixel at canvas (${x}, ${y})`);
    for (const [x, y] of off) assert.deepEqual(shown.px(x, y), before.px(x, y), `pixel without SAT at canvas (${x}, ${y})`);
    // Over the whole frame: every pixel that changed became pure red, and about as many as SAT covers.
    let changed = 0, notRed = 0;
    for (let i = 0; i < shown.raw.length; i += 4) {
      if (shown.raw[i] !== before.raw[i] || shown.raw[i + 1] !== before.raw[i + 1] || shown.raw[i + 2] !== before.raw[i + 2]) {
        changed++;
        if (shown.raw[i] !== 255 || shown.raw[i + 1] !== 0 || shown.raw[i + 2] !== 0) notRed++;
      }
    }
    assert.equal(notRed, 0);
    assert.ok(changed > 1000, `${changed} pixels changed`);
    if (!maxTexture) await page.screenshot({ path: path.join(ARTIFACTS, 'mask-sat-red.png') });
    const g = await page.evaluate(() => { window.__img.hideMask(); return { mask: window.__img.getMask(), gpu: window.viewer.v.gpuBytes() }; });
    assert.equal(g.mask, null);
    assert.equal(g.gpu, r.gpu, 'the mask texture is freed');
    await waitIdle(page);
    const back = await grab(page);
    assert.ok(back.raw.equals(before.raw), 'hideMask restores the frame');
  });
}

test('two planes over each other: the later on top; opacity blends each over the one below; restyling reads nothing', async () => {
  await waitIdle(page);
  const before = await grab(page);
  const toCanvas = ps => page.evaluate(ps => ps.map(([x, y]) => window.viewer.v.worldToPixel(...window.__img.pixelToWorld(x, y))), ps);
  const both = await toCanvas(pixelsWhere(f => (f & 0b100010) === 0b100010, 8)); // SAT and DETECTED
  const det = await toCanvas(pixelsWhere(f => (f & 0b100010) === 0b100000, 8)); // DETECTED only
  assert.ok(both.length >= 4 && det.length >= 4);
  const show = async opacity => {
    await page.evaluate(op => window.__img.showMask({ planes: [{ bit: 5, color: [0, 0, 255] }, { bit: 1, color: 'red' }], opacity: op }), opacity);
    await waitIdle(page);
    return grab(page);
  };
  const near = (a, b, what) => { for (let k = 0; k < 3; k++) assert.ok(Math.abs(a[k] - b[k]) <= 1.5, `${what}: ${a.slice(0, 3)} vs ${b.map(x => x.toFixed(1))}`); };
  const full = await show(1);
  for (const [x, y] of both) near(full.px(x, y), [255, 0, 0], 'SAT over DETECTED');
  for (const [x, y] of det) near(full.px(x, y), [0, 0, 255], 'DETECTED');
  const half = await show(0.5);
  for (const [x, y] of both) { const b = before.px(x, y); near(half.px(x, y), [0, 1, 2].map(k => [255, 0, 0][k] * 0.5 + ([0, 0, 255][k] * 0.5 + b[k] * 0.5) * 0.5), 'red over blue over the image'); }
  for (const [x, y] of det) { const b = before.px(x, y); near(half.px(x, y), [0, 1, 2].map(k => [0, 0, 255][k] * 0.5 + b[k] * 0.5), 'blue over the image'); }
  await page.screenshot({ path: path.join(ARTIFACTS, 'mask-two-planes.png') });
  const r = await page.evaluate(async () => {
    const img = window.__img, a = img.getMask();
    // Restyling the HDU already read: the bridge answers at once, without the file.
    const sync = window.viewer.v._h.showImageMask(img.id, { hdu: a.hdu, planes: [{ bit: 5, color: [0, 1, 0] }], opacity: 0.5 }, null, '');
    img.hideMask();
    return { a, sync };
  });
  assert.deepEqual(r.a.planes, [{ bit: 5, color: '#0000ff' }, { bit: 1, color: '#ff0000' }]);
  assert.equal(r.a.opacity, 0.5);
  assert.equal(r.sync, null);
});

test('a mask of another shape is refused naming both shapes; bits without names come from the data', async () => {
  const r = await page.evaluate(async b => {
    const v = window.viewer.v;
    const img = await v.openFITS(new Uint8Array(b), { name: 'small.fits' });
    const out = { masks: await img.masks() };
    try { await img.showMask({ hdu: 3, planes: [{ bit: 0, color: 'red' }] }); out.err = null; } catch (e) { out.err = e.message; }
    try { await img.showMask({ hdu: 2, planes: Array.from({ length: 9 }, (_, i) => ({ bit: i })) }); } catch (e) { out.err9 = e.message; }
    await img.showMask({ hdu: 2, planes: [{ bit: 2, color: 'red' }] });
    out.shown = img.getMask();
    img.remove();
    return out;
  }, [...smallMEF()]);
  assert.deepEqual(r.masks.map(m => [m.hdu, m.name, m.shape]), [[2, '', [4, 3]], [3, 'MASK', [2, 2]]]);
  assert.deepEqual(r.masks[0].bits, [{ bit: 0, name: 'bit 0', count: 4 }, { bit: 2, name: 'bit 2', count: 4 }, { bit: 4, name: 'bit 4', count: 1 }]);
  assert.deepEqual(r.masks[1].bits, []);
  assert.match(r.err, /small\.fits: mask HDU 3 \(MASK\) is 2×2 but the image \(HDU 1\) is 4×3/);
  assert.match(r.err9, /9 planes, at most 8/);
  assert.equal(r.shown.planes[0].bit, 2);
});

test('FITS panel: the Mask section lists the planes; ticking SAT shows it', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v, root = v._root;
    for (const im of v.images()) im.remove();
    const img = await v.openFITS('/files/sha_img_image_mask_variance.fits');
    const inf = img.info();
    v.goto(inf.center[0], inf.center[1], { fov: inf.size * 1.3 });
    window.__img = img;
    root.focus();
    root.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', bubbles: true }));
    const panel = root.querySelector('.skyglass-fits-panel'), q = k => panel.querySelector(`[data-k=${k}]`);
    for (let i = 0; i < 100 && !q('maskrows').querySelector('[data-bit]'); i++) await new Promise(r => setTimeout(r, 20));
    const rows = [...q('maskrows').querySelectorAll('[data-bit]')];
    return {
      shown: q('maskbox').style.display, hdu: q('maskhdu').value, op: q('maskop').value,
      rows: rows.map(r => ({ bit: +r.dataset.bit, name: r.children[2].textContent, count: r.children[3].textContent, color: r.children[1].value })),
    };
  });
  assert.equal(r.shown, '');
  assert.equal(+r.hdu, maskHDU);
  assert.deepEqual(r.rows.map(x => [x.bit, x.name, x.count]), names.map(p => [p.bit, p.name, count(p.bit).toLocaleString('en')]));
  assert.equal(new Set(r.rows.map(x => x.color)).size, r.rows.length, 'a distinct default colour per bit');
  await waitIdle(page);
  const before = await grab(page);
  const m = await page.evaluate(async () => {
    const panel = window.viewer.v._root.querySelector('.skyglass-fits-panel');
    const cb = panel.querySelector('[data-k=maskrows] [data-bit="1"] input[type=checkbox]');
    cb.checked = true;
    cb.dispatchEvent(new Event('change', { bubbles: true }));
    for (let i = 0; i < 50 && !window.__img.getMask(); i++) await new Promise(r => setTimeout(r, 20));
    return window.__img.getMask();
  });
  const sat = r.rows.find(x => x.bit === 1).color;
  assert.deepEqual(m, { hdu: maskHDU, planes: [{ bit: 1, color: sat }], opacity: 0.5 });
  await waitIdle(page);
  const after = await grab(page);
  const c = await page.evaluate(ps => ps.map(([x, y]) => window.viewer.v.worldToPixel(...window.__img.pixelToWorld(x, y))), pixels(1, true, 6));
  const rgb = [1, 3, 5].map(i => parseInt(sat.slice(i, i + 2), 16));
  for (const [x, y] of c) {
    const b = before.px(x, y), a = after.px(x, y);
    // Half the plane's colour over the image (±1 for rounding).
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(a[k] - (rgb[k] * 0.5 + b[k] * 0.5)) <= 1.5, `channel ${k} at (${x}, ${y}): ${a} over ${b}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'mask-panel.png') });
  // Unticking hides it.
  const off = await page.evaluate(async () => {
    const cb = window.viewer.v._root.querySelector('.skyglass-fits-panel [data-k=maskrows] [data-bit="1"] input[type=checkbox]');
    cb.checked = false;
    cb.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise(r => setTimeout(r, 50));
    return window.__img.getMask();
  });
  assert.equal(off, null);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.consoleErrors, []);
});

test('WebGL objects: hideMask deletes the mask texture; destroy leaves none (the mask program included)', async () => {
  const b = await launch();
  try {
    // Counts live WebGL objects per canvas (lib.mjs GL_COUNTER).
    await b.page.addInitScript(GL_COUNTER);
    await b.page.goto(server.url);
    await waitIdle(b.page);
    const r = await b.page.evaluate(async () => {
      const v = window.viewer.v, c = v.canvas;
      const img = await v.openFITS('/files/sha_img_image_mask_variance.fits');
      const inf = img.info();
      v.goto(inf.center[0], inf.center[1], { fov: inf.size * 1.3 });
      await v.whenIdle();
      await v.exportPNG();
      const n0 = window.__glLive(c);
      await img.showMask({ planes: [{ bit: 8, color: 'orange' }], opacity: 0.7 });
      await v.exportPNG(); // draws the frame
      const n1 = window.__glLive(c);
      img.hideMask();
      const n2 = window.__glLive(c);
      await img.showMask({ planes: [{ bit: 8, color: 'orange' }] });
      v.destroy();
      return { n0, n1, n2, after: window.__glLive(c) };
    });
    assert.equal(r.n1, r.n0 + 2, `mask texture and program: ${JSON.stringify(r)}`);
    assert.equal(r.n2, r.n0 + 1, 'hideMask deletes the texture (the program stays for the next mask)');
    assert.equal(r.after, 0, 'WebGL objects left after destroy');
    assert.deepEqual(b.log.pageErrors, []);
  } finally { await b.close(); }
});
