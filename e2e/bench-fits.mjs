// Browser timing of FITS images (issue 9), not a test: node bench-fits.mjs [FILE.fits ...]
// For each file (served by `viewer serve`) and for a synthetic 4096x4096 float32 image built
// in the page (an ArrayBuffer), in a fresh page each run: openFITS to the first complete
// frame (two animation frames after the viewer is idle), then stretch and colormap changes
// until two animation frames have started (the change is on screen). Medians of RUNS runs.
import path from 'node:path';
import { startServer, launch, waitIdle } from './lib.mjs';

const RUNS = +(process.env.RUNS || 5);
const files = process.argv.slice(2);
const server = await startServer(files);
const med = a => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

async function one(src) {
  const b = await launch();
  try {
    await b.page.goto(server.url);
    await waitIdle(b.page);
    return await b.page.evaluate(async src => {
      const v = window.viewer.v;
      const frames = n => new Promise(r => { const f = () => (--n <= 0 ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); });
      let data = src;
      if (src === 'synthetic') {
        const n = 4096, cards = [
          'SIMPLE  =                    T', 'BITPIX  =                  -32', 'NAXIS   =                    2',
          `NAXIS1  = ${String(n).padStart(20)}`, `NAXIS2  = ${String(n).padStart(20)}`,
          "CTYPE1  = 'RA---TAN'", "CTYPE2  = 'DEC--TAN'", 'CRPIX1  =               2048.5', 'CRPIX2  =               2048.5',
          'CRVAL1  =                 83.8', 'CRVAL2  =                 -5.4', 'CDELT1  =             -0.00025', 'CDELT2  =              0.00025', 'END'];
        const hdr = cards.map(c => c.padEnd(80)).join('').padEnd(2880, ' ');
        const buf = new ArrayBuffer(2880 + Math.ceil(n * n * 4 / 2880) * 2880);
        new Uint8Array(buf).set(new TextEncoder().encode(hdr));
        const dv = new DataView(buf, 2880);
        for (let i = 0; i < n * n; i++) dv.setFloat32(4 * i, Math.sin(i % n / 50) * Math.cos(Math.floor(i / n) / 70) * 100 + (i % 97));
        data = buf;
      }
      const t0 = performance.now();
      const img = await v.openFITS(data);
      const tOpen = performance.now() - t0;
      const info = img.info();
      v.goto(info.center[0], info.center[1], { fov: info.size * 1.2 });
      await v.whenIdle(); await frames(2);
      const tFirst = performance.now() - t0;
      const ops = {};
      for (const [name, s] of [['colormap', { colormap: 'viridis' }], ['colormap2', { colormap: 'grey' }], ['stretchLog', { stretch: 'log' }],
        ['zscale', { interval: 'zscale', stretch: 'linear' }], ['minmax', { interval: 'minmax' }], ['invert', { invert: true }], ['contrast', { contrast: 2, bias: 0.4 }]]) {
        const t = performance.now();
        img.setStretch(s);
        const sync = performance.now() - t;
        await frames(2);
        ops[name] = { syncMs: sync, toFrameMs: performance.now() - t };
      }
      return { name: info.name, shape: info.shape, tOpen, tFirst, ops, gpuBytes: v.gpuBytes() };
    }, src);
  } finally { await b.close(); }
}

for (const src of [...files.map(f => '/files/' + path.basename(f)), 'synthetic']) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await one(src));
  const r0 = runs[0];
  console.log(`${r0.name} ${r0.shape.join('x')}: openFITS ${med(runs.map(r => r.tOpen)).toFixed(0)} ms, first frame ${med(runs.map(r => r.tFirst)).toFixed(0)} ms (min ${Math.min(...runs.map(r => r.tFirst)).toFixed(0)}, max ${Math.max(...runs.map(r => r.tFirst)).toFixed(0)})`);
  for (const k of Object.keys(r0.ops)) {
    console.log(`  ${k}: call ${med(runs.map(r => r.ops[k].syncMs)).toFixed(1)} ms, on screen ${med(runs.map(r => r.ops[k].toFrameMs)).toFixed(1)} ms`);
  }
}
await server.stop();
