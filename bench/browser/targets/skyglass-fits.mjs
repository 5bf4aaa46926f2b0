// Skyglass (this repository's web/ build) opening local FITS files, the same files and operations as
// targets/js9.mjs (issue 9 acceptance: same run, same files, same definitions).
//   make wasm && cd bench/browser && npm install && node bench.mjs skyglass-fits --wait-idle=60
// firstFrame: navigation start to "image displayed" = openFITS(url) resolved (fetch, parse, decode, limits,
// upload), view centred on the image, viewer idle (JS9: its onload callback after JS9.Load(url) has drawn),
// then the harness's 3 stable frames. The wasm boot is inside, like JS9's own boot (JS9:ready) is in its
// figure. With --pause=1 (default) the page stops after the boot for a memory baseline (memBefore); the
// pause is subtracted from firstFrameMs (reported as pageInfo.pausedMs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js9 from './js9.mjs';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');

// Image pixel scale (degrees per image pixel) and shape, from the open image.
const geom = () => { const i = window.viewer.img.info(); return { w: i.shape[0], h: i.shape[1], px: i.size / Math.max(i.shape[0], i.shape[1]) }; };
const G = `(${geom.toString()})`;
// The change rendered now, in the call: the viewer's frame drawn synchronously (its internal render, what
// the animation-frame callback runs) and a one-pixel readPixels that waits for the GPU to finish it.
const RENDERED = `window.viewer.v._h.render(); { const gl = window.viewer.v.canvas.getContext('webgl2');
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4)); }`;
// A promise resolved once the next frame has been drawn by the viewer and finished by the GPU.
const DRAWN = `new Promise(r => requestAnimationFrame(() => { const gl = window.viewer.v.canvas.getContext('webgl2');
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4)); r(); }))`;

export default {
  name: 'skyglass-fits',
  description: 'Skyglass (Go/WebAssembly, WebGL2) FITS images from a URL, no HiPS',
  viewport: js9.viewport,
  datasets: js9.datasets,
  defaultDatasets: js9.defaultDatasets,
  roots: [['/skyglass', WEB]],
  bundleFiles: ['../../web/dist/skyglass.wasm', '../../web/skyglass.js', '../../web/wasm_exec.js'],
  prepare: js9.prepare,
  // --warm=0: open as soon as create resolves, without waiting for the viewer's warm-up
  pageUrl: (ds, id, env) => `/pages/skyglass-fits.html?fits=${encodeURIComponent(ds.file)}&pause=${env.opts.pause ?? 1}&warm=${env.opts.warm ?? 1}`,
  minDataRequests: 1,
  firstFrame: () => !!(window.__bench && window.__bench.displayed && window.viewer.v.isIdle()),
  // memory baseline: booted viewer, nothing opened yet (same page)
  baseline: { ready: () => !!(window.__bench && window.__bench.booted), go: () => window.__benchGo() },
  // decoded image size for the memory ratios: width x height x 4 bytes (float32 display data)
  decodedBytes: () => { const s = window.__bench.size; return s[0] * s[1] * 4; },
  // the same operations as JS9 (scale = interval/stretch, colormap, zoom, pan), each until two more frames
  ops: [
    { name: 'scaleLog', fn: () => window.viewer.img.setStretch({ stretch: 'log' }), shot: true },
    { name: 'scaleZscale', fn: () => window.viewer.img.setStretch({ interval: 'zscale' }), shot: true },
    { name: 'scaleLinear', fn: () => window.viewer.img.setStretch({ stretch: 'linear' }) },
    { name: 'colormapHeat', fn: () => window.viewer.img.setStretch({ colormap: 'heat' }), shot: true },
    { name: 'colormapViridis', fn: () => window.viewer.img.setStretch({ colormap: 'viridis' }) },
    { name: 'colormapGrey', fn: () => window.viewer.img.setStretch({ colormap: 'grey' }) },
    { name: 'zoom2', fn: new Function(`const g = ${G}(); const v = window.viewer.v; v.setFov(g.px * v.getView().width / 2);`) },
    { name: 'zoomFit', fn: new Function(`const i = window.viewer.img.info(); window.viewer.v.goto(i.center[0], i.center[1], { fov: i.size * 1.2 });`) },
    { name: 'zoom1', fn: new Function(`const g = ${G}(); const v = window.viewer.v; v.setFov(g.px * v.getView().width);`) },
    { name: 'panCorner', fn: new Function(`const g = ${G}(); const w = window.viewer.img.pixelToWorld(g.w / 4, g.h / 4); const v = window.viewer.v; v.setView(w[0], w[1], v.getView().fov);`) },
    { name: 'panCentre', fn: new Function(`const g = ${G}(); const w = window.viewer.img.pixelToWorld(g.w / 2, g.h / 2); const v = window.viewer.v; v.setView(w[0], w[1], v.getView().fov);`) },
    // "Drawn" variants (not in targets/js9.mjs): syncMs = call until the frame holding the change has
    // been rendered — the viewer draws in its animation-frame callback, which runs before this one's,
    // and a one-pixel readPixels waits for the GPU to finish it. JS9 draws during the call, so its
    // comparable figure is the plain op's syncMs.
    { name: 'colormapHeatDrawn', fn: new Function(`window.viewer.img.setStretch({ colormap: 'heat' }); return ${DRAWN};`) },
    { name: 'colormapGreyDrawn', fn: new Function(`window.viewer.img.setStretch({ colormap: 'grey' }); return ${DRAWN};`) },
    { name: 'scaleLogDrawn', fn: new Function(`window.viewer.img.setStretch({ stretch: 'log' }); return ${DRAWN};`) },
    { name: 'scaleLinearDrawn', fn: new Function(`window.viewer.img.setStretch({ stretch: 'linear' }); return ${DRAWN};`) },
    // "Rendered" variants: syncMs = call + the frame holding the change rendered at once and finished by
    // the GPU, the same span as JS9's syncMs (JS9 redraws its canvas inside the call). The Drawn figures
    // add the wait for the next animation frame (up to one vsync, 16.7 ms), which the change waits for in
    // either viewer before it reaches the screen.
    { name: 'colormapHeatRendered', fn: new Function(`window.viewer.img.setStretch({ colormap: 'heat' }); ${RENDERED}`) },
    { name: 'colormapGreyRendered', fn: new Function(`window.viewer.img.setStretch({ colormap: 'grey' }); ${RENDERED}`) },
    { name: 'scaleLogRendered', fn: new Function(`window.viewer.img.setStretch({ stretch: 'log' }); ${RENDERED}`) },
    { name: 'scaleLinearRendered', fn: new Function(`window.viewer.img.setStretch({ stretch: 'linear' }); ${RENDERED}`) },
  ],
  beforeMotion: new Function(`window.viewer.img.setStretch({ stretch: 'log', interval: 'minmax' }); const g = ${G}(); const v = window.viewer.v;
    const w = window.viewer.img.pixelToWorld(g.w / 2, g.h / 2); v.setView(w[0], w[1], g.px * v.getView().width);`),
  // pan: image centre moves on a circle (radius = 15% of the image width), one turn in 5 s, zoom 1
  panStep: new Function('i', 't', 'ctx', `const s = ctx.state; const v = window.viewer.v;
    if (!s.g) { s.g = ${G}(); s.width = v.getView().width; }
    const a = 2 * Math.PI * t / ctx.params.periodMs, r = ctx.params.radiusFrac * s.g.w;
    const w = window.viewer.img.pixelToWorld(s.g.w / 2 + r * Math.cos(a), s.g.h / 2 + r * Math.sin(a));
    if (w) v.setView(w[0], w[1], s.g.px * s.width);`),
  // zoom: exponential from 1/4 to 8 over 5 s around the image centre
  zoomStep: new Function('i', 't', 'ctx', `const s = ctx.state; const p = ctx.params; const v = window.viewer.v;
    if (!s.g) { s.g = ${G}(); s.width = v.getView().width; s.c = window.viewer.img.pixelToWorld(s.g.w / 2, s.g.h / 2); }
    const z = p.z0 * Math.pow(p.z1 / p.z0, Math.min(1, t / p.durationMs));
    v.setView(s.c[0], s.c[1], s.g.px * s.width / z);`),
};
