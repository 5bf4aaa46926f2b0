// Issue 6: the stretches and colormaps drawn by WebGL2 (internal/stretch's GLSL in the data
// shader) agree with the CPU reference (stretch.Params.Color) to 1/255 per channel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch } from './lib.mjs';

let server, b;
before(async () => { server = await startServer(); b = await launch(); });
after(async () => { if (b) await b.close(); if (server) await server.stop(); });

test('every stretch and colormap: WebGL2 equals the CPU reference', async () => {
  await b.page.goto(`${server.url}`);
  const res = await b.page.evaluate(async () => {
    const core = await Skyglass._core();
    const c = document.createElement('canvas');
    document.body.appendChild(c);
    const r = core.selfTestStretch(c);
    c.remove();
    return r;
  });
  console.log(`stretch self-test: ${res.cases} cases, ${res.pixels} pixels compared, ${res.ambiguous} on cell boundaries skipped, max difference ${res.maxDiff}/255 ${res.worst}`);
  assert.equal(res.error, undefined, res.error);
  assert.ok(res.cases >= 8 + 2 * 21, `only ${res.cases} cases`);
  assert.ok(res.ambiguous < res.pixels / 100, `${res.ambiguous} ambiguous pixels`);
  assert.ok(res.maxDiff <= 1, `max difference ${res.maxDiff}/255: ${res.worst}`);
  assert.deepEqual(b.log.consoleErrors, []);
  assert.deepEqual(b.log.pageErrors, []);
});
