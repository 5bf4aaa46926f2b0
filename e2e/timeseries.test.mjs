// Issue 11 acceptance: gcvs_sim_detections.csv (72,245 detections of 1,200 objects) loads through
// addCatalog as a time series; a time window shows only the detections inside it (checked through the
// API against a count made here from the CSV, and by canvas pixels); clicking an object opens its
// light-curve panel with its n detections; the fold on the best period matches astropy's truth; the
// time bar's animation moves the window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, remoteRequests, waitIdle, grab, ARTIFACTS } from './lib.mjs';

const TD = path.resolve(import.meta.dirname, '..', 'testdata', 'timeseries');
let server, browser, page, log;

// The detections, read here independently of the viewer.
const rows = fs.readFileSync(path.join(TD, 'gcvs_sim_detections.csv'), 'utf8').trim().split('\n').slice(1).map(l => {
  const f = l.split(',');
  return { obj: f[1], ra: +f[2], dec: +f[3], mjd: +f[4], band: f[5], mag: +f[6], err: +f[7] };
});
const truth = JSON.parse(fs.readFileSync(path.join(TD, 'timeseries.json'), 'utf8')).objects;
const objects = new Map();
for (const r of rows) {
  if (!objects.has(r.obj)) objects.set(r.obj, { id: r.obj, det: [], x: 0, y: 0, z: 0 });
  const o = objects.get(r.obj);
  o.det.push(r);
  const a = r.ra * Math.PI / 180, d = r.dec * Math.PI / 180;
  o.x += Math.cos(d) * Math.cos(a); o.y += Math.cos(d) * Math.sin(a); o.z += Math.sin(d);
}
for (const o of objects.values()) {
  o.ra = ((Math.atan2(o.y, o.x) * 180 / Math.PI) + 360) % 360;
  o.dec = Math.atan2(o.z, Math.hypot(o.x, o.y)) * 180 / Math.PI;
}

before(async () => {
  server = await startServer([path.join(TD, 'gcvs_sim_detections.csv'), path.join(TD, 'gcvs_sim_objects.csv')]);
  ({ page, log, ...browser } = await launch());
  await page.goto(server.url + '?ra=0&dec=0&fov=360&proj=AIT');
  await waitIdle(page);
  // A black sky, so that lit pixels are markers.
  await page.evaluate(() => { for (const h of window.viewer.v.hipsLayers()) h.remove(); });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('time window: only the detections inside it are drawn (API and canvas pixels)', async () => {
  const info = await page.evaluate(async () => {
    const v = window.viewer.v;
    window.cat = await v.addCatalog('/files/gcvs_sim_detections.csv', { id: 'object_id', time: 'mjd', mag: 'mag', err: 'mag_err', band: 'band', color: '#ffffff', size: 5 });
    window.windows = [];
    v.on('timewindow', e => window.windows.push([e.t0, e.t1, e.detections]));
    return { rows: cat.rows(), series: cat.seriesInfo() };
  });
  assert.equal(info.rows, rows.length);
  assert.equal(info.series.objects, objects.size);
  assert.equal(info.series.detections, rows.length);
  assert.equal(info.series.tmin, Math.min(...rows.map(r => r.mjd)));
  assert.equal(info.series.tmax, Math.max(...rows.map(r => r.mjd)));
  assert.equal(info.series.kind, 'mag');
  assert.ok(await page.locator('.skyglass-timebar').isVisible(), 'the time bar is shown');

  for (const [t0, t1] of [[58040, 58046], [58420.5, 58423], [58800, 58801.25], [58200, 58300]]) {
    const inWin = rows.filter(r => r.mjd >= t0 && r.mjd <= t1);
    const objIn = new Set(inWin.map(r => r.obj));
    const got = await page.evaluate(([a, b]) => {
      const n = cat.setTimeWindow(a, b);
      return { n, count: cat.countInWindow(a, b), window: cat.getTimeWindow(), stats: null, last: window.windows.at(-1) };
    }, [t0, t1]);
    assert.equal(got.n, inWin.length, `window ${t0}-${t1}: detections`);
    assert.equal(got.count.detections, inWin.length);
    assert.deepEqual(new Set(got.count.objects), objIn);
    assert.deepEqual(got.window, [t0, t1]);
    assert.deepEqual(got.last, [t0, t1, inWin.length], 'timewindow event');
    await waitIdle(page);
    const stats = await page.evaluate(() => cat.stats());
    assert.equal(stats.aggregated, false, 'a window is drawn source by source');
    assert.ok(stats.visible <= inWin.length && stats.visible >= inWin.length * 0.9, `drawn ${stats.visible} of ${inWin.length}`);

    // Canvas pixels: every object with a detection in the window is lit at its position; an object
    // without one, and with no lit neighbour within 9 px, is dark.
    const img = await grab(page);
    const pos = await page.evaluate(objs => objs.map(o => window.viewer.v.worldToPixel(o.ra, o.dec)), [...objects.values()].map(o => ({ ra: o.ra, dec: o.dec })));
    const objs = [...objects.values()].map((o, k) => ({ ...o, p: pos[k] })).filter(o => o.p && o.p[0] > 3 && o.p[1] > 3 && o.p[0] < img.w - 4 && o.p[1] < img.h - 4);
    const bright = (x, y) => { let m = 0; for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) { const [r, g, b] = img.px(x + i, y + j); m = Math.max(m, r + g + b); } return m; };
    let lit = 0, dark = 0;
    for (const o of objs) {
      const b = bright(o.p[0], o.p[1]);
      if (objIn.has(o.id)) {
        assert.ok(b > 300, `object ${o.id} has a detection in ${t0}-${t1} but its pixel is dark (${b})`);
        lit++;
      } else if (!objs.some(q => objIn.has(q.id) && Math.hypot(q.p[0] - o.p[0], q.p[1] - o.p[1]) < 9)) {
        assert.ok(b < 60, `object ${o.id} has no detection in ${t0}-${t1} but its pixel is lit (${b})`);
        dark++;
      }
    }
    console.log(`window ${t0}-${t1}: ${inWin.length} detections of ${objIn.size} objects; ${lit} lit and ${dark} dark objects checked by pixels`);
    assert.ok(lit >= objIn.size * 0.9 && dark > 100, `pixel checks: ${lit} lit, ${dark} dark`);
    if (t0 !== 58200) assert.ok(objIn.size > 100, 'a window with detections');
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeseries-window.png') });
  const all = await page.evaluate(() => { const n = cat.setTimeWindow(null); return { n, w: cat.getTimeWindow() }; });
  assert.deepEqual(all, { n: rows.length, w: null });
  await assert.rejects(page.evaluate(() => cat.setTimeWindow(58100, 58000)), /ends .* before it starts/);
});

test('click an object: the light-curve panel shows its n detections; periodogram and fold match astropy', async () => {
  const o = objects.get('73473'); // δ Lib
  const t = truth.find(x => String(x.object_id) === '73473');
  await page.evaluate(p => { window.viewer.v.setProjection('SIN'); window.viewer.v.goto(p.ra, p.dec, { fov: 3 }); }, { ra: o.ra, dec: o.dec });
  await waitIdle(page);
  await page.evaluate(() => { window.selects = []; window.viewer.v.on('select', e => window.selects.push(e.ids)); });
  const box = await page.locator('#sky canvas.skyglass-canvas').boundingBox();
  const xy = await page.evaluate(p => window.viewer.v.worldToPixel(p.ra, p.dec), { ra: o.ra, dec: o.dec });
  await page.mouse.click(box.x + xy[0] + 1, box.y + xy[1]);
  await page.waitForFunction(() => window.selects.length > 0);
  assert.deepEqual(await page.evaluate(() => window.selects[0]), [73473]);
  const panel = page.locator('.skyglass-lightcurve');
  await panel.waitFor({ state: 'visible' });
  const title = await page.locator('.skyglass-lc-title').textContent();
  assert.match(title, new RegExp(`\\b73473\\b.*n = ${o.det.length}\\b`), title);
  assert.equal(o.det.length, t.n);

  const lc = await page.evaluate(() => cat.lightCurve(73473));
  const det = [...o.det].sort((a, b) => a.mjd - b.mjd);
  assert.equal(lc.n, t.n);
  assert.deepEqual(lc.time, det.map(d => d.mjd));
  assert.deepEqual(lc.value, det.map(d => d.mag));
  assert.deepEqual(lc.error, det.map(d => d.err));
  assert.deepEqual(lc.band, det.map(d => d.band));
  assert.equal(lc.tmin, t.mjd_min); assert.equal(lc.tmax, t.mjd_max);
  assert.ok(Math.abs(lc.mean - t.mag_mean) < 1e-9, `mean ${lc.mean} vs ${t.mag_mean}`);

  const pg = await page.evaluate(() => { const p = cat.periodogram(73473); return { best: p.bestPeriod, power: p.bestPower, n: p.frequency.length }; });
  console.log(`δ Lib: best period ${pg.best} d (astropy ${t.ls_best_period}), power ${pg.power} (astropy ${t.ls_best_power}), ${pg.n} frequencies`);
  assert.ok(Math.abs(pg.best / t.ls_best_period - 1) < 1e-3, 'best period within 0.1 %');
  assert.ok(Math.abs(pg.power - t.ls_best_power) < 1e-6, 'best power within 1e-6');

  // Fold through the panel: the periodogram fills the period field with the best period.
  await page.locator('.skyglass-lightcurve button', { hasText: 'Periodogram' }).click();
  const typed = await page.locator('.skyglass-lightcurve input').inputValue();
  assert.ok(Math.abs(+typed / t.ls_best_period - 1) < 1e-6, `period field ${typed}`);
  await page.locator('.skyglass-lightcurve button', { hasText: 'Fold' }).click();
  assert.equal(await page.locator('.skyglass-lightcurve button', { hasText: 'Unfold' }).count(), 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeseries-fold.png') });
  const fold = await page.evaluate(P => cat.fold(73473, P), t.ls_best_period);
  const want = det.map(d => { const f = (d.mjd - t.mjd_min) / t.ls_best_period; return f - Math.floor(f); });
  assert.equal(fold.phase.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(fold.phase[i] - want[i]) < 1e-9, `phase ${i}: ${fold.phase[i]} vs ${want[i]}`);
  await assert.rejects(page.evaluate(() => cat.fold(73473, -1)), /positive/);
  await assert.rejects(page.evaluate(() => cat.lightCurve('no-such-star')), /no object no-such-star/);

  // Brushing the light curve (shift-drag in time mode) sets the sky's time window.
  await page.locator('.skyglass-lightcurve button', { hasText: 'Unfold' }).click();
  const plot = await page.locator('.skyglass-lc-plot').boundingBox();
  await page.keyboard.down('Shift');
  await page.mouse.move(plot.x + 120, plot.y + 100);
  await page.mouse.down();
  await page.mouse.move(plot.x + 200, plot.y + 100, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const w = await page.evaluate(() => cat.getTimeWindow());
  assert.ok(w && w[1] > w[0] && w[0] > lc.tmin - 100 && w[1] < lc.tmax + 100, `brushed window ${w}`);
});

test('the time bar plays the window across the span (space toggles)', async () => {
  await page.evaluate(() => { cat.setTimeWindow(null); window.viewer.v.setProjection('AIT'); window.viewer.v.setView(0, 0, 360); });
  await page.locator('.skyglass').focus();
  await page.keyboard.press(' ');
  await page.waitForTimeout(300);
  const a = await page.evaluate(() => cat.getTimeWindow());
  await page.waitForTimeout(1200);
  const b = await page.evaluate(() => cat.getTimeWindow());
  await page.keyboard.press(' ');
  assert.ok(a && b && b[0] > a[0], `window moved: ${a} -> ${b}`);
  assert.ok(Math.abs((b[1] - b[0]) - (a[1] - a[0])) < 1e-6, 'same width');
  const c = await page.evaluate(() => cat.getTimeWindow());
  await page.waitForTimeout(400);
  assert.deepEqual(await page.evaluate(() => cat.getTimeWindow()), c, 'paused');
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeseries-play.png') });
  assert.deepEqual(remoteRequests(log.requests), []);
  assert.deepEqual(log.pageErrors, []);
});

test('objects given by an object-level table joined on the id', async () => {
  const r = await page.evaluate(async () => {
    const v = window.viewer.v;
    cat.remove();
    // Detections without positions: the positions come from the joined object table.
    const csv = await (await fetch('/files/gcvs_sim_detections.csv')).text();
    const lines = csv.trim().split('\n').map(l => { const f = l.split(','); return [f[1], f[4], f[5], f[6], f[7]].join(','); });
    const c2 = await v.addCatalog(lines.join('\n'), { format: 'csv', id: 'object_id', time: 'mjd', mag: 'mag', err: 'mag_err', objects: '/files/gcvs_sim_objects.csv' });
    const lc = c2.lightCurve(20665);
    const bad = await v.addCatalog(lines.join('\n'), { format: 'csv', id: 'object_id', time: 'mjd', mag: 'mag', objects: '/files/gcvs_sim_objects.csv', objectsId: 'nope' }).then(() => 'accepted', e => e.message);
    return { n: c2.rows(), info: c2.seriesInfo(), lc: { n: lc.n, ra: lc.ra, dec: lc.dec, name: lc.object && lc.object.gcvs_name }, bad };
  });
  assert.equal(r.n, rows.length);
  assert.equal(r.info.objects, objects.size);
  assert.equal(r.lc.n, objects.get('20665').det.length);
  assert.equal(r.lc.name, 'RT Cae');
  assert.ok(Math.abs(r.lc.ra - 66.4114) < 1e-9 && Math.abs(r.lc.dec + 38.0595) < 1e-9, `position from the objects table: ${r.lc.ra}, ${r.lc.dec}`);
  assert.match(r.bad, /no id column "nope"/);
});
