//go:build js && wasm

package gl

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/draw"
)

// Mask textures hold integer flags (R32UI, sampled nearest: integer textures
// cannot be filtered); the fragment shader colours the chosen bits, so
// choosing bits, colours or the opacity is a uniform change.

const (
	glR32UI      = 0x8236
	glRedInteger = 0x8D94
	maskFragSrc  = "#version 300 es\nprecision highp float;\nprecision highp int;\nprecision highp usampler2DArray;\n" +
		"in vec3 vUV;\nuniform usampler2DArray uMask;\nuniform uint uBits[8];\nuniform vec3 uColors[8];\nuniform int uN;\nuniform float uOpacity;\nout vec4 outColor;\n" +
		"void main() {\n\tuint v = texture(uMask, vUV).r;\n\tvec3 c = vec3(0.0);\n\tfloat a = 0.0;\n" +
		"\tfor (int i = 0; i < 8; i++) {\n\t\tif (i >= uN) break;\n\t\tif ((v & uBits[i]) != 0u) {\n" +
		// Each set plane is laid over the planes before it with the opacity ("over").
		"\t\t\tfloat na = uOpacity + a * (1.0 - uOpacity);\n\t\t\tc = (uColors[i] * uOpacity + c * a * (1.0 - uOpacity)) / na;\n\t\t\ta = na;\n\t\t}\n\t}\n" +
		"\tif (a <= 0.0) discard;\n\toutColor = vec4(c, a);\n}\n"
)

// maskState is the part of the renderer that draws mask textures.
type maskState struct {
	prog                  js.Value
	ready                 bool
	uMask, uBits, uColors js.Value
	uN, uOpacity          js.Value
	bits                  js.Value // Uint32Array(8)
	colors                js.Value // Float32Array(24)
}

func (r *Renderer) initMask() error {
	prog, err := r.program(vertexSrc, maskFragSrc)
	if err != nil {
		return fmt.Errorf("gl: the mask shader: %w", err)
	}
	g, m := r.gl, &r.mask
	m.prog = prog
	for _, u := range []struct {
		p    *js.Value
		name string
	}{{&m.uMask, "uMask"}, {&m.uBits, "uBits"}, {&m.uColors, "uColors"}, {&m.uN, "uN"}, {&m.uOpacity, "uOpacity"}} {
		*u.p = g.Call("getUniformLocation", prog, u.name)
	}
	m.bits = js.Global().Get("Uint32Array").New(draw.MaxMaskPlanes)
	m.colors = js.Global().Get("Float32Array").New(3 * draw.MaxMaskPlanes)
	m.ready = true
	return nil
}

// destroyMask frees the mask program.
func (r *Renderer) destroyMask() {
	if r.mask.ready {
		r.gl.Call("deleteProgram", r.mask.prog)
	}
	r.mask = maskState{}
}

// UploadUint makes texture key a one-layer R32UI array texture of w×h
// integer flags (rows in the order the mesh's texture coordinates expect),
// sampled nearest, replacing any texture of that name.
func (r *Renderer) UploadUint(key string, w, h int, data []uint32) error {
	if r.lost {
		return errors.New("gl: context lost")
	}
	if w <= 0 || h <= 0 || len(data) < w*h {
		return fmt.Errorf("gl: mask %q: %d values for %dx%d", key, len(data), w, h)
	}
	if w > r.maxTex || h > r.maxTex {
		return fmt.Errorf("gl: mask %q is %dx%d, larger than this GPU's texture limit %d", key, w, h, r.maxTex)
	}
	r.uploadLayer(key, w, h, glNearest, glR32UI, glRedInteger, glUnsignedInt, viewUint32, bytesOf(data[:w*h]))
	return nil
}

// drawMask draws one mesh of a mask texture with its bit planes.
func (r *Renderer) drawMask(mesh *draw.Mesh, tex js.Value) error {
	if !r.mask.ready {
		if err := r.initMask(); err != nil {
			return err
		}
	}
	g, m, st := r.gl, &r.mask, mesh.Mask
	g.Call("useProgram", m.prog)
	for i := range draw.MaxMaskPlanes {
		m.bits.SetIndex(i, st.Bits[i])
		for k := range 3 {
			m.colors.SetIndex(3*i+k, st.Colors[i][k])
		}
	}
	g.Call("uniform1uiv", m.uBits, m.bits)
	g.Call("uniform3fv", m.uColors, m.colors)
	g.Call("uniform1i", m.uN, min(st.N, draw.MaxMaskPlanes))
	g.Call("uniform1f", m.uOpacity, mesh.Opacity)
	g.Call("activeTexture", glTexture0)
	g.Call("bindTexture", glTexture2DArray, tex)
	g.Call("uniform1i", m.uMask, 0)
	r.drawMesh(mesh)
	g.Call("useProgram", r.prog)
	return nil
}
