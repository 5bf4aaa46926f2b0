// Issue 9 acceptance: local FITS images in the browser. Each file of a representative
// set (every BITPIX, scaled integers with BLANK, gzip, RICE/GZIP_2/HCOMPRESS/PLIO tile
// compression, quantized floats, MEF, a cube, TAN-SIP/ZPN/AZP/DSS/CAR/HPX WCS) opens through
// openFITS; its WCS matches the WCS truth (astropy) and img.valueAt(ra, dec) at the truth's
// sample pixels equals the truth's physical values (float32 rounding: the viewer displays
// float32); dropping a file on the viewer opens it; stretch changes need no re-upload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, remoteRequests, waitIdle, grab, meanBrightness, ARTIFACTS } from './lib.mjs';

const TD = path.resolve(import.meta.dirname, '..', 'testdata');
const truth = JSON.parse(fs.readFileSync(path.join(TD, 'fits', 'fits_images.json'), 'utf8'));
const wcsTruth = id => JSON.parse(fs.readFileSync(path.join(TD, 'wcs', 'truth', id + '.json'), 'utf8'));

// file (under testdata/fits), hdu to open, the fits_images.json entry, the WCS truth id
// (null: no celestial WCS, the image opens in pixel mode). The .fz files of sha_img carry the
// same WCS cards as the image they were made from (fpack copies the header), so they are
// checked against that image's WCS truth.
const CASES = [
  { file: 'astroquery_sha_img.fits', hdu: 0, truth: 'fits/astroquery_sha_img.fits', wcs: 'fits__astroquery_sha_img__hdu0' },
  { file: 'astropy_scale.fits', hdu: 0, truth: 'fits/astropy_scale.fits', wcs: 'fits__astropy_scale__hdu0' },
  { file: 'astropy_dss_14.29.56-62.41.05.fits.gz', hdu: 0, truth: 'fits/astropy_dss_14.29.56-62.41.05.fits.gz', wcs: 'fits__astropy_dss_14.29.56-62.41.05__hdu0' },
  { file: 'astroquery_ukidss_image.fits', hdu: 1, truth: 'fits/astroquery_ukidss_image.fits', wcs: 'fits__astroquery_ukidss_image__hdu1' },
  { file: 'astroquery_candels_3band.fits', hdu: 1, truth: 'fits/astroquery_candels_3band.fits', wcs: 'fits__astroquery_candels_3band__hdu1' },
  { file: 'astroquery_candels_3band.fits', hdu: 3, truth: 'fits/astroquery_candels_3band.fits', wcs: null, hasWCS: true },
  { file: 'photutils_fermi_counts.fits.gz', hdu: 1, truth: 'fits/photutils_fermi_counts.fits.gz', wcs: 'fits__photutils_fermi_counts__hdu1' },
  { file: 'astropy_1904-66_AZP.fits', hdu: 0, truth: 'fits/astropy_1904-66_AZP.fits', wcs: 'fits__astropy_1904-66_AZP__hdu0' },
  { file: 'hpxcvt_wmap_V_hpx.fits', hdu: 0, truth: 'fits/hpxcvt_wmap_V_hpx.fits', wcs: 'fits__hpxcvt_wmap_V_hpx__hdu0' },
  { file: 'derived_sha_img_int16_blank.fits', hdu: 0, truth: 'fits/derived_sha_img_int16_blank.fits', wcs: 'fits__derived_sha_img_int16_blank__hdu0' },
  { file: 'sha_img_rice_q4.fits.fz', hdu: 1, truth: 'fz/sha_img_rice_q4.fits.fz', wcs: 'fits__astroquery_sha_img__hdu0' },
  { file: 'sha_img_gzip1_lossless.fits.fz', hdu: 1, truth: 'fz/sha_img_gzip1_lossless.fits.fz', wcs: 'fits__astroquery_sha_img__hdu0' },
  { file: 'sha_img_nanmask_plio.fits.fz', hdu: 1, truth: 'fz/sha_img_nanmask_plio.fits.fz', wcs: 'fits__derived_sha_img_nanmask_int16__hdu0' },
  { file: 'ccdproc_a8280271_hcomp.fits.fz', hdu: 1, truth: 'fz/ccdproc_a8280271_hcomp.fits.fz', wcs: null },
  { file: 'ccdproc_a8280271_gzip2.fits.fz', hdu: 1, truth: 'fz/ccdproc_a8280271_gzip2.fits.fz', wcs: null },
  { file: 'ccdproc_a8280271_rice.fits.fz', hdu: 1, truth: 'fz/ccdproc_a8280271_rice.fits.fz', wcs: null },
  { file: 'gmos_rice_qz8.fits.fz', hdu: 2, truth: 'fz/gmos_rice_qz8.fits.fz', wcs: null },
  { file: 'astroscrappy_gmos.fits', hdu: 3, truth: 'fits/astroscrappy_gmos.fits', wcs: null },
  { file: 'astrogo_bitpix_p08.fits', hdu: 0, truth: 'fits/astrogo_bitpix_p08.fits', wcs: null },
  { file: 'astrogo_bitpix_p16.fits', hdu: 1, truth: 'fits/astrogo_bitpix_p16.fits', wcs: null },
  { file: 'astrogo_bitpix_p32.fits', hdu: 0, truth: 'fits/astrogo_bitpix_p32.fits', wcs: null },
  { file: 'astrogo_bitpix_p64.fits', hdu: 0, truth: 'fits/astrogo_bitpix_p64.fits', wcs: null },
  { file: 'astrogo_bitpix_m32.fits', hdu: 0, truth: 'fits/astrogo_bitpix_m32.fits', wcs: null },
  { file: 'astrogo_bitpix_m64.fits', hdu: 1, truth: 'fits/astrogo_bitpix_m64.fits', wcs: null },
];

const files = [...new Set([...CASES.map(c => c.file), 'astropy_arange.fits', 'hpxcvt_wmap_V_hpx.fits'])];
let server, browser, page, log;

before(async () => {
  server = await startServer(files.map(f => path.join(TD, 'fits', f)));
  ({ page, log, ...browser } = await launch());
  await page.goto(server.url);
  await waitIdle(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

function truthHDU(file, hdu) {
  const f = truth.files.find(x => x.file === file);
  assert.ok(f, `no truth for ${file}`);
  return f.hdus[hdu];
}

// Angular distance in degrees.
function sep(a, b) {
  const r = Math.PI / 180;
  const s = Math.sin((b[1] - a[1]) * r / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin((b[0] - a[0]) * r / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(s))) / r;
}

const f32 = x => Math.fround(x);

test('openFITS: every file opens; WCS and values equal the truth', async () => {
  let worstWCS = 0;
  for (const c of CASES) {
    const th = truthHDU(c.truth, c.hdu);
    const url = `/files/${c.file}`;
    const r = await page.evaluate(async ([url, hdu, samples]) => {
      const img = await window.viewer.v.openFITS(url, { hdu });
      const info = img.info();
      const out = { info, samples: [] };
      for (const s of samples) {
        const w = img.pixelToWorld(s.pix[0], s.pix[1]);
        out.samples.push({ pix: s.pix, w, value: w ? img.valueAt(w[0], w[1]) : undefined, direct: img.valueAtPixel(s.pix[0], s.pix[1]) });
      }
      img.remove();
      return out;
    }, [url, c.hdu, th.samples]);
    const info = r.info;
    assert.equal(info.hdu, c.hdu, `${c.file}: HDU`);
    assert.deepEqual(info.shape, th.naxis, `${c.file}: shape`);
    assert.equal(info.bitpix, th.bitpix, `${c.file}: BITPIX`);
    assert.equal(info.hdus.length, truth.files.find(x => x.file === c.truth).hdus.length, `${c.file}: HDU list`);
    assert.equal(info.pixelMode, !(c.wcs || c.hasWCS), `${c.file}: pixel mode ${info.pixelMode} (${info.notice})`);
    if (info.pixelMode) {
      assert.equal(info.wcs, null);
      assert.match(info.notice, /no usable celestial WCS/);
    }
    assert.ok(th.samples.length >= 5 || th.naxis.every(n => n === 1), `${c.file}: the truth has too few samples`);
    let onSky = 0;
    for (const s of r.samples) {
      const t = th.samples.find(x => x.pix.join() === s.pix.join());
      const want = t.is_nan ? null : f32(t.value);
      // HPX maps have blank corners with no sky position: those pixels are read directly only.
      if (s.w) {
        onSky++;
        assert.equal(s.value, want, `${c.file} HDU ${c.hdu}: valueAt at pixel ${s.pix} = ${s.value}, truth ${want}`);
      } else assert.match(c.file, /_hpx/, `${c.file}: pixel ${s.pix} has no sky position`);
      assert.equal(s.direct, want, `${c.file} HDU ${c.hdu}: valueAtPixel ${s.pix} = ${s.direct}, truth ${want}`);
    }
    assert.ok(onSky >= Math.min(5, th.samples.length) || /_hpx/.test(c.file), `${c.file}: only ${onSky} samples on the sky`);
    console.log(`${c.file} HDU ${c.hdu}: ${onSky} of ${r.samples.length} truth samples read through valueAt(ra, dec)${info.pixelMode ? ' (pixel mode)' : ''}`);
    if (!c.wcs) continue;
    // The image's WCS against astropy's pix2world (the viewer works in ICRS: FK5 J2000
    // differs from ICRS by the frame bias, < 0.03"; galactic truth is converted in the page).
    const wt = wcsTruth(c.wcs);
    const [w, h] = th.naxis;
    const rows = wt.pix2world.filter(p => p[0] >= 0.5 && p[1] >= 0.5 && p[0] <= w + 0.5 && p[1] <= h + 0.5 && Number.isFinite(p[2]));
    const interp = wt.interpretation_astropy;
    const equatorial = interp.ctype[0].startsWith('RA');
    const tol = interp.radesys === 'ICRS' ? 1e-9 : 3e-5;
    const got = await page.evaluate(async ([url, hdu, rows]) => {
      const img = await window.viewer.v.openFITS(url, { hdu });
      const out = rows.map(p => ({ p, w: img.pixelToWorld(p[0], p[1]), px: img.worldToPixel(...(img.pixelToWorld(p[0], p[1]) || [0, 0])),
        atTruth: img.valueAt(p[2], p[3]), atPixel: img.valueAtPixel(p[0], p[1]) }));
      img.remove();
      return out;
    }, [url, c.hdu, rows]);
    assert.ok(got.length >= 4, `${c.file}: only ${got.length} WCS truth points on the image`);
    for (const g of got) {
      assert.ok(g.w, `${c.file}: pixel ${g.p.slice(0, 2)} has no sky position`);
      if (equatorial) {
        const d = sep(g.w, g.p.slice(2));
        worstWCS = Math.max(worstWCS, interp.radesys === 'ICRS' ? d : 0);
        assert.ok(d < tol, `${c.file}: pixel ${g.p.slice(0, 2)} -> ${g.w}, truth ${g.p.slice(2)} (${(d * 3600).toExponential(2)}")`);
        // Truth sky positions of integer pixels read the value of that pixel.
        if (interp.radesys === 'ICRS' && Number.isInteger(g.p[0]) && Number.isInteger(g.p[1])) {
          assert.equal(g.atTruth, g.atPixel, `${c.file}: valueAt(truth world of ${g.p.slice(0, 2)})`);
        }
      }
      assert.ok(g.px && Math.hypot(g.px[0] - g.p[0], g.px[1] - g.p[1]) < 1e-6, `${c.file}: round trip of ${g.p.slice(0, 2)} gave ${g.px}`);
    }
  }
  console.log(`largest ICRS WCS difference vs astropy: ${(worstWCS * 3600).toExponential(2)}"`);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.consoleErrors, []);
});

test('cube: plane option and setPlane read the right plane', async () => {
  const th = truthHDU('fits/astropy_arange.fits', 0);
  // From a URL (held in memory) and from a File (read lazily: each plane read on demand).
  const r = await page.evaluate(async samples => {
    const bytes = await (await fetch('/files/astropy_arange.fits')).arrayBuffer();
    const out = [];
    for (const src of ['/files/astropy_arange.fits', new File([bytes], 'astropy_arange.fits')]) {
      const img = await window.viewer.v.openFITS(src, { plane: 3 });
      const o = { info: img.info(), values: [] };
      for (const s of samples) {
        await img.setPlane(s.pix[2] - 1);
        o.values.push(img.valueAtPixel(s.pix[0], s.pix[1]));
      }
      let err = null;
      try { await img.setPlane(7); } catch (e) { err = e.message; }
      o.err = err;
      img.remove();
      out.push(o);
    }
    return out;
  }, th.samples);
  for (const o of r) {
    assert.equal(o.info.plane, 3);
    assert.equal(o.info.planes, 7);
    assert.deepEqual(o.info.shape, [11, 10, 7]);
    assert.deepEqual(o.values, th.samples.map(s => f32(s.value)));
    assert.match(o.err, /no plane 7/);
  }
});

test('display: drawn on the sky, stretch changes are uniforms only, screenshot', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    const img = await v.openFITS('/files/astroquery_sha_img.fits');
    const info = img.info();
    v.goto(info.center[0], info.center[1], { fov: info.size * 1.6 });
    return { info };
  });
  await waitIdle(page);
  r.gpu = await page.evaluate(() => window.viewer.v.gpuBytes());
  const a = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-sha-img-zscale.png') });
  const box = { x: a.w / 2, y: a.h / 2 };
  const b0 = meanBrightness(a, box.x, box.y, 20);
  // Not the HiPS background: the image has structure, and its limits are zscale's.
  let s = 0, s2 = 0, n = 0;
  for (let j = -60; j <= 60; j += 3) for (let i = -60; i <= 60; i += 3) { const p = a.px(box.x + i, box.y + j); const g = (p[0] + p[1] + p[2]) / 3; s += g; s2 += g * g; n++; }
  const sd = Math.sqrt(s2 / n - (s / n) ** 2);
  assert.ok(sd > 10, `the image region looks flat (sd ${sd.toFixed(1)})`);
  assert.ok(r.info.limits[0] < r.info.limits[1]);
  // The texture is where the WCS puts it: at the canvas position of image pixels, the
  // colour is the zscale/linear/grey stretch of that pixel's value (NaN: transparent).
  const pts = await page.evaluate(() => {
    const v = window.viewer.v, img = v.images()[0], out = [];
    for (let y = 4; y <= 124; y += 8) for (let x = 4; x <= 124; x += 8) {
      const w = img.pixelToWorld(x, y), c = w && v.worldToPixel(w[0], w[1]);
      if (c) out.push({ x, y, value: img.valueAtPixel(x, y), c });
    }
    return out;
  });
  const [lo, hi] = r.info.limits;
  let checked = 0, nan = 0, worst = 0;
  for (const p of pts) {
    const px = a.px(p.c[0], p.c[1]);
    if (p.value === null || p.c[0] < 2 || p.c[1] < 2 || p.c[0] > a.w - 3 || p.c[1] > a.h - 3) continue;
    const want = Math.min(255, Math.floor(Math.min(1, Math.max(0, (p.value - lo) / (hi - lo))) * 256));
    // Image textures sample the nearest pixel: the centre shows exactly that pixel.
    const d = Math.abs(px[0] - want);
    worst = Math.max(worst, d);
    checked++;
  }
  for (const p of pts) if (p.value === null) nan++;
  console.log(`texture placement: ${checked} pixel centres compared, largest grey difference ${worst}; ${nan} NaN pixels`);
  assert.ok(checked > 50, `only ${checked} pixels compared`);
  assert.ok(worst <= 1, `grey at pixel centres differs from the stretch of the value by up to ${worst}`);

  const after = await page.evaluate(async () => {
    const v = window.viewer.v;
    const img = v.images()[0];
    const f0 = v.frameCount();
    img.setStretch({ invert: true, colormap: 'viridis', stretch: 'asinh', interval: { percentile: 99.5 } });
    const info = img.info();
    const st = img.getStretch();
    let bad = null;
    try { img.setStretch({ stretch: 'cubic' }); } catch (e) { bad = e.message; }
    return { gpu: v.gpuBytes(), info, st, bad, f0 };
  });
  await waitIdle(page);
  const b = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-sha-img-viridis-inverted.png') });
  assert.equal(after.gpu, r.gpu, 'a stretch change re-uploaded textures');
  assert.equal(after.st.colormap, 'viridis');
  assert.equal(after.st.invert, true);
  assert.match(after.bad, /stretch/);
  const b1 = meanBrightness(b, box.x, box.y, 20);
  const p0 = a.px(box.x, box.y), p1 = b.px(box.x, box.y);
  assert.notDeepEqual(p0, p1, 'the display did not change');
  console.log(`centre brightness zscale/grey ${b0.toFixed(1)}, percentile/asinh/viridis inverted ${b1.toFixed(1)}`);
  // Opacity 0 shows the sky below.
  await page.evaluate(() => window.viewer.v.images()[0].setOpacity(0));
  await waitIdle(page);
  const c = await grab(page);
  assert.ok(Math.abs(meanBrightness(c, box.x, box.y, 20) - b1) > 5, 'opacity 0 did not change the frame');
  await page.evaluate(() => window.viewer.v.images()[0].remove());
  const gpu = await page.evaluate(() => window.viewer.v.gpuBytes());
  assert.ok(gpu < r.gpu, 'remove() did not free the textures');
  assert.deepEqual(log.consoleErrors, []);
});

test('an image split into several textures is drawn seamlessly, pixel for pixel', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    const img = await v.openFITS('/files/astroquery_sha_img.fits', { maxTexture: 40 });
    const info = img.info();
    v.goto(info.center[0], info.center[1], { fov: info.size * 1.6 });
    return { info };
  });
  await waitIdle(page);
  const a = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-sha-img-16-textures.png') });
  const pts = await page.evaluate(() => {
    const v = window.viewer.v, img = v.images()[0], out = [];
    // Every pixel along the texture borders (x or y = 40, 41, 80, 81, 120, 121) and a grid.
    const xs = [...new Set([4, 20, 39, 40, 41, 42, 60, 79, 80, 81, 82, 100, 119, 120, 121, 122, 127])];
    for (const y of xs) for (const x of xs) {
      const w = img.pixelToWorld(x, y), c = w && v.worldToPixel(w[0], w[1]);
      if (c) out.push({ x, y, value: img.valueAtPixel(x, y), c });
    }
    return out;
  });
  const [lo, hi] = r.info.limits;
  let checked = 0, worst = 0;
  for (const p of pts) {
    if (p.value === null || p.c[0] < 2 || p.c[1] < 2 || p.c[0] > a.w - 3 || p.c[1] > a.h - 3) continue;
    const want = Math.min(255, Math.floor(Math.min(1, Math.max(0, (p.value - lo) / (hi - lo))) * 256));
    worst = Math.max(worst, Math.abs(a.px(p.c[0], p.c[1])[0] - want));
    checked++;
  }
  console.log(`16 textures: ${checked} pixel centres compared, largest grey difference ${worst}`);
  assert.ok(checked > 100, `only ${checked} pixels compared`);
  assert.ok(worst <= 1, `grey at pixel centres differs from the stretch of the value by up to ${worst}`);
  await page.evaluate(() => window.viewer.v.images()[0].remove());
});

test('all-sky HPX map (galactic) in an AIT view: every pixel centre shows its value', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    v.setProjection('AIT');
    v.goto(266.40, -28.94, { fov: 200 });
    const img = await v.openFITS('/files/hpxcvt_wmap_V_hpx.fits');
    return { info: img.info() };
  });
  await waitIdle(page);
  const a = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-wmap-hpx-ait.png') });
  const pts = await page.evaluate(() => {
    const v = window.viewer.v, img = v.images()[0], out = [];
    for (let y = 2; y <= 159; y += 3) for (let x = 2; x <= 159; x += 3) {
      const w = img.pixelToWorld(x, y), c = w && v.worldToPixel(w[0], w[1]);
      if (c) out.push({ x, y, value: img.valueAtPixel(x, y), c });
    }
    return out;
  });
  const [lo, hi] = r.info.limits;
  let checked = 0, bad = 0, worst = 0;
  for (const p of pts) {
    if (p.value === null || p.c[0] < 2 || p.c[1] < 2 || p.c[0] > a.w - 3 || p.c[1] > a.h - 3) continue;
    const want = Math.min(255, Math.floor(Math.min(1, Math.max(0, (p.value - lo) / (hi - lo))) * 256));
    const d = Math.abs(a.px(p.c[0], p.c[1])[0] - want);
    worst = Math.max(worst, d);
    if (d > 1) bad++;
    checked++;
  }
  console.log(`HPX in AIT: ${checked} pixel centres compared, ${bad} differ by more than 1 (largest ${worst})`);
  assert.ok(checked > 500, `only ${checked} pixels compared`);
  // Pixels on the AIT seam (the anti-centre meridian) may be cut: allow a few.
  assert.ok(bad <= checked * 0.005, `${bad} of ${checked} pixel centres do not show their value`);
  await page.evaluate(() => { const v = window.viewer.v; v.images()[0].remove(); v.setProjection('SIN'); });
});

test('a File is read lazily through Blob.slice: headers and the chosen HDU only', async () => {
  const th = truthHDU('fits/astroquery_candels_3band.fits', 3);
  const r = await page.evaluate(async samples => {
    const bytes = await (await fetch('/files/astroquery_candels_3band.fits')).arrayBuffer();
    const file = new File([bytes], 'astroquery_candels_3band.fits');
    const orig = Blob.prototype.slice, reads = [];
    Blob.prototype.slice = function (a, b) { if (this === file) reads.push([a, b]); return orig.apply(this, arguments); };
    let img;
    try { img = await window.viewer.v.openFITS(file, { hdu: 3 }); } finally { Blob.prototype.slice = orig; }
    const values = samples.map(s => img.valueAtPixel(s.pix[0], s.pix[1]));
    img.remove();
    return { size: bytes.byteLength, reads, values };
  }, th.samples);
  const read = r.reads.reduce((n, [a, b]) => n + (b - a), 0);
  console.log(`lazy read: ${r.reads.length} slices, ${read} of ${r.size} bytes`);
  assert.ok(r.reads.length > 0, 'Blob.slice was not used');
  assert.ok(read < 0.7 * r.size, `read ${read} of ${r.size} bytes for one HDU of four`);
  assert.deepEqual(r.values, th.samples.map(s => (s.is_nan ? null : f32(s.value))));
});

test('errors name the problem and the viewer keeps running', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    const msgs = [];
    for (const [src, opt] of [
      [new TextEncoder().encode('SIMPLE  = this is not FITS').buffer, {}],
      ['/files/astroquery_candels_3band.fits', { hdu: 0 }],
      ['/files/astroquery_candels_3band.fits', { hdu: 9 }],
      ['/files/no-such-file.fits', {}],
      [new Blob([new Uint8Array(100)]), {}],
    ]) {
      try { await v.openFITS(src, opt); msgs.push('opened'); } catch (e) { msgs.push(e.message); }
    }
    return { msgs, images: v.images().length };
  });
  assert.match(r.msgs[0], /FITS ArrayBuffer/);
  assert.match(r.msgs[1], /HDU 0 .*no image/);
  assert.match(r.msgs[2], /no HDU 9/);
  assert.match(r.msgs[3], /404/);
  assert.match(r.msgs[4], /FITS blob/);
  assert.equal(r.images, 0, JSON.stringify(r.msgs));
  assert.deepEqual(log.pageErrors, []);
  // The browser itself logs the 404 of the missing file; nothing else may be logged.
  const others = log.consoleErrors.filter(m => !/status of 404/.test(m));
  assert.deepEqual(others, []);
  log.consoleErrors.length = 0;
});

test('drop: a FITS file dropped on the viewer opens and the view centres on it', async () => {
  await page.evaluate(() => window.viewer.v.goto(0, 0, { fov: 120 }));
  await waitIdle(page);
  await page.evaluate(async () => {
    const bytes = await (await fetch('/files/astropy_dss_14.29.56-62.41.05.fits.gz')).arrayBuffer();
    const file = new File([bytes], 'astropy_dss_14.29.56-62.41.05.fits.gz', { type: 'application/fits' });
    const dt = new DataTransfer();
    dt.items.add(file);
    const el = document.querySelector('#sky .skyglass');
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => window.viewer.v.images().length === 1, null, { timeout: 10000 });
  await waitIdle(page);
  const r = await page.evaluate(() => {
    const v = window.viewer.v, img = v.images()[0];
    return { info: img.info(), view: v.getView() };
  });
  assert.equal(r.info.name, 'astropy_dss_14.29.56-62.41.05.fits.gz');
  assert.ok(sep([r.view.ra, r.view.dec], r.info.center) < 1e-6, `view at ${r.view.ra}, ${r.view.dec}; image centre ${r.info.center}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-dropped-dss.png') });
  assert.deepEqual(remoteRequests(log.requests), []);
  assert.deepEqual(log.consoleErrors, []);
  assert.deepEqual(log.pageErrors, []);
});

test('file picker on the standalone page opens a FITS file (quantized RICE .fz)', async () => {
  const n0 = await page.evaluate(() => window.viewer.v.images().length);
  await page.setInputFiles('#fits-file', path.join(TD, 'fits', 'sha_img_rice_q4.fits.fz'));
  await page.waitForFunction(n => window.viewer.v.images().length === n + 1, n0, { timeout: 10000 });
  await waitIdle(page);
  const r = await page.evaluate(() => {
    const v = window.viewer.v, img = v.images().at(-1), info = img.info(), view = v.getView();
    return { info, view, value: img.valueAt(view.ra, view.dec), px: img.worldToPixel(view.ra, view.dec) };
  });
  assert.equal(r.info.name, 'sha_img_rice_q4.fits.fz');
  assert.equal(r.info.hdus[1].compression, 'RICE_1');
  assert.ok(sep([r.view.ra, r.view.dec], r.info.center) < 1e-6);
  assert.ok(Math.abs(r.px[0] - 64.5) < 1e-6 && Math.abs(r.px[1] - 64.5) < 1e-6, `view centre at pixel ${r.px}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-picked-rice-q4.png') });
  assert.deepEqual(log.consoleErrors, []);
  assert.deepEqual(log.pageErrors, []);
});

test('a large URL body is read as two halves at once when the server takes ranges, and whole when it does not or the range fails', async () => {
  // A 2048×1100 float32 image (9 MB, over the 8 MB from which the body is split): value =
  // (7x + 13y) mod 1000 for 0-based pixel (x, y), NaN where x = y. Served by page routes: one
  // answers Range requests with 206, the other announces ranges but always sends the whole file.
  const w = 2048, h = 1100;
  const cards = ['SIMPLE  =                    T', 'BITPIX  =                  -32', 'NAXIS   =                    2',
    `NAXIS1  = ${String(w).padStart(20)}`, `NAXIS2  = ${String(h).padStart(20)}`, "CTYPE1  = 'RA---TAN'", "CTYPE2  = 'DEC--TAN'",
    'CRPIX1  =               1024.5', 'CRPIX2  =                550.5', 'CRVAL1  =                 40.0', 'CRVAL2  =                -10.0',
    'CDELT1  =              -0.0005', 'CDELT2  =               0.0005', 'END'];
  let hdr = cards.map(c => c.padEnd(80)).join('');
  hdr = hdr.padEnd(Math.ceil(hdr.length / 2880) * 2880);
  const file = Buffer.alloc(hdr.length + Math.ceil(w * h * 4 / 2880) * 2880);
  file.write(hdr, 0, 'latin1');
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) file.writeFloatBE(x === y ? NaN : (7 * x + 13 * y) % 1000, hdr.length + 4 * (y * w + x));
  const ranges = [];
  // mode: 'ranges' (206 for a range), 'whole' (always 200 and the whole file), 'short' (a 206 whose
  // body is half of what its Content-Range says: that request fails, and the first one then reads
  // everything).
  const serve = mode => async route => {
    const range = route.request().headers()['range'];
    ranges.push(`${mode} ${range || '-'}`);
    const headers = { 'Content-Type': 'application/fits', 'Accept-Ranges': 'bytes' };
    const m = mode !== 'whole' && range && /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!m) return route.fulfill({ status: 200, headers, body: file });
    const a = +m[1], e = +m[2];
    const body = file.subarray(a, mode === 'short' ? a + Math.floor((e + 1 - a) / 2) : e + 1);
    return route.fulfill({ status: 206, headers: { ...headers, 'Content-Range': `bytes ${a}-${e}/${file.length}` }, body });
  };
  for (const mode of ['ranges', 'whole', 'short']) await page.route(`**/split/${mode}.fits`, serve(mode));
  try {
    for (const which of ['ranges', 'whole', 'short']) {
      ranges.length = 0;
      const r = await page.evaluate(async (url) => {
        const v = window.viewer.v;
        const img = await v.openFITS(url);
        const pts = [[0, 0], [5, 3], [2047, 549], [100, 550], [1999, 551], [2047, 1099], [700, 700], [1234, 1098]];
        const out = pts.map(([x, y]) => [x, y, img.valueAtPixel(x + 1, y + 1)]); // 1-based FITS pixels
        img.remove();
        return out;
      }, `/split/${which}.fits`);
      for (const [x, y, got] of r) {
        if (x === y) assert.ok(got === null || Number.isNaN(got), `${which}: pixel (${x}, ${y}) is ${got}, want NaN`);
        else assert.equal(got, (7 * x + 13 * y) % 1000, `${which}: pixel (${x}, ${y})`);
      }
      const half = Math.floor(file.length / 2);
      assert.deepEqual(ranges.sort(), [`${which} -`, `${which} bytes=${half}-${file.length - 1}`].sort(), `${which}: requests`);
    }
  } finally {
    for (const mode of ['ranges', 'whole', 'short']) await page.unroute(`**/split/${mode}.fits`);
  }
  assert.deepEqual(log.consoleErrors, []);
  assert.deepEqual(log.pageErrors, []);
});

test('a large image: a preview first, full-resolution tiles when zoomed in, pixel for pixel; bounded GPU bytes', async () => {
  // A 2100×2100 float32 TAN image (4.4 M pixels: drawn from a preview plus tiles on demand),
  // built in the page: value = (7x + 13y) mod 1000 for 0-based pixel (x, y).
  const r = await page.evaluate(async () => {
    const v = window.viewer.v, n = 2100;
    const gpu0 = v.gpuBytes();
    const cards = ['SIMPLE  =                    T', 'BITPIX  =                  -32', 'NAXIS   =                    2',
      `NAXIS1  = ${String(n).padStart(20)}`, `NAXIS2  = ${String(n).padStart(20)}`, "CTYPE1  = 'RA---TAN'", "CTYPE2  = 'DEC--TAN'",
      `CRPIX1  = ${String((n + 1) / 2).padStart(20)}`, `CRPIX2  = ${String((n + 1) / 2).padStart(20)}`,
      'CRVAL1  =                120.0', 'CRVAL2  =                 30.0', 'CDELT1  =             -0.00025', 'CDELT2  =              0.00025', 'END'];
    let hdr = cards.map(c => c.padEnd(80)).join('');
    hdr = hdr.padEnd(Math.ceil(hdr.length / 2880) * 2880);
    const dataLen = Math.ceil(n * n * 4 / 2880) * 2880;
    const buf = new ArrayBuffer(hdr.length + dataLen), u8 = new Uint8Array(buf), dv = new DataView(buf, hdr.length);
    for (let i = 0; i < hdr.length; i++) u8[i] = hdr.charCodeAt(i);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) dv.setFloat32(4 * (y * n + x), (7 * x + 13 * y) % 1000);
    const img = await v.openFITS(buf, { name: 'large.fits' });
    img.setStretch({ interval: { min: 0, max: 1000 }, stretch: 'linear', colormap: 'grey' });
    window.largeImg = img;
    const info = img.info();
    v.goto(info.center[0], info.center[1], { fov: info.size * 1.2 });
    return { info, gpu0 };
  });
  await waitIdle(page);
  const gpuOut = await page.evaluate(() => window.viewer.v.gpuBytes()) - r.gpu0;
  const a = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-large-preview.png') });
  let s = 0, s2 = 0, cnt = 0;
  for (let j = -100; j <= 100; j += 5) for (let i = -100; i <= 100; i += 5) { const p = a.px(a.w / 2 + i, a.h / 2 + j); s += p[0]; s2 += p[0] * p[0]; cnt++; }
  assert.ok(Math.sqrt(s2 / cnt - (s / cnt) ** 2) > 20, 'the preview shows the image');
  // 4 canvas pixels per image pixel at the image centre (tiles are needed from about 1.5
  // preview texels per canvas pixel): at every image pixel centre the canvas shows that
  // pixel's value, across the tile boundary at 1024/1025.
  await page.evaluate(() => {
    const v = window.viewer.v, c = window.largeImg.pixelToWorld(1050.5, 1050.5);
    v.goto(c[0], c[1], { fov: 0.00025 * v.canvas.clientWidth / 4 });
  });
  await waitIdle(page);
  const b = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fits-large-zoomed.png') });
  const pts = await page.evaluate(() => {
    const v = window.viewer.v, img = window.largeImg, out = [];
    for (let y = 960; y <= 1140; y += 7) for (let x = 930; x <= 1170; x += 5) {
      const w = img.pixelToWorld(x, y), c = w && v.worldToPixel(w[0], w[1]);
      if (c) out.push({ x, y, value: img.valueAtPixel(x, y), c });
    }
    return { out, gpu: v.gpuBytes() };
  });
  let checked = 0, worst = 0;
  for (const p of pts.out) {
    if (p.c[0] < 2 || p.c[1] < 2 || p.c[0] > b.w - 3 || p.c[1] > b.h - 3) continue;
    assert.equal(p.value, (7 * (p.x - 1) + 13 * (p.y - 1)) % 1000, `value of pixel (${p.x}, ${p.y})`);
    const want = Math.min(255, Math.floor(p.value / 1000 * 256));
    worst = Math.max(worst, Math.abs(b.px(p.c[0], p.c[1])[0] - want));
    checked++;
  }
  pts.gpu -= r.gpu0;
  console.log(`large image: GPU ${(gpuOut / 1048576).toFixed(1)} MB zoomed out, ${(pts.gpu / 1048576).toFixed(1)} MB at 4:1 (plane ${(r.info.shape[0] * r.info.shape[1] * 4 / 1048576).toFixed(1)} MB); ${checked} pixel centres compared at 4:1, largest grey difference ${worst}`);
  assert.ok(checked > 200, `only ${checked} pixels compared`);
  assert.ok(worst <= 1, `grey at pixel centres differs from the stretch of the value by up to ${worst}`);
  assert.ok(gpuOut < 6 * 1048576, `zoomed out the GPU holds ${gpuOut} bytes`);
  assert.ok(pts.gpu < 6 * 1048576 + 24 * 1048576, `at 4:1 the GPU holds ${pts.gpu} bytes`);
  await page.evaluate(() => window.largeImg.remove());
});
