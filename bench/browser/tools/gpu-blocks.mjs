#!/usr/bin/env node
// How the GPU process's memory grows with WebGL2 textures on this machine (SwiftShader): a bare page
// with no viewer uploads R32F array textures of the given sizes one after the other (texStorage3D +
// texSubImage3D, as internal/gl does), draws each once, keeps them all, and prints what each added
// to the GPU process's PSS. ANGLE sub-allocates textures from blocks of device memory, which
// SwiftShader fills when it allocates them, so the growth comes in steps of a block rather than of
// each texture's size. With NODRAW=1 the textures are uploaded but not drawn.
//   node tools/gpu-blocks.mjs [64x64,128x128,256x256,512x512,512x1024,1024x1024,1024x1024,2048x2048]
import { launch, chromiumMemory } from '../lib/browser.mjs';

const sizes = (process.argv[2] || '64x64,128x128,256x256,512x512,512x1024,1024x1024,1024x1024,2048x2048')
  .split(',').map(s => s.split('x').map(Number));
const b = await launch();
await b.page.setContent('<canvas id=c width=1024 height=768></canvas>');
await b.page.evaluate(nodraw => {
  const gl = document.getElementById('c').getContext('webgl2', { antialias: false, alpha: false, premultipliedAlpha: false });
  gl.getExtension('OES_texture_float_linear');
  const p = gl.createProgram();
  for (const [t, s] of [[gl.VERTEX_SHADER, `#version 300 es
layout(location = 0) in vec2 a; out vec2 uv; void main() { uv = a * 0.5 + 0.5; gl_Position = vec4(a * 0.8, 0.0, 1.0); }`],
  [gl.FRAGMENT_SHADER, `#version 300 es
precision highp float; precision highp sampler2DArray; in vec2 uv; uniform sampler2DArray t; out vec4 o;
void main() { float v = texture(t, vec3(uv, 0.0)).r; o = vec4(v * 0.001, v * 0.002, 0.5, 1.0); }`]]) {
    const sh = gl.createShader(t); gl.shaderSource(sh, s); gl.compileShader(sh); gl.attachShader(p, sh);
  }
  gl.linkProgram(p);
  gl.useProgram(p);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 8, 0);
  window.make = (w, h) => {
    const t = gl.createTexture(); gl.bindTexture(gl.TEXTURE_2D_ARRAY, t);
    for (const [k, v] of [[gl.TEXTURE_MIN_FILTER, gl.LINEAR], [gl.TEXTURE_MAG_FILTER, gl.LINEAR], [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE]]) gl.texParameteri(gl.TEXTURE_2D_ARRAY, k, v);
    gl.texStorage3D(gl.TEXTURE_2D_ARRAY, 1, gl.R32F, w, h, 1);
    const d = new Float32Array(w * h); for (let i = 0; i < d.length; i++) d[i] = i % 1000;
    gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, 0, 0, w, h, 1, gl.RED, gl.FLOAT, d);
    if (!nodraw) { gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4); gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4)); }
  };
  window.make(8, 8); // the program's pipeline is made before the first reading
}, process.env.NODRAW === '1');
await b.page.waitForTimeout(500);
let before = chromiumMemory().gpuPssKB;
const out = [];
for (const [w, h] of sizes) {
  await b.page.evaluate(([w, h]) => window.make(w, h), [w, h]);
  await b.page.waitForTimeout(400);
  const now = chromiumMemory().gpuPssKB;
  out.push(`${w}×${h} (${(w * h * 4 / 2 ** 20).toFixed(2)} MB): +${((now - before) / 1024).toFixed(2)} MB`);
  before = now;
}
console.log(out.join('\n'));
await b.close();
