//go:build js && wasm

package gl

import (
	"syscall/js"

	"github.com/skyglass/skyglass/internal/draw"
)

const glTriangleStrip = 0x0005

// The marker program draws one screen-aligned quad per instance (four
// vertices from gl_VertexID, instance attributes advanced by
// vertexAttribDivisor) and cuts the shape out in the fragment shader with a
// signed distance, anti-aliased over one device pixel.
const markerVertexSrc = `#version 300 es
layout(location = 0) in vec3 aInst;  // x, y (CSS pixels, y down), size (CSS pixels)
layout(location = 1) in vec4 aColor;
uniform vec2 uSize;   // canvas, CSS pixels
uniform float uDPR;
out vec2 vQ;          // offset from the centre, device pixels, y up
out float vHalf;      // half size, device pixels
out vec4 vColor;
void main() {
	vec2 corner = vec2(float(gl_VertexID & 1) * 2.0 - 1.0, float(gl_VertexID >> 1) * 2.0 - 1.0);
	float half_ = aInst.z * 0.5;
	vec2 p = aInst.xy + corner * (half_ + 1.5) * vec2(1.0, -1.0);
	vQ = corner * (half_ + 1.5) * uDPR;
	vHalf = half_ * uDPR;
	vColor = aColor;
	gl_Position = vec4(p.x / uSize.x * 2.0 - 1.0, 1.0 - p.y / uSize.y * 2.0, 0.0, 1.0);
}
`

const markerFragmentSrc = `#version 300 es
precision highp float;
in vec2 vQ;
in float vHalf;
in vec4 vColor;
uniform int uShape;   // draw.MarkerShape
uniform int uFill;
uniform float uWidth; // outline width, device pixels
out vec4 outColor;
void main() {
	vec2 q = vQ;
	float r = vHalf;
	float d; // signed distance to the shape's outline (negative inside), device pixels
	bool stroke = false;
	if (uShape == 0) {
		d = length(q) - r;
	} else if (uShape == 1) {
		d = max(abs(q.x), abs(q.y)) - r * 0.8;
	} else if (uShape == 2) {
		d = min(abs(q.x - q.y), abs(q.x + q.y)) * 0.70710678;
		d = max(d, max(abs(q.x), abs(q.y)) - r * 0.75);
		stroke = true;
	} else if (uShape == 3) {
		d = min(abs(q.x), abs(q.y));
		d = max(d, max(abs(q.x), abs(q.y)) - r);
		stroke = true;
	} else if (uShape == 4) {
		d = (abs(q.x) + abs(q.y) - r) * 0.70710678;
	} else {
		// equilateral triangle, apex up, circumradius r
		float a = dot(q, vec2(0.0, -1.0));
		float b = dot(q, vec2(0.8660254, 0.5));
		float c = dot(q, vec2(-0.8660254, 0.5));
		d = max(a, max(b, c)) - r * 0.5;
	}
	float alpha;
	if (stroke) {
		alpha = clamp(uWidth * 0.5 + 0.5 - d, 0.0, 1.0);
	} else if (uFill == 1) {
		alpha = clamp(0.5 - d, 0.0, 1.0);
	} else {
		alpha = clamp(uWidth * 0.5 + 0.5 - abs(d + uWidth * 0.5), 0.0, 1.0);
	}
	if (alpha <= 0.0) discard;
	outColor = vec4(vColor.rgb, vColor.a * alpha);
}
`

// markerState holds the marker program's GPU objects (created on first use,
// and again after a context loss).
type markerState struct {
	prog   js.Value
	vao    js.Value
	vbo    js.Value
	uSize  js.Value
	uDPR   js.Value
	uShape js.Value
	uFill  js.Value
	uWidth js.Value
	ready  bool
	failed bool
}

func (r *Renderer) initMarkers() bool {
	m := &r.mk
	if m.ready || m.failed {
		return m.ready
	}
	g := r.gl
	p, err := r.program(markerVertexSrc, markerFragmentSrc)
	if err != nil {
		m.failed = true
		js.Global().Get("console").Call("error", "skyglass: "+err.Error())
		return false
	}
	m.prog = p
	m.uSize = g.Call("getUniformLocation", p, "uSize")
	m.uDPR = g.Call("getUniformLocation", p, "uDPR")
	m.uShape = g.Call("getUniformLocation", p, "uShape")
	m.uFill = g.Call("getUniformLocation", p, "uFill")
	m.uWidth = g.Call("getUniformLocation", p, "uWidth")
	m.vao = g.Call("createVertexArray")
	g.Call("bindVertexArray", m.vao)
	m.vbo = g.Call("createBuffer")
	g.Call("bindBuffer", glArrayBuffer, m.vbo)
	stride := draw.FloatsPerMarker * 4
	g.Call("enableVertexAttribArray", 0)
	g.Call("vertexAttribPointer", 0, 3, glFloat, false, stride, 0)
	g.Call("vertexAttribDivisor", 0, 1)
	g.Call("enableVertexAttribArray", 1)
	g.Call("vertexAttribPointer", 1, 4, glFloat, false, stride, 12)
	g.Call("vertexAttribDivisor", 1, 1)
	g.Call("bindVertexArray", js.Null())
	m.ready = true
	return true
}

// drawMarkers draws every marker batch of the list: one instanced draw call
// per batch.
func (r *Renderer) drawMarkers(dl *draw.List) {
	if len(dl.Markers) == 0 || !r.initMarkers() {
		return
	}
	g := r.gl
	m := &r.mk
	g.Call("useProgram", m.prog)
	g.Call("bindVertexArray", m.vao)
	g.Call("bindBuffer", glArrayBuffer, m.vbo)
	g.Call("uniform2f", m.uSize, dl.Width, dl.Height)
	g.Call("uniform1f", m.uDPR, dl.DPR)
	for i := range dl.Markers {
		b := &dl.Markers[i]
		n := len(b.Inst) / draw.FloatsPerMarker
		if n == 0 {
			continue
		}
		w := b.Width
		if w <= 0 {
			w = 1.5
		}
		fill := 0
		if b.Fill {
			fill = 1
		}
		g.Call("uniform1i", m.uShape, int(b.Shape))
		g.Call("uniform1i", m.uFill, fill)
		g.Call("uniform1f", m.uWidth, float64(w)*dl.DPR)
		g.Call("bufferData", glArrayBuffer, r.upload(bytesOf(b.Inst[:n*draw.FloatsPerMarker])), glStreamDraw)
		g.Call("drawArraysInstanced", glTriangleStrip, 0, 4, n)
	}
	g.Call("bindVertexArray", js.Null())
}

// destroyMarkers frees the marker program's objects.
func (r *Renderer) destroyMarkers() {
	m := &r.mk
	if !m.ready {
		return
	}
	g := r.gl
	g.Call("deleteBuffer", m.vbo)
	g.Call("deleteVertexArray", m.vao)
	g.Call("deleteProgram", m.prog)
	r.mk = markerState{}
}
