#!/usr/bin/env node
// Peer-viewer benchmark harness (headless Chromium, offline, loopback only).
//
//   node bench.mjs aladin            # Aladin Lite v3 on the local HiPS
//   node bench.mjs js9               # JS9 on local FITS files
//   node bench.mjs ./targets/own-viewer.mjs --url=http://127.0.0.1:8080/viewer.html   # any other target module
//
// Options: --runs=N (default 5)  --datasets=a,b  --quick (1 run, 2 s motions)  --shots=first|all|none
//          --wait-idle=S (default 60: before each run wait up to S s until other processes use <15% CPU; 0 = don't)
//          --max-foreign=P --retries=N (default 25, 2: repeat a run if other processes used > P % of the machine)
//          --motion=0 (skip the pan/zoom motions: load, ops and memory only)
//          --out=results/NAME    anything else --key=value is passed to the target as env.opts.key
//
// A target is an ES module whose default export is an object:
//   name, description, viewport {width,height}
//   datasets: { id: {...} }, defaultDatasets: [ids]
//   pageUrl(ds, id, env)        -> path on the harness server ('/pages/x.html?...') or an absolute URL
//   firstFrame                  in-page predicate () => boolean: "a complete frame is on screen and nothing is pending"
//                               (the harness also requires: no request in flight, >= minDataRequests data requests
//                               finished, predicate true on stableFrames consecutive animation frames)
//   setView                     in-page (ra, dec, fov) => void; with it, pan/zoom follow the shared paths in
//                               lib/scenarios.mjs (ds.pan / ds.zoom)      -- or give explicit step functions:
//   panStep, zoomStep           in-page (i, tMs, ctx) => void, called once per animation frame; ctx.params = ds.pan|ds.zoom
//   ops                         optional [{name, fn: in-page (arg) => void|Promise, arg}] timed one by one after load
//   prepare(env)                optional node-side async setup, run once before the runs
//   roots                       optional extra [urlPrefix, dir] pairs for the static server
//   isDataUrl(url)              optional: which loopback requests count as data (default: paths under /data/ or /cache/)
// In-page functions must be arrow functions or function expressions that use only page globals.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './lib/server.mjs';
import { launch, chromiumMemory, CHROMIUM_ARGS, cpuSnapshot, cpuDelta, waitIdle } from './lib/browser.mjs';
import { viewAt } from './lib/scenarios.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// The shared data (HiPS, FITS) live outside the repository: BENCH_DATA or ../../../shared/data.
const DATA = process.env.BENCH_DATA || path.resolve(HERE, '../../../shared/data');

// ---------- CLI ----------
const argv = process.argv.slice(2);
const opts = {};
const positional = [];
for (const a of argv) {
  const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
  if (m) opts[m[1]] = m[2] === undefined ? true : m[2]; else positional.push(a);
}
if (!positional[0]) { console.error('usage: node bench.mjs <aladin|js9|path/to/target.mjs> [--runs=5] [--datasets=a,b] [--quick] [--shots=first|all|none]'); process.exit(2); }
const targetPath = fs.existsSync(positional[0]) ? path.resolve(positional[0]) : path.join(HERE, 'targets', positional[0] + '.mjs');
const target = (await import(pathToFileURL(targetPath).href)).default;
const runs = opts.quick ? 1 : Number(opts.runs || 5);
const shotsMode = opts.shots || 'first';
const datasetIds = (opts.datasets ? String(opts.datasets).split(',') : target.defaultDatasets || Object.keys(target.datasets));
const outBase = path.resolve(HERE, opts.out || path.join('results', target.name));
fs.mkdirSync(path.dirname(outBase), { recursive: true });
fs.mkdirSync(path.join(HERE, 'shots'), { recursive: true });
const env = { HERE, DATA, opts };

// ---------- helpers ----------
function fnSrc(f) {
  let s = typeof f === 'string' ? f : f.toString();
  if (/^(async\s+)?[A-Za-z_$][\w$]*\s*\(/.test(s) && !/^(async\s+)?function\b/.test(s)) s = s.replace(/^(async\s+)?/, m => (m || '') + 'function ');
  return s;
}
const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = a => { const s = [...a].sort((x, y) => x - y); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : null; };

function trackNetwork(page, base) {
  const list = [];
  const byReq = new Map();
  const pending = new Set();
  const loopback = u => { try { return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname); } catch { return false; } };
  const pathOf = u => { try { return new URL(u).pathname; } catch { return ''; } };
  const category = u => (u.startsWith('data:') || u.startsWith('blob:')) ? 'inline'
    : !loopback(u) ? 'remote'
    : (target.isDataUrl ? target.isDataUrl(u) : /^\/(data|cache)\//.test(pathOf(u))) ? 'data'
    : u.startsWith(base + '/pages/') ? 'page' : 'bundle';
  page.on('request', r => {
    const e = { url: r.url(), type: r.resourceType(), cat: category(r.url()), t0: Date.now(), done: false, bytes: 0 };
    list.push(e); byReq.set(r, e); if (e.cat !== 'inline') pending.add(e);
  });
  const finish = async (r, failed) => {
    const e = byReq.get(r); if (!e) return;
    if (failed) e.failed = r.failure()?.errorText || 'failed';
    else {
      try { const resp = await r.response(); e.status = resp ? resp.status() : null; } catch { }
      try { const s = await r.sizes(); e.bytes = s.responseBodySize; } catch { }
    }
    e.done = true; e.t1 = Date.now(); pending.delete(e);
  };
  page.on('requestfinished', r => finish(r, false));
  page.on('requestfailed', r => finish(r, true));
  return {
    list,
    inflight: () => pending.size,
    dataDone: () => list.filter(e => e.cat === 'data' && e.done && !e.failed).length,
    summary() {
      const s = { requests: list.length, pageBytes: 0, bundleBytes: 0, dataBytes: 0, dataRequests: 0, bundleRequests: 0, failed: 0, remote: [], httpErrors: [] };
      for (const e of list) {
        if (e.cat === 'page') s.pageBytes += e.bytes;
        if (e.cat === 'bundle') { s.bundleBytes += e.bytes; s.bundleRequests++; }
        if (e.cat === 'data') { s.dataBytes += e.bytes; s.dataRequests++; }
        if (e.failed && e.cat !== 'remote') s.failed++;
        if (e.cat === 'remote') s.remote.push(e.url.slice(0, 200));
        if (e.status >= 400) s.httpErrors.push(`${e.status} ${e.url.replace(base, '')}`);
        if (e.cat === 'data' && (s.dataList = s.dataList || []).length < 40) s.dataList.push(`${e.type} ${e.status ?? e.failed} ${e.bytes} ${e.url.replace(base, '').slice(0, 120)}`);
      }
      return s;
    },
  };
}

async function probe(page, src) {
  try { return await page.evaluate(s => window.__benchRT ? window.__benchRT.probe(s) : { ok: false, now: performance.now() }, src); }
  catch { await sleep(20); return { ok: false, now: null }; }
}

// Wait until the target's predicate holds (with no request in flight) on `stable` consecutive frames.
async function waitComplete(page, net, { minData = 0, stable = 3, timeoutMs = 120000 } = {}) {
  const src = fnSrc(target.firstFrame);
  const t0 = Date.now(); let count = 0; let first = null;
  while (Date.now() - t0 < timeoutMs) {
    const r = await probe(page, src);
    const ok = r.ok && net.inflight() === 0 && net.dataDone() >= minData;
    if (ok) { if (count === 0) first = r.now; if (++count >= stable) return first; }
    else count = 0;
  }
  throw new Error(`no complete frame within ${timeoutMs} ms`);
}

async function memory(cdp) {
  try { await cdp.send('HeapProfiler.collectGarbage'); } catch { }
  const m = await cdp.send('Performance.getMetrics');
  const get = n => (m.metrics.find(x => x.name === n) || {}).value;
  const p = chromiumMemory();
  return {
    jsHeapUsedMB: get('JSHeapUsedSize') / 2 ** 20, jsHeapTotalMB: get('JSHeapTotalSize') / 2 ** 20,
    rendererPssMB: p.rendererPssKB / 1024, gpuPssMB: p.gpuPssKB / 1024, chromiumTotalPssMB: p.totalPssKB / 1024,
  };
}

function imageStats(file) {
  try {
    const out = execFileSync('convert', [file, '-colorspace', 'Gray', '-format', '%[fx:mean] %[fx:standard_deviation]', 'info:'], { encoding: 'utf8' });
    const [mean, sd] = out.trim().split(/\s+/).map(Number);
    return { mean: +mean.toFixed(4), stddev: +sd.toFixed(4), looksBlank: !(sd > 0.01) };
  } catch (e) { return { error: String(e.message).slice(0, 100) }; }
}

function stepSource(kind, ds) {
  const explicit = kind === 'pan' ? target.panStep : target.zoomStep;
  if (explicit) return fnSrc(explicit);
  if (!target.setView) throw new Error(`target ${target.name} has neither ${kind}Step nor setView`);
  return `(i, t, ctx) => { const v = (${fnSrc(viewAt)})(ctx.params, t); (${fnSrc(target.setView)})(v.ra, v.dec, v.fov); }`;
}

async function shot(page, name, run) {
  if (shotsMode === 'none' || (shotsMode === 'first' && run !== 1)) return null;
  const file = path.join(HERE, 'shots', `${path.basename(outBase)}-${name}${shotsMode === 'all' ? '-run' + run : ''}.png`);
  await page.screenshot({ path: file });
  return { file: path.relative(HERE, file), ...imageStats(file) };
}

async function runOne(server, id, run) {
  const ds = { ...target.datasets[id] };
  const motionMs = opts.quick ? 2000 : null;
  for (const k of ['pan', 'zoom']) if (ds[k] && motionMs) ds[k] = { ...ds[k], durationMs: motionMs, periodMs: ds[k].periodMs ? motionMs : undefined };
  const res = { dataset: id, run, loadavgBefore: os.loadavg()[0] };
  if (opts['wait-idle'] !== '0') res.idleWait = await waitIdle({ maxMs: 1000 * Number(opts['wait-idle'] || 60) });
  const cpu0 = cpuSnapshot();
  const b = await launch({ viewport: target.viewport });
  const { page, context } = b;
  const errors = [];
  try {
    await page.addInitScript({ path: path.join(HERE, 'lib', 'inpage.js') });
    page.on('pageerror', e => errors.push('pageerror: ' + e.message.slice(0, 200)));
    page.on('console', m => { if (m.type() === 'error') errors.push('console: ' + m.text().slice(0, 200)); });
    const net = trackNetwork(page, server.url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let url = target.pageUrl(ds, id, env);
    if (url.startsWith('/')) url = server.url + url;
    res.url = url.replace(server.url, '');
    // ---- load ----
    await page.goto(url, { waitUntil: 'commit' });
    if (target.baseline) {
      // optional memory baseline in the same page: wait for target.baseline.ready, measure, then .go;
      // the page reports the pause as __bench.pausedMs, subtracted from firstFrameMs below
      const bsrc = fnSrc(target.baseline.ready), t0 = Date.now();
      while (!(await probe(page, bsrc)).ok) if (Date.now() - t0 > 60000) throw new Error('baseline.ready never held');
      res.memBefore = await memory(cdp);
      await page.evaluate(s => (0, eval)('(' + s + ')')(), fnSrc(target.baseline.go));
    }
    res.firstFrameMs = await waitComplete(page, net, { minData: target.minDataRequests ?? 1 });
    if (target.baseline) res.firstFrameMs -= await page.evaluate(() => (window.__bench && window.__bench.pausedMs) || 0);
    res.load = net.summary();
    res.pageInfo = await page.evaluate(() => { const b = window.__bench || {}; const o = {}; for (const k of ['size', 'tInit', 'tCreated', 'tReady', 'tWarm', 'tOpen', 'tOnload', 'pausedMs', 'tCompiled', 'tCore', 'openMs']) if (b[k] !== undefined) o[k] = b[k]; return o; }).catch(() => ({}));
    res.memLoad = await memory(cdp);
    if (target.decodedBytes) {
      // memory per decoded image byte: whole renderer+GPU PSS, and the increase caused by opening (same page)
      const mb = (await page.evaluate(s => (0, eval)('(' + s + ')')(), fnSrc(target.decodedBytes))) / 2 ** 20;
      const tot = m => m.rendererPssMB + m.gpuPssMB;
      res.memRatio = { decodedMB: mb, totalPerDecoded: tot(res.memLoad) / mb };
      if (res.memBefore) Object.assign(res.memRatio, { openDeltaMB: tot(res.memLoad) - tot(res.memBefore), openDeltaPerDecoded: (tot(res.memLoad) - tot(res.memBefore)) / mb });
    }
    res.shotLoad = await shot(page, `${id}-load`, run);
    // ---- single operations (optional) ----
    if (target.ops) {
      res.ops = {};
      for (const op of target.ops) {
        res.ops[op.name] = await page.evaluate(([s, a]) => window.__benchRT.op(s, a), [fnSrc(op.fn), op.arg ?? null]);
        if (op.shot) res.ops[op.name].shot = await shot(page, `${id}-op-${op.name}`, run);
      }
      await waitComplete(page, net, { minData: 0, timeoutMs: 30000 }).catch(() => {});
    }
    // ---- pan / zoom ----
    for (const kind of ['pan', 'zoom']) {
      if (!ds[kind] || opts.motion === '0') continue;
      if (target.beforeMotion) await page.evaluate(s => (0, eval)('(' + s + ')')(), fnSrc(target.beforeMotion)).catch(() => {});
      const m = await page.evaluate(([s, p, d]) => window.__benchRT.motion(s, p, d), [stepSource(kind, ds), ds[kind], ds[kind].durationMs]);
      const tEnd = await page.evaluate(() => performance.now());
      try { m.settleMs = (await waitComplete(page, net, { minData: 0, timeoutMs: 60000 })) - tEnd; } catch (e) { m.settleMs = null; m.settleError = e.message; }
      res[kind] = m;
      res['mem' + kind[0].toUpperCase() + kind.slice(1)] = await memory(cdp);
      res['shot' + kind[0].toUpperCase() + kind.slice(1)] = await shot(page, `${id}-${kind}`, run);
    }
    res.net = net.summary();
    res.loadavgAfter = os.loadavg()[0];
    res.cpu = cpuDelta(cpu0, cpuSnapshot());
  } catch (e) {
    res.error = String(e && e.stack || e).slice(0, 500);
  } finally {
    res.errors = errors.slice(0, 20);
    await b.close();
  }
  return res;
}

// flatten numeric leaves -> {'a.b': n}
function flatten(o, pre = '', out = {}) {
  for (const [k, v] of Object.entries(o || {})) {
    const key = pre ? `${pre}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
  }
  return out;
}

// ---------- main ----------
if (target.prepare) await target.prepare(env);
const server = await startServer({ roots: [['/', HERE], ['/data', DATA], ...(target.roots || [])] });
env.base = server.url;   // harness server origin, e.g. for a page served elsewhere that must fetch /data from here
const all = [];
try {
  for (let run = 1; run <= runs; run++) {
    for (const id of datasetIds) {
      const t = Date.now();
      // a run during which other processes used more than --max-foreign % of the machine is repeated
      // (at most --retries times); the cleanest attempt is kept
      const maxForeign = Number(opts['max-foreign'] ?? 25), retries = Number(opts.retries ?? 2);
      let r = null;
      for (let attempt = 0; attempt <= retries; attempt++) {
        const a = await runOne(server, id, run);
        a.attempt = attempt + 1;
        if (!r || (a.cpu?.foreignPct ?? 100) < (r.cpu?.foreignPct ?? 100) || (r.error && !a.error)) r = a;
        r.attempts = attempt + 1;
        if (!a.error && (a.cpu?.foreignPct ?? 0) <= maxForeign) break;
      }
      all.push(r);
      const f = x => (x == null ? '-' : (+x).toFixed(1));
      console.log(`[${target.name}] run ${run}/${runs} ${id}: firstFrame ${f(r.firstFrameMs)} ms, pan ${f(r.pan?.fps)} fps, zoom ${f(r.zoom?.fps)} fps, heap ${f(r.memLoad?.jsHeapUsedMB)} MB, other CPU ${f(r.cpu?.foreignPct)} %` +
        `${r.error ? '  ERROR ' + r.error.split('\n')[0] : ''} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    }
  }
} finally { await server.close(); }

const summary = {};
for (const id of datasetIds) {
  const rs = all.filter(r => r.dataset === id && !r.error).map(r => flatten(r));
  const keys = [...new Set(rs.flatMap(r => Object.keys(r)))].filter(k => k !== 'run');
  summary[id] = {};
  for (const k of keys) {
    const v = rs.map(r => r[k]).filter(x => typeof x === 'number');
    if (v.length) summary[id][k] = { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
  }
}
const chromiumVersion = (() => { try { return execFileSync(process.env.BENCH_CHROMIUM || '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(); } catch { return null; } })();
const meta = {
  target: target.name, description: target.description, date: new Date().toISOString(), runs, datasets: datasetIds,
  viewport: target.viewport, chromium: chromiumVersion, chromiumArgs: CHROMIUM_ARGS, node: process.version,
  bundleOnDisk: target.bundleFiles ? target.bundleFiles.map(f => { const p = path.join(HERE, f); const buf = fs.readFileSync(p); return { file: f, bytes: buf.length, gzip9: zlib.gzipSync(buf, { level: 9 }).length }; }) : undefined,
};
fs.writeFileSync(outBase + '.json', JSON.stringify({ meta, summary, runs: all }, null, 1));

// markdown table of the headline figures
const KEYS = target.headline || ['firstFrameMs', 'load.bundleBytes', 'load.dataBytes', 'load.dataRequests', 'memLoad.jsHeapUsedMB', 'memLoad.rendererPssMB', 'memLoad.gpuPssMB',
  'pan.fps', 'pan.frameMs.p95', 'pan.longAnimationFrames', 'pan.settleMs', 'zoom.fps', 'zoom.frameMs.p95', 'zoom.longAnimationFrames', 'zoom.settleMs', 'memZoom.jsHeapUsedMB', 'memZoom.rendererPssMB', 'memZoom.gpuPssMB', 'net.dataBytes',
  'pageInfo.tCompiled', 'pageInfo.tCore', 'pageInfo.tReady', 'pageInfo.tWarm', 'pageInfo.tOpen', 'pageInfo.openMs', 'pageInfo.tOnload', 'pan.stepMs.p50', 'zoom.stepMs.p50', 'cpu.oursPct', 'cpu.foreignPct', 'idleWait.waitedMs', 'pageInfo.pausedMs',
  'memBefore.rendererPssMB', 'memBefore.gpuPssMB', 'memRatio.decodedMB', 'memRatio.totalPerDecoded', 'memRatio.openDeltaMB', 'memRatio.openDeltaPerDecoded'];
const fmt = v => (Math.abs(v) >= 1000 ? Math.round(v).toString() : (+v.toFixed(2)).toString());
let md = `# ${target.name}: ${target.description || ''}\n\n${meta.date}, ${runs} run(s), viewport ${target.viewport.width}x${target.viewport.height}, ${chromiumVersion}\n\n`;
for (const id of datasetIds) {
  md += `## ${id}\n\n| metric | median | min | max | n |\n|---|---|---|---|---|\n`;
  const s = summary[id];
  const keys = [...KEYS.filter(k => s[k]), ...Object.keys(s).filter(k => k.startsWith('ops.') && !k.includes('.shot.'))];
  for (const k of keys) md += `| ${k} | ${fmt(s[k].median)} | ${fmt(s[k].min)} | ${fmt(s[k].max)} | ${s[k].n} |\n`;
  const errs = all.filter(r => r.dataset === id && r.error).length;
  if (errs) md += `\n${errs} run(s) failed (see JSON).\n`;
  const remote = [...new Set(all.filter(r => r.dataset === id).flatMap(r => r.net?.remote || []))];
  md += `\nremote requests attempted: ${remote.length ? remote.join(', ') : 'none'}\n\n`;
}
if (meta.bundleOnDisk) md += `bundle files on disk: ${meta.bundleOnDisk.map(b => `${b.file} ${b.bytes} B (gzip -9: ${b.gzip9} B)`).join('; ')}\n`;
fs.writeFileSync(outBase + '.md', md);
console.log('\n' + md);
console.log(`wrote ${path.relative(HERE, outBase)}.json and .md`);
