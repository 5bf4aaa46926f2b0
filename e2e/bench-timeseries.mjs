// Browser timing of time-series catalogues (issue 11), not a test: node bench-timeseries.mjs
// In a fresh page per run (1024x768, Mellinger sky, SIN 120° at the Galactic centre):
// - addCatalog of gcvs_sim_detections.csv (72,245 detections) as a time series (parse + grouping
//   into 1,200 objects) and as a plain catalogue (parse only), from bytes already in the page;
// - one Lomb-Scargle periodogram (astropy grid 1/1000..20 per day, 10 samples per peak), 7 calls;
// - frames drawn per second while the time bar plays for 4 s, and while the same table shown as a
//   plain catalogue is panned (the view moved every animation frame) for 4 s.
// Medians of RUNS runs (min-max).
import path from 'node:path';
import { startServer, launch, waitIdle } from './lib.mjs';

const RUNS = +(process.env.RUNS || 5);
const TD = path.resolve(import.meta.dirname, '..', 'testdata', 'timeseries');
const server = await startServer([path.join(TD, 'gcvs_sim_detections.csv')]);
const med = a => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const fmt = a => `${med(a).toFixed(1)} (${Math.min(...a).toFixed(1)}-${Math.max(...a).toFixed(1)})`;

async function one() {
  const b = await launch();
  try {
    await b.page.goto(server.url + '?ra=266.4&dec=-28.9&fov=120');
    await waitIdle(b.page);
    return await b.page.evaluate(async () => {
      const v = window.viewer.v;
      const bytes = new Uint8Array(await (await fetch('/files/gcvs_sim_detections.csv')).arrayBuffer());
      let t = performance.now();
      const plain = await v.addCatalog(bytes.slice(), { color: '#ff5040', size: 6 });
      const plainMs = performance.now() - t;
      // Pan the plain catalogue: the view moves every animation frame for 4 s.
      await v.whenIdle();
      const pan = await new Promise(res => {
        const f0 = v.frameCount(), t0 = performance.now();
        const step = now => {
          const s = (now - t0) / 1000;
          v.setView(266.4 + 24 * s, -28.9 + 10 * Math.sin(s), 120);
          if (s < 4) requestAnimationFrame(step); else res((v.frameCount() - f0) / s);
        };
        requestAnimationFrame(step);
      });
      plain.remove();
      v.setView(266.4, -28.9, 120);
      t = performance.now();
      const cat = await v.addCatalog(bytes.slice(), { id: 'object_id', time: 'mjd', mag: 'mag', err: 'mag_err', band: 'band', size: 6 });
      const seriesMs = performance.now() - t;
      const groupMs = cat.seriesInfo().groupMs;
      const pg = [];
      for (let k = 0; k < 7; k++) { const t1 = performance.now(); cat.periodogram(73473); pg.push(performance.now() - t1); }
      pg.sort((a, b) => a - b);
      await v.whenIdle();
      // Play the time bar for 4 s.
      const play = await new Promise(res => {
        const f0 = v.frameCount(), t0 = performance.now();
        v._timeBar.play();
        setTimeout(() => { const s = (performance.now() - t0) / 1000; v._timeBar.stop(); res((v.frameCount() - f0) / s); }, 4000);
      });
      return { plainMs, seriesMs, groupMs, pgMs: pg[3], pan, play };
    });
  } finally { await b.close(); }
}

const r = [];
for (let i = 0; i < RUNS; i++) { r.push(await one()); console.error(`run ${i + 1}: ${JSON.stringify(r.at(-1))}`); }
console.log(`gcvs_sim_detections.csv, ${RUNS} runs, median (min-max)`);
console.log(`addCatalog plain (parse)                ${fmt(r.map(x => x.plainMs))} ms`);
console.log(`addCatalog time series (parse + group)  ${fmt(r.map(x => x.seriesMs))} ms`);
console.log(`grouping alone (timed in Go)             ${fmt(r.map(x => x.groupMs))} ms`);
console.log(`one periodogram (median of 7 calls)     ${fmt(r.map(x => x.pgMs))} ms`);
console.log(`pan fps, plain catalogue                ${fmt(r.map(x => x.pan))}`);
console.log(`play fps, time bar                      ${fmt(r.map(x => x.play))}`);
console.log(`play / pan                              ${fmt(r.map(x => x.play / x.pan))}`);
await server.stop();
