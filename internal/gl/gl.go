//go:build js && wasm

// Package gl plays draw lists (internal/draw) with WebGL2, written directly
// over syscall/js. It owns the GL context of one canvas: programs, buffers and
// the textures the host uploads (browser-decoded images), and it survives a
// context loss by rebuilding its GPU objects when the context comes back
// (textures must then be uploaded again by the host).
package gl

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"syscall/js"

	"github.com/skyglass/skyglass/internal/draw"
)

// WebGL2 constants used here.
const (
	glArrayBuffer        = 0x8892
	glElementArrayBuffer = 0x8893
	glStreamDraw         = 0x88E0
	glFloat              = 0x1406
	glUnsignedInt        = 0x1405
	glUnsignedByte       = 0x1401
	glTriangles          = 0x0004
	glLines              = 0x0001
	glTexture2D          = 0x0DE1
	glTexture2DArray     = 0x8C1A
	glRGBA8              = 0x8058
	glTexture0           = 0x84C0
	glRGBA               = 0x1908
	glTextureMinFilter   = 0x2801
	glTextureMagFilter   = 0x2800
	glTextureWrapS       = 0x2802
	glTextureWrapT       = 0x2803
	glLinear             = 0x2601
	glClampToEdge        = 0x812F
	glColorBufferBit     = 0x4000
	glBlend              = 0x0BE2
	glSrcAlpha           = 0x0302
	glOneMinusSrcAlpha   = 0x0303
	glOne                = 1
	glVertexShader       = 0x8B31
	glFragmentShader     = 0x8B30
	glCompileStatus      = 0x8B81
	glLinkStatus         = 0x8B82
	glUnpackFlipY        = 0x9240
	glUnpackPremultiply  = 0x9241
	glUnpackColorspace   = 0x9243
	glNone               = 0
	glMaxTextureSize     = 0x0D33
)

const vertexSrc = `#version 300 es
layout(location = 0) in vec2 aPos;
layout(location = 1) in vec3 aUV;
out vec3 vUV;
void main() {
	vUV = aUV;
	gl_Position = vec4(aPos, 0.0, 1.0);
}
`

const fragmentSrc = `#version 300 es
precision highp float;
precision highp sampler2DArray;
in vec3 vUV;
uniform sampler2DArray uTex;
uniform float uOpacity;
out vec4 outColor;
void main() {
	vec4 c = texture(uTex, vUV);
	outColor = vec4(c.rgb, c.a * uOpacity);
}
`

const lineVertexSrc = `#version 300 es
layout(location = 0) in vec2 aPos; // canvas CSS pixels, y down
uniform vec2 uSize;
void main() {
	gl_Position = vec4(aPos.x / uSize.x * 2.0 - 1.0, 1.0 - aPos.y / uSize.y * 2.0, 0.0, 1.0);
}
`

const lineFragmentSrc = `#version 300 es
precision mediump float;
uniform vec4 uColor;
out vec4 outColor;
void main() { outColor = uColor; }
`

// Renderer draws on one canvas's WebGL2 context.
type Renderer struct {
	canvas   js.Value
	gl       js.Value
	prog     js.Value
	vao      js.Value
	vbo, ibo js.Value
	uTex     js.Value
	uOpacity js.Value
	textures map[string]js.Value
	bytes    map[string]int64
	lineProg js.Value
	lineVAO  js.Value
	lineVBO  js.Value
	uSize    js.Value
	uColor   js.Value
	lineBuf  []float32
	data     dataState
	mk       markerState
	mask     maskState
	scratch  js.Value // Uint8Array used to hand vertex data to WebGL
	mem      js.Value // the module's WebAssembly.Memory, when known (UseMemory)
	callView js.Value // the loader's callView function (UseMemory)
	maxTex   int
	lost     bool
}

// ErrNoWebGL2 is returned when the browser gives no WebGL2 context.
var ErrNoWebGL2 = errors.New("gl: this browser has no WebGL2 (it is required)")

// New creates a renderer on a canvas element.
func New(canvas js.Value) (*Renderer, error) {
	attrs := js.Global().Get("Object").New()
	attrs.Set("alpha", false)
	attrs.Set("antialias", false)
	attrs.Set("premultipliedAlpha", false)
	attrs.Set("preserveDrawingBuffer", false)
	ctx := canvas.Call("getContext", "webgl2", attrs)
	if ctx.IsNull() || ctx.IsUndefined() {
		return nil, ErrNoWebGL2
	}
	r := &Renderer{canvas: canvas, gl: ctx, textures: map[string]js.Value{}, bytes: map[string]int64{}}
	if err := r.init(); err != nil {
		return nil, err
	}
	return r, nil
}

// init creates the GPU objects (again, after a context loss).
func (r *Renderer) init() error {
	g := r.gl
	prog, err := r.program(vertexSrc, fragmentSrc)
	if err != nil {
		return err
	}
	r.prog = prog
	r.uTex = g.Call("getUniformLocation", prog, "uTex")
	r.uOpacity = g.Call("getUniformLocation", prog, "uOpacity")
	r.vao = g.Call("createVertexArray")
	g.Call("bindVertexArray", r.vao)
	r.vbo = g.Call("createBuffer")
	r.ibo = g.Call("createBuffer")
	g.Call("bindBuffer", glArrayBuffer, r.vbo)
	g.Call("bindBuffer", glElementArrayBuffer, r.ibo)
	stride := draw.FloatsPerVertex * 4
	g.Call("enableVertexAttribArray", 0)
	g.Call("vertexAttribPointer", 0, 2, glFloat, false, stride, 0)
	g.Call("enableVertexAttribArray", 1)
	g.Call("vertexAttribPointer", 1, 3, glFloat, false, stride, 8)
	g.Call("bindVertexArray", js.Null())
	lp, err := r.program(lineVertexSrc, lineFragmentSrc)
	if err != nil {
		return err
	}
	r.lineProg = lp
	r.uSize = g.Call("getUniformLocation", lp, "uSize")
	r.uColor = g.Call("getUniformLocation", lp, "uColor")
	r.lineVAO = g.Call("createVertexArray")
	g.Call("bindVertexArray", r.lineVAO)
	r.lineVBO = g.Call("createBuffer")
	g.Call("bindBuffer", glArrayBuffer, r.lineVBO)
	g.Call("enableVertexAttribArray", 0)
	g.Call("vertexAttribPointer", 0, 2, glFloat, false, 8, 0)
	g.Call("bindVertexArray", js.Null())
	r.maxTex = g.Call("getParameter", glMaxTextureSize).Int()
	return nil
}

// drawLines draws polylines, batched by colour into GL_LINES calls.
func (r *Renderer) drawLines(dl *draw.List) {
	if len(dl.Lines) == 0 {
		return
	}
	g := r.gl
	g.Call("useProgram", r.lineProg)
	g.Call("bindVertexArray", r.lineVAO)
	g.Call("bindBuffer", glArrayBuffer, r.lineVBO)
	g.Call("uniform2f", r.uSize, dl.Width, dl.Height)
	for i := 0; i < len(dl.Lines); {
		col := dl.Lines[i].Color
		r.lineBuf = r.lineBuf[:0]
		j := i
		for ; j < len(dl.Lines) && dl.Lines[j].Color == col; j++ {
			p := dl.Lines[j].Points
			for k := 0; k+3 < len(p); k += 2 {
				r.lineBuf = append(r.lineBuf, p[k], p[k+1], p[k+2], p[k+3])
			}
		}
		i = j
		if len(r.lineBuf) == 0 {
			continue
		}
		g.Call("uniform4f", r.uColor, col[0], col[1], col[2], col[3])
		r.uploadCall("bufferData", viewBytes, bytesOf(r.lineBuf), []any{glArrayBuffer}, glStreamDraw)
		g.Call("drawArrays", glLines, 0, len(r.lineBuf)/2)
	}
	g.Call("bindVertexArray", js.Null())
}

// pendingProgram is a program handed to the browser by startProgram whose
// status has not been asked yet: asking waits for the compile.
type pendingProgram struct {
	prog    js.Value
	shaders [2]js.Value // vertex, fragment
}

// startProgram compiles and links a program without asking for its status,
// so that the GPU process can compile it while the page goes on.
func (r *Renderer) startProgram(vs, fs string) pendingProgram {
	g := r.gl
	p := pendingProgram{prog: g.Call("createProgram")}
	for i, kind := range [2]int{glVertexShader, glFragmentShader} {
		s := g.Call("createShader", kind)
		g.Call("shaderSource", s, [2]string{vs, fs}[i])
		g.Call("compileShader", s)
		g.Call("attachShader", p.prog, s)
		p.shaders[i] = s
	}
	g.Call("linkProgram", p.prog)
	return p
}

// finishProgram asks for the status of a started program (waiting for its
// compile if it is not done) and returns it linked, or why it failed; the
// shader objects go either way (the linked program keeps what it needs).
func (r *Renderer) finishProgram(p pendingProgram) (js.Value, error) {
	g := r.gl
	var err error
	for _, s := range p.shaders {
		if err == nil && !g.Call("getShaderParameter", s, glCompileStatus).Truthy() {
			err = fmt.Errorf("gl: shader does not compile: %s", g.Call("getShaderInfoLog", s).String())
		}
	}
	if err == nil && !g.Call("getProgramParameter", p.prog, glLinkStatus).Truthy() {
		err = fmt.Errorf("gl: program does not link: %s", g.Call("getProgramInfoLog", p.prog).String())
	}
	r.discardShaders(p)
	if err != nil {
		g.Call("deleteProgram", p.prog)
		return js.Null(), err
	}
	return p.prog, nil
}

// discardShaders detaches and deletes a started program's shader objects.
func (r *Renderer) discardShaders(p pendingProgram) {
	for _, s := range p.shaders {
		r.gl.Call("detachShader", p.prog, s)
		r.gl.Call("deleteShader", s)
	}
}

// program compiles and links a program now.
func (r *Renderer) program(vs, fs string) (js.Value, error) {
	return r.finishProgram(r.startProgram(vs, fs))
}

// MaxTextureSize returns the context's MAX_TEXTURE_SIZE.
func (r *Renderer) MaxTextureSize() int { return r.maxTex }

// UploadImage uploads a browser-decoded image (ImageBitmap, HTMLImageElement…)
// as texture key, a 2D array texture of one layer, replacing any texture of
// that name. The first image row goes to t = 0.
func (r *Renderer) UploadImage(key string, img js.Value) (w, h int, err error) {
	if r.lost {
		return 0, 0, errors.New("gl: context lost")
	}
	w, h = img.Get("width").Int(), img.Get("height").Int()
	if w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("gl: image %q is empty", key)
	}
	if w > r.maxTex || h > r.maxTex {
		return 0, 0, fmt.Errorf("gl: image %q is %dx%d, larger than this GPU's texture limit %d", key, w, h, r.maxTex)
	}
	g := r.gl
	r.DeleteTexture(key)
	t := r.newArray()
	r.unpack()
	g.Call("texImage3D", glTexture2DArray, 0, glRGBA, w, h, 1, 0, glRGBA, glUnsignedByte, img)
	r.textures[key] = t
	r.bytes[key] = int64(w) * int64(h) * 4
	return w, h, nil
}

func (r *Renderer) newArray() js.Value { return r.newTexture(glTexture2DArray, glLinear) }

// newTexture creates a texture bound to target on the active unit, with the
// given min/mag filter and edges clamped.
func (r *Renderer) newTexture(target, filter int) js.Value {
	g := r.gl
	t := g.Call("createTexture")
	g.Call("bindTexture", target, t)
	g.Call("texParameteri", target, glTextureMinFilter, filter)
	g.Call("texParameteri", target, glTextureMagFilter, filter)
	g.Call("texParameteri", target, glTextureWrapS, glClampToEdge)
	g.Call("texParameteri", target, glTextureWrapT, glClampToEdge)
	return t
}

func (r *Renderer) unpack() {
	g := r.gl
	g.Call("pixelStorei", glUnpackFlipY, false)
	g.Call("pixelStorei", glUnpackPremultiply, false)
	g.Call("pixelStorei", glUnpackColorspace, glNone)
}

// EnsurePage creates the texture-array page key (size×size pixels, depth
// layers, RGBA) unless it exists.
func (r *Renderer) EnsurePage(key string, size, depth int) error {
	return r.ensurePage(key, size, depth, glRGBA8, glLinear)
}

// ensurePage creates a size×size×depth texture-array page of an internal
// format unless it exists.
func (r *Renderer) ensurePage(key string, size, depth, format, filter int) error {
	if _, ok := r.textures[key]; ok {
		return nil
	}
	if r.lost {
		return errors.New("gl: context lost")
	}
	if size <= 0 || depth <= 0 || size > r.maxTex {
		return fmt.Errorf("gl: bad texture page %dx%dx%d", size, size, depth)
	}
	t := r.newTexture(glTexture2DArray, filter)
	r.gl.Call("texStorage3D", glTexture2DArray, 1, format, size, size, depth)
	r.textures[key] = t
	r.bytes[key] = int64(size) * int64(size) * int64(depth) * 4
	return nil
}

// UploadSlot copies a browser-decoded image into a page at (x, y) of a layer.
func (r *Renderer) UploadSlot(page string, layer, x, y int, img js.Value) (w, h int, err error) {
	t, ok := r.textures[page]
	if !ok {
		return 0, 0, fmt.Errorf("gl: no texture page %q", page)
	}
	w, h = img.Get("width").Int(), img.Get("height").Int()
	g := r.gl
	g.Call("bindTexture", glTexture2DArray, t)
	r.unpack()
	g.Call("texSubImage3D", glTexture2DArray, 0, x, y, layer, w, h, 1, glRGBA, glUnsignedByte, img)
	return w, h, nil
}

// ReadPixels returns the RGBA bytes of the bottom-left w×h pixels of the
// drawing buffer (rows bottom-up). Call it right after Draw, in the same task.
func (r *Renderer) ReadPixels(w, h int) ([]byte, error) {
	if r.lost {
		return nil, errors.New("gl: context lost")
	}
	u8 := js.Global().Get("Uint8Array").New(4 * w * h)
	r.gl.Call("readPixels", 0, 0, w, h, glRGBA, glUnsignedByte, u8)
	out := make([]byte, 4*w*h)
	js.CopyBytesToGo(out, u8)
	return out, nil
}

// TextureBytes returns the GPU memory held by textures, in bytes.
func (r *Renderer) TextureBytes() int64 {
	var n int64
	for _, b := range r.bytes {
		n += b
	}
	return n
}

// DeleteTexture frees a texture.
func (r *Renderer) DeleteTexture(key string) {
	if t, ok := r.textures[key]; ok {
		r.gl.Call("deleteTexture", t)
		delete(r.textures, key)
		delete(r.bytes, key)
	}
}

// DeleteTexturesWithPrefix frees every texture whose key starts with prefix
// (e.g. all the pages of a removed layer).
func (r *Renderer) DeleteTexturesWithPrefix(prefix string) {
	for k := range r.textures {
		if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
			r.DeleteTexture(k)
		}
	}
}

// bytesOf views a float32/uint32 slice as bytes without copying.
func bytesOf[T float32 | uint32](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*4)
}

// UseMemory gives the renderer the module's WebAssembly.Memory and the
// loader's callView(gl, method, memory, kind, offset, length, pre, post)
// function, which calls gl[method](...pre, view, ...post) with a typed-array
// view of the memory made inside that one call. Uploads then hand WebGL Go's
// bytes in place instead of a copy (a 4096² float image would otherwise keep
// a 64 MB scratch buffer alive in the page). The view must be made in
// JavaScript: any Go allocation between making it and the WebGL call may
// grow the memory, which detaches every view of its old buffer.
func (r *Renderer) UseMemory(mem, callView js.Value) {
	if mem.InstanceOf(js.Global().Get("WebAssembly").Get("Memory")) && callView.Type() == js.TypeFunction {
		r.mem, r.callView = mem, callView
	}
}

// Element types of the views uploadCall makes.
const (
	viewBytes   = 0
	viewFloat32 = 1
	viewUint32  = 2
)

// uploadCall calls gl[method](pre..., view, post...) where view is a typed
// array (kind: viewBytes, viewFloat32, viewUint32) of b's bytes: a view of
// the wasm memory in place when the loader gave one (UseMemory), else a copy
// in the scratch buffer.
func (r *Renderer) uploadCall(method string, kind int, b []byte, pre []any, post ...any) {
	size := 1
	if kind != viewBytes {
		size = 4
	}
	if len(b) > 0 && r.callView.Truthy() {
		// Pointers in Go's js/wasm port are offsets into the linear memory.
		r.callView.Invoke(r.gl, method, r.mem, kind, uintptr(unsafe.Pointer(&b[0])), len(b)/size, pre, post)
		runtime.KeepAlive(b)
		return
	}
	if r.scratch.IsUndefined() || r.scratch.Get("length").Int() < len(b) {
		n := 1 << 16
		for n < len(b) {
			n *= 2
		}
		r.scratch = js.Global().Get("Uint8Array").New(n)
	}
	js.CopyBytesToJS(r.scratch, b)
	view := r.scratch.Call("subarray", 0, len(b))
	switch kind {
	case viewFloat32:
		view = js.Global().Get("Float32Array").New(r.scratch.Get("buffer"), 0, len(b)/4)
	case viewUint32:
		view = js.Global().Get("Uint32Array").New(r.scratch.Get("buffer"), 0, len(b)/4)
	}
	args := append(append(pre, view), post...)
	r.gl.Call(method, args...)
}

// Draw plays a draw list. The canvas's backing store is resized to the list's
// size times its device pixel ratio.
func (r *Renderer) Draw(dl *draw.List) {
	if r.lost || r.gl.Call("isContextLost").Bool() {
		return
	}
	g := r.gl
	pw, ph := int(dl.Width*dl.DPR+0.5), int(dl.Height*dl.DPR+0.5)
	if r.canvas.Get("width").Int() != pw {
		r.canvas.Set("width", pw)
	}
	if r.canvas.Get("height").Int() != ph {
		r.canvas.Set("height", ph)
	}
	g.Call("viewport", 0, 0, pw, ph)
	bg := dl.Background
	g.Call("clearColor", bg[0], bg[1], bg[2], bg[3])
	g.Call("clear", glColorBufferBit)
	g.Call("useProgram", r.prog)
	g.Call("bindVertexArray", r.vao)
	g.Call("enable", glBlend)
	g.Call("blendFuncSeparate", glSrcAlpha, glOneMinusSrcAlpha, glOne, glOneMinusSrcAlpha)
	g.Call("activeTexture", glTexture0)
	g.Call("uniform1i", r.uTex, 0)
	for i := range dl.Meshes {
		m := &dl.Meshes[i]
		t, ok := r.textures[m.Texture]
		if !ok || len(m.Indices) == 0 || m.Opacity <= 0 {
			continue // nothing to draw, or transparent
		}
		if m.Mask != nil {
			if err := r.drawMask(m, t); err != nil {
				js.Global().Get("console").Call("error", "skyglass: "+err.Error())
			}
			continue
		}
		if m.Stretch != nil {
			if err := r.drawData(m, t); err != nil {
				js.Global().Get("console").Call("error", "skyglass: "+err.Error())
			}
			continue
		}
		g.Call("bindTexture", glTexture2DArray, t)
		g.Call("uniform1f", r.uOpacity, m.Opacity)
		r.drawMesh(m)
	}
	g.Call("bindVertexArray", js.Null())
	r.drawLines(dl)
	r.drawMarkers(dl)
}

// drawMesh uploads a mesh's vertices and indices and draws it with the
// current program (the vertex array object is bound).
func (r *Renderer) drawMesh(m *draw.Mesh) {
	g := r.gl
	g.Call("bindBuffer", glArrayBuffer, r.vbo)
	r.uploadCall("bufferData", viewBytes, bytesOf(m.Vertices), []any{glArrayBuffer}, glStreamDraw)
	r.uploadCall("bufferData", viewBytes, bytesOf(m.Indices), []any{glElementArrayBuffer}, glStreamDraw)
	g.Call("drawElements", glTriangles, len(m.Indices), glUnsignedInt, 0)
}

// Lost reports whether the context is lost (nothing is drawn until it is
// restored).
func (r *Renderer) Lost() bool { return r.lost }

// ContextLost forgets every GPU object (they died with the context).
func (r *Renderer) ContextLost() {
	r.lost = true
	r.textures = map[string]js.Value{}
	r.bytes = map[string]int64{}
	r.data = dataState{}
	r.mk = markerState{}
	r.mask = maskState{}
}

// ContextRestored rebuilds the GPU objects; the host must upload its textures again.
func (r *Renderer) ContextRestored() error {
	r.lost = false
	return r.init()
}

// Destroy frees every GPU object and asks the browser to drop the context.
func (r *Renderer) Destroy() {
	for k := range r.textures {
		r.DeleteTexture(k)
	}
	g := r.gl
	if !r.lost {
		g.Call("deleteBuffer", r.vbo)
		g.Call("deleteBuffer", r.ibo)
		g.Call("deleteVertexArray", r.vao)
		g.Call("deleteProgram", r.prog)
		g.Call("deleteBuffer", r.lineVBO)
		g.Call("deleteVertexArray", r.lineVAO)
		g.Call("deleteProgram", r.lineProg)
		r.destroyMarkers()
		r.destroyData()
		r.destroyMask()
		if ext := g.Call("getExtension", "WEBGL_lose_context"); !ext.IsNull() {
			ext.Call("loseContext")
		}
	}
	r.lost = true
}
