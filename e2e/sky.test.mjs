// Issue 2 acceptance: the default sky is drawn with WebGL2, the galactic centre is
// brighter than the galactic pole, nothing leaves 127.0.0.1, the page idles at ~0 CPU,
// and drag / wheel / keys move the camera.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launch, remoteRequests, waitIdle, grab, meanBrightness, ARTIFACTS } from './lib.mjs';

let server, browser, page, log;
let wasmResponse;

before(async () => {
  server = await startServer();
  ({ page, log, ...browser } = await launch());
  browser.page = page;
  page.on('response', r => { if (r.url().endsWith('/dist/skyglass.wasm')) wasmResponse = r; });
  await page.goto(server.url);
  await waitIdle(page);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('default sky: galactic centre brighter than the galactic pole, not blank, offline', async () => {
  await page.evaluate(() => window.viewer.v.goto(266.40, -28.94, { fov: 60 }));
  await waitIdle(page);
  const gc = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'sky-galactic-centre.png') });
  const cx = gc.w / 2, cy = gc.h / 2;
  const bCentre = meanBrightness(gc, cx, cy, 12);

  await page.evaluate(() => window.viewer.v.goto(192.86, 27.13));
  await waitIdle(page);
  const gp = await grab(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'sky-galactic-pole.png') });
  const bPole = meanBrightness(gp, gp.w / 2, gp.h / 2, 12);
  console.log(`brightness: galactic centre ${bCentre.toFixed(1)}, galactic pole ${bPole.toFixed(1)}`);
  assert.ok(bCentre > 2 * bPole + 10, `galactic centre (${bCentre.toFixed(1)}) is not clearly brighter than the pole (${bPole.toFixed(1)})`);

  // Not blank: the frame has structure.
  let s = 0, s2 = 0, n = 0;
  for (let i = 0; i < gc.raw.length; i += 4 * 97) { const g = (gc.raw[i] + gc.raw[i + 1] + gc.raw[i + 2]) / 3; s += g; s2 += g * g; n++; }
  const sd = Math.sqrt(s2 / n - (s / n) ** 2);
  assert.ok(sd > 8, `canvas looks blank (grey standard deviation ${sd.toFixed(2)})`);

  assert.deepEqual(remoteRequests(log.requests), [], 'requests left 127.0.0.1');
  assert.ok(log.requests.some(u => u.endsWith('/dist/skyglass.wasm')), 'the wasm was loaded');
});

test('the viewer download is brotli-compressed and at most 1.5 MB', async () => {
  assert.ok(wasmResponse, 'the wasm was not fetched');
  const enc = (await wasmResponse.allHeaders())['content-encoding'];
  const sizes = await wasmResponse.request().sizes();
  console.log(`wasm: Content-Encoding ${enc}, ${sizes.responseBodySize} bytes on the wire`);
  assert.equal(enc, 'br');
  assert.ok(sizes.responseBodySize <= 1.5e6, `wasm download ${sizes.responseBodySize} bytes`);
});

test('drag pans, wheel zooms about the cursor, keys move', async () => {
  await page.evaluate(() => window.viewer.v.goto(83.82, -5.39, { fov: 40 }));
  await waitIdle(page);
  const box = await page.locator('#sky canvas.skyglass-canvas').boundingBox();
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;

  // Drag right by 200 px: RA increases to the left, so the centre's RA decreases... the sky
  // follows the pointer: the point that was under the pointer stays under it.
  const before = await page.evaluate(([x, y]) => window.viewer.v.pixelToWorld(x, y), [box.width / 2 + 200, box.height / 2]);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(cx + 20 * i, cy);
  await page.mouse.up();
  await waitIdle(page); // inertia may glide on after the release
  const after = await page.evaluate(([x, y]) => window.viewer.v.pixelToWorld(x, y), [box.width / 2 + 200, box.height / 2]);
  const grabbed = await page.evaluate(() => { const v = window.viewer.v.getView(); return [v.ra, v.dec]; });
  const c0 = await page.evaluate(() => window.viewer.v.pixelToWorld(...[document.querySelector('#sky canvas.skyglass-canvas').clientWidth / 2, document.querySelector('#sky canvas.skyglass-canvas').clientHeight / 2]));
  assert.ok(Math.abs(grabbed[0] - 83.82) > 5, `drag did not pan (ra ${grabbed[0]})`);
  assert.ok(c0, 'centre on the sky');
  assert.ok(before && after && Math.abs(after[0] - before[0]) > 1, 'the sky moved under the pointer');

  // Animated goto ends exactly on its target.
  await page.evaluate(() => window.viewer.v.goto(10.68, 41.27, { fov: 3, animate: true, duration: 300 }));
  await waitIdle(page);
  const g = await page.evaluate(() => window.viewer.v.getView());
  assert.ok(Math.abs(g.ra - 10.68) < 1e-9 && Math.abs(g.dec - 41.27) < 1e-9 && Math.abs(g.fov - 3) < 1e-9, `animated goto ended at ${JSON.stringify(g)}`);
  await page.evaluate(() => window.viewer.v.goto(83.82, -5.39, { fov: 40 }));
  await waitIdle(page);

  // Wheel: zoom in about a point off-centre; that sky point stays under the cursor.
  const px = box.width * 0.7, py = box.height * 0.4;
  const under = await page.evaluate(([x, y]) => window.viewer.v.pixelToWorld(x, y), [px, py]);
  const fov0 = await page.evaluate(() => window.viewer.v.getView().fov);
  await page.mouse.move(box.x + px, box.y + py);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(f => window.viewer.v.getView().fov < f, fov0);
  const fov1 = await page.evaluate(() => window.viewer.v.getView().fov);
  const back = await page.evaluate(([ra, dec]) => window.viewer.v.worldToPixel(ra, dec), under);
  assert.ok(fov1 < fov0 * 0.9, `wheel did not zoom in (${fov0} -> ${fov1})`);
  assert.ok(Math.hypot(back[0] - px, back[1] - py) < 2, `zoom moved the point under the cursor by ${Math.hypot(back[0] - px, back[1] - py).toFixed(2)} px`);

  // Keyboard: '+' zooms in, ArrowLeft pans (east, RA increases).
  await page.locator('#sky .skyglass').focus();
  const v0 = await page.evaluate(() => window.viewer.v.getView());
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  const v1 = await page.evaluate(() => window.viewer.v.getView());
  assert.ok(v1.fov < v0.fov, 'key + zooms in');
  assert.ok(Math.abs(v1.ra - v0.ra) > 0.01, 'ArrowLeft pans');
  await waitIdle(page);
});

test('idle: no redraw and ~0 CPU with nothing moving', async () => {
  await waitIdle(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(m => [m.name, m.value]));
  const f0 = await page.evaluate(() => window.viewer.v.frameCount());
  const m0 = await metric();
  await new Promise(r => setTimeout(r, 3000));
  const m1 = await metric();
  const f1 = await page.evaluate(() => window.viewer.v.frameCount());
  const busy = (m1.TaskDuration - m0.TaskDuration) / (m1.Timestamp - m0.Timestamp);
  console.log(`idle: ${f1 - f0} frames in 3 s, main thread busy ${(100 * busy).toFixed(2)} %`);
  assert.equal(f1 - f0, 0, 'the viewer redrew while nothing changed');
  assert.ok(busy < 0.02, `main thread busy ${(100 * busy).toFixed(1)} % while idle`);
});

test('no console errors or unhandled rejections', () => {
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.consoleErrors, []);
});
