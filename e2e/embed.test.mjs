// docs/embedding.md's minimal example, loaded exactly as written (only the server address is
// replaced by the test server's), works in a page of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, grab } from './lib.mjs';

let server, b;
before(async () => { server = await startServer(); b = await launch(); });
after(async () => { if (b) await b.close(); if (server) await server.stop(); });

test('the documented embedding snippet shows the sky', async () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../docs/embedding.md'), 'utf8');
  const m = /```html\n([\s\S]*?)```/.exec(doc);
  assert.ok(m, 'no html block in docs/embedding.md');
  const snippet = m[1].replaceAll('http://127.0.0.1:8080/', server.url);
  // A host page of another origin would do the same; here the snippet is the whole body. The page
  // starts as an empty document of the server's origin: the standalone index.html's own viewer,
  // still booting when its document was replaced, raced the snippet for its #sky (a flaky page error).
  await b.page.route(`${server.url}host.html`, r => r.fulfill({ contentType: 'text/html', body: '<!doctype html><link rel="icon" href="data:,">' }));
  await b.page.goto(`${server.url}host.html`);
  await b.page.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>portal</title></head><body>${snippet}</body></html>`);
  await b.page.waitForFunction(() => window.skyViewer && window.skyViewer.isIdle && window.skyViewer.isIdle(), null, { timeout: 20000, polling: 50 });
  const v = await b.page.evaluate(() => window.skyViewer.getView());
  assert.ok(Math.abs(v.ra - 83.82) < 1e-9 && Math.abs(v.dec + 5.39) < 1e-9 && Math.abs(v.fov - 30) < 1e-9, JSON.stringify(v));
  assert.equal(v.width, 800);
  const img = await grab(b.page, 'window.skyViewer');
  let bright = 0;
  for (let i = 0; i < img.raw.length; i += 4) if (img.raw[i] + img.raw[i + 1] + img.raw[i + 2] > 30) bright++;
  assert.ok(bright > img.w * img.h * 0.01, `the sky looks empty (${bright} bright pixels)`);
  // The viewer only added elements inside #sky.
  const outside = await b.page.evaluate(() => [...document.body.children].map(e => e.id || e.tagName));
  assert.deepEqual(outside.filter(x => x !== 'sky' && x !== 'SCRIPT'), []);
  assert.deepEqual(b.log.pageErrors, []);
  assert.deepEqual(b.log.consoleErrors, []);
});

test('skyglass.d.ts is served next to skyglass.js', async () => {
  const r = await fetch(`${server.url}skyglass.d.ts`);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /export function create\(/);
});
