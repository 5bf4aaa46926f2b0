//go:build js && wasm

package gl

import (
	"errors"
	"fmt"
	"syscall/js"
	"unsafe"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/stretch"
)

// Data textures hold physical values (R32F); the fragment shader maps them to
// colours with internal/stretch's GLSL, the same formulas as the CPU path, so
// a stretch or colormap change is a uniform change: no re-decode, no re-upload.

const (
	glR32F             = 0x822E
	glRed              = 0x1903
	glNearest          = 0x2600
	glTexture1         = 0x84C1
	glTexture2         = 0x84C2
	glFloatLinearExt   = "OES_texture_float_linear"
	lutUnit, histUnit  = 1, 2
	dataFragmentHeader = "#version 300 es\nprecision highp float;\nprecision highp int;\nprecision highp sampler2DArray;\n"
	dataFragmentMain   = "\nin vec3 vUV;\nuniform sampler2DArray uTex;\nuniform float uOpacity;\nout vec4 outColor;\nvoid main() {\n\tvec4 c = skyglassColor(texture(uTex, vUV).r);\n\toutColor = vec4(c.rgb, c.a * uOpacity);\n}\n"
)

// dataProg is the data program of one stretch kind.
type dataProg struct {
	prog                        js.Value
	uniforms                    map[string]js.Value
	uTex, uOpacity, uLUT, uHist js.Value
	started                     pendingProgram // handed to the browser, status not yet asked (see pending)
	ready                       bool           // prog is usable
	err                         error
}

// pending reports whether the program was started (WarmUpKinds) and its
// status not yet asked.
func (p *dataProg) pending() bool { return p.started.prog.Truthy() }

// dataState is the part of the renderer that draws data textures.
type dataState struct {
	// progs holds one program per stretch kind, the kind a constant in each
	// (stretch.ShaderSourceFor): a branch over the kinds on a uniform costs
	// SwiftShader, which has no GPU, 7 ms of a 19 ms full-canvas frame.
	// progs[0] leave out the contrast/bias step (stretch.ShaderSourcePlain),
	// used while it is inactive; progs[1] have it.
	progs   [2][stretch.NumKinds]dataProg
	ready   bool                // the lookup textures exist
	luts    map[string]js.Value // colormap name -> 256×1 RGBA texture
	hist    js.Value            // histogram-equalisation table texture
	histKey []float32           // the table it holds
	dummy   js.Value            // 1×1 R32F texture bound when no table is needed
	filter  int                 // LINEAR when float textures can be filtered, else NEAREST
}

// destroyData frees the data program and its lookup textures.
func (r *Renderer) destroyData() {
	d := &r.data
	g := r.gl
	for i := range d.progs {
		for k := range d.progs[i] {
			p := &d.progs[i][k]
			if p.pending() { // no need to wait for its compile to delete it
				r.discardShaders(p.started)
				g.Call("deleteProgram", p.started.prog)
			}
			if p.ready {
				g.Call("deleteProgram", p.prog)
			}
		}
	}
	for _, t := range d.luts {
		g.Call("deleteTexture", t)
	}
	for _, t := range []js.Value{d.hist, d.dummy} {
		if !t.IsUndefined() && !t.IsNull() {
			g.Call("deleteTexture", t)
		}
	}
	r.data = dataState{}
}

// WarmUp makes the linear data program and the lookup textures now: the
// browser compiles a program when its status is first asked (~80 ms for one
// without a GPU), so the host calls this when the page is idle rather than
// have the first FITS image or FITS tile wait for it.
func (r *Renderer) WarmUp() error {
	if r.lost {
		return nil
	}
	if err := r.ensureData(); err != nil {
		return err
	}
	_, err := r.dataProgram(stretch.KindLinear, false)
	return err
}

// WarmUpKinds hands the programs of the other stretch kinds to the browser
// without waiting for them (finish = false: the GPU process compiles them
// while the page goes on), or asks for their status (finish = true), which
// no longer waits once they are done: the host calls it twice, in idle
// periods some time apart, so that the first change to another stretch
// does not wait for a compile.
func (r *Renderer) WarmUpKinds(finish bool) error {
	if r.lost {
		return nil
	}
	if err := r.ensureData(); err != nil {
		return err
	}
	for i := range 2 * stretch.NumKinds {
		cb, k := i/stretch.NumKinds == 1, stretch.Kind(i%stretch.NumKinds)
		p := r.dataProg(k, cb)
		switch {
		case finish && p.pending():
			r.finishDataProgram(p)
		case !finish && !p.pending() && !p.ready && p.err == nil:
			r.startDataProgram(k, cb)
		}
	}
	return nil
}

// dataProg is the program slot of a stretch kind, with the contrast/bias
// step (cb) or without.
func (r *Renderer) dataProg(k stretch.Kind, cb bool) *dataProg {
	i := 0
	if cb {
		i = 1
	}
	return &r.data.progs[i][k]
}

// startDataProgram hands the program of a stretch kind to the browser
// without asking for its status (which would wait for the compile).
func (r *Renderer) startDataProgram(k stretch.Kind, cb bool) {
	src := stretch.ShaderSourcePlain(k)
	if cb {
		src = stretch.ShaderSourceFor(k)
	}
	r.dataProg(k, cb).started = r.startProgram(vertexSrc, dataFragmentHeader+src+dataFragmentMain)
}

// finishDataProgram asks for the status of a started program and makes it
// ready, or records why it failed.
func (r *Renderer) finishDataProgram(p *dataProg) {
	g := r.gl
	prog, err := r.finishProgram(p.started)
	p.started = pendingProgram{}
	if err != nil {
		p.err = fmt.Errorf("gl: the stretch shader: %w", err)
		return
	}
	p.prog = prog
	p.uniforms = map[string]js.Value{}
	p.uTex = g.Call("getUniformLocation", p.prog, "uTex")
	p.uOpacity = g.Call("getUniformLocation", p.prog, "uOpacity")
	p.uLUT = g.Call("getUniformLocation", p.prog, stretch.SamplerLUT)
	p.uHist = g.Call("getUniformLocation", p.prog, stretch.SamplerHistEqTab)
	p.ready = true
}

// dataProgram returns the program of a stretch kind, with the contrast/bias
// step or without, compiling it now if no warm-up started it.
func (r *Renderer) dataProgram(k stretch.Kind, cb bool) (*dataProg, error) {
	if k < 0 || int(k) >= stretch.NumKinds {
		return nil, fmt.Errorf("gl: no stretch kind %d", int(k))
	}
	p := r.dataProg(k, cb)
	if !p.ready && p.err == nil {
		if !p.pending() {
			r.startDataProgram(k, cb)
		}
		r.finishDataProgram(p)
	}
	return p, p.err
}

func (r *Renderer) initData() error {
	g := r.gl
	d := &r.data
	d.luts = map[string]js.Value{}
	d.filter = glNearest
	if ext := g.Call("getExtension", glFloatLinearExt); !ext.IsNull() {
		d.filter = glLinear
	}
	d.dummy = r.floatTexture2D(1, []float32{0})
	d.hist = js.Null()
	d.ready = true
	return nil
}

// uploadStripBytes bounds the bytes of one texture upload call.
const uploadStripBytes = 8 << 20

// uploadLayer makes texture key a one-layer array texture of w×h texels of 4
// bytes each (b, viewed as kind; internal format ifmt, given as format and
// typ), replacing any texture of that name. Storage comes first, then the
// rows in strips of at most uploadStripBytes: the browser stages each upload
// in shared memory and the GPU process in a buffer of its own, so one 64 MB
// call would leave buffers of its size behind in both processes.
func (r *Renderer) uploadLayer(key string, w, h, filter, ifmt, format, typ, kind int, b []byte) {
	g := r.gl
	r.DeleteTexture(key)
	t := r.newTexture(glTexture2DArray, filter)
	g.Call("texStorage3D", glTexture2DArray, 1, ifmt, w, h, 1)
	rows := max(1, uploadStripBytes/(4*w))
	for y := 0; y < h; y += rows {
		n := min(rows, h-y)
		r.uploadCall("texSubImage3D", kind, b[4*y*w:4*(y+n)*w], []any{glTexture2DArray, 0, 0, y, 0, w, n, 1, format, typ})
		g.Call("flush")
	}
	r.textures[key] = t
	r.bytes[key] = int64(w) * int64(h) * 4
}

// floatTexture2D makes an N×1 R32F texture.
func (r *Renderer) floatTexture2D(n int, data []float32) js.Value {
	t := r.newTexture(glTexture2D, glNearest)
	r.uploadCall("texImage2D", viewFloat32, bytesOf(data[:n]), []any{glTexture2D, 0, glR32F, n, 1, 0, glRed, glFloat})
	return t
}

func (r *Renderer) lut(name string, p *stretch.Params) (js.Value, error) {
	d := &r.data
	if t, ok := d.luts[name]; ok {
		return t, nil
	}
	rgba, err := p.LUTRGBA()
	if err != nil {
		return js.Null(), err
	}
	t := r.newTexture(glTexture2D, glNearest)
	r.uploadCall("texImage2D", viewBytes, rgba, []any{glTexture2D, 0, glRGBA, len(rgba) / 4, 1, 0, glRGBA, glUnsignedByte})
	d.luts[name] = t
	return t, nil
}

// EnsureFloatPage creates an R32F texture-array page (size×size×depth) unless it exists.
func (r *Renderer) EnsureFloatPage(key string, size, depth int) error {
	if err := r.ensureData(); err != nil {
		return err
	}
	return r.ensurePage(key, size, depth, glR32F, r.data.filter)
}

// UploadFloat copies w×h physical values (rows top-down) into a float page
// at (x, y) of a layer, or, when page is a new key and layer < 0, makes a
// one-layer R32F array texture of them.
func (r *Renderer) UploadFloat(key string, layer, x, y, w, h int, data []float32) error {
	if r.lost {
		return errors.New("gl: context lost")
	}
	if w <= 0 || h <= 0 || len(data) < w*h {
		return fmt.Errorf("gl: float image %q: %d values for %dx%d", key, len(data), w, h)
	}
	if err := r.ensureData(); err != nil {
		return err
	}
	g := r.gl
	if layer < 0 {
		if w > r.maxTex || h > r.maxTex {
			return fmt.Errorf("gl: image %q is %dx%d, larger than this GPU's texture limit %d", key, w, h, r.maxTex)
		}
		r.uploadLayer(key, w, h, r.data.filter, glR32F, glRed, glFloat, viewFloat32, bytesOf(data[:w*h]))
		return nil
	}
	t, ok := r.textures[key]
	if !ok {
		return fmt.Errorf("gl: no texture page %q", key)
	}
	g.Call("bindTexture", glTexture2DArray, t)
	r.uploadCall("texSubImage3D", viewFloat32, bytesOf(data[:w*h]), []any{glTexture2DArray, 0, x, y, layer, w, h, 1, glRed, glFloat})
	return nil
}

func (r *Renderer) ensureData() error {
	if r.data.ready {
		return nil
	}
	return r.initData()
}

// drawData draws one mesh of a data texture with its display parameters.
func (r *Renderer) drawData(m *draw.Mesh, tex js.Value) error {
	if err := r.ensureData(); err != nil {
		return err
	}
	d := &r.data
	g := r.gl
	p := m.Stretch
	us, err := p.Uniforms()
	if err != nil {
		return err
	}
	dp, err := r.dataProgram(p.Kind, p.ContrastBiasActive())
	if err != nil {
		return err
	}
	g.Call("useProgram", dp.prog)
	for _, u := range us {
		loc, ok := dp.uniforms[u.Name]
		if !ok {
			// null for u_sgKind, a constant in this program: WebGL ignores the call
			loc = g.Call("getUniformLocation", dp.prog, u.Name)
			dp.uniforms[u.Name] = loc
		}
		if u.Type == "int" {
			g.Call("uniform1i", loc, int(u.Value))
		} else {
			g.Call("uniform1f", loc, u.Value)
		}
	}
	g.Call("activeTexture", glTexture1)
	lut, err := r.lut(p.Colormap, p)
	if err != nil {
		return err
	}
	g.Call("bindTexture", glTexture2D, lut)
	g.Call("uniform1i", dp.uLUT, lutUnit)
	g.Call("activeTexture", glTexture2)
	hist := d.dummy
	if len(p.HistEq) > 0 {
		if !sameFloats(d.histKey, p.HistEq) {
			if !d.hist.IsNull() {
				g.Call("deleteTexture", d.hist)
			}
			d.hist = r.floatTexture2D(len(p.HistEq), p.HistEq)
			d.histKey = append(d.histKey[:0], p.HistEq...)
		}
		hist = d.hist
	}
	g.Call("activeTexture", glTexture2)
	g.Call("bindTexture", glTexture2D, hist)
	g.Call("uniform1i", dp.uHist, histUnit)
	g.Call("activeTexture", glTexture0)
	g.Call("bindTexture", glTexture2DArray, tex)
	g.Call("uniform1i", dp.uTex, 0)
	g.Call("uniform1f", dp.uOpacity, m.Opacity)
	r.drawMesh(m)
	g.Call("useProgram", r.prog)
	return nil
}

func sameFloats(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	return unsafe.SliceData(a) == unsafe.SliceData(b) || string(bytesOf(a)) == string(bytesOf(b))
}
