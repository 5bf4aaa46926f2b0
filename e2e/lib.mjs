// Shared helpers of the browser tests: start `viewer serve` on a free loopback
// port, launch Debian's chromium headless (SwiftShader WebGL2, off the network),
// record every request and console error, and read canvas pixels.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const CHROMIUM = process.env.SKYGLASS_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless=new', '--no-sandbox', '--no-first-run', '--no-default-browser-check',
  '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions', '--disable-domain-reliability', '--no-pings',
  '--disable-client-side-phishing-detection', '--metrics-recording-only',
  '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication',
  // Only loopback resolves; anything else is sent to a closed port.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=127.0.0.1;localhost',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
];

/** Starts `viewer serve` on 127.0.0.1 with a free port; resolves to {url, stop()}. */
export async function startServer(extraArgs = []) {
  const bin = process.env.VIEWER || '../bin/viewer';
  const proc = spawn(bin, ['serve', '--addr', '127.0.0.1:0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', d => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`viewer serve did not start: ${err}`)), 15000);
    proc.stdout.on('data', d => {
      out += d;
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', code => { clearTimeout(timer); reject(new Error(`viewer serve exited (${code}): ${err}`)); });
  });
  return {
    url, proc,
    stop: () => new Promise(resolve => { proc.once('exit', resolve); proc.kill('SIGINT'); setTimeout(() => proc.kill('SIGKILL'), 3000); }),
  };
}

/** Launches chromium with a fresh profile; the page records requests, console errors and page errors. */
export async function launch({ width = 1024, height = 768 } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skyglass-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, ignoreDefaultArgs: ['--headless'], args: ARGS,
    viewport: { width, height }, deviceScaleFactor: 1,
  });
  const page = context.pages()[0] || await context.newPage();
  const log = { requests: [], consoleErrors: [], pageErrors: [] };
  page.on('request', r => log.requests.push(r.url()));
  page.on('console', m => { if (m.type() === 'error') log.consoleErrors.push(m.text()); });
  page.on('pageerror', e => log.pageErrors.push(String(e)));
  return {
    context, page, log,
    async close() { await context.close().catch(() => {}); fs.rmSync(profile, { recursive: true, force: true }); },
  };
}

/** Requests that left 127.0.0.1 (data: and blob: URLs are local). */
export function remoteRequests(urls) {
  return urls.filter(u => !/^(data:|blob:)/.test(u) && !/^https?:\/\/127\.0\.0\.1(:\d+)?\//.test(u));
}

/** Waits until the page's viewer is idle (window.viewer.isIdle()). */
export async function waitIdle(page, timeout = 20000) {
  await page.waitForFunction(() => window.viewer && window.viewer.isIdle(), null, { timeout, polling: 50 });
}

/**
 * Reads the viewer's current frame as RGBA pixels (via exportPNG, drawn into a 2D canvas):
 * resolves to {w, h, raw: Buffer, px(x, y) -> [r, g, b, a]} in device pixels.
 */
export async function grab(page, viewerExpr = 'window.viewer.v') {
  const { w, h, b64 } = await page.evaluate(async expr => {
    const v = eval(expr);
    const url = await v.exportPNG();
    const img = new Image(); img.src = url; await img.decode();
    const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return { w: c.width, h: c.height, b64: btoa(bin) };
  }, viewerExpr);
  const raw = Buffer.from(b64, 'base64');
  return {
    w, h, raw,
    px: (x, y) => { const i = 4 * (Math.round(y) * w + Math.round(x)); return [...raw.subarray(i, i + 4)]; },
  };
}

/** Mean brightness (0..255) of the square of half-size r around (x, y). */
export function meanBrightness(img, x, y, r = 10) {
  let s = 0, n = 0;
  for (let j = Math.round(y - r); j <= y + r; j++) for (let i = Math.round(x - r); i <= x + r; i++) {
    if (i < 0 || j < 0 || i >= img.w || j >= img.h) continue;
    const k = 4 * (j * img.w + i); s += (img.raw[k] + img.raw[k + 1] + img.raw[k + 2]) / 3; n++;
  }
  return n ? s / n : 0;
}

// Counts live WebGL objects per context (textures, buffers, programs, shaders, framebuffers, vertex arrays).
export const GL_COUNTER = `(() => {
  // A WeakMap, so that the count does not keep destroyed viewers' canvases alive.
  const P = WebGL2RenderingContext.prototype, live = new WeakMap();
  window.__glLive = c => { const s = live.get(c); return s ? s.size : 0; };
  for (const kind of ['Texture', 'Buffer', 'Program', 'Shader', 'Framebuffer', 'VertexArray', 'Renderbuffer']) {
    const cr = P['create' + kind], del = P['delete' + kind];
    P['create' + kind] = function (...a) { const o = cr.apply(this, a); if (o) { if (!live.has(this.canvas)) live.set(this.canvas, new Set()); live.get(this.canvas).add(o); } return o; };
    P['delete' + kind] = function (o) { if (o && live.has(this.canvas)) live.get(this.canvas).delete(o); return del.call(this, o); };
  }
})();`;
