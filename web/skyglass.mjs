// Skyglass as an ES module: `import { create } from './skyglass.mjs'` (or `import Skyglass from ...`).
// It loads skyglass.js (the classic script, which sets globalThis.Skyglass) once, next to this file,
// and fetches the wasm from the same folder unless options.baseURL says otherwise.
const base = new URL('.', import.meta.url).href;

const loaded = globalThis.Skyglass ? Promise.resolve() : new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = base + 'skyglass.js';
  s.onload = () => { s.remove(); resolve(); };
  s.onerror = () => { s.remove(); reject(new Error(`Skyglass: could not load ${s.src}`)); };
  document.head.appendChild(s);
});

/** Creates a viewer in a container (element or CSS selector); see skyglass.d.ts. */
export async function create(container, options = {}) {
  await loaded;
  return globalThis.Skyglass.create(container, { baseURL: base, ...options });
}

/** Drives a viewer running in an iframe (embed.html). */
export async function frame(iframe, options = {}) {
  await loaded;
  return globalThis.Skyglass.frame(iframe, options);
}

const Skyglass = { create, frame };
export default Skyglass;
