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
      const mark = n => { try { performance.mark('skyglass:' + n); } catch (e) { /* no User Timing */ } };
      mark('boot');
      const url = baseURL + 'dist/skyglass.wasm';
      // Fetch and compile the module while wasm_exec.js loads (they are independent); instantiate after.
      const resp = fetch(url);
      const mod = WebAssembly.compileStreaming
        ? WebAssembly.compileStreaming(resp)
        : resp.then(r => r.arrayBuffer()).then(b => WebAssembly.compile(b));
      mod.catch(() => {}); // reported below
      if (typeof global.Go !== 'function') await loadScript(baseURL + 'wasm_exec.js');
      const go = new global.Go();
      const ready = new Promise(resolve => { global.__skyglassBoot = resolve; });
      let inst;
      try {
        inst = { instance: await WebAssembly.instantiate(await mod, go.importObject) };
        mark('compiled');
      } catch (e) {
        corePromise = null;
        throw new Error(`Skyglass: could not load ${url}: ${e.message}`);
      }
      go.run(inst.instance).then(() => console.error('Skyglass: the wasm runtime exited'));
      const core = await ready;
      mark('ready');
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
      this._catalogs = new Map(); // catalogue layers by id
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
      if (opts.frame) check(h.setFrame(String(opts.frame)));
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
      let dragging = false, moved = false, downAt = null, rect = null;
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
        if (e.shiftKey && this._catalogs.size) { rect = this._rubberBand(downAt, downAt); return; }
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
          if (rect) { this._rubberBand(downAt, p); return; }
          h.pointerMove(p[0], p[1], e.timeStamp);
        }
        this._dragNow = dragging && moved;
        this._readout(p);
      }, sig);
      const up = e => {
        pointers.delete(e.pointerId);
        if (pointers.size < 2) pinch = null;
        if (!dragging) return;
        dragging = false;
        if (rect) {
          rect.remove(); rect = null;
          if (moved) { this._rectSelect(downAt, pos(e)); return; }
        } else h.pointerUp(e.timeStamp);
        if (!moved) {
          const w = h.pixelToWorld(...pos(e));
          if (w) this._emit('click', { ra: w[0], dec: w[1], x: pos(e)[0], y: pos(e)[1] });
          this._clickSelect(pos(e));
        }
      };
      c.addEventListener('pointerup', up, sig);
      c.addEventListener('pointercancel', up, sig);
      c.addEventListener('pointerleave', () => { if (!dragging) { this._status.textContent = ''; this._tooltipAt(null, null); } }, sig);
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
      if (!r) { this._status.textContent = ''; this._tooltipAt(p, null); return; }
      const sgn = x => (x >= 0 ? '+' : '') + x.toFixed(5);
      const val = r.value !== undefined ? `   value ${Number(r.value.toPrecision(6))}` : '';
      this._status.textContent = `α ${r.raStr}  δ ${r.decStr}   (${r.ra.toFixed(5)}°, ${sgn(r.dec)}°)   l ${r.l.toFixed(4)}°  b ${sgn(r.b).slice(0, -1)}°${val}`;
      const img = [...this._images].pop();
      if (img) {
        const v = this._h.imageValueAt(img.id, r.ra, r.dec);
        if (v && typeof v === 'object' && !v.error) {
          if (img._bunit === undefined) { try { img._bunit = img.info().bunit; } catch (e) { img._bunit = ''; } }
          this._status.textContent += `\n${img._name || 'image'} [${v.x.toFixed(1)}, ${v.y.toFixed(1)}] = ${v.value.toPrecision(7)} ${img._bunit}`;
        }
      }
      const hit = this._dragNow ? this._tooltipAt(p, null) : this._hoverPick(p);
      const ev = { ra: r.ra, dec: r.dec, l: r.l, b: r.b, value: r.value, x: p[0], y: p[1] };
      if (hit) Object.assign(ev, { catalog: hit.catalog, id: hit.id, row: hit.row, values: hit.values });
      this._emit('hover', ev);
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
    /** Sets the frame the view is drawn in: 'icrs' (equatorial north up) or 'galactic'. */
    setFrame(frame) { this._live(); check(this._h.setFrame(String(frame))); return this; }
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
        setStretch(spec) { self._live(); check(h.setHiPSStretch(id, stretchSpec(spec || {}))); return layer; },
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

    /**
     * Adds a catalogue overlay. src is a File/Blob, an ArrayBuffer/typed array, a URL, or the
     * table's text (VOTable, CSV/TSV, IPAC, CDS). options: {format, ra, dec, id (column names),
     * shape ('circle','square','cross','plus','diamond','triangle'), color, size, opacity,
     * colorBy, colormap, sizeBy, footprint (STC-S column; default s_region when present)}. Resolves to a Catalog handle; rejects with an Error saying
     * what is wrong (e.g. no position columns, with the column list).
     */
    async addCatalog(src, options = {}) {
      this._live();
      const t0 = performance.now();
      let bytes, name = '';
      if (typeof Blob !== 'undefined' && src instanceof Blob) {
        bytes = new Uint8Array(await src.arrayBuffer()); name = src.name || '';
      } else if (src instanceof ArrayBuffer) {
        bytes = new Uint8Array(src);
      } else if (ArrayBuffer.isView(src)) {
        bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      } else if (typeof src === 'string') {
        if (looksLikeURL(src)) {
          const url = new URL(src, location.href).href;
          let resp;
          try { resp = await fetch(url, { signal: this._abort.signal }); } catch (e) { throw new Error(`Skyglass: addCatalog: cannot fetch ${url}: ${e.message}`); }
          if (!resp.ok) throw new Error(`Skyglass: addCatalog: HTTP ${resp.status} for ${url}`);
          bytes = new Uint8Array(await resp.arrayBuffer()); name = url;
        } else {
          bytes = new TextEncoder().encode(src);
        }
      } else {
        throw new Error('Skyglass: addCatalog(src): src must be a File, a Blob, an ArrayBuffer, a URL or the table text');
      }
      this._live();
      const opts = {};
      for (const k of ['format', 'ra', 'dec', 'id', 'shape', 'color', 'colorBy', 'colormap', 'sizeBy', 'footprint']) if (options[k] !== undefined) opts[k] = String(options[k]);
      for (const k of ['size', 'opacity']) if (options[k] !== undefined) opts[k] = +options[k];
      const r = this._h.addCatalog(bytes, name, opts);
      if (r && typeof r.error === 'string') throw new Error(`Skyglass: ${r.error}`);
      const cat = new Catalog(this, r);
      this._catalogs.set(cat.id, cat);
      this._emit('load', { type: 'catalog', id: cat.id, rows: cat.rows(), ms: performance.now() - t0 });
      return cat;
    }

    /**
     * Adds DS9 regions (the text of a .reg file, or a URL to one). Resolves to
     * {id, count, warnings, remove(), show(bool)}; warnings list the regions not drawn.
     */
    async addRegions(src) {
      this._live();
      let text = src;
      if (typeof Blob !== 'undefined' && src instanceof Blob) text = await src.text();
      else if (typeof src === 'string' && looksLikeURL(src) && !/^\s*#|\(/.test(src)) {
        const url = new URL(src, location.href).href;
        const resp = await fetch(url, { signal: this._abort.signal });
        if (!resp.ok) throw new Error(`Skyglass: addRegions: HTTP ${resp.status} for ${url}`);
        text = await resp.text();
      }
      if (typeof text !== 'string') throw new Error('Skyglass: addRegions(src): src must be region text, a URL or a File');
      const r = this._h.addRegions(text);
      if (r && typeof r.error === 'string') throw new Error(`Skyglass: ${r.error}`);
      const h = this._h, id = r.id;
      return {
        id, count: r.count, warnings: [...r.warnings],
        show: on => { check(h.setOverlayVisible(id, !!on)); },
        remove: () => { if (!this._destroyed) check(h.removeOverlay(id)); },
      };
    }

    // Picking: the source under a canvas point (CSS pixels), or null.
    _pick(p) {
      if (!this._catalogs.size) return null;
      const r = this._h.catalogPick(p[0], p[1], 4);
      if (!r) return null;
      const cat = this._catalogs.get(r.catalog);
      return cat ? { catalog: cat, id: r.id, row: r.row, values: r.values } : null;
    }

    // A click without drag: selects the source under the pointer (or clears the selection).
    _clickSelect(p) {
      if (!this._catalogs.size) return;
      const hit = this._pick(p);
      if (hit) {
        hit.catalog._set([hit.row]);
        this._emit('select', { catalog: hit.catalog, ids: [hit.id], rows: [hit.row], values: [hit.values] });
        return;
      }
      let had = false;
      for (const c of this._catalogs.values()) if (c._selRows.length) { c._set([]); had = true; }
      if (had) this._emit('select', { catalog: null, ids: [], rows: [], values: [] });
    }

    // Shift-drag: selects every source of the top catalogue inside the rectangle.
    _rectSelect(a, b) {
      for (const c of [...this._catalogs.values()].reverse()) {
        const rows = [...check(this._h.catalogRect(c.id, a[0], a[1], b[0], b[1]))];
        if (!rows.length) continue;
        c._set(rows);
        this._emit('select', { catalog: c, ids: [...this._h.catalogIds(c.id, rows)], rows, values: [...check(this._h.catalogRows(c.id, rows.slice(0, 1000)))] });
        return;
      }
    }

    _tooltipAt(p, hit) {
      let t = this._tooltip;
      if (!hit) { if (t) t.style.display = 'none'; return; }
      if (!t) {
        t = this._tooltip = document.createElement('div');
        t.className = 'skyglass-tooltip';
        t.style.cssText = 'position:absolute;z-index:2;pointer-events:none;font:11px/1.35 system-ui,sans-serif;color:#eee;background:rgba(20,24,32,0.88);border:1px solid #556;border-radius:3px;padding:3px 6px;white-space:pre;max-width:360px;overflow:hidden';
        this._root.appendChild(t);
      }
      const lines = Object.entries(hit.values).slice(0, 12).map(([k, v]) => `${k}: ${v === null ? '—' : v}`);
      t.textContent = lines.join('\n');
      t.style.display = '';
      const w = this._root.clientWidth;
      t.style.left = `${Math.min(p[0] + 12, Math.max(0, w - t.offsetWidth - 4))}px`;
      t.style.top = `${p[1] + 12}px`;
    }

    // The shift-drag selection rectangle (a div), created or moved.
    _rubberBand(a, b) {
      let d = this._band;
      if (!d || !d.isConnected) {
        d = this._band = document.createElement('div');
        d.className = 'skyglass-band';
        d.style.cssText = 'position:absolute;pointer-events:none;border:1px dashed #fd3;background:rgba(255,220,60,0.08)';
        this._root.appendChild(d);
      }
      Object.assign(d.style, { left: `${Math.min(a[0], b[0])}px`, top: `${Math.min(a[1], b[1])}px`, width: `${Math.abs(b[0] - a[0])}px`, height: `${Math.abs(b[1] - a[1])}px` });
      return d;
    }

    _hoverPick(p) {
      if (!this._catalogs.size) return null;
      const hit = this._pick(p);
      this._tooltipAt(p, hit);
      return hit;
    }

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

  /** A catalogue overlay, returned by Viewer.addCatalog. */
  class Catalog {
    constructor(viewer, r) {
      this._v = viewer; this.id = r.id; this._n = r.rows; this._cols = [...r.columns].map(c => ({ ...c }));
      /** Whether STC-S footprints (s_region) are drawn; warnings: what could not be read. */
      this.footprints = r.footprints ? true : false;
      this.warnings = [...r.warnings];
      this._legendEl = null;
      this._legend(r.legend);
      this._selRows = [];
    }
    _h() { this._v._live(); if (!this._v._catalogs.has(this.id)) throw new Error('Skyglass: this catalogue was removed'); return this._v._h; }
    _set(rows) { check(this._h().catalogSelectRows(this.id, rows)); this._selRows = [...rows]; }
    /** Number of rows. */
    rows() { return this._n; }
    /** The columns: [{name, unit, ucd, type}]. */
    columns() { return this._cols.map(c => ({ ...c })); }
    /**
     * Highlights the rows with these ids (the id column's values, or row indices without an
     * id column); an empty list clears. Returns {rows, missing}: the rows found and the ids not found.
     */
    select(ids) {
      const r = check(this._h().catalogSelect(this.id, [...(ids || [])]));
      this._selRows = [...r.rows];
      return { rows: [...r.rows], missing: [...r.missing] };
    }
    /** The rows highlighted now. */
    selected() { return [...this._selRows]; }
    /** The values of rows (by index) as [{column: value}]. */
    records(rows) { return [...check(this._h().catalogRows(this.id, [...rows]))]; }
    /** Changes the style: {shape, color, size, opacity, colorBy, colormap, sizeBy}. */
    setStyle(style = {}) {
      const o = {};
      for (const k of ['shape', 'color', 'colorBy', 'colormap', 'sizeBy']) if (style[k] !== undefined) o[k] = String(style[k]);
      for (const k of ['size', 'opacity']) if (style[k] !== undefined) o[k] = +style[k];
      const r = this._h().catalogStyle(this.id, o);
      if (r && typeof r.error === 'string') throw new Error(`Skyglass: ${r.error}`);
      if (r && r.legendChanged) { this._legend(r.legend); if (!r.legend) this.legend = null; }
      return this;
    }
    // Shows the colour legend of a colorBy style (lg null removes it).
    _legend(lg) {
      if (!lg) { if (this._legendEl) this._legendEl.remove(); this._legendEl = null; return; }
      let d = this._legendEl;
      if (!d) {
        d = this._legendEl = document.createElement('div');
        d.className = 'skyglass-legend';
        d.style.cssText = 'position:absolute;right:10px;bottom:34px;width:160px;font:11px/1.3 system-ui,sans-serif;color:#eee;text-shadow:0 0 3px #000;pointer-events:none';
        this._v._root.appendChild(d);
      }
      const fmt = x => Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(2) : +x.toPrecision(4);
      d.innerHTML = '';
      const title = document.createElement('div'); title.textContent = lg.column; d.appendChild(title);
      const bar = document.createElement('div');
      bar.style.cssText = `height:10px;border:1px solid #889;background:linear-gradient(to right, ${[...lg.stops].join(', ')})`;
      d.appendChild(bar);
      const ends = document.createElement('div'); ends.style.cssText = 'display:flex;justify-content:space-between';
      const a = document.createElement('span'); a.textContent = fmt(lg.min);
      const b = document.createElement('span'); b.textContent = fmt(lg.max);
      ends.append(a, b); d.appendChild(ends);
      this.legend = { column: lg.column, colormap: lg.colormap, min: lg.min, max: lg.max };
    }
    /** Sets the layer opacity (0..1). */
    setOpacity(op) { return this.setStyle({ opacity: op }); }
    /** Shows or hides the layer. */
    show(on = true) { check(this._h().setOverlayVisible(this.id, !!on)); return this; }
    /** What the last frame drew: {visible, markers, aggregated}. */
    stats() { return check(this._h().catalogStats(this.id)); }
    /** Removes the layer. */
    remove() {
      if (this._v._destroyed || !this._v._catalogs.has(this.id)) return;
      this._v._catalogs.delete(this.id);
      this._legend(null);
      check(this._v._h.removeOverlay(this.id));
    }
  }

  // A string that is a URL or a file path rather than a table's text.
  function looksLikeURL(s) {
    if (s.length > 4096 || /[\n\r]/.test(s)) return false;
    return /^(https?:|blob:|data:|\.{0,2}\/)/i.test(s) || /^[\w.\-/%]+\.(csv|tsv|xml|vot|votable|tbl|ipac|dat|txt|reg|gz)(\?.*)?$/i.test(s);
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
      const o = stretchSpec(s);
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

  /**
   * Normalises a public display spec ({interval: 'zscale'|'minmax'|{percentile}|{min, max},
   * or min and max alone, stretch, a, colormap, invert, contrast, bias}) into the flat form
   * the wasm takes ({interval: 'zscale'|'minmax'|'percentile'|'manual', percentile, min, max, ...}).
   * Only what is given changes.
   */
  function stretchSpec(s) {
    const o = {};
    const iv = s.interval;
    if (typeof iv === 'string') o.interval = iv;
    else if (iv && typeof iv === 'object') {
      if (iv.percentile !== undefined) { o.interval = 'percentile'; o.percentile = +iv.percentile; }
      else if (iv.min !== undefined || iv.max !== undefined) { o.interval = 'manual'; o.min = +iv.min; o.max = +iv.max; }
      else throw new Error('Skyglass: setStretch: interval object needs {percentile} or {min, max}');
    } else if (iv !== undefined) throw new Error('Skyglass: setStretch: bad interval');
    else if (s.min !== undefined || s.max !== undefined) { o.interval = 'manual'; o.min = +s.min; o.max = +s.max; }
    for (const k of ['stretch', 'colormap']) if (s[k] !== undefined) o[k] = String(s[k]);
    for (const k of ['a', 'contrast', 'bias']) if (s[k] !== undefined) o[k] = +s[k];
    if (s.invert !== undefined) o.invert = !!s.invert;
    return o;
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
