// Skyglass (this repository's web/ build) on the shared HiPS, driven along the same sky paths as Aladin Lite.
//   make wasm && cd bench/browser && npm ci && node bench.mjs skyglass
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HIPS_DATASETS, CATALOG_DATASETS } from '../lib/scenarios.mjs';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');
const TESTDATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../testdata');

export default {
  name: 'skyglass',
  description: 'Skyglass (Go/WebAssembly, WebGL2), SIN projection',
  viewport: { width: 1024, height: 768 },
  datasets: { ...HIPS_DATASETS, ...CATALOG_DATASETS },
  defaultDatasets: ['dirbe60', 'ngc1316'],
  roots: [['/skyglass', WEB], ['/testdata', TESTDATA]],
  bundleFiles: ['../../web/dist/skyglass.wasm', '../../web/skyglass.js', '../../web/wasm_exec.js'],
  pageUrl: (ds, id, env) => {
    const q = new URLSearchParams({ hips: ds.hips, fmt: env.opts.fmt || ds.fmt, ra: ds.start.ra, dec: ds.start.dec, fov: ds.start.fov });
    if (ds.cat) q.set('cat', ds.cat);
    return `/pages/skyglass.html?${q}`;
  },
  minDataRequests: 1,
  firstFrame: () => !!(window.viewer && window.viewer.catReady && window.viewer.isIdle && window.viewer.isIdle()),
  setView: (ra, dec, fov) => window.viewer.setView(ra, dec, fov),
};
