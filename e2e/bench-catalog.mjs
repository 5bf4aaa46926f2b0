// Browser timing of catalogue overlays (issue 10), not a test: node bench-catalog.mjs
// In a fresh page per run (1024x768, Mellinger sky, SIN 60° at the Galactic centre, the bench harness's
// dirbe60 pan path: 24°/s in RA with a ±10° Dec wobble): frames per second (requestAnimationFrame
// intervals, as the harness measures) while panning for 5 s without a catalogue, then with
// hipparcos_stars.csv (118,218 stars), then with a synthetic 10⁶-source catalogue (uniform on the
// sphere, fixed seed, built in the page); load-to-first-frame of both catalogues. Medians of RUNS runs.
import path from 'node:path';
import { startServer, launch, waitIdle } from './lib.mjs';

const RUNS = +(process.env.RUNS || 3);
const TD = path.resolve(import.meta.dirname, '..', 'testdata', 'catalog');
const server = await startServer([path.join(TD, 'hipparcos_stars.csv')]);
const med = a => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const fmt = (a, d = 1) => `${med(a).toFixed(d)} (${Math.min(...a).toFixed(d)}-${Math.max(...a).toFixed(d)})`;

async function one() {
  const b = await launch();
  try {
    await b.page.goto(server.url + '?ra=266.4&dec=-28.94&fov=60');
    await waitIdle(b.page);
    return await b.page.evaluate(async () => {
      const v = window.viewer.v;
      const pan = () => new Promise(res => {
        const iv = []; let last = 0; const t0 = performance.now();
        const step = now => {
          const t = now - t0;
          v.setView(((266.4 + 24 * t / 1000) % 360 + 360) % 360, -28.94 + 10 * Math.sin(2 * Math.PI * t / 5000), 60);
          if (last) iv.push(now - last);
          last = now;
          if (t < 5000) requestAnimationFrame(step); else res(1000 / (iv.reduce((a, x) => a + x, 0) / iv.length));
        };
        requestAnimationFrame(step);
      });
      const reset = async () => { v.setView(266.4, -28.94, 60); await v.whenIdle(); await new Promise(r => setTimeout(r, 300)); };
      await reset();
      const without = await pan();
      await reset();
      let t = performance.now();
      const cat = await v.addCatalog('/files/hipparcos_stars.csv', { id: 'hip', color: '#ff5040', size: 8 });
      await v.whenIdle();
      const hipLoad = performance.now() - t;
      const hipStats = cat.stats();
      await reset();
      const withHip = await pan();
      cat.remove();
      // 10⁶ uniform sources, fixed seed (mulberry32), as CSV text.
      let s = 12345;
      const rnd = () => { s |= 0; s = s + 0x6D2B79F5 | 0; let x = Math.imul(s ^ s >>> 15, 1 | s); x = x + Math.imul(x ^ x >>> 7, 61 | x) ^ x; return ((x ^ x >>> 14) >>> 0) / 4294967296; };
      const lines = ['id,ra,dec'];
      for (let i = 0; i < 1e6; i++) lines.push(`${i},${(rnd() * 360).toFixed(6)},${(Math.asin(2 * rnd() - 1) * 180 / Math.PI).toFixed(6)}`);
      const text = lines.join('\n');
      await reset();
      t = performance.now();
      const big = await v.addCatalog(text, { format: 'csv', id: 'id', size: 6 });
      await v.whenIdle();
      const bigLoad = performance.now() - t;
      const bigStats = big.stats();
      await reset();
      const withBig = await pan();
      return { without, withHip, withBig, hipLoad, bigLoad, hipStats, bigStats };
    });
  } finally { await b.close(); }
}

const r = [];
for (let i = 0; i < RUNS; i++) { r.push(await one()); console.error(`run ${i + 1}: ${JSON.stringify(r.at(-1))}`); }
console.log(`Skyglass, ${RUNS} runs, median (min-max)`);
console.log(`pan fps without a catalogue           ${fmt(r.map(x => x.without))}`);
console.log(`pan fps with hipparcos (118k)         ${fmt(r.map(x => x.withHip))}   ratio ${fmt(r.map(x => x.withHip / x.without), 2)}`);
console.log(`pan fps with 10^6 synthetic           ${fmt(r.map(x => x.withBig))}   ratio ${fmt(r.map(x => x.withBig / x.without), 2)}`);
console.log(`hipparcos load to first frame (ms)    ${fmt(r.map(x => x.hipLoad), 0)}`);
console.log(`10^6 load to first frame (ms)         ${fmt(r.map(x => x.bigLoad), 0)}`);
await server.stop();
