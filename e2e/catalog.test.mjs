// Issue 10 acceptance: hipparcos_stars.csv (118,216 stars) loads through addCatalog; clicking a
// known star selects it and the 'select' event carries its HIP id; cat.select([id]) highlights it;
// too many sources in view are drawn as density cells; DS9 regions are drawn as lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launch, remoteRequests, waitIdle, grab, ARTIFACTS } from './lib.mjs';

const TD = path.resolve(import.meta.dirname, '..', 'testdata');
const BETELGEUSE = { hip: 27989, ra: 88.7929, dec: 7.4071 }; // row of hipparcos_stars.csv
let server, browser, page, log;

before(async () => {
  server = await startServer([
    path.join(TD, 'catalog', 'hipparcos_stars.csv'),
    path.join(TD, 'regions', 'regions_ds9.fk5.reg'),
    path.join(TD, 'regions', 'regions_ds9.galactic.reg'),
  ]);
  ({ page, log, ...browser } = await launch());
  await page.goto(server.url + '?ra=88.79&dec=7.41&fov=20');
  await waitIdle(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Counts pixels of an image differing from another by more than tol (sum of RGB) in a box.
function changed(a, b, x, y, r, tol = 60) {
  let n = 0;
  for (let j = Math.round(y - r); j <= y + r; j++) for (let i = Math.round(x - r); i <= x + r; i++) {
    if (i < 0 || j < 0 || i >= a.w || j >= a.h) continue;
    const k = 4 * (j * a.w + i);
    if (Math.abs(a.raw[k] - b.raw[k]) + Math.abs(a.raw[k + 1] - b.raw[k + 1]) + Math.abs(a.raw[k + 2] - b.raw[k + 2]) > tol) n++;
  }
  return n;
}

test('hipparcos catalogue: load, click-select by HIP id, host selection highlights', async () => {
  const plain = await grab(page);
  const load = await page.evaluate(async () => {
    const v = window.viewer.v;
    const t0 = performance.now();
    const cat = await v.addCatalog('/files/hipparcos_stars.csv', { id: 'hip', color: '#ff5040', size: 9 });
    const t1 = performance.now();
    await v.whenIdle();
    const t2 = performance.now();
    window.cat = cat;
    window.selects = [];
    window.hovers = [];
    v.on('select', e => window.selects.push({ ids: e.ids, rows: e.rows, values: e.values }));
    v.on('hover', e => { if (e.values) window.hovers.push(e.values); });
    return { rows: cat.rows(), columns: cat.columns().map(c => c.name), parse: t1 - t0, firstFrame: t2 - t0, stats: cat.stats() };
  });
  console.log(`hipparcos_stars.csv: ${load.rows} rows, addCatalog ${load.parse.toFixed(0)} ms, first frame ${load.firstFrame.toFixed(0)} ms; in view ${JSON.stringify(load.stats)}`);
  assert.equal(load.rows, 118216);
  assert.deepEqual(load.columns, ['hip', 'ra', 'dec', 'vmag', 'bv']);
  assert.ok(load.stats.visible > 100 && !load.stats.aggregated, `sources in view: ${JSON.stringify(load.stats)}`);
  const withCat = await grab(page);
  assert.ok(changed(plain, withCat, withCat.w / 2, withCat.h / 2, 300) > 500, 'the markers changed the canvas');
  await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-orion.png') });

  // Click on Betelgeuse at its canvas position.
  await page.evaluate(s => window.viewer.v.goto(s.ra + 0.3, s.dec - 0.2, { fov: 6 }), BETELGEUSE);
  await waitIdle(page);
  const box = await page.locator('#sky canvas.skyglass-canvas').boundingBox();
  const xy = await page.evaluate(s => window.viewer.v.worldToPixel(s.ra, s.dec), BETELGEUSE);
  assert.ok(xy, 'Betelgeuse is on the canvas');
  await page.mouse.move(box.x + xy[0] + 1, box.y + xy[1] - 1);
  await page.waitForFunction(() => window.hovers.length > 0, null, { timeout: 5000 });
  const tip = await page.evaluate(() => { const t = document.querySelector('.skyglass-tooltip'); return t && t.style.display !== 'none' ? t.textContent : ''; });
  assert.match(tip, /hip: 27989/, `tooltip: ${tip}`);
  await page.mouse.click(box.x + xy[0] + 1, box.y + xy[1] - 1);
  await page.waitForFunction(() => window.selects.length > 0, null, { timeout: 5000 });
  const sel = await page.evaluate(() => window.selects.at(-1));
  assert.deepEqual(sel.ids, [BETELGEUSE.hip], `select event: ${JSON.stringify(sel)}`);
  assert.equal(sel.values[0].vmag, 0.45);
  await waitIdle(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-click-betelgeuse.png') });

  // Clicking empty sky clears the selection.
  await page.mouse.click(box.x + 20, box.y + box.height - 30);
  await page.waitForFunction(() => window.selects.length > 1, null, { timeout: 5000 });
  assert.deepEqual(await page.evaluate(() => window.selects.at(-1).ids), []);

  // Host-driven selection: the highlight ring appears around the star.
  await waitIdle(page);
  const before = await grab(page);
  const r = await page.evaluate(id => window.cat.select([id, 'no-such-star']), BETELGEUSE.hip);
  assert.equal(r.rows.length, 1);
  assert.deepEqual(r.missing, ['no-such-star']);
  await waitIdle(page);
  const lit = await grab(page);
  const n = changed(before, lit, xy[0], xy[1], 14);
  assert.ok(n > 30, `highlight changed only ${n} pixels around the star`);
  const far = changed(before, lit, xy[0] + 200, xy[1] + 150, 14);
  assert.equal(far, 0, 'pixels away from the selection changed');
  await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-select-betelgeuse.png') });
  // The ring (marker size + 10 px across) is yellow all around.
  let yellow = 0;
  for (let k = 0; k < 16; k++) {
    const t = k * Math.PI / 8;
    let hit = false;
    for (let rr = 7; rr <= 10 && !hit; rr += 0.5) {
      const [R, G, B] = lit.px(xy[0] + rr * Math.cos(t), xy[1] + rr * Math.sin(t));
      hit = R > 180 && G > 150 && B < 120;
    }
    if (hit) yellow++;
  }
  assert.ok(yellow >= 14, `the highlight ring is yellow at only ${yellow}/16 angles`);

  // Shift-drag: every star inside the rectangle is selected.
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + xy[0] - 40, box.y + xy[1] - 30);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + xy[0] - 40 + 16 * i, box.y + xy[1] - 30 + 12 * i);
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.waitForFunction(() => window.selects.length > 2, null, { timeout: 5000 });
  const rsel = await page.evaluate(() => window.selects.at(-1));
  assert.ok(rsel.ids.includes(BETELGEUSE.hip), `rectangle selection: ${JSON.stringify(rsel.ids)}`);
  const view = await page.evaluate(() => window.viewer.v.getView());
  assert.ok(Math.abs(view.ra - (BETELGEUSE.ra + 0.3)) < 1e-6, 'shift-drag panned the view');
  // Every selected star projects inside the rectangle.
  for (const v of rsel.values) {
    const p = await page.evaluate(([ra, dec]) => window.viewer.v.worldToPixel(ra, dec), [v.ra, v.dec]);
    assert.ok(p[0] >= xy[0] - 41 && p[0] <= xy[0] + 41 && p[1] >= xy[1] - 31 && p[1] <= xy[1] + 31, `star ${v.hip} at ${p} is outside the rectangle`);
  }

  // Styles, rectangle selection rows, removal.
  await page.evaluate(() => window.cat.setStyle({ shape: 'diamond', colorBy: 'bv', colormap: 'viridis', sizeBy: 'vmag' }));
  await waitIdle(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-style-bv.png') });
  const legend = await page.evaluate(() => ({ l: window.cat.legend, text: document.querySelector('.skyglass-legend')?.textContent }));
  assert.equal(legend.l.column, 'bv');
  assert.ok(legend.l.min < 0.2 && legend.l.max > 1.5 && legend.l.max < 3, `legend range ${JSON.stringify(legend.l)}`);
  assert.match(legend.text, /^bv/);
  await assert.rejects(page.evaluate(() => window.cat.setStyle({ shape: 'hexagon' })), /unknown marker shape/);
});

test('whole sky: density cells instead of 118k markers', async () => {
  await page.evaluate(() => { window.viewer.v.setProjection('AIT'); window.viewer.v.goto(0, 0, { fov: 360 }); });
  await waitIdle(page);
  const st = await page.evaluate(() => window.cat.stats());
  console.log(`all-sky: ${JSON.stringify(st)}`);
  assert.ok(st.visible > 100000, `visible ${st.visible}`);
  assert.ok(st.aggregated && st.markers > 100 && st.markers <= 50000, `stats ${JSON.stringify(st)}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-allsky-density.png') });
  // A click on a density cell selects the source nearest the click.
  // The click goes on Betelgeuse's place, so that a source is there whatever the
  // canvas size; the listener is in place before the click, and the wait is bounded.
  const box = await page.locator('#sky canvas.skyglass-canvas').boundingBox();
  await page.evaluate(() => { window.densitySel = null; window.viewer.v.on('select', e => { window.densitySel = e.ids; }); });
  const bp = await page.evaluate(([ra, dec]) => window.viewer.v.worldToPixel(ra, dec), [BETELGEUSE.ra, BETELGEUSE.dec]);
  await page.mouse.click(box.x + bp[0], box.y + bp[1]);
  await page.waitForFunction(() => window.densitySel !== null, null, { timeout: 10000 })
    .catch(() => assert.fail(`no select event after a click on a density cell at ${bp}`));
  const ids = await page.evaluate(() => window.densitySel);
  assert.equal(ids.length, 1, `a click on a density cell selects one source: ${ids}`);
  // Panning with and without the catalogue (figures only: speed is not asserted here).
  // Synchronous renders (the handle's render(): build the frame and draw it), so that the
  // figure does not depend on the display's frame rate.
  const pan = (fov) => page.evaluate(fov => {
    const v = window.viewer.v, n = 20;
    for (let i = 0; i < 3; i++) { v.setView(88 + i * 3, 7, fov); v._h.render(); }
    const t0 = performance.now();
    for (let i = 0; i < n; i++) { v.setView(100 + i * 3, 7, fov); v._h.render(); }
    return (performance.now() - t0) / n;
  }, fov);
  for (const [proj, fov] of [['AIT', 360], ['AIT', 60], ['SIN', 60]]) {
    await page.evaluate(p => window.viewer.v.setProjection(p), proj);
    const withCat = await pan(fov);
    await page.evaluate(() => window.cat.show(false));
    const without = await pan(fov);
    await page.evaluate(() => window.cat.show(true));
    console.log(`${proj} fov ${fov}°: ${withCat.toFixed(1)} ms per frame with 118k sources, ${without.toFixed(1)} ms without (ratio ${(without / withCat).toFixed(2)})`);
  }
  await page.evaluate(() => { window.viewer.v.setProjection('SIN'); window.cat.remove(); });
});

test('DS9 regions drawn as lines; unsupported and image regions reported', async () => {
  await page.evaluate(() => window.viewer.v.goto(202.483, 47.2, { fov: 0.04 }));
  await waitIdle(page);
  const before = await grab(page);
  const r = await page.evaluate(async () => {
    const reg = await window.viewer.v.addRegions('/files/regions_ds9.fk5.reg');
    window.reg = reg;
    return { count: reg.count, warnings: reg.warnings };
  });
  console.log(`regions_ds9.fk5.reg: ${r.count} drawn, warnings: ${JSON.stringify(r.warnings)}`);
  assert.ok(r.count >= 10, `only ${r.count} regions drawn`);
  await waitIdle(page);
  const after = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'regions-fk5.png') });
  const n = changed(before, after, after.w / 2, after.h / 2, Math.min(after.w, after.h) / 2);
  assert.ok(n > 300, `regions changed only ${n} pixels`);
  // The circle at (202.48643, 47.208449), r = 3.964": its outline is on the canvas at that radius.
  const c = await page.evaluate(() => window.viewer.v.worldToPixel(202.48643, 47.208449));
  const rpx = await page.evaluate(() => { const a = window.viewer.v.worldToPixel(202.48643, 47.208449 + 3.9640007 / 3600); const b = window.viewer.v.worldToPixel(202.48643, 47.208449); return Math.hypot(a[0] - b[0], a[1] - b[1]); });
  let hits = 0;
  for (let k = 0; k < 36; k++) {
    const t = k * Math.PI / 18;
    const x = c[0] + rpx * Math.cos(t), y = c[1] + rpx * Math.sin(t);
    if (changed(before, after, x, y, 1, 40) > 0) hits++;
  }
  assert.ok(hits >= 30, `the circle outline found at only ${hits}/36 angles`);
  await page.evaluate(() => window.reg.remove());

  // Galactic regions are converted to ICRS; bad text is rejected with a clear error.
  const g = await page.evaluate(async () => { const r = await window.viewer.v.addRegions('/files/regions_ds9.galactic.reg'); return { count: r.count, warnings: r.warnings }; });
  assert.ok(g.count >= 10, `galactic: ${JSON.stringify(g)}`);
  await assert.rejects(page.evaluate(() => window.viewer.v.addRegions('image\ncircle(10,10,5)\n')), /no region could be drawn.*image/);
  await assert.rejects(page.evaluate(() => window.viewer.v.addCatalog('a,b\n1,2\n3,4\n')), /no position columns.*a, b/);
});

test('STC-S footprints (s_region) of a table are drawn', async () => {
  await page.evaluate(() => window.viewer.v.goto(150, 2, { fov: 4 }));
  await waitIdle(page);
  const before = await grab(page);
  const r = await page.evaluate(async () => {
    const text = 'obs_id,s_ra,s_dec,s_region\n' +
      'a,150,2,"POLYGON ICRS 149.5 1.5 150.5 1.5 150.5 2.5 149.5 2.5"\n' +
      'b,150.8,2.8,"CIRCLE ICRS 150.8 2.8 0.3"\n' +
      'c,149.2,1.2,"NOT A REGION"\n';
    const cat = await window.viewer.v.addCatalog(text, { color: '#40c0ff' });
    window.fp = cat;
    return { rows: cat.rows(), footprints: cat.footprints, warnings: cat.warnings };
  });
  assert.equal(r.rows, 3);
  assert.ok(r.footprints, 'footprints drawn');
  assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
  await waitIdle(page);
  const after = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-footprints.png') });
  // The polygon's edge at Dec 1.5, RA 150: the line is drawn there.
  const e = await page.evaluate(() => window.viewer.v.worldToPixel(150, 1.5));
  assert.ok(changed(before, after, e[0], e[1], 2, 40) > 0, 'no footprint edge at Dec +1.5');
  await page.evaluate(() => window.fp.remove());
});

test('no console errors, offline', () => {
  assert.deepEqual(log.consoleErrors, []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(remoteRequests(log.requests), []);
});
