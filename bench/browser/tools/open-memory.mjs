#!/usr/bin/env node
// Where the memory added by opening a FITS file in Skyglass goes: the bench page of
// targets/skyglass-fits.mjs (boot, warm-up, pause), the same forced collection before each
// reading, and then, per process (renderer, GPU), the change of PSS by mapping (smaps: anonymous
// memory, which holds the WebAssembly memory and the JavaScript heaps; shared memory; the
// browser's own code and data), with Go's heap statistics and the growth of the WebAssembly
// memory. With --pre, a synthetic 8×8 int16 image is opened and closed first, so that the
// figures are what one more image costs rather than what the first one does.
//   make wasm && cd bench/browser && node tools/open-memory.mjs [--pre] FILE.fits [...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.resolve(HERE, '../../web');
const args = process.argv.slice(2);
const pre = args.includes('--pre');
const files = args.filter(a => a !== '--pre').map(f => path.resolve(f));
if (!files.length) { console.error('usage: node tools/open-memory.mjs [--pre] FILE.fits ...'); process.exit(2); }

// A FITS file of 8×8 int16 pixels, no WCS (opened in pixel mode).
function tinyFITS() {
  const cards = ['SIMPLE  =                    T', 'BITPIX  =                   16', 'NAXIS   =                    2',
    'NAXIS1  =                    8', 'NAXIS2  =                    8', 'END'].map(c => c.padEnd(80)).join('');
  const data = Buffer.alloc(2880);
  for (let i = 0; i < 64; i++) data.writeInt16BE(10 * i, 2 * i);
  return Buffer.concat([Buffer.from(cards.padEnd(2880), 'latin1'), data]);
}

// PSS (kB) per mapping name of a process.
function smaps(pid) {
  const out = new Map();
  let name = '';
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) { name = (m[1] || '[anon]').replace(/.*\//, '').replace(/ \(deleted\)$/, ''); continue; }
    const p = /^Pss:\s+(\d+)/.exec(line);
    if (p) out.set(name, (out.get(name) || 0) + Number(p[1]));
  }
  return out;
}

// The renderer and GPU processes of the browser this process started.
function chromiumProcs() {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const pp = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(pp)) kids.set(pp, []);
      kids.get(pp).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [], stack = [process.pid];
  while (stack.length) for (const c of kids.get(stack.pop()) || []) { out.push(c); stack.push(c); }
  return out.map(pid => {
    let cmd = '';
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { /* gone */ }
    return { pid, type: (/--type=([\w-]+)/.exec(cmd) || [])[1] };
  }).filter(p => p.type === 'renderer' || p.type === 'gpu-process');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'open-memory-'));
fs.writeFileSync(path.join(tmp, 'tiny.fits'), tinyFITS());
for (const f of files) fs.copyFileSync(f, path.join(tmp, path.basename(f)));
const srv = await startServer({ roots: [['/', HERE], ['/skyglass', WEB], ['/files', tmp]] });
const MB = kB => +(kB / 1024).toFixed(2);
try {
  for (const f of files) {
    const b = await launch();
    try {
      const cdp = await b.context.newCDPSession(b.page);
      await b.page.goto(`${srv.url}/pages/skyglass-fits.html?fits=${encodeURIComponent('/files/' + path.basename(f))}&pause=1`);
      await b.page.waitForFunction(() => window.__bench && window.__bench.booted, null, { timeout: 60000 });
      if (pre) {
        await b.page.evaluate(async () => {
          const v = window.viewer.v, img = await v.openFITS('/files/tiny.fits');
          await v.whenIdle(); img.remove(); await v.whenIdle();
        });
      }
      await b.page.waitForTimeout(500);
      const go = () => b.page.evaluate(async () => {
        const m = (await window.Skyglass._core()).memStats();
        return { liveMB: m.heapAlloc / 2 ** 20, heapSysMB: m.heapSys / 2 ** 20, wasmMB: (await window.Skyglass._core()).wasmMemoryBytes() / 2 ** 20 };
      });
      const procs = chromiumProcs();
      await cdp.send('HeapProfiler.collectGarbage');
      const go0 = await go(), before = procs.map(p => smaps(p.pid));
      await b.page.evaluate(() => window.__benchGo());
      await b.page.waitForFunction(() => window.__bench.displayed, null, { timeout: 60000 });
      await b.page.waitForTimeout(300);
      await cdp.send('HeapProfiler.collectGarbage');
      const go1 = await go(), after = procs.map(p => smaps(p.pid));
      const size = await b.page.evaluate(() => window.__bench.size);
      const decodedMB = size[0] * size[1] * 4 / 2 ** 20;
      const res = { file: path.basename(f), shape: size.slice(0, 2), bitpix: size[2], decodedMB: +decodedMB.toFixed(2), pre };
      let total = 0;
      procs.forEach((p, i) => {
        const d = {};
        let sum = 0;
        for (const k of new Set([...before[i].keys(), ...after[i].keys()])) {
          const dv = (after[i].get(k) || 0) - (before[i].get(k) || 0);
          sum += dv;
          if (Math.abs(dv) >= 100) d[k] = MB(dv);
        }
        total += sum;
        res[p.type] = { totalMB: MB(sum), ...d };
      });
      res.totalMB = MB(total);
      res.perDecoded = +(total / 1024 / decodedMB).toFixed(2);
      res.go = Object.fromEntries(Object.keys(go0).map(k => [k, +(go1[k] - go0[k]).toFixed(2)]));
      console.log(JSON.stringify(res));
    } finally { await b.close(); }
  }
} finally {
  await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
