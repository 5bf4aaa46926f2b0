// Issue 8: the same view drawn by WebGL2 in the browser and by internal/raster on the CPU
// (`viewer render` at the view's own WCS) agree: mean absolute difference <= 2/255 away
// from tile edges, for SIN, TAN, AIT and CAR, on the Mellinger colour HiPS and on the
// dirbe60 FITS tiles with an asinh stretch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, waitIdle, grab, ARTIFACTS } from './lib.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const VIEWER = path.resolve(import.meta.dirname, process.env.VIEWER || '../bin/viewer');
const MELLINGER = path.join(ROOT, 'web/hips/mellinger');
const DIRBE = path.join(ROOT, 'testdata/hips/dirbe60');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'skyglass-raster-'));
let server, b;

before(async () => {
  server = await startServer(['--hips', DIRBE]);
  b = await launch({ width: 640, height: 480 });
});
after(async () => {
  if (b) await b.close();
  if (server) await server.stop();
  fs.rmSync(TMP, { recursive: true, force: true });
});

// Decodes a PNG file in the page (the browser's decoder) to RGBA bytes.
async function decodePNG(page, file) {
  const b64 = fs.readFileSync(file).toString('base64');
  const { w, h, data } = await page.evaluate(async src => {
    const img = new Image(); img.src = 'data:image/png;base64,' + src; await img.decode();
    const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let bin = ''; for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return { w: c.width, h: c.height, data: btoa(bin) };
  }, b64);
  return { w, h, raw: Buffer.from(data, 'base64') };
}

function headerText(cards) {
  return Object.entries(cards).map(([k, v]) => {
    const val = typeof v === 'string' ? `'${v}'` : typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v);
    return `${k.padEnd(8)}= ${val}`;
  }).join('\n') + '\nEND\n';
}

const CASES = [];
for (const proj of ['SIN', 'TAN', 'AIT', 'CAR']) {
  const wide = proj === 'AIT' || proj === 'CAR';
  CASES.push({ name: `mellinger ${proj}`, hips: 'hips/mellinger', dir: MELLINGER, fmt: 'jpeg', proj,
    ra: 266.4, dec: -28.9, fov: wide ? 360 : 60, tileOrder: 3, tileWidth: 128, args: ['--format', 'jpeg', '--order', '3'] });
  CASES.push({ name: `dirbe60 FITS asinh ${proj}`, hips: 'hips/dirbe60', dir: DIRBE, fmt: 'fits', proj,
    ra: 266.4, dec: -28.9, fov: wide ? 360 : 60, tileOrder: 3, tileWidth: 32,
    stretch: { min: 4, max: 400, stretch: 'asinh' }, args: ['--format', 'fits', '--order', '3', '--stretch', 'asinh', '--min', '4', '--max', '400'] });
}

for (const c of CASES) {
  test(`WebGL2 vs internal/raster: ${c.name}`, async () => {
    const { page } = b;
    await page.goto(`${server.url}?hips=${c.hips}&fmt=${c.fmt}&full&proj=${c.proj}&ra=${c.ra}&dec=${c.dec}&fov=${c.fov}`);
    await waitIdle(page);
    if (c.stretch) {
      await page.evaluate(s => window.viewer.v.hipsLayers()[0].setStretch(s), c.stretch);
      await waitIdle(page);
    }
    const view = await page.evaluate(() => window.viewer.v.getView());
    const gl = await grab(page);
    assert.equal(gl.w, view.wcs.NAXIS1, 'canvas and WCS sizes differ (device pixel ratio must be 1)');
    const hdr = path.join(TMP, 'view.hdr');
    fs.writeFileSync(hdr, headerText(view.wcs));
    const out = path.join(TMP, 'cpu.png');
    execFileSync(VIEWER, ['render', '--hips', c.dir, '--wcs', hdr, ...c.args, '-o', out], { stdio: 'pipe' });
    const cpu = await decodePNG(page, out);
    assert.equal(cpu.w, gl.w); assert.equal(cpu.h, gl.h);
    // Pixels on the sky and at least 2 tile pixels away from a tile edge.
    const keep = await page.evaluate(([w, h, order, width]) => {
      const v = window.viewer.v, out = [];
      for (let y = 1; y < h; y += 3) for (let x = 1; x < w; x += 3) {
        const d = v._h.tileEdgeDistance(x + 0.5, y + 0.5, order, width);
        if (d >= 2) out.push(y * w + x);
      }
      return out;
    }, [gl.w, gl.h, c.tileOrder, c.tileWidth]);
    let sum = 0, n = 0, cpuAlpha0 = 0;
    for (const p of keep) {
      const i = 4 * p;
      if (cpu.raw[i + 3] === 0) { cpuAlpha0++; continue; } // no data there on the CPU (blank pixel)
      for (let k = 0; k < 3; k++) sum += Math.abs(gl.raw[i + k] - cpu.raw[i + k]);
      n += 3;
    }
    const mad = sum / n;
    console.log(`${c.name}: mean |WebGL2 - raster| = ${mad.toFixed(3)}/255 over ${n / 3} pixels (${cpuAlpha0} blank skipped)`);
    if (mad > 2) {
      fs.copyFileSync(out, path.join(ARTIFACTS, `raster-${c.name.replace(/\W+/g, '-')}-cpu.png`));
      await page.screenshot({ path: path.join(ARTIFACTS, `raster-${c.name.replace(/\W+/g, '-')}-gl.png`) });
    }
    assert.ok(n / 3 > 1000, `only ${n / 3} pixels compared`);
    assert.ok(mad <= 2, `mean absolute difference ${mad.toFixed(3)}/255`);
  });
}

test('no console errors', () => {
  assert.deepEqual(b.log.pageErrors, []);
  assert.deepEqual(b.log.consoleErrors, []);
});
