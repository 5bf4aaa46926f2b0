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
      // The module's memory, so that Go hands WebGL views of its bytes instead of copies. The
      // view is made here, in the same call as the WebGL method: a Go allocation in between could
      // grow the memory and detach it.
      global.__skyglassBoot.memory = inst.instance.exports.mem;
      global.__skyglassBoot.callView = (gl, method, mem, kind, ptr, n, pre, post) => {
        const T = kind === 1 ? Float32Array : kind === 2 ? Uint32Array : Uint8Array;
        return gl[method](...pre, new T(mem.buffer, ptr, n), ...post);
      };
      go.run(inst.instance).then(() => console.error('Skyglass: the wasm runtime exited'));
      const core = await ready;
      mark('ready');
      delete global.__skyglassBoot;
      // Bytes of WebAssembly memory (a high-water mark: wasm memory never shrinks), for lifecycle tests.
      core.wasmMemoryBytes = () => inst.instance.exports.mem.buffer.byteLength;
      // The module's memory, for writing downloads straight into Go's buffers (_readBody).
      core.wasmMemory = inst.instance.exports.mem;
      return core;
    })();
    return corePromise;
  }

  // Detaches an ArrayBuffer so that its memory is freed at the next collection even while
  // something still holds it (it then reads as empty).
  function detachBuffer(buf) {
    try {
      if (typeof buf.transfer === 'function') buf.transfer(0);
      else if (typeof structuredClone === 'function') structuredClone(buf, { transfer: [buf] });
    } catch (e) { /* not transferable: left to the collector */ }
  }

  function check(r) {
    if (r && typeof r === 'object' && typeof r.error === 'string') throw new Error(r.error);
    return r;
  }

  const EVENTS = ['click', 'hover', 'select', 'viewchange', 'load', 'progress', 'error', 'idle', 'timewindow', 'statechange'];
  // Events after which getState() may differ ('statechange' follows them, debounced).
  const STATE_EVENTS = new Set(['viewchange', 'load', 'select', 'timewindow']);

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
      this._regions = new Map(); // region overlays by id: {src, handle}
      this._grid = opts.grid ? { show: true, frame: typeof opts.grid === 'string' ? opts.grid : 'icrs' } : { show: false, frame: 'icrs' };

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
      this._mem = core.wasmMemory;
      this._inflight = 0;
      this._images = new Set();
      this._wire();
      this._fitsPanel = new FITSPanel(this, opts);
      if (opts.frame) check(h.setFrame(String(opts.frame)));
      if (opts.drop !== false) this._wireDrop();
      if (opts.controls !== false) this._controls(core);
      if (opts.grid) check(h.setGrid(true, typeof opts.grid === 'string' ? opts.grid : 'icrs'));
    }

    // The toolbar (options.controls, default on): zoom, projection, frame and grid, inside the viewer.
    _controls(core) {
      const bar = document.createElement('div');
      bar.className = 'skyglass-controls';
      bar.style.cssText = 'position:absolute;left:6px;top:6px;z-index:3;display:flex;gap:4px;align-items:center;font:12px system-ui,sans-serif;color:#eee;' +
        'background:rgba(20,24,32,0.75);border:1px solid #556;border-radius:4px;padding:3px 5px';
      const button = (text, title, fn) => {
        const b = document.createElement('button');
        b.textContent = text; b.title = title; b.style.cssText = 'font:12px system-ui;min-width:24px;cursor:pointer';
        b.addEventListener('click', () => { fn(); this._root.focus({ preventScroll: true }); });
        return b;
      };
      const select = (title, options, value, fn) => {
        const sel = document.createElement('select');
        sel.title = title; sel.style.cssText = 'font:12px system-ui';
        for (const [v, label] of options) { const o = document.createElement('option'); o.value = v; o.textContent = label; sel.appendChild(o); }
        sel.value = value;
        sel.addEventListener('change', () => { fn(sel.value); this._root.focus({ preventScroll: true }); });
        return sel;
      };
      const v = this.getView();
      const projections = [...(core.projections || ['SIN', 'TAN', 'AIT'])];
      this._ctlProj = select('Projection', projections.map(p => [p, p]), v.projection, p => this.setProjection(p));
      this._ctlFrame = select('Frame of the view', [['icrs', 'ICRS'], ['galactic', 'Galactic']], v.frame, f => this.setFrame(f));
      const grid = document.createElement('label');
      grid.title = 'Coordinate grid (g)';
      const cb = this._ctlGrid = document.createElement('input');
      cb.type = 'checkbox'; cb.checked = this._grid.show;
      cb.addEventListener('change', () => this.setGrid(cb.checked, this.getView().frame));
      grid.append(cb, document.createTextNode('grid'));
      bar.append(button('−', 'Zoom out (-)', () => this.setFov(Math.min(360, this.getView().fov * 1.5))),
        button('+', 'Zoom in (+)', () => this.setFov(this.getView().fov / 1.5)), this._ctlProj, this._ctlFrame, grid);
      if (this._fitsPanel) bar.append(button('FITS', 'FITS display panel (f)', () => this._fitsPanel.toggle()));
      for (const e of ['pointerdown', 'wheel', 'dblclick']) bar.addEventListener(e, ev => ev.stopPropagation());
      this._root.appendChild(bar);
      this._ctlBar = bar;
      this.on('viewchange', view => {
        if (this._ctlProj.value !== view.projection) this._ctlProj.value = view.projection;
        if (this._ctlFrame.value !== view.frame) this._ctlFrame.value = view.frame;
      });
    }

    _drawOverlay(labels, scale) {
      // The overlay canvas covers only what it draws: the browser composites it over the sky
      // in every frame, and a transparent full-view canvas cost 15-20 % of the pan frame rate
      // on a GPU-less machine. With labels it covers the view; with the scale bar alone, the
      // bottom-right corner; with nothing it is hidden.
      const o = this._overlay, dpr = global.devicePixelRatio || 1;
      const W = this._root.clientWidth, H = this._root.clientHeight;
      const [spx, stext] = scale || [0, ''];
      let box = null; // [left, top, width, height], CSS pixels
      if (labels.length) box = [0, 0, W, H];
      else if (spx > 0) { const bw = Math.min(W, Math.ceil(spx) + 12 + 60), bh = Math.min(H, 40); box = [W - bw, H - bh, bw, bh]; }
      if (!box) { if (o.style.display !== 'none') o.style.display = 'none'; return; }
      if (o.style.display === 'none') o.style.display = 'block';
      const css = [box[0] + 'px', box[1] + 'px', box[2] + 'px', box[3] + 'px'];
      if (o.style.left !== css[0]) o.style.left = css[0];
      if (o.style.top !== css[1]) o.style.top = css[1];
      if (o.style.width !== css[2]) o.style.width = css[2];
      if (o.style.height !== css[3]) o.style.height = css[3];
      const w = Math.round(box[2] * dpr), hh = Math.round(box[3] * dpr);
      if (o.width !== w) o.width = w;
      if (o.height !== hh) o.height = hh;
      const ctx = o.getContext('2d');
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, o.width, o.height);
      ctx.setTransform(dpr, 0, 0, dpr, -box[0] * dpr, -box[1] * dpr); // draw in view coordinates
      if (spx > 0) {
        const x1 = W - 12, x0 = x1 - spx, y = H - 14;
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
        if (e.key === ' ' && this._timeBar) { e.preventDefault(); this._timeBar.toggle(); return; }
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
      if (STATE_EVENTS.has(name)) this._changed();
      const set = this._listeners.get(name);
      if (!set) return;
      for (const cb of [...set]) {
        try { cb(payload); } catch (e) { console.error(`Skyglass: a '${name}' listener threw`, e); }
      }
    }

    _live() { if (this._destroyed) throw new Error('Skyglass: this viewer was destroyed'); }

    // Something getState() reports changed: 'statechange' follows, debounced.
    _changed() {
      if (this._destroyed) return;
      clearTimeout(this._stateTimer);
      this._stateTimer = setTimeout(() => { if (!this._destroyed) this._emit('statechange', null); }, 250);
    }

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
    setFrame(frame) { this._live(); check(this._h.setFrame(String(frame))); this._changed(); return this; }
    /** Shows or hides the coordinate grid; frame is 'icrs' (default) or 'galactic'. */
    setGrid(show, frame = 'icrs') {
      this._live(); check(this._h.setGrid(!!show, String(frame))); this._grid = { show: !!show, frame: String(frame) };
      if (this._ctlGrid) this._ctlGrid.checked = !!show;
      this._changed(); return this;
    }
    /** Sets the projection: 'SIN', 'TAN', 'AIT', ... */
    setProjection(p) { this._live(); check(this._h.setProjection(String(p))); this._changed(); return this; }
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
      const st = { url: abs, opacity: options.opacity !== undefined ? +options.opacity : 1 };
      if (options.format) st.format = String(options.format);
      if (options.fullResolution) st.fullResolution = true;
      const layer = {
        id, url: abs, _state: st,
        /** Display of FITS tiles: {interval: 'zscale'|'minmax'|{percentile}|{min,max}, stretch, colormap, invert, contrast, bias}. */
        setStretch(spec) { self._live(); check(h.setHiPSStretch(id, stretchSpec(spec || {}))); st.stretch = { ...(st.stretch || {}), ...plainSpec(spec || {}) }; self._changed(); return layer; },
        /** Opacity 0..1. */
        setOpacity(a) { self._live(); check(h.setHiPSOpacity(id, +a)); st.opacity = +a; self._changed(); return layer; },
        /** Removes the layer and frees its textures. */
        remove() { self._live(); check(h.removeHiPS(id)); self._hips = self._hips.filter(l => l !== layer); self._changed(); },
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
     * headers, then only the chosen HDU's data); an ArrayBuffer is read in place (up to 1 GB).
     * A URL's body is written straight into the wasm memory as it arrives (a same-origin body
     * of 8 MB or more from a server that takes byte ranges as two halves at once, the second
     * by a Range request); a file of one image of one plane keeps its pixels there (no copy)
     * and nothing else of it, any other file is kept for reading its other planes and HDUs.
     * A plane over 2048² pixels is drawn from a preview (≤ 1024 pixels on a side, each
     * texel one of the image's pixels) with full-resolution 512² tiles uploaded where the view
     * shows finer pixels, so the GPU holds a few MB at any zoom.
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
          bytes = await this._readBody(resp, name, true);
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
        let kept = null; // the id of a Go buffer holding the file, kept for reading it again
        try {
          if (blob) id = check(await this._h.openFITSBlob(blob, name, hdu, plane, maxTex));
          else if (bytes.goBuffer) {
            const r = check(this._h.openFITSBuffer(bytes.goBuffer, bytes.length, name, hdu, plane, maxTex));
            id = r.id; if (r.kept) kept = bytes.goBuffer;
          } else id = check(this._h.openFITS(bytes, name, hdu, plane, maxTex));
        } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
        const img = new FITSImage(this, id);
        img._name = name;
        if (typeof src === 'string' || src instanceof URL) img._src = new URL(String(src), location.href).href;
        img._hdu = options.hdu; img._opacity = 1;
        // The body of a URL holding one image of one plane is not kept (setHDU fetches it
        // again): the decoded plane is all the viewer holds of such a file. A cube (read plane
        // by plane) or a file with other image HDUs (a mask, a variance) is kept, as are a
        // File/Blob and the caller's own ArrayBuffer.
        // A body written into Go's memory (goBuffer) is Go's: kept there when the file will be
        // read again (its id is then the file), released by Go otherwise.
        let single = false; // a URL body Go has read all it needs from
        if (img._src && !bytes.goBuffer) {
          const inf = check(this._h.imageInfo(id));
          single = inf.single;
        }
        img._data = blob || kept || (single || bytes.goBuffer ? null : bytes); img._maxTex = maxTex;
        // Free a body that is not kept now: Go's reference to it lasts until its next garbage
        // collection, so the bytes are moved out of the buffer (detaching it) and dropped.
        if (single && bytes) detachBuffer(bytes.buffer);
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
    // With intoGo, a body of known length is written straight into a Go buffer (fitsBuffer),
    // so that Go does not copy the file again: the result is then {goBuffer: id, length}.
    async _readBody(resp, name, intoGo) {
      const total = +resp.headers.get('content-length') || 0;
      if (!resp.body || !resp.body.getReader) return new Uint8Array(await resp.arrayBuffer());
      const reader = resp.body.getReader();
      // With a Content-Length (of an uncompressed transfer) the chunks are written into one
      // buffer as they arrive, so the file is held once, not twice, while it loads.
      const encoded = resp.headers.get('content-encoding');
      const sized = total > 0 && total <= FITS_MAX_BYTES && (!encoded || encoded === 'identity');
      let go = sized && intoGo && this._mem ? check(this._h.fitsBuffer(total)) : null;
      if (go && total >= SPLIT_MIN_BYTES && resp.type === 'basic' && resp.headers.get('accept-ranges') === 'bytes') {
        try { return await this._readHalves(reader, resp.url, name, go, total); } catch (e) {
          if (!this._destroyed) this._h.freeFITSBuffer(go.id);
          throw e;
        }
      }
      let out = sized && !go ? new Uint8Array(total) : null;
      const parts = [];
      let loaded = 0, last = 0;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (go && this._destroyed) throw new Error(`${name}: the viewer was destroyed`); // its Go buffers are gone
          if (done) break;
          if (go && loaded + value.length <= total) this._goWrite(go, loaded, value);
          else if (out && loaded + value.length <= out.length) out.set(value, loaded);
          else {
            // longer than announced: what was read so far, then the rest, in parts
            if (go) { parts.push(new Uint8Array(this._mem.buffer.slice(go.ptr, go.ptr + loaded))); this._h.freeFITSBuffer(go.id); go = null; }
            if (out) { parts.push(out.subarray(0, loaded)); out = null; }
            parts.push(value);
          }
          loaded += value.length;
          if (loaded > FITS_MAX_BYTES) { reader.cancel(); throw new Error(`${name}: more than the ${FITS_MAX_BYTES} bytes this viewer reads`); }
          if (loaded - last > (1 << 20)) { last = loaded; this._emit('progress', { pending: this._inflight, name, loaded, total }); }
        }
      } catch (e) {
        if (go && !this._destroyed) this._h.freeFITSBuffer(go.id);
        throw e;
      }
      this._emit('progress', { pending: this._inflight, name, loaded, total });
      if (go) return { goBuffer: go.id, length: loaded };
      if (out) return loaded === out.length ? out : out.subarray(0, loaded);
      const whole = new Uint8Array(loaded);
      let o = 0;
      for (const p of parts) { whole.set(p, o); o += p.length; }
      return whole;
    }

    // Writes bytes at offset off of a Go buffer ({id, ptr}, from fitsBuffer). The view of Go's
    // memory is made for each write: the memory may have grown (and its buffer changed) since.
    _goWrite(go, off, bytes) { new Uint8Array(this._mem.buffer, go.ptr + off, bytes.length).set(bytes); }

    // Reads a large same-origin body of known length into a Go buffer as two halves at once:
    // reader streams the first from byte 0 while a Range request fetches the second. On a
    // 2-core machine this took a 64 MB download from ~340 to ~260 ms (one stream is limited by
    // the per-chunk work between the network process and the page). When the second request
    // does not come back as that range (a 200, an error), the first stream reads the whole body.
    async _readHalves(reader, url, name, go, total) {
      const half = Math.floor(total / 2);
      let loaded1 = 0, loaded2 = 0, last = 0, stopped = false;
      const progress = () => {
        const l = Math.min(loaded1, half) + loaded2;
        if (l - last > (1 << 20)) { last = l; this._emit('progress', { pending: this._inflight, name, loaded: l, total }); }
      };
      // The second half: resolves true once all of it is written, false if the server did not
      // send that range; rejects if its transfer fails.
      const second = (async () => {
        let r;
        // no-store: a request for a URL whose download is going on waits for it to finish with
        // the HTTP cache entry (Chromium serialises them) unless it bypasses the cache.
        try { r = await fetch(url, { signal: this._abort.signal, cache: 'no-store', headers: { Range: `bytes=${half}-${total - 1}` } }); } catch (e) { return false; }
        if (r.status !== 206 || r.headers.get('content-range') !== `bytes ${half}-${total - 1}/${total}` || !r.body) {
          if (r.body) r.body.cancel().catch(() => {});
          return false;
        }
        const rd = r.body.getReader();
        for (;;) {
          const { done, value } = await rd.read();
          // Stopped (the first stream failed, and the buffer is being freed) or destroyed:
          // nothing more is written.
          if (stopped || this._destroyed) { rd.cancel().catch(() => {}); throw new Error('stopped'); }
          if (done) break;
          if (loaded2 + value.length > total - half) { rd.cancel().catch(() => {}); throw new Error('longer than the range asked'); }
          this._goWrite(go, half + loaded2, value);
          loaded2 += value.length;
          progress();
        }
        if (loaded2 !== total - half) throw new Error('shorter than the range asked');
        return true;
      })();
      second.catch(() => {}); // awaited below, or never needed
      let halfDone = false;
      try {
        for (;;) {
          if (!halfDone && loaded1 >= half) {
            halfDone = true;
            if (await second.catch(() => false)) { reader.cancel().catch(() => {}); loaded1 = total; break; }
            loaded2 = 0; // the second request failed: this stream reads the rest
          }
          const { done, value } = await reader.read();
          if (this._destroyed) throw new Error(`${name}: the viewer was destroyed`); // its Go buffers are gone
          if (done) break;
          if (loaded1 + value.length > total) { reader.cancel().catch(() => {}); throw new Error(`${name}: more bytes than the ${total} announced`); }
          this._goWrite(go, loaded1, value);
          loaded1 += value.length;
          progress();
        }
      } finally { stopped = true; }
      if (loaded1 !== total) throw new Error(`${name}: ${loaded1} bytes of the ${total} announced`);
      this._emit('progress', { pending: this._inflight, name, loaded: total, total });
      return { goBuffer: go.id, length: total };
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
      const { bytes, name } = await this._tableBytes(src, '');
      this._live();
      const opts = {};
      for (const k of ['format', 'ra', 'dec', 'id', 'shape', 'color', 'colorBy', 'colormap', 'sizeBy', 'footprint',
        'time', 'mag', 'flux', 'err', 'band', 'objectsId']) if (options[k] !== undefined) opts[k] = String(options[k]);
      for (const k of ['size', 'opacity']) if (options[k] !== undefined) opts[k] = +options[k];
      if (options.timeSeries !== undefined) opts.timeSeries = !!options.timeSeries;
      if (options.objects !== undefined) {
        // The object-level table of a time series, joined on objectsId (default: the id column).
        const ob = await this._tableBytes(options.objects, 'objects');
        opts.objects = true; opts.objectsBytes = ob.bytes; opts.objectsName = ob.name;
        this._live();
      }
      const r = this._h.addCatalog(bytes, name, opts);
      if (r && typeof r.error === 'string') throw new Error(`Skyglass: ${r.error}`);
      const cat = new Catalog(this, r);
      this._catalogs.set(cat.id, cat);
      cat._src = typeof src === 'string' ? (looksLikeURL(src) ? { url: new URL(src, location.href).href } : (src.length <= INLINE_MAX ? { text: src } : null)) : null;
      cat._opts = plainOptions(options);
      if (r.series) this._timeBarFor(cat);
      this._emit('load', { type: 'catalog', id: cat.id, rows: cat.rows(), ms: performance.now() - t0 });
      return cat;
    }

    // The bytes and name of a table given as a File/Blob, ArrayBuffer, typed array, URL or text:
    // what names it in errors ('' for addCatalog's own src, 'objects' for the objects table).
    async _tableBytes(src, what) {
      if (typeof Blob !== 'undefined' && src instanceof Blob) return { bytes: new Uint8Array(await src.arrayBuffer()), name: src.name || '' };
      if (src instanceof ArrayBuffer) return { bytes: new Uint8Array(src), name: '' };
      if (ArrayBuffer.isView(src)) return { bytes: new Uint8Array(src.buffer, src.byteOffset, src.byteLength), name: '' };
      if (typeof src !== 'string') {
        throw new Error(what ? `Skyglass: addCatalog: ${what} must be a File, a Blob, an ArrayBuffer, a URL or the table text`
          : 'Skyglass: addCatalog(src): src must be a File, a Blob, an ArrayBuffer, a URL or the table text');
      }
      if (!looksLikeURL(src)) return { bytes: new TextEncoder().encode(src), name: '' };
      const url = new URL(src, location.href).href;
      const which = what ? `the ${what} table ${url}` : url;
      let resp;
      try { resp = await fetch(url, { signal: this._abort.signal }); } catch (e) { throw new Error(`Skyglass: addCatalog: cannot fetch ${which}: ${e.message}`); }
      if (!resp.ok) throw new Error(`Skyglass: addCatalog: HTTP ${resp.status} for ${which}`);
      return { bytes: new Uint8Array(await resp.arrayBuffer()), name: url };
    }

    // The time bar (slider, play/pause, speed) of the newest time-series catalogue.
    _timeBarFor(cat) {
      if (this._timeBar) this._timeBar.remove();
      this._timeBar = new TimeBar(this, cat);
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
      const handle = {
        id, count: r.count, warnings: [...r.warnings],
        show: on => { check(h.setOverlayVisible(id, !!on)); },
        remove: () => { if (!this._destroyed) { check(h.removeOverlay(id)); this._regions.delete(id); this._changed(); } },
      };
      const fromURL = typeof src === 'string' && text !== src;
      this._regions.set(id, { src: fromURL ? { url: new URL(src, location.href).href } : (text.length <= INLINE_MAX ? { text } : null), handle });
      this._changed();
      return handle;
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
        if (hit.catalog.timeSeries && hit.id !== null) hit.catalog.showLightCurve(hit.id);
        return;
      }
      let had = false;
      for (const c of this._catalogs.values()) if (c._selRows.length) { c._set([]); had = true; }
      if (had) this._emit('select', { catalog: null, ids: [], rows: [], values: [] });
      if (this._lcPanel) this._lcPanel.close();
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

    // ---- view state (getState / setState) ----

    /**
     * The viewer's state as plain JSON: {version, view: {ra, dec, fov, projection, frame}, grid,
     * hips: [{url, opacity, format, stretch}], images: [{url, hdu, plane, stretch, opacity}],
     * catalogs: [{url | text, options, style, selected: ids, timeWindow}], regions: [{url | text}],
     * skipped: [what cannot be saved: layers given as Files or large in-memory data]}.
     * Layers given by URL (or small texts) are saved; setState() restores them.
     */
    getState() {
      this._live();
      const v = this.getView();
      const st = { version: 1, view: { ra: v.ra, dec: v.dec, fov: v.fov, projection: v.projection, frame: v.frame }, grid: { ...this._grid }, hips: [], images: [], catalogs: [], regions: [], skipped: [] };
      for (const l of this._hips) st.hips.push(JSON.parse(JSON.stringify(l._state)));
      for (const img of this._images) {
        if (!img._src) { st.skipped.push(`image ${img._name}`); continue; }
        const info = img.info();
        const e = { url: img._src, hdu: info.hdu, plane: info.plane, stretch: plainSpec(img.getStretch()), opacity: img._opacity };
        st.images.push(e);
      }
      for (const c of this._catalogs.values()) {
        if (!c._src) { st.skipped.push(`catalogue ${c.id}`); continue; }
        const e = { ...c._src, options: { ...c._opts } };
        if (c._style) e.style = { ...c._style };
        const sel = c.selected();
        if (sel.length) e.selected = [...check(this._h.catalogIds(c.id, sel.slice(0, 10000)))];
        if (c.timeSeries) { const w = c.getTimeWindow(); if (w) e.timeWindow = w; }
        st.catalogs.push(e);
      }
      for (const r of this._regions.values()) {
        if (!r.src) { st.skipped.push(`regions ${r.handle.id}`); continue; }
        st.regions.push({ ...r.src });
      }
      return st;
    }

    /**
     * Restores a state from getState() (e.g. from a link): the view, the grid, then the layers, which
     * replace the current ones (HiPS layers with the same URLs in the same order are kept and
     * restyled). Resolves when every layer is loaded; rejects with an Error naming the first layer
     * that failed (the others are still restored).
     */
    async setState(state) {
      this._live();
      if (!state || typeof state !== 'object' || state.version !== 1) throw new Error('Skyglass: setState: not a Skyglass state (version 1)');
      const vw = state.view || {};
      if (vw.projection) this.setProjection(vw.projection);
      if (vw.frame) this.setFrame(vw.frame);
      if ([vw.ra, vw.dec, vw.fov].every(Number.isFinite)) this.setView(vw.ra, vw.dec, vw.fov);
      if (state.grid) this.setGrid(!!state.grid.show, state.grid.frame || 'icrs');
      const errors = [];
      const hips = Array.isArray(state.hips) ? state.hips : [];
      const same = hips.length === this._hips.length && hips.every((h, i) => h && h.url === this._hips[i].url);
      if (!same) {
        for (const l of [...this._hips]) l.remove();
        for (const h of hips) {
          try { await this.addHiPS(String(h.url), { format: h.format, fullResolution: h.fullResolution, opacity: h.opacity, stretch: h.stretch }); } catch (e) { errors.push(e); }
        }
      } else {
        hips.forEach((h, i) => { const l = this._hips[i]; if (h.opacity !== undefined) l.setOpacity(h.opacity); if (h.stretch) l.setStretch(h.stretch); });
      }
      for (const img of [...this._images]) img.remove();
      for (const e of Array.isArray(state.images) ? state.images : []) {
        try {
          const img = await this.openFITS(String(e.url), { hdu: e.hdu, plane: e.plane });
          if (e.stretch) img.setStretch(e.stretch);
          if (e.opacity !== undefined) img.setOpacity(e.opacity);
        } catch (err) { errors.push(err); }
      }
      for (const c of [...this._catalogs.values()]) c.remove();
      for (const e of Array.isArray(state.catalogs) ? state.catalogs : []) {
        try {
          const src = e.url !== undefined ? String(e.url) : String(e.text);
          const cat = await this.addCatalog(src, e.options || {});
          if (e.style) cat.setStyle(e.style);
          if (Array.isArray(e.selected) && e.selected.length) cat.select(e.selected);
          if (e.timeWindow && cat.timeSeries) cat.setTimeWindow(e.timeWindow[0], e.timeWindow[1]);
        } catch (err) { errors.push(err); }
      }
      for (const r of [...this._regions.values()]) r.handle.remove();
      for (const e of Array.isArray(state.regions) ? state.regions : []) {
        try { await this.addRegions(e.url !== undefined ? String(e.url) : String(e.text)); } catch (err) { errors.push(err); }
      }
      if (errors.length) throw new Error(`Skyglass: setState: ${errors.length} layer(s) failed: ${errors.map(e => e.message).join('; ')}`);
      return this;
    }

    /**
     * The current view as a FITS file (Uint8Array) whose header is the view's WCS: options.mode
     * 'values' (default when a FITS image is open: the top image's physical values at every view
     * pixel, BITPIX -32, NaN off the image, with its BUNIT), 'rgb' (the canvas colours, three BITPIX 8
     * planes) or 'grey' (luminance, one plane). One FITS pixel per CSS pixel.
     */
    async exportFITS(options = {}) {
      this._live();
      await this.whenIdle();
      const top = [...this._images].pop();
      const mode = options.mode || (top ? 'values' : 'rgb');
      if (mode === 'values' && !top) throw new Error('Skyglass: exportFITS: values mode needs an open FITS image');
      let rgba = null;
      if (mode !== 'values') {
        check(this._h.render());
        const wcs = this.getView().wcs, W = wcs.NAXIS1, H = wcs.NAXIS2;
        const c = document.createElement('canvas'); c.width = W; c.height = H;
        const ctx = c.getContext('2d');
        ctx.drawImage(this.canvas, 0, 0, W, H);
        rgba = new Uint8Array(ctx.getImageData(0, 0, W, H).data.buffer);
      }
      return check(this._h.exportFITS(mode, top ? top.id : 0, rgba));
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
      clearTimeout(this._stateTimer);
      if (this._timeBar) this._timeBar.stop();
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
      /** Whether this catalogue is a time series (a detection table grouped into objects). */
      this.timeSeries = !!r.series;
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
      this._v._changed();
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
      this._style = { ...(this._style || {}), ...plainOptions(style) };
      this._v._changed();
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

    // ---- time series (a detection table added with {id, time, mag|flux, err, band}) ----

    _series() { if (!this.timeSeries) throw new Error('Skyglass: this catalogue is not a time series (add it with the time/mag/flux options)'); return this._h(); }
    /** {tmin, tmax (MJD), objects, detections, groupMs (time the grouping took), kind: 'mag'|'flux', unit, column, timeColumn, window: [t0, t1] or null}. */
    seriesInfo() { return check(this._series().seriesInfo(this.id)); }
    /** [tmin, tmax]: the span of the detections' times (MJD). */
    timeRange() { const i = this.seriesInfo(); return [i.tmin, i.tmax]; }
    /**
     * Shows only the detections with t0 ≤ MJD ≤ t1 (null or no arguments: all of them).
     * options.fade (days, default 0): markers fade in over that span inside the window's edges.
     * Returns the number of detections in the window; emits 'timewindow' {catalog, t0, t1, detections}.
     */
    setTimeWindow(t0, t1, options = {}) {
      const clear = t0 === null || t0 === undefined || t1 === null || t1 === undefined;
      const n = check(this._series().seriesWindow(this.id, clear ? NaN : +t0, clear ? NaN : +t1, options.fade !== undefined ? +options.fade : 0));
      if (this._v._timeBar && this._v._timeBar.cat === this && !options._fromBar) this._v._timeBar.sync();
      this._v._emit('timewindow', { catalog: this, t0: clear ? null : +t0, t1: clear ? null : +t1, detections: n });
      return n;
    }
    /** The current time window [t0, t1] (MJD), or null when every detection is shown. */
    getTimeWindow() { const w = this.seriesInfo().window; return w ? [...w] : null; }
    /** {detections, objects: [ids]}: what a window [t0, t1] holds (without setting it). */
    countInWindow(t0, t1) { const r = check(this._series().seriesCount(this.id, +t0, +t1)); return { detections: r.detections, objects: [...r.objects] }; }
    /**
     * The light curve of object id: {id, ra, dec, n, tmin, tmax, mean, time: MJD[], value: [] (mag or flux),
     * error: [] (NaN when absent), band: [], rows: detection rows, kind: 'mag'|'flux', unit, object: row of the
     * object-level table when one was joined}. Detections are in time order.
     */
    lightCurve(id) {
      const r = check(this._series().seriesLightCurve(this.id, id));
      return { ...r, time: [...r.time], value: [...r.value], error: [...r.error], band: [...r.band], rows: [...r.rows] };
    }
    /**
     * The Lomb-Scargle periodogram of object id (astropy's standard normalisation, exact sums, on
     * astropy's autofrequency grid): options {fmin (1/1000 per day), fmax (20 per day), samplesPerPeak (10)}.
     * Returns {id, frequency: Float64Array (per day), power: Float64Array, bestFrequency, bestPeriod (days), bestPower}.
     */
    periodogram(id, options = {}) {
      const o = options || {};
      return check(this._series().seriesPeriodogram(this.id, id, o.fmin !== undefined ? +o.fmin : NaN,
        o.fmax !== undefined ? +o.fmax : NaN, o.samplesPerPeak !== undefined ? +o.samplesPerPeak : NaN));
    }
    /**
     * The light curve of object id folded on a period (days): {id, period, epoch, phase: [0, 1), value, error,
     * band, time}, phase = frac((t − epoch) / period) with epoch (default: the first detection's time).
     */
    fold(id, period, options = {}) {
      const f = check(this._series().seriesFold(this.id, id, +period, options.epoch !== undefined ? +options.epoch : NaN));
      const lc = this.lightCurve(id);
      return { id: lc.id, period: f.period, epoch: f.epoch, phase: [...f.phase], value: lc.value, error: lc.error, band: lc.band, time: lc.time };
    }
    /** Opens the light-curve panel of object id (as a click on the source does). */
    showLightCurve(id) {
      this._series();
      const v = this._v;
      if (!v._lcPanel) v._lcPanel = new LightCurvePanel(v);
      v._lcPanel.open(this, id);
      return v._lcPanel;
    }
    /** Shows or hides the layer. */
    show(on = true) { check(this._h().setOverlayVisible(this.id, !!on)); return this; }
    /** What the last frame drew: {visible, markers, aggregated}. */
    stats() { return check(this._h().catalogStats(this.id)); }
    /** Removes the layer. */
    remove() {
      if (this._v._destroyed || !this._v._catalogs.has(this.id)) return;
      this._v._catalogs.delete(this.id);
      this._v._changed();
      this._legend(null);
      if (this._v._timeBar && this._v._timeBar.cat === this) { this._v._timeBar.remove(); this._v._timeBar = null; }
      if (this._v._lcPanel && this._v._lcPanel.cat === this) this._v._lcPanel.close();
      check(this._v._h.removeOverlay(this.id));
    }
  }

  // ---- time series UI: the time bar and the light-curve panel ----

  const BAND_COLORS = ['#4fc3f7', '#81c784', '#ffb74d', '#e57373', '#ba68c8', '#fff176', '#90a4ae'];
  const fmtMJD = t => (Math.abs(t) < 1e6 ? t.toFixed(2) : t.toExponential(4));

  function el(tag, css, text) {
    const e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** The time bar of a time-series catalogue: window start slider, width, play/pause, speed. */
  class TimeBar {
    constructor(viewer, cat) {
      this.v = viewer; this.cat = cat; this._raf = 0; this.playing = false;
      const info = cat.seriesInfo();
      this.tmin = info.tmin; this.tmax = info.tmax;
      const span = Math.max(this.tmax - this.tmin, 1e-6);
      this.width = Math.max(span / 12, 1e-6);
      this.speed = 1; // windows per second / 10
      const bar = this.el = el('div', 'position:absolute;left:50%;transform:translateX(-50%);bottom:24px;z-index:3;display:flex;gap:6px;align-items:center;' +
        'font:12px system-ui,sans-serif;color:#eee;background:rgba(20,24,32,0.85);border:1px solid #556;border-radius:4px;padding:4px 8px');
      bar.className = 'skyglass-timebar';
      const btn = this.btn = el('button', 'font:12px system-ui;width:28px;cursor:pointer', '▶');
      btn.title = 'Play / pause the time window (space)';
      btn.addEventListener('click', () => this.toggle());
      const slider = this.slider = el('input', 'width:260px');
      slider.type = 'range'; slider.min = '0'; slider.max = '1000'; slider.step = '1'; slider.value = '0';
      slider.title = 'Start of the time window';
      slider.addEventListener('input', () => { this.stop(); this.setStart(this.tmin + (+slider.value / 1000) * this._travel()); });
      const wsel = this.wsel = el('select', 'font:12px system-ui');
      wsel.title = 'Width of the time window (days)';
      for (const [label, w] of [['all', 0], ...[1, 3, 10, 30, 100, 300].filter(d => d < span).map(d => [`${d} d`, d])]) {
        const o = el('option', '', label); o.value = String(w); wsel.appendChild(o);
      }
      const widths = [...wsel.options].map(o => +o.value).filter(w => w > 0);
      if (widths.length) { this.width = widths.reduce((a, w) => (Math.abs(w - this.width) < Math.abs(a - this.width) ? w : a)); wsel.value = String(this.width); }
      wsel.addEventListener('change', () => { const w = +wsel.value; if (!w) { this.stop(); this.cat.setTimeWindow(null); this.sync(); return; } this.width = w; this.setStart(this._start()); });
      const ssel = this.ssel = el('select', 'font:12px system-ui');
      ssel.title = 'Animation speed';
      for (const x of [0.25, 0.5, 1, 2, 4]) { const o = el('option', '', `${x}×`); o.value = String(x); ssel.appendChild(o); }
      ssel.value = '1';
      ssel.addEventListener('change', () => { this.speed = +ssel.value; });
      const label = this.label = el('span', 'min-width:230px;white-space:nowrap;font-variant-numeric:tabular-nums');
      bar.append(btn, slider, wsel, ssel, label);
      for (const e of [btn, slider, wsel, ssel]) e.addEventListener('keydown', ev => { if (ev.key === ' ') { ev.preventDefault(); this.toggle(); } });
      viewer._root.appendChild(bar);
      this.sync();
    }
    _travel() { return Math.max(this.tmax - this.tmin - this.width, 0); }
    _start() { const w = this.cat.getTimeWindow(); return w ? w[0] : this.tmin; }
    /** Moves the window to start at t0 (days: MJD). */
    setStart(t0) {
      const s = Math.max(this.tmin, Math.min(t0, this.tmin + this._travel()));
      this.cat.setTimeWindow(s, s + this.width, { fade: this.width * 0.15, _fromBar: true });
      this.sync();
    }
    /** Updates the slider and label from the catalogue's window. */
    sync() {
      const w = this.cat.getTimeWindow();
      if (!w) { this.label.textContent = `all: MJD ${fmtMJD(this.tmin)} – ${fmtMJD(this.tmax)}`; this.slider.value = '0'; this.wsel.value = '0'; return; }
      const width = w[1] - w[0];
      if (Math.abs(width - this.width) > 1e-9 * Math.max(1, width)) {
        // A window set through the API or by brushing: its width becomes the bar's.
        this.width = width;
        let o = [...this.wsel.options].find(x => Math.abs(+x.value - width) <= 1e-9 * Math.max(1, width));
        if (!o) { o = this._custom || (this._custom = el('option')); o.value = String(width); o.textContent = `${+width.toPrecision(3)} d`; this.wsel.appendChild(o); }
      }
      this.wsel.value = [...this.wsel.options].find(x => Math.abs(+x.value - width) <= 1e-9 * Math.max(1, width)).value;
      const tr = this._travel();
      this.slider.value = String(tr > 0 ? Math.round((w[0] - this.tmin) / tr * 1000) : 0);
      this.label.textContent = `MJD ${fmtMJD(w[0])} – ${fmtMJD(w[1])}`;
    }
    /** Plays or pauses the animation. */
    toggle() { if (this.playing) this.stop(); else this.play(); }
    /** Starts the animation: the window slides across the data's span, then starts over. */
    play() {
      if (this.playing || this.v._destroyed) return;
      if (!this.cat.getTimeWindow()) { if (+this.wsel.value === 0) this.wsel.value = String(this.width); this.setStart(this.tmin); }
      this.playing = true; this.btn.textContent = '❚❚';
      let last = performance.now();
      const step = now => {
        if (!this.playing || this.v._destroyed) return;
        const dt = Math.min(0.1, (now - last) / 1000); last = now;
        // About 20 s for the whole span at 1×.
        const rate = this.speed * Math.max(this.tmax - this.tmin, 1e-6) / 20;
        let t0 = this._start() + rate * dt;
        if (t0 > this.tmin + this._travel() + 1e-9) t0 = this.tmin;
        this.setStart(t0);
        this._raf = requestAnimationFrame(step);
      };
      this._raf = requestAnimationFrame(step);
    }
    /** Pauses the animation. */
    stop() { this.playing = false; if (this._raf) cancelAnimationFrame(this._raf); this._raf = 0; if (this.btn) this.btn.textContent = '▶'; }
    remove() { this.stop(); this.el.remove(); }
  }

  /**
   * The light-curve panel of a time-series object: magnitude (inverted axis) or flux against
   * time, error bars, a colour per band; wheel zooms and drag pans the time axis, shift-drag sets
   * the sky's time window, hovering a point rings the object on the sky; a Lomb-Scargle
   * periodogram on demand and folding on its best period or a typed one.
   */
  class LightCurvePanel {
    constructor(viewer) {
      this.v = viewer;
      const p = this.el = el('div', 'position:absolute;left:8px;bottom:64px;z-index:3;width:480px;font:12px system-ui,sans-serif;color:#eee;' +
        'background:rgba(20,24,32,0.92);border:1px solid #556;border-radius:4px;padding:6px;display:none');
      p.className = 'skyglass-lightcurve';
      const head = el('div', 'display:flex;gap:6px;align-items:center;margin-bottom:4px');
      this.title = el('span', 'flex:1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis');
      this.title.className = 'skyglass-lc-title';
      const mk = (text, title, fn) => { const b = el('button', 'font:11px system-ui;cursor:pointer', text); b.title = title; b.addEventListener('click', fn); return b; };
      this.pgBtn = mk('Periodogram', 'Lomb-Scargle periodogram of this light curve', () => this.togglePeriodogram());
      this.foldBtn = mk('Fold', 'Fold on the period typed (or the best period)', () => this.toggleFold());
      this.period = el('input', 'width:84px;font:11px system-ui');
      this.period.placeholder = 'period (d)'; this.period.title = 'Period to fold on, days';
      this.period.addEventListener('change', () => { if (this.mode === 'fold') this.draw(); });
      head.append(this.title, this.pgBtn, this.period, this.foldBtn, mk('×', 'Close', () => this.close()));
      this.canvas = el('canvas', 'display:block;width:480px;height:220px;cursor:crosshair');
      this.canvas.className = 'skyglass-lc-plot';
      this.hoverText = el('div', 'height:16px;white-space:nowrap;overflow:hidden;color:#cde');
      p.append(head, this.canvas, this.hoverText);
      viewer._root.appendChild(p);
      this.ring = el('div', 'position:absolute;z-index:2;pointer-events:none;width:22px;height:22px;margin:-13px 0 0 -13px;border:2px solid #fd3;border-radius:50%;display:none');
      viewer._root.appendChild(this.ring);
      this._wire();
      this._onView = () => this._placeRing();
      viewer.on('viewchange', this._onView);
    }
    /** Shows the light curve of object id of catalogue cat. */
    open(cat, id) {
      this.cat = cat; this.lc = cat.lightCurve(id); this.mode = 'time'; this.pg = null; this.hover = -1;
      const lc = this.lc;
      const pad = Math.max((lc.tmax - lc.tmin) * 0.03, 0.5);
      this.x0 = lc.tmin - pad; this.x1 = lc.tmax + pad;
      const bands = [...new Set(lc.band)];
      this.bandColor = new Map(bands.map((b, i) => [b, BAND_COLORS[i % BAND_COLORS.length]]));
      this.title.textContent = `${lc.id}   n = ${lc.n}   ${lc.kind}${lc.unit ? ` [${lc.unit}]` : ''}${bands.length > 1 || bands[0] ? `   bands ${bands.join(', ')}` : ''}`;
      this.el.style.display = '';
      this.pgBtn.textContent = 'Periodogram'; this.foldBtn.textContent = 'Fold';
      this.draw();
    }
    close() { this.el.style.display = 'none'; this.ring.style.display = 'none'; this.lc = null; }
    isOpen() { return !!this.lc; }
    /** Computes (once) and shows the periodogram, or goes back to the light curve. */
    togglePeriodogram() {
      if (!this.lc) return;
      if (this.mode === 'periodogram') { this.mode = 'time'; this.pgBtn.textContent = 'Periodogram'; this.draw(); return; }
      if (!this.pg) {
        try { this.pg = this.cat.periodogram(this.lc.id); } catch (e) { this.hoverText.textContent = e.message; return; }
        if (!this.period.value) this.period.value = this.pg.bestPeriod.toPrecision(7);
      }
      this.mode = 'periodogram'; this.pgBtn.textContent = 'Light curve'; this.foldBtn.textContent = 'Fold';
      this.hoverText.textContent = `best period ${this.pg.bestPeriod.toPrecision(7)} d, power ${this.pg.bestPower.toFixed(4)}`;
      this.draw();
    }
    /** Folds on the typed period (or the periodogram's best), or unfolds. */
    toggleFold() {
      if (!this.lc) return;
      if (this.mode === 'fold') { this.mode = 'time'; this.foldBtn.textContent = 'Fold'; this.draw(); return; }
      if (!(+this.period.value > 0)) {
        if (!this.pg) { try { this.pg = this.cat.periodogram(this.lc.id); } catch (e) { this.hoverText.textContent = e.message; return; } }
        this.period.value = this.pg.bestPeriod.toPrecision(7);
      }
      this.mode = 'fold'; this.foldBtn.textContent = 'Unfold'; this.pgBtn.textContent = 'Periodogram';
      this.draw();
    }
    // Plot area in CSS pixels.
    _box() { return { l: 46, r: 470, t: 8, b: 196 }; }
    // The points of the current mode: [{x, y, dy, band, i}].
    _points() {
      const lc = this.lc;
      if (this.mode === 'fold') {
        // Folded once per object and period, not on every redraw (hover redraws).
        const P = +this.period.value;
        if (!this._fold || this._fold.id !== lc.id || this._fold.period !== P) this._fold = this.cat.fold(lc.id, P);
        return this._fold.phase.map((x, i) => ({ x, y: lc.value[i], dy: lc.error[i], band: lc.band[i], i }));
      }
      return lc.time.map((x, i) => ({ x, y: lc.value[i], dy: lc.error[i], band: lc.band[i], i }));
    }
    draw() {
      if (!this.lc) return;
      const c = this.canvas, dpr = global.devicePixelRatio || 1;
      c.width = Math.round(480 * dpr); c.height = Math.round(220 * dpr);
      const ctx = c.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, 480, 220);
      const B = this._box();
      ctx.strokeStyle = '#778'; ctx.lineWidth = 1; ctx.strokeRect(B.l, B.t, B.r - B.l, B.b - B.t);
      ctx.fillStyle = '#bbc'; ctx.font = '10px system-ui, sans-serif';
      if (this.mode === 'periodogram') return this._drawPeriodogram(ctx, B);
      const pts = this._points();
      const x0 = this.mode === 'fold' ? 0 : this.x0, x1 = this.mode === 'fold' ? 1 : this.x1;
      let lo = Infinity, hi = -Infinity;
      for (const p of pts) if (Number.isFinite(p.y)) { const e = Number.isFinite(p.dy) ? p.dy : 0; lo = Math.min(lo, p.y - e); hi = Math.max(hi, p.y + e); }
      if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
      const m = (hi - lo) * 0.06; lo -= m; hi += m;
      const inv = this.lc.kind === 'mag';
      const X = x => B.l + (x - x0) / (x1 - x0) * (B.r - B.l);
      const Y = y => inv ? B.t + (y - lo) / (hi - lo) * (B.b - B.t) : B.b - (y - lo) / (hi - lo) * (B.b - B.t);
      this._xf = { x0, x1, X, Y, B };
      // axes
      ctx.textAlign = 'center'; ctx.textBaseline = 'top';
      for (let k = 0; k <= 4; k++) { const x = x0 + (x1 - x0) * k / 4; ctx.fillText(this.mode === 'fold' ? x.toFixed(2) : fmtMJD(x), X(x), B.b + 3); }
      ctx.fillText(this.mode === 'fold' ? `phase (P = ${(+this.period.value).toPrecision(7)} d)` : 'MJD', (B.l + B.r) / 2, B.b + 13);
      ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
      for (let k = 0; k <= 4; k++) { const y = lo + (hi - lo) * k / 4; ctx.fillText(+y.toPrecision(4), B.l - 3, Y(y)); }
      ctx.save(); ctx.translate(10, (B.t + B.b) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
      ctx.fillText(this.lc.kind + (this.lc.unit ? ` [${this.lc.unit}]` : ''), 0, 0); ctx.restore();
      // sky window
      const w = this.mode === 'time' && this.cat.getTimeWindow();
      if (w) { ctx.fillStyle = 'rgba(255,220,60,0.12)'; ctx.fillRect(Math.max(B.l, X(w[0])), B.t, Math.max(0, Math.min(B.r, X(w[1])) - Math.max(B.l, X(w[0]))), B.b - B.t); }
      ctx.save(); ctx.beginPath(); ctx.rect(B.l, B.t, B.r - B.l, B.b - B.t); ctx.clip();
      for (const p of pts) {
        if (!Number.isFinite(p.y)) continue;
        const px = X(p.x), py = Y(p.y), col = this.bandColor.get(p.band) || '#ccc';
        ctx.strokeStyle = col; ctx.fillStyle = col;
        if (Number.isFinite(p.dy) && p.dy > 0) { ctx.beginPath(); ctx.moveTo(px, Y(p.y - p.dy)); ctx.lineTo(px, Y(p.y + p.dy)); ctx.stroke(); }
        ctx.beginPath(); ctx.arc(px, py, p.i === this.hover ? 4 : 2.2, 0, 2 * Math.PI); ctx.fill();
      }
      if (this.brush) { ctx.fillStyle = 'rgba(255,220,60,0.25)'; ctx.fillRect(Math.min(this.brush[0], this.brush[1]), B.t, Math.abs(this.brush[1] - this.brush[0]), B.b - B.t); }
      ctx.restore();
      this._pts = pts;
    }
    _drawPeriodogram(ctx, B) {
      const { frequency: f, power: p, bestFrequency } = this.pg;
      let pmax = 0; for (let i = 0; i < p.length; i++) pmax = Math.max(pmax, p[i]);
      const lf0 = Math.log10(f[0]), lf1 = Math.log10(f[f.length - 1]);
      const X = x => B.l + (Math.log10(x) - lf0) / (lf1 - lf0) * (B.r - B.l);
      const Y = y => B.b - y / (pmax || 1) * (B.b - B.t);
      ctx.textAlign = 'center'; ctx.textBaseline = 'top';
      for (let k = Math.ceil(lf0); k <= Math.floor(lf1); k++) ctx.fillText(`${+Math.pow(10, -k).toPrecision(3)} d`, X(Math.pow(10, k)), B.b + 3);
      ctx.fillText('period (log)', (B.l + B.r) / 2, B.b + 13);
      ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
      for (let k = 0; k <= 4; k++) ctx.fillText((pmax * k / 4).toFixed(2), B.l - 3, Y(pmax * k / 4));
      // One line per pixel column: the maximum power in it.
      ctx.strokeStyle = '#9cf'; ctx.beginPath();
      const cols = Math.round(B.r - B.l), mx = new Float64Array(cols).fill(-1);
      for (let i = 0; i < f.length; i++) { const c = Math.min(cols - 1, Math.max(0, Math.floor(X(f[i]) - B.l))); if (p[i] > mx[c]) mx[c] = p[i]; }
      let started = false;
      for (let c = 0; c < cols; c++) { if (mx[c] < 0) continue; const y = Y(mx[c]); if (!started) { ctx.moveTo(B.l + c, y); started = true; } else ctx.lineTo(B.l + c, y); }
      ctx.stroke();
      ctx.strokeStyle = '#fd3'; ctx.setLineDash([3, 3]); ctx.beginPath(); ctx.moveTo(X(bestFrequency), B.t); ctx.lineTo(X(bestFrequency), B.b); ctx.stroke(); ctx.setLineDash([]);
      this._pgX = X;
    }
    _wire() {
      const c = this.canvas, sig = { signal: this.v._abort.signal };
      const at = e => { const r = c.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
      let drag = null;
      c.addEventListener('wheel', e => {
        if (!this.lc || this.mode !== 'time') return;
        e.preventDefault();
        const [px] = at(e), t = this._xf.x0 + (px - this._xf.B.l) / (this._xf.B.r - this._xf.B.l) * (this._xf.x1 - this._xf.x0);
        const k = Math.exp(Math.max(-1, Math.min(1, e.deltaY / 300)));
        this.x0 = t - (t - this.x0) * k; this.x1 = t + (this.x1 - t) * k; this.draw();
      }, { passive: false, signal: this.v._abort.signal });
      c.addEventListener('pointerdown', e => {
        if (!this.lc) return;
        c.setPointerCapture(e.pointerId);
        const [px] = at(e);
        if (this.mode === 'periodogram') {
          // Clicking the periodogram picks the period at that point for folding.
          const B = this._box(), f0 = this.pg.frequency[0], f1 = this.pg.frequency[this.pg.frequency.length - 1];
          const f = Math.pow(10, Math.log10(f0) + (px - B.l) / (B.r - B.l) * (Math.log10(f1) - Math.log10(f0)));
          this.period.value = (1 / f).toPrecision(7);
          return;
        }
        drag = { x: px, x0: this.x0, x1: this.x1, brush: e.shiftKey && this.mode === 'time' };
        if (drag.brush) this.brush = [px, px];
      }, sig);
      c.addEventListener('pointermove', e => {
        if (!this.lc || !this._xf) return;
        const [px, py] = at(e);
        if (drag) {
          if (drag.brush) { this.brush[1] = px; this.draw(); return; }
          if (this.mode !== 'time') return;
          const dt = (px - drag.x) / (this._xf.B.r - this._xf.B.l) * (drag.x1 - drag.x0);
          this.x0 = drag.x0 - dt; this.x1 = drag.x1 - dt; this.draw(); return;
        }
        this._hoverAt(px, py);
      }, sig);
      const up = () => {
        if (drag && drag.brush && this.brush) {
          const { x0, x1, B } = this._xf, T = px => x0 + (px - B.l) / (B.r - B.l) * (x1 - x0);
          const a = T(Math.min(...this.brush)), b = T(Math.max(...this.brush));
          this.brush = null;
          if (b > a) { if (this.v._timeBar) this.v._timeBar.stop(); this.cat.setTimeWindow(a, b); }
          this.draw();
        }
        drag = null;
      };
      c.addEventListener('pointerup', up, sig);
      c.addEventListener('pointercancel', up, sig);
      c.addEventListener('pointerleave', () => { if (!drag) { this.hover = -1; this.ring.style.display = 'none'; if (this.lc && this.mode !== 'periodogram') this.draw(); } }, sig);
    }
    // Hovering a point: its values below the plot, the point enlarged, the object ringed on the sky.
    _hoverAt(px, py) {
      if (!this._pts || this.mode === 'periodogram') return;
      const { X, Y } = this._xf;
      let best = -1, bd = 8;
      for (const p of this._pts) { if (!Number.isFinite(p.y)) continue; const d = Math.hypot(X(p.x) - px, Y(p.y) - py); if (d < bd) { bd = d; best = p.i; } }
      if (best === this.hover) return;
      this.hover = best;
      const lc = this.lc;
      if (best >= 0) {
        this.hoverText.textContent = `MJD ${lc.time[best].toFixed(5)}   ${lc.kind} ${lc.value[best]}${Number.isFinite(lc.error[best]) ? ` ± ${lc.error[best]}` : ''}${lc.band[best] ? `   band ${lc.band[best]}` : ''}   row ${lc.rows[best]}`;
        this._placeRing();
      } else { this.hoverText.textContent = ''; this.ring.style.display = 'none'; }
      this.draw();
    }
    _placeRing() {
      if (!this.lc || this.hover < 0 || this.lc.ra === null) { this.ring.style.display = 'none'; return; }
      const p = this.v.worldToPixel(this.lc.ra, this.lc.dec);
      if (!p) { this.ring.style.display = 'none'; return; }
      Object.assign(this.ring.style, { display: '', left: `${p[0]}px`, top: `${p[1]}px` });
    }
  }

  // A string that is a URL or a file path rather than a table's text.
  function looksLikeURL(s) {
    if (s.length > 4096 || /[\n\r]/.test(s)) return false;
    return /^(https?:|blob:|data:|\.{0,2}\/)/i.test(s) || /^[\w.\-/%]+\.(csv|tsv|xml|vot|votable|tbl|ipac|dat|txt|reg|gz)(\?.*)?$/i.test(s);
  }

  const FITS_MAX_BYTES = 1 << 30;
  // Bodies from this size on are downloaded as two halves at once (Viewer._readHalves).
  const SPLIT_MIN_BYTES = 8 << 20;

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
    info() {
      const inf = check(this._h().imageInfo(this.id));
      inf.axis3 = check(this._h().imageAxis3(this.id));
      return inf;
    }
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
      this._v._changed();
      if (this._v._fitsPanel) this._v._fitsPanel.refresh();
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
    setOpacity(op) { check(this._h().setImageOpacity(this.id, +op)); this._opacity = +op; this._v._changed(); return this; }
    /** Shows plane k (0-based) of a cube; resolves when it is decoded (a File is read lazily). */
    async setPlane(k) {
      try { check(await this._h().setImagePlane(this.id, +k)); } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
      return this;
    }
    /** Removes the image from the viewer and frees its textures. */
    remove() {
      if (this._removed) return;
      if (!this._v._destroyed) check(this._v._h.removeImage(this.id));
      // The file kept in a Go buffer (a URL's cube or MEF) is not needed any more.
      if (typeof this._data === 'number' && !this._v._destroyed) this._v._h.freeFITSBuffer(this._data);
      this._removed = true;
      this._v._images.delete(this);
      this._v._changed();
      if (this._v._fitsPanel) this._v._fitsPanel.refresh();
    }

    // ---- FITS panel support (histogram, colorbar, HDU switch, header search) ----

    /**
     * Histogram of the current plane: {lo, hi, counts, below, above, blank}. options: {bins
     * (default 256), min, max} (default: the data minimum and maximum). A value equal to max is
     * counted in the last bin; values outside go to below/above, NaN pixels to blank.
     */
    histogram(options = {}) {
      const bins = options.bins !== undefined ? +options.bins : 256;
      const lo = options.min !== undefined ? +options.min : NaN, hi = options.max !== undefined ? +options.max : NaN;
      return check(this._h().imageHistogram(this.id, bins, lo, hi));
    }
    /** Colorbar of the current display: {lo, hi, colors: Uint8Array RGBA × n, ticks: [{value, pos, label}]}. */
    colorbar(options = {}) {
      return check(this._h().imageColorbar(this.id, options.n !== undefined ? +options.n : 256, options.ticks !== undefined ? +options.ticks : 6));
    }
    /**
     * Pixel grid mode: on (true) shows the image in its own pixels, placed on a plain TAN grid at
     * its centre with its pixel scale there (no reprojection, no distortion): x to the right, y up;
     * with {northUp: true} the grid keeps the WCS' orientation at the centre, so north is up and
     * east left. Off (false) reprojects through the full WCS again. Nothing is decoded or uploaded
     * again. Images without a usable WCS are always in pixel mode.
     */
    setPixelMode(on, options = {}) {
      check(this._h().setImagePixelGrid(this.id, !!on, !!options.northUp));
      if (this._v._fitsPanel) this._v._fitsPanel.refresh();
      return this;
    }
    /** {on, northUp}: whether the image is on its own pixel grid (setPixelMode). */
    pixelMode() { return check(this._h().imagePixelGrid(this.id)); }
    /** Header cards (80-character lines) containing query (case-insensitive): [{index, card}]. */
    searchHeader(query) {
      const q = String(query || '').toLowerCase();
      return this.info().header.split('\n').map((card, index) => ({ index, card })).filter(c => c.card && c.card.toLowerCase().includes(q));
    }
    /**
     * Shows HDU i of the same file instead (re-read from the File or the bytes in memory; the
     * display setting and plane return to their defaults). Resolves to this image.
     */
    async setHDU(i) {
      const h = this._h(), old = this.id;
      let id;
      try {
        const data = await this._file();
        id = check(data instanceof Uint8Array || typeof data === 'number' ? h.openFITS(data, this._name, +i, 0, this._maxTex) : await h.openFITSBlob(data, this._name, +i, 0, this._maxTex));
      } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
      check(h.removeImage(old));
      this.id = id;
      if (this._v._fitsPanel) this._v._fitsPanel.refresh();
      return this;
    }

    // The file's bytes or Blob: kept, or fetched again from the image's URL.
    async _file() {
      if (this._data || !this._src) return this._data;
      const resp = await fetch(this._src, { signal: this._v._abort.signal });
      if (!resp.ok) throw new Error(`${this._name}: HTTP ${resp.status} for ${this._src}`);
      return this._v._readBody(resp, this._name);
    }

    // ---- mask HDUs as bit-plane overlays (Firefly's add_mask; Rubin calexps' MASK) ----

    /**
     * Lists the mask HDUs of this image's file (other than the HDU shown): HDUs whose EXTNAME
     * contains MASK (or is DQ), that have LSST MP_<NAME> = <bit> keywords, or unscaled integer
     * images with a floating-point sibling of the same shape. Each comes with its bit planes: the
     * bits named by MP_ keywords, then any other bit set in the data ('bit N'), with the number of
     * pixels that have it set. The mask data are read once (only that HDU) and kept for showMask.
     * Resolves to [{hdu, name, shape, bits: [{bit, name, count}]}].
     */
    async masks() {
      const h = this._h();
      try { return check(await h.imageMasks(this.id, await this._file(), this._name)); } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
    }
    /**
     * Shows bit planes of a mask HDU over the image: {hdu (default: the first mask HDU),
     * planes: [{bit (0..31), color (CSS colour or [r, g, b] 0..255)}] (at most 8, drawn in
     * order, later ones over earlier ones), opacity (0..1, default 0.5)}. A pixel takes the colour
     * of each chosen bit set in it, blended over the image with the opacity. The mask must have
     * the image's shape (else the promise rejects naming both shapes). Changing planes, colours or
     * opacity of a mask already read only redraws. Resolves to this image.
     */
    async showMask(spec = {}) {
      const h = this._h();
      let hdu = spec.hdu;
      if (hdu === undefined) {
        const inf = check(h.imageInfo(this.id)), m = inf.hdus.find(x => x.mask && x.index !== inf.hdu);
        if (!m) throw new Error(`Skyglass: showMask: ${this._name} has no mask HDU`);
        hdu = m.index;
      }
      const planes = [...(spec.planes || [])].map(p => ({ bit: +p.bit, color: maskColor(p.color) }));
      const o = { hdu: +hdu, planes, opacity: spec.opacity !== undefined ? +spec.opacity : 0.5 };
      try { check(await h.showImageMask(this.id, o, await this._file(), this._name)); } catch (e) { throw new Error(`Skyglass: ${e.message}`); }
      this._v._changed();
      return this;
    }
    /** Takes the mask overlay off (its data stay read: showing it again reads nothing). */
    hideMask() {
      check(this._h().hideImageMask(this.id));
      this._v._changed();
      return this;
    }
    /** The mask overlay shown: {hdu, planes: [{bit, color: '#rrggbb'}], opacity}, or null. */
    getMask() {
      const m = check(this._h().imageMask(this.id));
      if (!m) return null;
      const hex = c => '#' + c.map(x => Math.round(Math.min(1, Math.max(0, x)) * 255).toString(16).padStart(2, '0')).join('');
      return { hdu: m.hdu, planes: m.planes.map(p => ({ bit: p.bit, color: hex(p.color) })), opacity: m.opacity };
    }
  }

  // A mask colour (CSS colour string, or [r, g, b] in 0..255) as [r, g, b] in 0..1.
  function maskColor(c) {
    if (Array.isArray(c) || ArrayBuffer.isView(c)) return [0, 1, 2].map(i => Math.min(255, Math.max(0, +c[i] || 0)) / 255);
    const g = (maskColor.ctx ||= document.createElement('canvas').getContext('2d'));
    g.fillStyle = '#000'; g.fillStyle = String(c === undefined ? '#ff0000' : c);
    const f = g.fillStyle, m = /^#([0-9a-f]{6})$/i.exec(f), r = /^rgba?\(([^)]*)\)/.exec(f);
    if (m) return [0, 2, 4].map(i => parseInt(m[1].slice(i, i + 2), 16) / 255);
    if (r) return r[1].split(',').slice(0, 3).map(x => +x / 255);
    return [1, 0, 0];
  }
  // Default colours of mask bits in the panel (distinct for each bit).
  const MASK_COLORS = ['#ff0000', '#00ff00', '#0080ff', '#ff00ff', '#ffff00', '#00ffff', '#ff8000', '#8000ff', '#ffffff'];
  function maskDefaultColor(bit) {
    if (bit < MASK_COLORS.length) return MASK_COLORS[bit];
    const hue = (bit * 137.508) % 360, f = n => { const k = (n + hue / 30) % 12, a = 0.25; /* HSL, s = l = 50 % */ return Math.round(255 * (0.5 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)))); };
    return '#' + [0, 8, 4].map(n => f(n).toString(16).padStart(2, '0')).join('');
  }

  // ==== FITSPanel: the FITS controls panel inside the viewer (option `controls`, key `f`) ====
  // It acts on the top (last opened) image: HDU picker, cube plane slider with the third axis'
  // world coordinate, interval presets and manual limits, stretch, colormap, invert, colorbar
  // with BUNIT, histogram with the limits marked, header viewer with search. It also owns the
  // right-drag contrast/bias gesture (DS9 style) on the canvas, which works with or without it.
  class FITSPanel {
    constructor(viewer, opts) {
      this._v = viewer;
      const sig = { signal: viewer._abort.signal };
      const el = document.createElement('div');
      el.className = 'skyglass-fits-panel';
      el.style.cssText = 'position:absolute;right:6px;top:24px;width:300px;max-height:calc(100% - 34px);overflow:auto;' +
        'background:rgba(20,22,28,.92);color:#ddd;font:12px/1.4 system-ui,sans-serif;border:1px solid #444;border-radius:4px;padding:6px;display:none;user-select:text';
      el.innerHTML = `
        <div style="display:flex;justify-content:space-between"><b data-k="title">FITS</b><span title="close (f)" data-k="close" style="cursor:pointer">✕</span></div>
        <div data-k="empty">No FITS image open. Drop a file on the viewer.</div>
        <div data-k="body">
          <label>HDU <select data-k="hdu" style="width:100%"></select></label>
          <div data-k="planebox"><label>Plane <span data-k="planelabel"></span><input data-k="plane" type="range" min="0" step="1" style="width:100%"></label></div>
          <div>Interval <select data-k="interval">
            <option value="minmax">min/max</option><option value="99.5">99.5 %</option><option value="99">99 %</option>
            <option value="98">98 %</option><option value="95">95 %</option><option value="zscale">zscale</option><option value="manual">manual</option></select>
            <br>min <input data-k="min" type="number" step="any" style="width:90px"> max <input data-k="max" type="number" step="any" style="width:90px"></div>
          <div>Stretch <select data-k="stretch">${['linear', 'sqrt', 'log', 'asinh', 'power', 'sinh', 'squared', 'histeq'].map(n => `<option>${n}</option>`).join('')}</select>
            Colormap <select data-k="colormap"></select>
            <label><input data-k="invert" type="checkbox"> invert</label></div>
          <div>Pixel grid <select data-k="pixgrid"><option value="off">off (reproject)</option><option value="on">on (x right, y up)</option><option value="north">on, north up</option></select></div>
          <div data-k="maskbox" style="display:none;margin-top:4px;border-top:1px solid #444;padding-top:3px">
            <div>Mask <select data-k="maskhdu"></select> opacity <input data-k="maskop" type="range" min="0" max="1" step="0.05" value="0.5" style="width:90px;vertical-align:middle"></div>
            <div data-k="maskrows" style="max-height:200px;overflow:auto"></div></div>
          <canvas data-k="colorbar" width="288" height="34" style="width:288px;height:34px;display:block;margin-top:4px"></canvas>
          <div data-k="cbtext" style="font-size:11px;color:#9cf"></div>
          <canvas data-k="hist" width="288" height="70" style="width:288px;height:70px;display:block;margin-top:4px;background:#111"></canvas>
          <div>Header <input data-k="search" type="search" placeholder="search" style="width:60%"> <span data-k="nmatch"></span></div>
          <pre data-k="header" style="max-height:160px;overflow:auto;margin:2px 0;font:11px/1.25 monospace;background:#0b0b0e;padding:3px;white-space:pre"></pre>
        </div>`;
      viewer._root.appendChild(el);
      this.el = el;
      this._q = {};
      for (const n of el.querySelectorAll('[data-k]')) this._q[n.dataset.k] = n;
      const q = this._q;
      for (const n of check(viewer._h.colormaps())) { const o = document.createElement('option'); o.textContent = n; q.colormap.appendChild(o); }
      // Keys typed into the panel are not viewer shortcuts.
      el.addEventListener('keydown', e => e.stopPropagation(), sig);
      el.addEventListener('pointerdown', e => e.stopPropagation(), sig);
      q.close.addEventListener('click', () => this.toggle(false), sig);
      viewer._root.addEventListener('keydown', e => {
        if (e.key === 'f' && !e.ctrlKey && !e.metaKey && !e.altKey) { this.toggle(); e.preventDefault(); }
      }, sig);
      const act = fn => async () => { try { await fn(); } catch (e) { viewer._emit('error', e instanceof Error ? e : new Error(String(e))); } this.refresh(); };
      q.hdu.addEventListener('change', act(() => this._img().setHDU(+q.hdu.value)), sig);
      q.plane.addEventListener('input', act(() => this._img().setPlane(+q.plane.value)), sig);
      q.interval.addEventListener('change', act(() => {
        const v = q.interval.value;
        if (v === 'manual') return this._img().setStretch({ interval: { min: +q.min.value, max: +q.max.value } });
        return this._img().setStretch({ interval: /^\d/.test(v) ? { percentile: +v } : v });
      }), sig);
      const manual = act(() => this._img().setStretch({ interval: { min: +q.min.value, max: +q.max.value } }));
      q.min.addEventListener('change', manual, sig); q.max.addEventListener('change', manual, sig);
      q.stretch.addEventListener('change', act(() => this._img().setStretch({ stretch: q.stretch.value })), sig);
      q.colormap.addEventListener('change', act(() => this._img().setStretch({ colormap: q.colormap.value })), sig);
      q.invert.addEventListener('change', act(() => this._img().setStretch({ invert: q.invert.checked })), sig);
      q.search.addEventListener('input', () => this._header(), sig);
      q.maskhdu.addEventListener('change', () => this._maskRows(), sig);
      q.maskop.addEventListener('input', () => this._applyMask(), sig);
      q.maskrows.addEventListener('change', () => this._applyMask(), sig);
      q.maskrows.addEventListener('input', e => { if (e.target.type === 'color') this._applyMask(); }, sig);
      q.pixgrid.addEventListener('change', act(() => this._img().setPixelMode(q.pixgrid.value !== 'off', { northUp: q.pixgrid.value === 'north' })), sig);
      // A visible notice when the top image has no usable WCS (pixel mode), and a progress bar
      // while a FITS file is read (the 'progress' events of openFITS).
      const notice = document.createElement('div');
      notice.className = 'skyglass-fits-notice';
      notice.style.cssText = 'position:absolute;left:6px;top:40px;max-width:60%;font:12px/1.3 system-ui,sans-serif;color:#fc6;background:rgba(0,0,0,.6);padding:2px 5px;border-radius:3px;pointer-events:none;display:none';
      viewer._root.appendChild(notice);
      const bar = document.createElement('div');
      bar.className = 'skyglass-progress';
      bar.style.cssText = 'position:absolute;left:0;top:0;height:3px;width:0;background:#4af;pointer-events:none;display:none';
      viewer._root.appendChild(bar);
      this._notice = notice; this._bar = bar;
      viewer.on('progress', p => {
        bar.style.display = p.pending > 0 ? '' : 'none';
        bar.style.width = p.total > 0 ? `${Math.min(100, 100 * p.loaded / p.total)}%` : p.pending > 0 ? '100%' : '0';
        bar.style.opacity = p.total > 0 ? '1' : '.4';
      });
      // Errors the user caused without code (a bad file dropped) are shown for 10 s.
      viewer.on('error', e => {
        notice.textContent = String(e && e.message || e); notice.style.display = ''; notice.style.color = '#f88'; this._errShown = true; this._noticeKey = undefined;
        clearTimeout(this._errTimer);
        this._errTimer = setTimeout(() => { notice.style.color = '#fc6'; this._errShown = false; this.refresh(); }, 10000);
      });
      viewer.on('load', () => this.refresh());
      this._wireContrastBias(sig);
      this.toggle(!!opts.controls);
    }

    /** The image the panel acts on: the top (last opened) one, or null. */
    _img() { const all = this._v.images(); return all.length ? all[all.length - 1] : null; }

    /** Shows (true), hides (false) or toggles (undefined) the panel. */
    toggle(show) {
      this.visible = show === undefined ? !this.visible : !!show;
      this.el.style.display = this.visible ? '' : 'none';
      if (this.visible) this.refresh();
    }

    /** Redraws the panel from the top image's state. */
    refresh() {
      if (this._v._destroyed) return;
      const q = this._q, img = this._img();
      if (this._errShown) { if (!this.visible) return; } else {
      // The notice of an image (pixel mode) is read once per image shown: info() builds the
      // whole header text, too much for every stretch change.
      const key = img ? img.id : null; // image ids are never reused in a viewer
      if (key !== this._noticeKey) {
        this._noticeKey = key;
        const note = img ? img.info().notice : '';
        this._notice.textContent = note ? `${img._name}: ${note}` : '';
        this._notice.style.display = note ? '' : 'none';
      }
      }
      if (!this.visible) return;
      q.empty.style.display = img ? 'none' : '';
      q.body.style.display = img ? '' : 'none';
      if (!img) { q.title.textContent = 'FITS'; return; }
      const inf = img.info(), st = img.getStretch();
      q.title.textContent = inf.name;
      q.hdu.textContent = '';
      for (const h of inf.hdus) {
        const o = document.createElement('option');
        o.value = h.index;
        o.textContent = `${h.index}: ${[h.name && h.name !== h.type ? h.name : '', h.type].filter(Boolean).join(' ')} ${h.shape.join('×') || '—'} BITPIX ${h.bitpix}${h.compression ? ' ' + h.compression : ''}`;
        o.disabled = !h.image;
        q.hdu.appendChild(o);
      }
      q.hdu.value = inf.hdu;
      q.planebox.style.display = inf.planes > 1 ? '' : 'none';
      if (inf.planes > 1) {
        q.plane.max = inf.planes - 1; q.plane.value = inf.plane;
        const a = inf.axis3, w = a && a.values[inf.plane];
        q.planelabel.textContent = `${inf.plane + 1}/${inf.planes}` + (a && w !== null && w !== undefined ? ` · ${a.ctype || 'axis 3'} = ${fmtNum(w)} ${a.cunit}` : '');
      }
      q.interval.value = st.interval === 'percentile' ? String(st.percentile) : st.interval;
      if (!q.interval.value) q.interval.value = 'manual';
      if (document.activeElement !== q.min) q.min.value = fmtNum(inf.limits[0]);
      if (document.activeElement !== q.max) q.max.value = fmtNum(inf.limits[1]);
      q.stretch.value = st.stretch || 'linear';
      q.colormap.value = st.colormap || 'grey';
      q.invert.checked = !!st.invert;
      const pm = img.pixelMode();
      q.pixgrid.value = pm.on ? (pm.northUp ? 'north' : 'on') : 'off';
      q.pixgrid.disabled = inf.pixelMode;
      this._colorbar(img, inf);
      this._histogram(img, inf);
      this._header(inf);
      this._mask(img, inf);
    }

    // The Mask section: shown when the file has a mask HDU; one row per bit plane (checkbox,
    // colour, name, pixel count) and an opacity slider. The planes are listed once per image
    // (img.masks() reads the mask); changes only redraw.
    _mask(img, inf) {
      const q = this._q, has = inf.hdus.some(h => h.mask && h.index !== inf.hdu);
      q.maskbox.style.display = has ? '' : 'none';
      if (!has || (this._mk && this._mk.img === img && this._mk.id === img.id)) return;
      const mk = this._mk = { img, id: img.id, masks: null, colors: {} };
      q.maskhdu.textContent = ''; q.maskrows.textContent = 'reading the mask…';
      img.masks().then(ms => {
        if (this._mk !== mk) return;
        mk.masks = ms;
        for (const m of ms) {
          const o = document.createElement('option');
          o.value = m.hdu; o.textContent = `${m.hdu}: ${m.name || 'mask'}`;
          q.maskhdu.appendChild(o);
        }
        this._maskRows();
      }, e => { if (this._mk === mk) q.maskrows.textContent = e.message; });
    }

    _maskRows() {
      const q = this._q, mk = this._mk;
      if (!mk || !mk.masks) return;
      const m = mk.masks.find(x => x.hdu === +q.maskhdu.value);
      q.maskrows.textContent = '';
      if (!m) return;
      const shown = mk.img.getMask(), on = new Map(shown && shown.hdu === m.hdu ? shown.planes.map(p => [p.bit, p.color]) : []);
      for (const b of m.bits) {
        const row = document.createElement('label');
        row.style.cssText = 'display:flex;align-items:center;gap:4px';
        row.dataset.bit = b.bit;
        row.innerHTML = `<input type="checkbox"><input type="color" style="width:22px;height:16px;padding:0;border:0;background:none"><span style="flex:1"></span><span style="color:#9cf"></span>`;
        const [cb, col, name, count] = row.children;
        cb.checked = on.has(b.bit);
        col.value = on.get(b.bit) || mk.colors[b.bit] || maskDefaultColor(b.bit);
        name.textContent = b.name; name.title = `bit ${b.bit}`;
        count.textContent = b.count >= 0 ? b.count.toLocaleString('en') : '';
        q.maskrows.appendChild(row);
      }
      this._maskLimit();
    }

    // At most 8 planes at once: the other checkboxes are disabled when 8 are checked.
    _maskLimit() {
      const rows = [...this._q.maskrows.children], n = rows.filter(r => r.children[0].checked).length;
      for (const r of rows) r.children[0].disabled = n >= 8 && !r.children[0].checked;
      return rows;
    }

    async _applyMask() {
      const q = this._q, mk = this._mk;
      if (!mk || !mk.masks || mk.img._removed) return;
      const planes = [];
      for (const r of this._maskLimit()) {
        const bit = +r.dataset.bit, color = r.children[1].value;
        mk.colors[bit] = color;
        if (r.children[0].checked) planes.push({ bit, color });
      }
      try {
        if (!planes.length) mk.img.hideMask();
        else await mk.img.showMask({ hdu: +q.maskhdu.value, planes, opacity: +q.maskop.value });
      } catch (e) { this._v._emit('error', e instanceof Error ? e : new Error(String(e))); }
    }

    _colorbar(img, inf) {
      const c = this._q.colorbar, g = c.getContext('2d'), cb = img.colorbar({ n: c.width, ticks: 5 });
      g.clearRect(0, 0, c.width, c.height);
      const row = g.createImageData(c.width, 1);
      row.data.set(cb.colors.subarray(0, row.data.length));
      for (let y = 0; y < 14; y++) g.putImageData(row, 0, y);
      g.fillStyle = '#ddd'; g.font = '10px system-ui,sans-serif'; g.textBaseline = 'top';
      let right = -Infinity; // labels that would overlap the previous one are left out
      for (const t of cb.ticks) {
        const x = t.pos * (c.width - 1), tw = g.measureText(t.label).width;
        g.fillRect(Math.round(x), 14, 1, 4);
        const x0 = Math.min(c.width - tw, Math.max(0, x - tw / 2));
        if (x0 < right + 4) continue;
        g.textAlign = 'left';
        g.fillText(t.label, x0, 19);
        right = x0 + tw;
      }
      c.title = `${fmtNum(cb.lo)} … ${fmtNum(cb.hi)} ${inf.bunit}`;
      c.dataset.lo = cb.lo; c.dataset.hi = cb.hi; c.dataset.bunit = inf.bunit;
      this._q.cbtext.textContent = `limits ${fmtNum(cb.lo)} … ${fmtNum(cb.hi)}${inf.bunit ? ' ' + inf.bunit : ''}`;
    }

    _histogram(img, inf) {
      // The counts depend on the data only: computed once per image and plane.
      const c = this._q.hist, g = c.getContext('2d'), key = `${img.id}:${inf.plane}`;
      if (!this._hcache || this._hcache.key !== key) this._hcache = { key, h: img.histogram({ bins: c.width }) };
      const h = this._hcache.h;
      g.clearRect(0, 0, c.width, c.height);
      const peak = Math.max(1, ...h.counts), lp = Math.log10(peak + 1);
      g.fillStyle = '#8ab';
      h.counts.forEach((n, i) => { if (n) { const hh = Math.log10(n + 1) / lp * (c.height - 12); g.fillRect(i, c.height - 12 - hh, 1, hh); } });
      const X = v => (v - h.lo) / (h.hi - h.lo || 1) * (c.width - 1);
      g.fillStyle = '#f84';
      for (const v of inf.limits) { const x = Math.round(X(v)); if (x >= 0 && x < c.width) g.fillRect(x, 0, 1, c.height - 12); }
      g.fillStyle = '#aaa'; g.font = '10px system-ui,sans-serif'; g.textBaseline = 'bottom';
      g.textAlign = 'left'; g.fillText(fmtNum(h.lo), 0, c.height);
      g.textAlign = 'right'; g.fillText(fmtNum(h.hi), c.width, c.height);
      g.textAlign = 'center'; g.fillText('log N; limits in orange', c.width / 2, c.height);
      this.lastHistogram = h;
    }

    _header(inf) {
      const img = this._img();
      if (!img) return;
      const q = this._q, hits = img.searchHeader(q.search.value);
      q.header.textContent = hits.map(h => h.card.trimEnd()).join('\n');
      q.nmatch.textContent = q.search.value ? `${hits.length} card${hits.length === 1 ? '' : 's'}` : '';
    }

    // Right-drag on the canvas: horizontal position sets the bias (0..1 across the canvas),
    // vertical the contrast (0 at the bottom .. 10 at the top; DS9's ranges) of the top image.
    _wireContrastBias(sig) {
      const c = this._v.canvas;
      let on = false;
      c.addEventListener('contextmenu', e => { if (this._img()) e.preventDefault(); }, sig);
      const set = e => {
        const img = this._img(), r = c.getBoundingClientRect();
        if (!img || !r.width || !r.height) return;
        const bias = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
        const contrast = Math.min(10, Math.max(0, 10 * (1 - (e.clientY - r.top) / r.height)));
        img.setStretch({ contrast, bias }); // redraws the panel too
      };
      c.addEventListener('pointerdown', e => {
        if (e.button !== 2 || !this._img()) return;
        on = true; c.setPointerCapture(e.pointerId); set(e); e.preventDefault();
      }, sig);
      c.addEventListener('pointermove', e => { if (on) set(e); }, sig);
      const end = () => { on = false; };
      c.addEventListener('pointerup', end, sig); c.addEventListener('pointercancel', end, sig);
    }
  }

  function fmtNum(x) {
    if (x === null || x === undefined || !isFinite(x)) return String(x);
    const a = Math.abs(x);
    return a !== 0 && (a >= 1e5 || a < 1e-3) ? x.toExponential(4) : String(+x.toPrecision(6));
  }
  // ==== end FITSPanel ====

  /**
   * Normalises a public display spec ({interval: 'zscale'|'minmax'|{percentile}|{min, max},
   * or min and max alone, stretch, a, colormap, invert, contrast, bias}) into the flat form
   * the wasm takes ({interval: 'zscale'|'minmax'|'percentile'|'manual', percentile, min, max, ...}).
   * Only what is given changes.
   */
  function stretchSpec(s) {
    const o = {};
    const iv = s.interval;
    if (typeof iv === 'string') {
      o.interval = iv; // the flat form of getStretch(): 'percentile' with percentile, 'manual' with min and max
      for (const k of ['percentile', 'min', 'max']) if (s[k] !== undefined) o[k] = +s[k];
    }
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

  // Texts up to this size are kept in getState() (catalogues and regions given inline).
  const INLINE_MAX = 64 * 1024;

  // The JSON-safe part of a display spec (strings, numbers, booleans, {percentile}/{min,max}).
  function plainSpec(s) {
    const o = {};
    for (const [k, v] of Object.entries(s || {})) {
      if (['string', 'number', 'boolean'].includes(typeof v)) o[k] = v;
      else if (v && typeof v === 'object' && !Array.isArray(v)) o[k] = plainSpec(v);
    }
    return o;
  }
  // The JSON-safe options of a catalogue (an objects table given by URL is kept as its URL).
  function plainOptions(opts) {
    const o = {};
    for (const [k, v] of Object.entries(opts || {})) {
      if (['string', 'number', 'boolean'].includes(typeof v)) o[k] = k === 'objects' && typeof v === 'string' && looksLikeURL(v) ? new URL(v, location.href).href : v;
    }
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

  // ---- iframe mode: embed.html serves a viewer over postMessage; Skyglass.frame() drives it ----
  //
  // Protocol (every message is an object with a 'skyglass' field):
  //   host → frame  {skyglass: 'hello'}                                  frame answers {skyglass: 'ready'}
  //   host → frame  {skyglass: 'call', id, handle, method, args}          handle 0 = the viewer, else a layer
  //   frame → host  {skyglass: 'result', id, value} | {skyglass: 'error', id, message}
  //   host → frame  {skyglass: 'on', name}                                frame → host {skyglass: 'event', name, payload}
  // Layers (catalogues, images, HiPS, regions) travel as {$handle: n, kind, id, ...}. The frame answers
  // only the origins of its allow-list; messages from any other origin are ignored, unanswered.

  // A value made safe for postMessage: layers become handles, functions are dropped.
  function toWire(x, handles, depth = 0) {
    if (x === null || x === undefined || typeof x !== 'object') return typeof x === 'function' ? undefined : x;
    if (depth > 8) return undefined;
    if (x instanceof Error) return { $error: x.message };
    if (ArrayBuffer.isView(x) || x instanceof ArrayBuffer || (typeof Blob !== 'undefined' && x instanceof Blob)) return x;
    const kind = x instanceof Catalog ? 'catalog' : x instanceof FITSImage ? 'image' : (x.url !== undefined && typeof x.setStretch === 'function') ? 'hips'
      : (typeof x.remove === 'function' && typeof x.show === 'function' && x.count !== undefined) ? 'regions' : null;
    if (kind) {
      let n = handles.ids.get(x);
      if (!n) { n = handles.next++; handles.ids.set(x, n); handles.objs.set(n, x); }
      const h = { $handle: n, kind, id: x.id };
      if (kind === 'catalog') Object.assign(h, { timeSeries: x.timeSeries, footprints: x.footprints, warnings: x.warnings });
      if (kind === 'hips') h.url = x.url;
      if (kind === 'regions') Object.assign(h, { count: x.count, warnings: x.warnings });
      return h;
    }
    if (Array.isArray(x)) return x.map(e => toWire(e, handles, depth + 1));
    const o = {};
    for (const [k, v] of Object.entries(x)) { const w = toWire(v, handles, depth + 1); if (w !== undefined) o[k] = w; }
    return o;
  }

  /**
   * Serves viewer v to the page that embeds this one in an iframe (used by embed.html). options.origins:
   * the host origins allowed to drive it (exact origins like 'https://portal.example.org'; '*' allows
   * any). Returns a function that stops serving.
   */
  function serveFrame(v, options = {}) {
    const allowed = new Set((options.origins || []).map(String));
    const ok = origin => allowed.has('*') || allowed.has(origin);
    const handles = { next: 1, ids: new Map(), objs: new Map() };
    const subscribed = new Map(); // event name → listener
    const ac = new AbortController();
    global.addEventListener('message', async ev => {
      const m = ev.data;
      if (!m || typeof m !== 'object' || typeof m.skyglass !== 'string' || !ev.source) return;
      if (!ok(ev.origin)) return; // not on the allow-list: no answer at all
      const reply = msg => ev.source.postMessage({ skyglass: msg.skyglass, ...msg }, ev.origin);
      if (m.skyglass === 'hello') { reply({ skyglass: 'ready' }); return; }
      if (m.skyglass === 'on' && EVENTS.includes(m.name) && !subscribed.has(m.name)) {
        const src = ev.source, origin = ev.origin;
        const cb = payload => src.postMessage({ skyglass: 'event', name: m.name, payload: toWire(payload, handles) }, origin);
        subscribed.set(m.name, cb); v.on(m.name, cb);
        return;
      }
      if (m.skyglass !== 'call') return;
      try {
        const target = m.handle ? handles.objs.get(m.handle) : v;
        if (!target) throw new Error(`Skyglass: no layer handle ${m.handle}`);
        const fn = target[m.method];
        if (typeof fn !== 'function' || String(m.method).startsWith('_') || m.method === 'constructor') throw new Error(`Skyglass: no method ${m.method}`);
        const value = await fn.apply(target, Array.isArray(m.args) ? m.args : []);
        reply({ skyglass: 'result', id: m.id, value: value === target && target === v ? null : toWire(value, handles) });
      } catch (e) {
        reply({ skyglass: 'error', id: m.id, message: e && e.message ? e.message : String(e) });
      }
    }, { signal: ac.signal });
    return () => { ac.abort(); for (const [name, cb] of subscribed) v.off(name, cb); };
  }

  /**
   * Drives a viewer running in an iframe (embed.html) from the host page: resolves to a proxy with the
   * viewer's methods (each returning a promise) plus on/off for events; layers come back as proxies with
   * their own methods. options: {origin: the iframe's origin (default: from its src), timeout (ms, 20000)}.
   */
  function frame(iframe, options = {}) {
    const win = iframe && iframe.contentWindow;
    if (!win) return Promise.reject(new Error('Skyglass.frame: give an <iframe> element that is in the document'));
    const origin = options.origin || new URL(iframe.src, location.href).origin;
    const pending = new Map(), listeners = new Map();
    let nextId = 1;
    const ac = new AbortController();
    let ready;
    const isReady = new Promise((res, rej) => {
      ready = res;
      const t = setTimeout(() => { clearInterval(hello); rej(new Error(`Skyglass.frame: no answer from ${origin} (is this page on its allow-list?)`)); }, options.timeout || 20000);
      const hello = setInterval(() => win.postMessage({ skyglass: 'hello' }, origin), 100);
      ready = () => { clearTimeout(t); clearInterval(hello); res(); };
    });
    const proxyOf = (h) => new Proxy({ ...h }, {
      get: (o, k) => (k in o || typeof k === 'symbol' || k === 'then' ? o[k] : (...args) => call(h.$handle, k, args)),
    });
    const fromWire = x => {
      if (x && typeof x === 'object' && !ArrayBuffer.isView(x) && !(x instanceof ArrayBuffer)) {
        if (x.$handle) return proxyOf(x);
        if (Array.isArray(x)) return x.map(fromWire);
        const o = {};
        for (const [k, v] of Object.entries(x)) o[k] = fromWire(v);
        return o;
      }
      return x;
    };
    const call = (handle, method, args) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      win.postMessage({ skyglass: 'call', id, handle, method: String(method), args }, origin);
    });
    global.addEventListener('message', ev => {
      if (ev.source !== win || ev.origin !== origin) return;
      const m = ev.data;
      if (!m || typeof m !== 'object') return;
      if (m.skyglass === 'ready') ready();
      else if (m.skyglass === 'result' || m.skyglass === 'error') {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.skyglass === 'result') p.resolve(fromWire(m.value)); else p.reject(new Error(m.message));
      } else if (m.skyglass === 'event') {
        for (const cb of listeners.get(m.name) || []) { try { cb(fromWire(m.payload)); } catch (e) { console.error(e); } }
      }
    }, { signal: ac.signal });
    const api = {
      on(name, cb) {
        if (!EVENTS.includes(name)) throw new Error(`Skyglass: unknown event '${name}'`);
        if (!listeners.has(name)) { listeners.set(name, new Set()); win.postMessage({ skyglass: 'on', name }, origin); }
        listeners.get(name).add(cb); return api;
      },
      off(name, cb) { const s = listeners.get(name); if (s) s.delete(cb); return api; },
      /** Stops listening to the frame (the viewer in it keeps running). */
      disconnect() { ac.abort(); for (const p of pending.values()) p.reject(new Error('Skyglass.frame: disconnected')); pending.clear(); },
    };
    const proxy = new Proxy(api, { get: (o, k) => (k in o || typeof k === 'symbol' || k === 'then' ? o[k] : (...args) => call(0, k, args)) });
    return isReady.then(() => proxy);
  }

  /**
   * Creates a viewer in a container (an element or a CSS selector).
   * options: {baseURL, hips, format, target: {ra, dec}, fov, projection, frame, grid, controls (toolbar, default true), drop, background}
   */
  async function create(container, options = {}) {
    const el = typeof container === 'string' ? document.querySelector(container) : container;
    if (!el || !(el instanceof Element)) throw new Error(`Skyglass.create: no element ${String(container)}`);
    const base = options.baseURL ? String(options.baseURL).replace(/\/?$/, '/') : scriptBase;
    const core = await boot(base);
    const v = new Viewer(el, core, options);
    // When the page is idle, finish the FITS data program (the browser compiles it on first
    // use, ~80 ms here) and run the FITS path once on small synthetic images, one step per idle
    // period (the first openFITS would otherwise wait for V8 and SwiftShader to compile it).
    const idle = global.requestIdleCallback || (f => setTimeout(f, 50));
    // The FITS steps start a second after create, and wait while the viewer has work of its own
    // (tiles, catalogues loading): they only use time nothing else wants. v._warmed resolves when
    // the warm-up is over (for benchmarks and tests; it changes nothing on the canvas, so isIdle()
    // does not wait for it).
    const tCreated = performance.now();
    let warmed;
    v._warmed = new Promise(r => { warmed = r; });
    const warm = step => idle(() => {
      if (v._destroyed) { warmed(); return; }
      if (step > 0 && (!v.isIdle() || performance.now() - tCreated < 1000)) { setTimeout(() => warm(step), 100); return; }
      let next = -1;
      try { next = v._h.warmUp(step); } catch (e) { /* reported when used */ }
      if (typeof next === 'number' && next >= 0) warm(next); else warmed();
    }, { timeout: 200 });
    warm(0);
    const hips = options.hips === undefined ? base + 'hips/mellinger' : options.hips;
    if (hips) {
      try { await v.addHiPS(hips, { format: options.format, fullResolution: options.fullResolution }); } catch (e) { v.destroy(); throw e; }
    }
    return v;
  }

  global.Skyglass = {
    create, frame, serveFrame, version: '0.2.0',
    /** @private For the browser tests: the booted wasm core. */
    _core: (baseURL) => boot(baseURL ? String(baseURL).replace(/\/?$/, '/') : scriptBase),
  };
})(typeof globalThis !== 'undefined' ? globalThis : window);
