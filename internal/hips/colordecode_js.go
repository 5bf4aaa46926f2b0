//go:build js

package hips

import "fmt"

// decodeColor is not available in the wasm build: the browser decodes JPEG,
// PNG and WebP tiles itself (createImageBitmap) and uploads them straight to
// textures, so the Go decoders are left out of the download (see colordecode.go).
func decodeColor(b []byte, f Format, want int) (*Image, error) {
	return nil, fmt.Errorf("%w: %s tiles are decoded by the browser, not by the wasm", ErrBadTile, f)
}
