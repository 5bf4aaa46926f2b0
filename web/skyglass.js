/**
 * Skyglass: a sky viewer (FITS, HiPS, catalogues) in Go/WebAssembly.
 *
 * Load it as a classic script (`<script src="skyglass.js">`, sets `window.Skyglass`)
 * or as a module (`import "./skyglass.js"`, then use `globalThis.Skyglass`).
 * One WebAssembly instance serves every viewer on the page.
 *
 *   const v = await Skyglass.create('#sky', {hips: 'hips/mellinger', target: {ra: 266.4, dec: -28.9}, fov: 60});
 *   v.goto(83.8, -5.4, {fov: 10});
 *   v.on('viewchange', view => console.log(view.ra, view.dec, view.fov));
 */
(function (global) {
  'use strict';

  // Where skyglass.js was loaded from: the default base for the wasm and wasm_exec.js.
  const scriptBase = (() => {
    const cur = typeof document !== 'undefined' && document.currentScript;
    const src = cur && cur.src ? cur.src
      : (typeof document !== 'undefined' && [...document.querySelectorAll('script[src]')]
        .map(s => s.src).find(s => /skyglass\.js(\?|#|$)/.test(s)));
    return src ? src.replace(/[^/]*$/, '') : (typeof location !== 'undefined' ? location.href.replace(/[^/]*$/, '') : '');
  })();

  let corePromise = null;

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = url;
      s.onload = () => { s.remove(); resolve(); };
      s.onerror = () => { s.remove(); reject(new Error(`Skyglass: could not load ${url}`)); };
      document.head.appendChild(s);
    });
  }

  /** Boots the shared WebAssembly instance (once per page). */
  function boot(baseURL) {
    if (corePromise) return corePromise;
    corePromise = (async () => {
      if (typeof global.Go !== 'function') await loadScript(baseURL + 'wasm_exec.js');
      const go = new global.Go();
      const ready = new Promise(resolve => { global.__skyglassBoot = resolve; });
      const url = baseURL + 'dist/skyglass.wasm';
      let inst;
      try {
        const resp = fetch(url);
        inst = WebAssembly.instantiateStreaming
          ? await WebAssembly.instantiateStreaming(resp, go.importObject)
          : await WebAssembly.instantiate(await (await resp).arrayBuffer(), go.importObject);
      } catch (e) {
        corePromise = null;
        throw new Error(`Skyglass: could not load ${url}: ${e.message}`);
      }
      go.run(inst.instance).then(() => console.error('Skyglass: the wasm runtime exited'));
      const core = await ready;
      delete global.__skyglassBoot;
      return core;
    })();
    return corePromise;
  }

  function check(r) {
    if (r && typeof r === 'object' && typeof r.error === 'string') throw new Error(r.error);
    return r;
  }

  const EVENTS = ['click', 'hover', 'select', 'viewchange', 'load', 'progress', 'error', 'idle'];

  /** One viewer mounted in a container element. */
  class Viewer {
    constructor(container, core, opts) {
      this._container = container;
      this._listeners = new Map(EVENTS.map(e => [e, new Set()]));
      this._layers = new Map();
      this._destroyed = false;
      this._abort = new AbortController();
      this._aborts = new Map();
      this._hips = [];

      // Everything the viewer adds lives in one wrapper inside the container.
      const root = document.createElement('div');
      root.className = 'skyglass';
      root.tabIndex = 0;
      root.style.cssText = 'position:relative;width:100%;height:100%;overflow:hidden;outline:none;touch-action:none;user-select:none;background:#000';
      const canvas = document.createElement('canvas');
      canvas.className = 'skyglass-canvas';
      canvas.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%;display:block';
      root.appendChild(canvas);
      const overlay = document.createElement('canvas');
      overlay.className = 'skyglass-overlay';
      overlay.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%;display:block;pointer-events:none';
      root.appendChild(overlay);
      this._overlay = overlay;
      const status = document.createElement('div');
      status.className = 'skyglass-status';
      status.style.cssText = 'position:absolute;left:6px;bottom:4px;font:12px/1.3 system-ui,sans-serif;color:#ddd;text-shadow:0 0 3px #000;pointer-events:none;white-space:pre';
      root.appendChild(status);
      const spinner = document.createElement('div');
      spinner.className = 'skyglass-loading';
      spinner.textContent = 'loading…';
      spinner.style.cssText = 'position:absolute;right:8px;top:6px;font:12px system-ui,sans-serif;color:#ddd;text-shadow:0 0 3px #000;pointer-events:none;display:none';
      root.appendChild(spinner);
      container.appendChild(root);
      this._root = root; this.canvas = canvas; this._status = status; this._spinner = spinner;

      const rect = root.getBoundingClientRect();
      const host = {
        load: (kind, key, url) => this._load(kind, key, url),
        cancel: key => this._cancel(key),
        emit: (name, payload) => this._emit(name, payload),
        overlay: (labels, scale) => this._drawOverlay(labels, scale),
      };
      const h = check(core.newViewer(canvas, {
        ra: opts.target ? +opts.target.ra : undefined,
        dec: opts.target ? +opts.target.dec : undefined,
        fov: opts.fov, projection: opts.projection || 'SIN',
        width: rect.width || 300, height: rect.height || 150, dpr: global.devicePixelRatio || 1,
        background: opts.background ? String(opts.background) : '',
      }, host));
      this._h = h;
      this._inflight = 0;
      this._images = new Set();
      this._wire();
      if (opts.drop !== false) this._wireDrop();
      if (opts.grid) check(h.setGrid(true, typeof opts.grid === 'string' ? opts.grid : 'icrs'));
    }

    _drawOverlay(labels, scale) {
      const o = this._overlay, dpr = global.devicePixelRatio || 1;
      const w = Math.round(o.clientWidth * dpr), hh = Math.round(o.clientHeight * dpr);
      if (o.width !== w) o.width = w;
      if (o.height !== hh) o.height = hh;
      const ctx = o.getContext('2d');
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, o.width, o.height);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const [spx, stext] = scale || [0, ''];
      if (spx > 0) {
        const x1 = o.clientWidth - 12, x0 = x1 - spx, y = o.clientHeight - 14;
        ctx.strokeStyle = 'rgba(230,230,230,0.9)'; ctx.lineWidth = 2;
        ctx.shadowColor = '#000'; ctx.shadowBlur = 2;
        ctx.beginPath(); ctx.moveTo(x0, y - 4); ctx.lineTo(x0, y); ctx.lineTo(x1, y); ctx.lineTo(x1, y - 4); ctx.stroke();
        ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = '#eee'; ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
        ctx.fillText(stext, (x0 + x1) / 2, y - 3);
      }
      if (!labels.length) return;
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = 'rgba(160,200,255,0.9)';
      ctx.shadowColor = '#000'; ctx.shadowBlur = 3;
      for (const [x, y, text, align] of labels) {
        if (align === 'left') { ctx.textAlign = 'left'; ctx.textBaseline = 'middle'; ctx.fillText(text, x + 3, y); }
        else if (align === 'bottom') { ctx.textAlign = 'center'; ctx.textBaseline = 'bottom'; ctx.fillText(text, x, y - 14); }
        else { ctx.textAlign = 'center'; ctx.textBaseline = 'middle'; ctx.fillText(text, x, y); }
      }
    }

    _wire() {
      const c = this.canvas, h = this._h, sig = { signal: this._abort.signal };
      const pos = e => { const r = c.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
      let dragging = false, moved = false, downAt = null;
      const pointers = new Map(); // active pointers, for pinch zoom
      let pinch = null;
      c.addEventListener('pointerdown', e => {
        if (e.button !== 0) return;
        c.setPointerCapture(e.pointerId);
        pointers.set(e.pointerId, pos(e));
        this._root.focus({ preventScroll: true });
        if (pointers.size === 2) {
          const [a, b] = [...pointers.values()];
          pinch = { d: Math.hypot(a[0] - b[0], a[1] - b[1]) };
          dragging = false; h.pointerUp(e.timeStamp);
          return;
        }
        dragging = true; moved = false; downAt = pos(e);
        h.pointerDown(...downAt);
      }, sig);
      c.addEventListener('pointermove', e => {
        const p = pos(e);
        if (pointers.has(e.pointerId)) pointers.set(e.pointerId, p);
        if (pinch && pointers.size === 2) {
          const [a, b] = [...pointers.values()];
          const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
          if (d > 0 && pinch.d > 0) h.zoom(pinch.d / d, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
          pinch.d = d;
          return;
        }
        if (dragging) {
          if (Math.hypot(p[0] - downAt[0], p[1] - downAt[1]) > 2) moved = true;
          h.pointerMove(p[0], p[1], e.timeStamp);
        }
        this._readout(p);
      }, sig);
      const up = e => {
        pointers.delete(e.pointerId);
        if (pointers.size < 2) pinch = null;
        if (!dragging) return;
        dragging = false; h.pointerUp(e.timeStamp);
        if (!moved) {
          const w = h.pixelToWorld(...pos(e));
          if (w) this._emit('click', { ra: w[0], dec: w[1], x: pos(e)[0], y: pos(e)[1] });
        }
      };
      c.addEventListener('pointerup', up, sig);
      c.addEventListener('pointercancel', up, sig);
      c.addEventListener('pointerleave', () => { if (!dragging) this._status.textContent = ''; }, sig);
      c.addEventListener('wheel', e => {
        e.preventDefault();
        const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
        h.wheel(...pos(e), dy);
      }, { passive: false, signal: this._abort.signal });
      c.addEventListener('dblclick', e => {
        const w = h.pixelToWorld(...pos(e));
        if (w) this.goto(w[0], w[1], { animate: true, duration: 400 });
      }, sig);
      this._root.addEventListener('keydown', e => {
        if (e.ctrlKey || e.metaKey || e.altKey) return;
        if (h.key(e.key)) e.preventDefault();
      }, sig);
      c.addEventListener('webglcontextlost', e => { e.preventDefault(); h.contextLost(); }, sig);
      c.addEventListener('webglcontextrestored', () => { check(h.contextRestored()); }, sig);
      this._ro = new ResizeObserver(() => this._resize());
      this._ro.observe(this._root);
      // devicePixelRatio changes (zoom, moving to another screen) do not resize the element.
      const watchDPR = () => {
        if (this._destroyed) return;
        const mq = matchMedia(`(resolution: ${global.devicePixelRatio}dppx)`);
        mq.addEventListener('change', () => { this._resize(); watchDPR(); }, { once: true, signal: this._abort.signal });
      };
      watchDPR();
    }

    _resize() {
      if (this._destroyed) return;
      const r = this._root.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) this._h.resize(r.width, r.height, global.devicePixelRatio || 1);
    }

    _readout(p) {
      const r = this._h.readout(p[0], p[1]);
      if (!r) { this._status.textContent = ''; return; }
      const sgn = x => (x >= 0 ? '+' : '') + x.toFixed(5);
      this._status.textContent = `α ${r.raStr}  δ ${r.decStr}   (${r.ra.toFixed(5)}°, ${sgn(r.dec)}°)   l ${r.l.toFixed(4)}°  b ${sgn(r.b).slice(0, -1)}°`;
      const img = [...this._images].pop();
      if (img) {
        const v = this._h.imageValueAt(img.id, r.ra, r.dec);
        if (v && typeof v === 'object' && !v.error) {
          if (img._bunit === undefined) { try { img._bunit = img.info().bunit; } catch (e) { img._bunit = ''; } }
          this._status.textContent += `\n${img._name || 'image'} [${v.x.toFixed(1)}, ${v.y.toFixed(1)}] = ${v.value.toPrecision(7)} ${img._bunit}`;
        }
      }
      this._emit('hover', { ra: r.ra, dec: r.dec, l: r.l, b: r.b, x: p[0], y: p[1] });
    }

    async _load(kind, key, url) {
      const ac = new AbortController();
      this._aborts.set(key, ac);
      this._abort.signal.addEventListener('abort', () => ac.abort(), { once: true });
      this._inflight++;
      this._spinner.style.display = '';
      this._emit('progress', { pending: this._inflight });
      const h = this._h;
      try {
        const resp = await fetch(url, { signal: ac.signal });
        if (!resp.ok) { const e = new Error(`HTTP ${resp.status} for ${url}`); e.status = resp.status; throw e; }
        if (kind === 'text') {
          const text = await resp.text();
          if (!ac.signal.aborted) h.textLoaded(key, text, '');
        } else if (kind === 'bytes') {
          const buf = new Uint8Array(await resp.arrayBuffer());
          if (!ac.signal.aborted) h.bytesLoaded(key, buf, '');
        } else {
          const blob = await resp.blob();
          let img;
          try {
            img = await createImageBitmap(blob, { imageOrientation: 'none', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
          } catch (e) { throw new Error(`cannot decode the image ${url}: ${e.message}`); }
          if (!ac.signal.aborted) h.imageLoaded(key, img, '');
          img.close();
        }
      } catch (e) {
        if (ac.signal.aborted || this._destroyed) return;
        const msg = e && e.message ? e.message : String(e);
        const status = e && e.status ? e.status : 0;
        if (kind === 'text') h.textLoaded(key, '', msg, status);
        else if (kind === 'bytes') h.bytesLoaded(key, null, msg, status);
        else h.imageLoaded(key, null, msg, status);
        if (status !== 404) this._emit('error', new Error(`Skyglass: ${msg}`));
      } finally {
        this._aborts.delete(key);
        this._inflight--;
        if (!this._destroyed) {
          if (this._inflight === 0) this._spinner.style.display = 'none';
          this._emit('progress', { pending: this._inflight });
        }
      }
    }

    _cancel(key) {
      const ac = this._aborts.get(key);
      if (ac) ac.abort();
    }

    _emit(name, payload) {
      const set = this._listeners.get(name);
      if (!set) return;
      for (const cb of [...set]) {
        try { cb(payload); } catch (e) { console.error(`Skyglass: a '${name}' listener threw`, e); }
      }
    }

    _live() { if (this._destroyed) throw new Error('Skyglass: this viewer was destroyed'); }

    /** Listens to an event: 'click', 'hover', 'select', 'viewchange', 'load', 'progress', 'error', 'idle'. */
    on(name, cb) {
      if (!this._listeners.has(name)) throw new Error(`Skyglass: unknown event '${name}' (one of ${EVENTS.join(', ')})`);
      this._listeners.get(name).add(cb); return this;
    }
    /** Removes a listener added with on(). */
    off(name, cb) { const s = this._listeners.get(name); if (s) s.delete(cb); return this; }

    /** Centres the view on (ra, dec) degrees; options.fov sets the field of view (degrees). */
    goto(ra, dec, options = {}) {
      this._live();
      const fov = options.fov !== undefined ? +options.fov : NaN;
      if (options.animate) check(this._h.flyTo(+ra, +dec, fov, options.duration !== undefined ? +options.duration : 1200));
      else check(this._h.setView(+ra, +dec, fov));
      return this;
    }
    /** Sets the camera in one call (ra, dec, fov in degrees). */
    setView(ra, dec, fov) { this._live(); check(this._h.setView(+ra, +dec, +fov)); return this; }
    /** Sets the horizontal field of view in degrees. */
    setFov(fov) { const v = this.getView(); return this.setView(v.ra, v.dec, fov); }
    /** Shows or hides the coordinate grid; frame is 'icrs' (default) or 'galactic'. */
    setGrid(show, frame = 'icrs') { this._live(); check(this._h.setGrid(!!show, String(frame))); return this; }
    /** Sets the projection: 'SIN', 'TAN', 'AIT', ... */
    setProjection(p) { this._live(); check(this._h.setProjection(String(p))); return this; }
    /** The current view: {ra, dec, fov, projection, frame, width, height}. */
    getView() { this._live(); return check(this._h.getView()); }
    /** Canvas CSS pixel (x, y) to [ra, dec] degrees, or null off the sky. */
    pixelToWorld(x, y) { this._live(); return check(this._h.pixelToWorld(+x, +y)); }
    /** [ra, dec] degrees to canvas CSS pixel [x, y], or null when not visible. */
    worldToPixel(ra, dec) { this._live(); return check(this._h.worldToPixel(+ra, +dec)); }

    /** Adds a HiPS layer; resolves when it is ready to draw, rejects with an Error otherwise. */
    async addHiPS(url, options = {}) {
      this._live();
      const abs = new URL(url, location.href).href;
      const id = check(this._h.addHiPS(abs, options.opacity !== undefined ? +options.opacity : 1,
        options.format ? String(options.format) : '', !!options.fullResolution));
      await new Promise((resolve, reject) => {
        const poll = () => {
          if (this._destroyed) return reject(new Error('Skyglass: viewer destroyed'));
          const st = this._h.layerState(id);
          if (st.error) return reject(new Error(`Skyglass: ${st.error}`));
          if (st.ready) return resolve();
          setTimeout(poll, 20);
        };
        poll();
      });
      this._emit('load', { type: 'hips', url: abs });
      const h = this._h, self = this;
      const layer = {
        id, url: abs,
        /** Display of FITS tiles: {interval: 'zscale'|'minmax'|{percentile}|{min,max}, stretch, colormap, invert, contrast, bias}. */
        setStretch(spec) { self._live(); check(h.setHiPSStretch(id, spec || {})); return layer; },
        /** Opacity 0..1. */
        setOpacity(a) { self._live(); check(h.setHiPSOpacity(id, +a)); return layer; },
        /** Removes the layer and frees its textures. */
        remove() { self._live(); check(h.removeHiPS(id)); self._hips = self._hips.filter(l => l !== layer); },
      };
      if (options.stretch) layer.setStretch(options.stretch);
      this._hips.push(layer);
      return layer;
    }

    // ---- FITS images (openFITS) ----

    /**
     * Opens a FITS image (.fits, .fits.gz, .fits.fz) from a File/Blob, a URL or an
     * ArrayBuffer (or typed array) and shows it on the sky through its WCS, over the HiPS.
     * options: {hdu (default: the first HDU with an image), plane (0-based plane of a cube),
     * name, maxTexture (split the image into textures of at most this side; default and
     * upper bound: the GPU's MAX_TEXTURE_SIZE)}. A File/Blob is read lazily (Blob.slice: the
     * headers, then only the chosen HDU's data); a URL or ArrayBuffer is held in memory (up to 1 GB).
     * Resolves to a FITSImage; rejects with an Error naming the problem.
     */
    async openFITS(src, options = {}) {
      this._live();
      let name = options.name ? String(options.name) : '';
      let bytes;
      this._inflight++;
      this._spinner.style.display = '';
      this._emit('progress', { pending: this._inflight });
      try {
        let blob = null;
        if (typeof Blob !== 'undefined' && src instanceof Blob) {
          // Read lazily by Go through Blob.slice: headers, then the chosen HDU only.
          name = name || src.name || 'FITS blob';
          blob = src;
        } else if (typeof src === 'string' || src instanceof URL) {
          const url = new URL(String(src), location.href).href;
          name = name || decodeURIComponent(url.replace(/[?#].*$/, '').replace(/^.*\//, '')) || url;
          let resp;
          try { resp = await fetch(url, { signal: this._abort.signal }); } catch (e) { throw new Error(`${name}: could not fetch ${url}: ${e.message}`); }
          if (!resp.ok) throw new Error(`${name}: HTTP ${resp.status} for ${url}`);
          bytes = await this._readBody(resp, name);
        } else if (src instanceof ArrayBuffer) {
          name = name || 'FITS ArrayBuffer';
          bytes = new Uint8Array(src);
        } else if (ArrayBuffer.isView(src)) {
          name = name || 'FITS data';
          bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
        } else {
          throw new Error('openFITS: give a File, Blob, URL string or ArrayBuffer');
        }
        this._live();
        const hdu = options.hdu !== undefined ? +options.hdu : NaN;
        const plane = options.plane !== undefined ? +options.plane : 0;
        let id;
        const maxTex = options.maxTexture !== undefined ? +options.maxTexture : NaN;
        try { id = check(blob ? await this._h.openFITSBlob(blob, name, hdu, plane, maxTex) : this._h.openFITS(bytes, name, hdu, plane, maxTex)); } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
        const img = new FITSImage(this, id);
        img._name = name;
        this._images.add(img);
        this._emit('load', { type: 'fits', name, image: img });
        return img;
      } finally {
        this._inflight--;
        if (!this._destroyed) {
          if (this._inflight === 0) this._spinner.style.display = 'none';
          this._emit('progress', { pending: this._inflight });
        }
      }
    }

    // Reads a response body, emitting 'progress' events {name, loaded, total} as it arrives.
    async _readBody(resp, name) {
      const total = +resp.headers.get('content-length') || 0;
      if (!resp.body || !resp.body.getReader) return new Uint8Array(await resp.arrayBuffer());
      const reader = resp.body.getReader(), parts = [];
      let loaded = 0, last = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value); loaded += value.length;
        if (loaded > FITS_MAX_BYTES) { reader.cancel(); throw new Error(`${name}: more than the ${FITS_MAX_BYTES} bytes this viewer reads`); }
        if (loaded - last > (1 << 20)) { last = loaded; this._emit('progress', { pending: this._inflight, name, loaded, total }); }
      }
      const out = new Uint8Array(loaded);
      let o = 0;
      for (const p of parts) { out.set(p, o); o += p.length; }
      this._emit('progress', { pending: this._inflight, name, loaded, total });
      return out;
    }

    /** The FITS images open in this viewer, in drawing order. */
    images() { return [...this._images]; }

    // Dropping FITS files on the viewer opens them and centres the view on the last one.
    _wireDrop() {
      const sig = { signal: this._abort.signal };
      this._root.addEventListener('dragover', e => {
        if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }
      }, sig);
      this._root.addEventListener('drop', async e => {
        const files = e.dataTransfer ? [...e.dataTransfer.files] : [];
        if (!files.length) return;
        e.preventDefault();
        for (const f of files) {
          try {
            const img = await this.openFITS(f);
            const info = img.info();
            if (!this._destroyed) this.goto(info.center[0], info.center[1], { fov: Math.min(180, Math.max(info.size * 1.5, 1e-4)) });
          } catch (err) {
            this._emit('error', err instanceof Error ? err : new Error(String(err)));
          }
        }
      }, sig);
    }

    // ---- catalogues and regions (addCatalog) ----

    /** The HiPS layers, bottom first (handles as returned by addHiPS). */
    hipsLayers() { return [...this._hips]; }

    /** True when nothing is loading or changing: the canvas shows the final frame. */
    isIdle() { return !this._destroyed && this._inflight === 0 && this._h.isIdle(); }
    /** Resolves once the viewer is idle. */
    whenIdle() {
      return new Promise(resolve => { const t = () => this.isIdle() ? resolve() : setTimeout(t, 16); t(); });
    }
    /** Number of frames drawn so far. */
    frameCount() { return this._h.frameCount(); }
    /** Bytes of GPU texture memory this viewer holds. */
    gpuBytes() { return this._h.gpuBytes(); }

    /** Draws the current view and returns it as a PNG data URL. */
    async exportPNG() {
      this._live();
      await this.whenIdle();
      check(this._h.render());
      return this.canvas.toDataURL('image/png');
    }

    /** Removes the viewer from its container and frees its GPU and wasm resources. */
    destroy() {
      if (this._destroyed) return;
      this._destroyed = true;
      this._abort.abort();
      if (this._ro) this._ro.disconnect();
      this._h.destroy();
      this._root.remove();
      for (const s of this._listeners.values()) s.clear();
    }
  }

  const FITS_MAX_BYTES = 1 << 30;

  /** A FITS image shown in a viewer (from Viewer.openFITS). */
  class FITSImage {
    constructor(viewer, id) { this._v = viewer; this.id = id; this._removed = false; }
    _h() {
      if (this._removed) throw new Error('Skyglass: this image was removed');
      this._v._live();
      return this._v._h;
    }
    /** {name, hdus: [{index, name, type, shape, bitpix, compression, image}], hdu, shape, bitpix,
     *  plane, planes, wcs: WCS cards or null (pixel mode), header: text, pixelMode, notice, bunit,
     *  limits: [lo, hi], center: [ra, dec], size (degrees)} */
    info() { return check(this._h().imageInfo(this.id)); }
    /** The current display setting. */
    getStretch() { return check(this._h().imageStretch(this.id)); }
    /**
     * Changes the display: {interval: 'zscale'|'minmax'|{percentile: 99.5}|{min, max},
     * stretch: 'linear'|'sqrt'|'log'|'asinh'|'power'|'sinh'|'squared'|'histeq', a,
     * colormap, invert, contrast, bias}. Only what is given changes.
     */
    setStretch(s = {}) {
      const o = {};
      const iv = s.interval;
      if (typeof iv === 'string') o.interval = iv;
      else if (iv && typeof iv === 'object') {
        if (iv.percentile !== undefined) { o.interval = 'percentile'; o.percentile = +iv.percentile; }
        else if (iv.min !== undefined || iv.max !== undefined) { o.interval = 'manual'; o.min = +iv.min; o.max = +iv.max; }
        else throw new Error('Skyglass: setStretch: interval object needs {percentile} or {min, max}');
      } else if (iv !== undefined) throw new Error('Skyglass: setStretch: bad interval');
      for (const k of ['stretch', 'colormap']) if (s[k] !== undefined) o[k] = String(s[k]);
      for (const k of ['a', 'contrast', 'bias']) if (s[k] !== undefined) o[k] = +s[k];
      if (s.invert !== undefined) o.invert = !!s.invert;
      try { check(this._h().setImageStretch(this.id, o)); } catch (e) { throw new Error(e.message.startsWith('Skyglass') ? e.message : `Skyglass: ${e.message}`); }
      return this;
    }
    /** Physical value of the pixel under (ra, dec) degrees, or null (off the image, undefined pixel). */
    valueAt(ra, dec) { const r = check(this._h().imageValueAt(this.id, +ra, +dec)); return r ? r.value : null; }
    /** {value, x, y} (FITS 1-based pixel coordinates) under (ra, dec), or null. */
    readoutAt(ra, dec) { return check(this._h().imageValueAt(this.id, +ra, +dec)); }
    /** Physical value of FITS pixel (x, y), 1-based, or null. */
    valueAtPixel(x, y) { return check(this._h().imagePixelValue(this.id, +x, +y)); }
    /** [ra, dec] of FITS pixel (x, y) (1-based), or null. */
    pixelToWorld(x, y) { return check(this._h().imagePixelToWorld(this.id, +x, +y)); }
    /** FITS pixel [x, y] of (ra, dec), or null. */
    worldToPixel(ra, dec) { return check(this._h().imageWorldToPixel(this.id, +ra, +dec)); }
    /** Sets the opacity (0..1). */
    setOpacity(op) { check(this._h().setImageOpacity(this.id, +op)); return this; }
    /** Shows plane k (0-based) of a cube; resolves when it is decoded (a File is read lazily). */
    async setPlane(k) {
      try { check(await this._h().setImagePlane(this.id, +k)); } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
      return this;
    }
    /** Removes the image from the viewer and frees its textures. */
    remove() {
      if (this._removed) return;
      if (!this._v._destroyed) check(this._v._h.removeImage(this.id));
      this._removed = true;
      this._v._images.delete(this);
    }
  }

  function pad(n, w) { return String(n).padStart(w, '0'); }
  function fmtRA(deg) {
    let s = Math.round(((deg / 15) % 24 + 24) % 24 * 36000) / 10; // tenths of seconds of time
    const h = Math.floor(s / 3600); s -= h * 3600; const m = Math.floor(s / 60); s -= m * 60;
    return `${pad(h % 24, 2)}h${pad(m, 2)}m${s.toFixed(1).padStart(4, '0')}s`;
  }
  function fmtDec(deg) {
    const sign = deg < 0 ? '-' : '+';
    let s = Math.round(Math.abs(deg) * 36000) / 10;
    const d = Math.floor(s / 3600); s -= d * 3600; const m = Math.floor(s / 60); s -= m * 60;
    return `${sign}${pad(d, 2)}°${pad(m, 2)}′${s.toFixed(1).padStart(4, '0')}″`;
  }

  /**
   * Creates a viewer in a container (an element or a CSS selector).
   * options: {baseURL, hips, target: {ra, dec}, fov, projection}
   */
  async function create(container, options = {}) {
    const el = typeof container === 'string' ? document.querySelector(container) : container;
    if (!el || !(el instanceof Element)) throw new Error(`Skyglass.create: no element ${String(container)}`);
    const base = options.baseURL ? String(options.baseURL).replace(/\/?$/, '/') : scriptBase;
    const core = await boot(base);
    const v = new Viewer(el, core, options);
    const hips = options.hips === undefined ? base + 'hips/mellinger' : options.hips;
    if (hips) {
      try { await v.addHiPS(hips, { format: options.format, fullResolution: options.fullResolution }); } catch (e) { v.destroy(); throw e; }
    }
    return v;
  }

  global.Skyglass = {
    create, version: '0.1.0',
    /** @private For the browser tests: the booted wasm core. */
    _core: (baseURL) => boot(baseURL ? String(baseURL).replace(/\/?$/, '/') : scriptBase),
  };
})(typeof globalThis !== 'undefined' ? globalThis : window);
