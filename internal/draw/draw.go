// Package draw defines the draw list: what internal/view asks a renderer to
// draw for one frame. Renderers (internal/gl with WebGL2 in the browser,
// internal/raster on the CPU) play the same lists, so that one can be tested
// against the other. It holds plain data types only.
package draw

import "github.com/skyglass/skyglass/internal/stretch"

// List is what a renderer draws for one frame, in order.
type List struct {
	Width, Height float64 // canvas size, CSS pixels
	DPR           float64 // device pixels per CSS pixel
	Background    [4]float32
	Meshes        []Mesh
	Lines         []Line    // drawn over the meshes
	Markers       []Markers // drawn over the lines (catalogue sources)
	Labels        []Label   // text, drawn by the host over everything
}

// Markers is a batch of point markers of one shape, drawn instanced.
// Inst holds FloatsPerMarker values per marker: x, y (canvas CSS pixels, y
// down), size (CSS pixels across), r, g, b, a (colour in [0, 1]).
type Markers struct {
	Shape MarkerShape
	Fill  bool    // filled shapes instead of outlines (density cells)
	Width float32 // outline width, CSS pixels (0: 1.5)
	Inst  []float32
}

// FloatsPerMarker is the number of float32 values per marker in Markers.Inst.
const FloatsPerMarker = 7

// MarkerShape is the shape of catalogue markers.
type MarkerShape int

// Marker shapes.
const (
	Circle MarkerShape = iota
	Square
	Cross // ×
	Plus  // +
	Diamond
	Triangle
)

// MarkerShapes names the shapes, in MarkerShape order.
var MarkerShapes = []string{"circle", "square", "cross", "plus", "diamond", "triangle"}

// Line is a polyline in canvas CSS pixels (x, y pairs, y downwards).
type Line struct {
	Points []float32
	Color  [4]float32 // RGBA in [0, 1]
}

// Label is a piece of text anchored at a canvas point (CSS pixels).
type Label struct {
	X, Y  float64
	Text  string
	Align string // which side of the text the anchor is on: "left", "bottom", "center"
}

// Mesh is a set of textured triangles. Vertices are interleaved
// (x, y, s, t, layer): x, y in clip space ([-1, 1], y upwards), s, t texture
// coordinates in [0, 1] with t = 0 at the first row of the uploaded image,
// layer the layer of the texture array. Every texture is a 2D array texture
// (a single image is an array of one layer).
type Mesh struct {
	Texture  string // key of a texture the host uploaded
	Vertices []float32
	Indices  []uint32
	Opacity  float32
	// Stretch, when set, means the texture holds physical values (R32F) that
	// the renderer maps to colours with these display parameters.
	Stretch *stretch.Params
	// Mask, when set, means the texture holds integer flags (R32UI): a
	// pixel takes the colour of each chosen bit that is set in it, later
	// planes over earlier ones, with the mesh's opacity; others are clear.
	Mask *MaskStyle
}

// MaxMaskPlanes is how many bit planes a MaskStyle holds.
const MaxMaskPlanes = 8

// MaskStyle says which bits of a mask texture are drawn, in which colours.
type MaskStyle struct {
	N      int                       // planes used
	Bits   [MaxMaskPlanes]uint32     // the bit of each plane (1 << n)
	Colors [MaxMaskPlanes][3]float32 // RGB in [0, 1]
}

// FloatsPerVertex is the number of float32 values per mesh vertex.
const FloatsPerVertex = 5
