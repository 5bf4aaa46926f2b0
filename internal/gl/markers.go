//go:build js && wasm

package gl

import (
	"fmt"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/draw"
)

const glPoints = 0x0000

// Markers are GL points, one per source: the vertex shader places the point
// and sizes it (gl_PointSize, device pixels, with room for anti-aliasing and
// the outline), the fragment shader cuts the shape out of the point sprite
// with a signed distance, anti-aliased over one device pixel. There is one
// program per shape, so no fragment branches on the shape: on SwiftShader
// (no GPU) the fragment work of thousands of markers is most of a frame.
const markerVertexSrc = `#version 300 es
layout(location = 0) in vec3 aInst;  // x, y (CSS pixels, y down), size (CSS pixels)
layout(location = 1) in vec4 aColor;
uniform vec2 uSize;   // canvas, CSS pixels
uniform float uDPR;
uniform vec2 uExtent; // the shape's extent: half size × x + y device pixels
flat out float vHalf;  // half size, device pixels
flat out float vBox;   // half side of the point sprite, device pixels
flat out vec4 vColor;
void main() {
	vHalf = aInst.z * 0.5 * uDPR;
	vBox = vHalf * uExtent.x + uExtent.y; // not rounded up: a point covers the pixel centres inside it
	gl_PointSize = 2.0 * vBox;
	vColor = aColor;
	gl_Position = vec4(aInst.x / uSize.x * 2.0 - 1.0, 1.0 - aInst.y / uSize.y * 2.0, 0.0, 1.0);
}
`

// markerFragmentSrc is completed per shape and fill by the distance
// expression d(q, r) and the coverage alpha(d): filled, outlined, or a
// stroke (cross, plus). Fragments outside the shape are not discarded: their
// alpha is 0, which blending leaves as the pixel was, and discarding costs
// SwiftShader more than blending them; SwiftShader also runs both sides of
// any choice, hence one program per shape and fill.
const markerFragmentSrc = `#version 300 es
precision highp float;
flat in float vHalf;
flat in float vBox;
flat in vec4 vColor;
uniform float uWidth; // outline width, device pixels
out vec4 outColor;
void main() {
	vec2 q = (gl_PointCoord - 0.5) * (2.0 * vBox) * vec2(1.0, -1.0); // device pixels, y up
	float r = vHalf;
	%s
	float alpha = %s;
	outColor = vec4(vColor.rgb, vColor.a * alpha);
}
`

// markerShapes: per draw.MarkerShape, the signed distance to the outline
// (negative inside, device pixels), whether the shape is drawn as a stroke,
// its extent from the centre along x or y in units of the half size r, and
// how far its anti-aliasing reaches past that (device pixels: half a pixel
// where d is a true distance; a diamond's d is scaled by 1/√2 and a
// triangle's apex is sharper, so one pixel). The point sprite is cut to the
// extent plus that, plus a stroke's half width: on SwiftShader the markers'
// cost is partly the sprites' fragments.
var markerShapes = [...]struct {
	dist   string
	stroke bool
	extent float64
	aa     float64
}{
	draw.Circle:  {"float d = length(q) - r;", false, 1, 0.5},
	draw.Square:  {"float d = max(abs(q.x), abs(q.y)) - r * 0.8;", false, 0.8, 0.5},
	draw.Cross:   {"float d = max(min(abs(q.x - q.y), abs(q.x + q.y)) * 0.70710678, max(abs(q.x), abs(q.y)) - r * 0.75);", true, 0.75, 1},
	draw.Plus:    {"float d = max(min(abs(q.x), abs(q.y)), max(abs(q.x), abs(q.y)) - r);", true, 1, 1},
	draw.Diamond: {"float d = (abs(q.x) + abs(q.y) - r) * 0.70710678;", false, 1, 1},
	// equilateral triangle, apex up, circumradius r
	draw.Triangle: {"float d = max(-q.y, max(dot(q, vec2(0.8660254, 0.5)), dot(q, vec2(-0.8660254, 0.5)))) - r * 0.5;", false, 1, 1},
}

// markerFragment returns the fragment shader of a shape, filled or not.
func markerFragment(shape draw.MarkerShape, fill bool) string {
	s := markerShapes[shape]
	alpha := "clamp(uWidth * 0.5 + 0.5 - abs(d + uWidth * 0.5), 0.0, 1.0)"
	switch {
	case s.stroke:
		alpha = "clamp(uWidth * 0.5 + 0.5 - d, 0.0, 1.0)"
	case fill:
		alpha = "clamp(0.5 - d, 0.0, 1.0)"
	}
	return fmt.Sprintf(markerFragmentSrc, s.dist, alpha)
}

// markerProg is the program of one marker shape, filled or not.
type markerProg struct {
	prog                         js.Value
	uSize, uDPR, uWidth, uExtent js.Value
	ready, failed                bool
}

// markerState holds the marker programs' GPU objects (created on first use,
// and again after a context loss).
type markerState struct {
	progs [len(markerShapes)][2]markerProg // [shape][filled]
	vao   js.Value
	vbo   js.Value
	ready bool
}

// initMarkers creates the vertex array of the marker instances.
func (r *Renderer) initMarkers() {
	m := &r.mk
	if m.ready {
		return
	}
	g := r.gl
	m.vao = g.Call("createVertexArray")
	g.Call("bindVertexArray", m.vao)
	m.vbo = g.Call("createBuffer")
	g.Call("bindBuffer", glArrayBuffer, m.vbo)
	stride := draw.FloatsPerMarker * 4
	g.Call("enableVertexAttribArray", 0)
	g.Call("vertexAttribPointer", 0, 3, glFloat, false, stride, 0)
	g.Call("enableVertexAttribArray", 1)
	g.Call("vertexAttribPointer", 1, 4, glFloat, false, stride, 12)
	g.Call("bindVertexArray", js.Null())
	m.ready = true
}

// markerProgram returns the program of a shape, filled or not, compiling it
// on first use.
func (r *Renderer) markerProgram(shape draw.MarkerShape, fill bool) *markerProg {
	if int(shape) < 0 || int(shape) >= len(markerShapes) {
		return nil
	}
	f := 0
	if fill && !markerShapes[shape].stroke {
		f = 1
	}
	p := &r.mk.progs[shape][f]
	if p.ready || p.failed {
		if p.failed {
			return nil
		}
		return p
	}
	g := r.gl
	prog, err := r.program(markerVertexSrc, markerFragment(shape, f == 1))
	if err != nil {
		p.failed = true
		js.Global().Get("console").Call("error", "skyglass: "+err.Error())
		return nil
	}
	p.prog = prog
	p.uSize = g.Call("getUniformLocation", prog, "uSize")
	p.uDPR = g.Call("getUniformLocation", prog, "uDPR")
	p.uWidth = g.Call("getUniformLocation", prog, "uWidth")
	p.uExtent = g.Call("getUniformLocation", prog, "uExtent")
	p.ready = true
	return p
}

// drawMarkers draws every marker batch of the list: one draw call of points
// per batch.
func (r *Renderer) drawMarkers(dl *draw.List) {
	if len(dl.Markers) == 0 {
		return
	}
	r.initMarkers()
	g := r.gl
	m := &r.mk
	g.Call("bindVertexArray", m.vao)
	g.Call("bindBuffer", glArrayBuffer, m.vbo)
	for i := range dl.Markers {
		b := &dl.Markers[i]
		n := len(b.Inst) / draw.FloatsPerMarker
		if n == 0 {
			continue
		}
		p := r.markerProgram(b.Shape, b.Fill)
		if p == nil {
			continue
		}
		w := b.Width
		if w <= 0 {
			w = 1.5
		}
		g.Call("useProgram", p.prog)
		g.Call("uniform2f", p.uSize, dl.Width, dl.Height)
		g.Call("uniform1f", p.uDPR, dl.DPR)
		wd := float64(w) * dl.DPR
		g.Call("uniform1f", p.uWidth, wd)
		sh := markerShapes[b.Shape]
		pad := sh.aa
		if sh.stroke {
			pad += wd / 2
		}
		g.Call("uniform2f", p.uExtent, sh.extent, pad)
		r.uploadCall("bufferData", viewBytes, bytesOf(b.Inst[:n*draw.FloatsPerMarker]), []any{glArrayBuffer}, glStreamDraw)
		g.Call("drawArrays", glPoints, 0, n)
	}
	g.Call("bindVertexArray", js.Null())
}

// destroyMarkers frees the marker programs and buffers.
func (r *Renderer) destroyMarkers() {
	m := &r.mk
	g := r.gl
	for i := range m.progs {
		for _, p := range m.progs[i] {
			if p.ready {
				g.Call("deleteProgram", p.prog)
			}
		}
	}
	if m.ready {
		g.Call("deleteBuffer", m.vbo)
		g.Call("deleteVertexArray", m.vao)
	}
	r.mk = markerState{}
}
