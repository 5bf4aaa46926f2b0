#!/usr/bin/env node
// The floor of catalogue markers on this machine's WebGL2 (SwiftShader): a bare WebGL2 page with
// no viewer, drawing N markers as GL points with the same per-marker work as Skyglass
// (internal/gl/markers.go: a circle outline of size S CSS pixels cut out of a point sprite, one
// draw call, positions re-uploaded every frame) over a full-canvas textured quad that stands for
// the HiPS. It prints
//   - draw: the time of one draw call of N points, finished by the GPU (readPixels), for point
//     sizes 1 and S, with the ring shader and with a flat colour (no per-fragment work), and
//   - pan: frames per second of an animation-frame loop drawing the quad alone, then the quad and
//     the markers (positions moved every frame), medians of 3 runs of 4 s each, their ratio and
//     the milliseconds the markers add to a frame: a viewer's pan ratio with N such markers is at
//     best base / (base + that), for its own base frame time.
//   node tools/marker-floor.mjs [N=8100] [S=8]
import { launch } from '../lib/browser.mjs';

const N = Number(process.argv[2] || 8100), S = Number(process.argv[3] || 8);
const b = await launch();
await b.page.setContent('<canvas id=c width=1024 height=768 style="display:block"></canvas>');
const out = await b.page.evaluate(async ([N, S]) => {
  const c = document.getElementById('c');
  const gl = c.getContext('webgl2', { antialias: false, alpha: false, premultipliedAlpha: false, preserveDrawingBuffer: false });
  const prog = (vs, fs) => {
    const p = gl.createProgram();
    for (const [t, s] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]]) {
      const sh = gl.createShader(t); gl.shaderSource(sh, s); gl.compileShader(sh);
      if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(sh));
      gl.attachShader(p, sh);
    }
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
    return p;
  };
  // markers: x, y (CSS pixels), size, r, g, b, a — 7 floats, as draw.FloatsPerMarker
  const vs = `#version 300 es
layout(location = 0) in vec3 aInst; layout(location = 1) in vec4 aColor;
uniform vec2 uSize; uniform vec2 uExtent;
flat out float vHalf; flat out float vBox; flat out vec4 vColor;
void main() { vHalf = aInst.z * 0.5; vBox = vHalf * uExtent.x + uExtent.y; gl_PointSize = 2.0 * vBox; vColor = aColor;
  gl_Position = vec4(aInst.x / uSize.x * 2.0 - 1.0, 1.0 - aInst.y / uSize.y * 2.0, 0.0, 1.0); }`;
  const fsRing = `#version 300 es
precision highp float; flat in float vHalf; flat in float vBox; flat in vec4 vColor; uniform float uWidth; out vec4 outColor;
void main() { vec2 q = (gl_PointCoord - 0.5) * (2.0 * vBox); float d = length(q) - vHalf;
  float alpha = clamp(uWidth * 0.5 + 0.5 - abs(d + uWidth * 0.5), 0.0, 1.0); outColor = vec4(vColor.rgb, vColor.a * alpha); }`;
  const fsFlat = `#version 300 es
precision highp float; flat in vec4 vColor; out vec4 outColor; void main() { outColor = vColor; }`;
  const ring = prog(vs, fsRing), flat = prog(vs, fsFlat);
  // the base: a full-canvas quad sampling a 1024² RGBA8 texture (linear), moved every frame
  const base = prog(`#version 300 es
layout(location = 0) in vec2 aPos; uniform vec2 uOff; out vec2 vUV;
void main() { vUV = aPos * 0.5 + 0.5 + uOff; gl_Position = vec4(aPos, 0.0, 1.0); }`, `#version 300 es
precision highp float; in vec2 vUV; uniform sampler2D uTex; out vec4 outColor; void main() { outColor = texture(uTex, vUV); }`);
  const tex = gl.createTexture(); gl.bindTexture(gl.TEXTURE_2D, tex);
  const px = new Uint8Array(1024 * 1024 * 4); for (let i = 0; i < px.length; i++) px[i] = (i * 2654435761) >>> 24;
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 1024, 1024, 0, gl.RGBA, gl.UNSIGNED_BYTE, px);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR); gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.REPEAT); gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.REPEAT);
  const quadVAO = gl.createVertexArray(); gl.bindVertexArray(quadVAO);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer()); gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 8, 0);
  const mkVAO = gl.createVertexArray(); gl.bindVertexArray(mkVAO);
  const vbo = gl.createBuffer(); gl.bindBuffer(gl.ARRAY_BUFFER, vbo);
  gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 3, gl.FLOAT, false, 28, 0);
  gl.enableVertexAttribArray(1); gl.vertexAttribPointer(1, 4, gl.FLOAT, false, 28, 12);
  gl.bindVertexArray(null);
  let seed = 12345; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const home = new Float32Array(2 * N); for (let i = 0; i < 2 * N; i++) home[i] = rnd() * (i % 2 ? 768 : 1024);
  const inst = new Float32Array(7 * N);
  const place = (dx, dy, size) => { for (let i = 0; i < N; i++) inst.set([(home[2 * i] + dx) % 1024, (home[2 * i + 1] + dy) % 768, size, 1, 0.31, 0.25, 1], 7 * i); };
  const drawBase = t => {
    gl.disable(gl.BLEND); gl.useProgram(base); gl.bindVertexArray(quadVAO);
    gl.uniform2f(gl.getUniformLocation(base, 'uOff'), t * 1e-5, t * 7e-6); gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  };
  const drawMarkers = (p, size) => {
    gl.enable(gl.BLEND); gl.blendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(p); gl.bindVertexArray(mkVAO); gl.bindBuffer(gl.ARRAY_BUFFER, vbo);
    gl.bufferData(gl.ARRAY_BUFFER, inst, gl.STREAM_DRAW);
    gl.uniform2f(gl.getUniformLocation(p, 'uSize'), 1024, 768);
    gl.uniform2f(gl.getUniformLocation(p, 'uExtent'), 1, 0.5); // a circle: extent r, anti-aliasing half a pixel
    gl.uniform1f(gl.getUniformLocation(p, 'uWidth'), 1.5);
    gl.drawArrays(gl.POINTS, 0, N);
  };
  const one = new Uint8Array(4), finish = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, one);
  const med = a => { const s = a.slice().sort((x, y) => x - y); return +s[s.length >> 1].toFixed(2); };
  const res = { markers: N, size: S, draw: {}, pan: {} };
  for (const rep of [0, 1]) { // the first round warms SwiftShader's routines up
    for (const [name, p, size] of [['ring1', ring, 1], ['ringS', ring, S], ['flat1', flat, 1], ['flatS', flat, S]]) {
      place(0, 0, size);
      const ts = [];
      for (let i = 0; i < 25; i++) { gl.clear(gl.COLOR_BUFFER_BIT); finish(); const t0 = performance.now(); drawMarkers(p, size); finish(); ts.push(performance.now() - t0); }
      if (rep) res.draw[name.replace('S', S)] = med(ts.slice(5));
    }
  }
  const run = withMarkers => new Promise(done => {
    const iv = []; let last = 0; const t0 = performance.now();
    const step = now => {
      const t = now - t0;
      drawBase(t);
      if (withMarkers) { place(t * 0.05, t * 0.03, S); drawMarkers(ring, S); }
      if (last) iv.push(now - last);
      last = now;
      if (t < 4000) requestAnimationFrame(step); else done(+(1000 / (iv.reduce((a, x) => a + x, 0) / iv.length)).toFixed(1));
    };
    requestAnimationFrame(step);
  });
  const fps = { without: [], with: [] };
  await run(false); // warm-up
  for (let k = 0; k < 3; k++) { fps.without.push(await run(false)); fps.with.push(await run(true)); }
  const fw = med(fps.without), fm = med(fps.with);
  // what the markers add to a frame, in ms (the base may be held at the display's 60 Hz)
  res.pan = { ...fps, ratio: +(fm / fw).toFixed(2), markersMsPerFrame: +(1000 / fm - 1000 / fw).toFixed(1) };
  return res;
}, [N, S]);
console.log(JSON.stringify(out));
await b.close();
