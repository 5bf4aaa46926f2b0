//go:build js && wasm

package gl

// SetNearest makes a texture sample its nearest texel (FITS images are shown
// pixel by pixel, as DS9 and JS9 do, and linear filtering would spread an
// undefined (NaN) pixel over its neighbours).
func (r *Renderer) SetNearest(key string) {
	t, ok := r.textures[key]
	if !ok || r.lost {
		return
	}
	g := r.gl
	g.Call("bindTexture", glTexture2DArray, t)
	g.Call("texParameteri", glTexture2DArray, glTextureMinFilter, glNearest)
	g.Call("texParameteri", glTexture2DArray, glTextureMagFilter, glNearest)
}
