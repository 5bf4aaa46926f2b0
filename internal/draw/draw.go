// Package draw defines the draw list: what internal/view asks a renderer to
// draw for one frame. Renderers (internal/gl with WebGL2 in the browser,
// internal/raster on the CPU) play the same lists, so that one can be tested
// against the other. It holds plain data types only.
package draw

// List is what a renderer draws for one frame, in order.
type List struct {
	Width, Height float64 // canvas size, CSS pixels
	DPR           float64 // device pixels per CSS pixel
	Background    [4]float32
	Meshes        []Mesh
}

// Mesh is a set of textured triangles. Vertices are interleaved (x, y, s, t):
// x, y in clip space ([-1, 1], y upwards), s, t texture coordinates in
// [0, 1] with t = 0 at the first row of the uploaded image.
type Mesh struct {
	Texture  string // key of a texture the host uploaded
	Vertices []float32
	Indices  []uint32
	Opacity  float32
}

// FloatsPerVertex is the number of float32 values per mesh vertex.
const FloatsPerVertex = 4
