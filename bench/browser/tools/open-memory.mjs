#!/usr/bin/env node
// Where the memory added by opening a FITS file in Skyglass goes. The viewer is booted as in the
// FITS bench page (pages/skyglass-fits.html: no HiPS, SIN, the warm-up awaited), the page collects
// garbage, the file is opened from its URL and drawn, garbage is collected again, and for each
// process (renderer, GPU) the change of PSS is split by mapping (smaps: anonymous memory, which
// holds the WebAssembly memory and the JavaScript heaps; shared memory; the browser's own code
// and data), with Go's heap statistics and the growth of the WebAssembly memory.
//
// Chromium is started without DevTools (no Playwright): a DevTools session with the Network
// domain on, as Playwright's always is, keeps a copy of every response body the page downloads
// (bodies up to its per-resource limit), so in the harness (bench.mjs) the memory added by opening
// a small file from a URL includes a few times the file's size that the browser alone does not
// hold. Here the page calls gc() (--js-flags=--expose-gc) and asks this script to read the
// processes' memory through a request to /mark, which it answers once it has.
//
// With --pre, a synthetic 8×8 int16 image is opened and closed first, so that the figures are what
// one more image costs rather than the first one. Environment: ANIMATE=1 pans the view for a second
// before the first reading (the canvas's frame buffers then reach their number in use); FIT=f sets
// the field after opening to f × the image's size (1.2, as the bench page); SETTLE=ms waits that
// long after the image is drawn before the second reading (300).
//   make wasm && cd bench/browser && node tools/open-memory.mjs [--pre] FILE.fits [...]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumProcesses } from '../lib/browser.mjs';

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

// The probe page: the bench page's viewer, then before/open/after with the marks.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<style>html,body{margin:0;height:100%;background:#000;overflow:hidden}#sky{width:100%;height:100%}</style></head>
<body><div id="sky"></div><script src="/skyglass/skyglass.js"></script><script>
(async () => {
  const q = new URLSearchParams(location.search);
  const pause = ms => new Promise(r => setTimeout(r, ms));
  const collect = async () => { gc(); await pause(300); gc(); };
  const goStats = async () => { const c = await Skyglass._core(), m = c.memStats();
    return { liveMB: m.heapAlloc / 2 ** 20, heapSysMB: m.heapSys / 2 ** 20, wasmMB: c.wasmMemoryBytes() / 2 ** 20 }; };
  const mark = async (name, extra) => { await fetch('/mark?' + new URLSearchParams({ name, data: JSON.stringify(extra || {}) }), { cache: 'no-store' }); };
  try {
    const v = await Skyglass.create('#sky', { baseURL: '/skyglass/', hips: null, projection: 'SIN' });
    await v.whenIdle(); await v._warmed;
    if (q.get('pre') === '1') { const t = await v.openFITS('/files/tiny.fits'); await v.whenIdle(); t.remove(); await v.whenIdle(); }
    if (q.get('animate') === '1') {
      // a second of panning, as a user does before opening a file
      const c = v.getView(), t0 = performance.now();
      await new Promise(r => { const step = () => { const t = performance.now() - t0; v.setView(c.ra + t / 100, c.dec, c.fov); if (t < 1000) requestAnimationFrame(step); else r(); }; requestAnimationFrame(step); });
      v.setView(c.ra, c.dec, c.fov); await v.whenIdle();
    }
    await pause(500); await collect();
    await mark('before', await goStats());
    const img = await v.openFITS(q.get('fits'));
    const i = img.info();
    v.goto(i.center[0], i.center[1], { fov: i.size * +(q.get('fit') || 1.2) });
    await v.whenIdle(); await pause(+(q.get('settle') || 300)); await collect();
    await mark('after', { ...(await goStats()), shape: i.shape, bitpix: i.bitpix });
  } catch (e) { await mark('error', { message: String(e && e.message || e) }); }
})();
</script></body></html>`;

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

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'open-memory-'));
fs.writeFileSync(path.join(tmp, 'tiny.fits'), tinyFITS());

// One file: a fresh browser, the probe page, the two marks.
async function measure(file) {
  const name = path.basename(file);
  fs.copyFileSync(file, path.join(tmp, name));
  let chrome, procs = null, before = null, resolveDone;
  const done = new Promise(r => { resolveDone = r; });
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    if (u.pathname === '/mark') {
      const mark = u.searchParams.get('name'), data = JSON.parse(u.searchParams.get('data') || '{}');
      if (mark === 'before') { procs = chromiumProcesses().filter(p => p.type === 'renderer' || p.type === 'gpu-process'); before = { data, maps: procs.map(p => smaps(p.pid)) }; }
      if (mark === 'after') resolveDone({ data, maps: procs.map(p => smaps(p.pid)) });
      if (mark === 'error') resolveDone({ error: data.message });
      res.writeHead(204).end();
      return;
    }
    if (u.pathname === '/probe.html') { res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE); return; }
    const [root, rel] = u.pathname.startsWith('/skyglass/') ? [WEB, u.pathname.slice(10)] : u.pathname.startsWith('/files/') ? [tmp, u.pathname.slice(7)] : [null, ''];
    const f = root && path.resolve(root, decodeURIComponent(rel));
    if (!f || !f.startsWith(root) || !fs.existsSync(f) || !fs.statSync(f).isFile()) { res.writeHead(404).end(); return; }
    const body = fs.readFileSync(f);
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(f)] || 'application/octet-stream', 'Content-Length': body.length }).end(body);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/probe.html?` + new URLSearchParams({ fits: '/files/' + name, pre: pre ? '1' : '0', settle: process.env.SETTLE || '300', animate: process.env.ANIMATE || '0', fit: process.env.FIT || '1.2' });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'open-memory-profile-'));
  chrome = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--window-size=1024,768', `--user-data-dir=${profile}`, url], { stdio: 'ignore' });
  const timer = setTimeout(() => resolveDone({ error: 'no result within 90 s' }), 90000);
  try {
    const after = await done;
    if (after.error) return { file: name, error: after.error };
    const mb = kB => +(kB / 1024).toFixed(2);
    const decodedMB = after.data.shape[0] * after.data.shape[1] * 4 / 2 ** 20;
    const res = { file: name, shape: after.data.shape, bitpix: after.data.bitpix, decodedMB: +decodedMB.toFixed(2), pre };
    let total = 0;
    procs.forEach((p, i) => {
      const d = {};
      let sum = 0;
      for (const k of new Set([...before.maps[i].keys(), ...after.maps[i].keys()])) {
        const dv = (after.maps[i].get(k) || 0) - (before.maps[i].get(k) || 0);
        sum += dv;
        if (Math.abs(dv) >= 100) d[k] = mb(dv);
      }
      total += sum;
      res[p.type] = { totalMB: mb(sum), ...d };
    });
    res.totalMB = mb(total);
    res.perDecoded = +(total / 1024 / decodedMB).toFixed(2);
    res.go = Object.fromEntries(['liveMB', 'heapSysMB', 'wasmMB'].map(k => [k, +(after.data[k] - before.data[k]).toFixed(2)]));
    return res;
  } finally {
    clearTimeout(timer);
    chrome.kill();
    await new Promise(r => chrome.once('exit', r));
    server.closeAllConnections();
    await new Promise(r => server.close(r));
    await new Promise(r => setTimeout(r, 500)); // the browser's other processes exit after it
    try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch { /* left in the temporary folder */ }
  }
}

try {
  for (const f of files) console.log(JSON.stringify(await measure(f)));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
