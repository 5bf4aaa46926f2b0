// Browser timing of catalogue overlays (issue 10), not a test: node bench-catalog.mjs
// In a fresh page per run (1024x768, Mellinger sky, SIN 60° at the Galactic centre, the bench harness's
// dirbe60 pan path: 24°/s in RA with a ±10° Dec wobble): frames per second (requestAnimationFrame
// intervals, as the harness measures) while panning for 5 s without a catalogue, then with
// hipparcos_stars.csv (118,216 stars); its load to first frame. Medians of RUNS runs. The 10⁶-source
// synthetic catalogue, and Aladin Lite on both, are measured by the harness (bench/browser,
// datasets dirbe60-hip and dirbe60-1m).
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
      const t = performance.now();
      const cat = await v.addCatalog('/files/hipparcos_stars.csv', { id: 'hip', color: '#ff5040', size: 8 });
      await v.whenIdle();
      const hipLoad = performance.now() - t;
      const hipStats = cat.stats();
      await reset();
      const withHip = await pan();
      return { without, withHip, hipLoad, hipStats };
    });
  } finally { await b.close(); }
}

const r = [];
for (let i = 0; i < RUNS; i++) { r.push(await one()); console.error(`run ${i + 1}: ${JSON.stringify(r.at(-1))}`); }
console.log(`Skyglass, ${RUNS} runs, median (min-max)`);
console.log(`pan fps without a catalogue           ${fmt(r.map(x => x.without))}`);
console.log(`pan fps with hipparcos (118k)         ${fmt(r.map(x => x.withHip))}   ratio ${fmt(r.map(x => x.withHip / x.without), 2)}`);
console.log(`hipparcos load to first frame (ms)    ${fmt(r.map(x => x.hipLoad), 0)}`);
await server.stop();
