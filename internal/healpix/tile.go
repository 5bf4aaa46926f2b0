package healpix

// tileShift returns log2(width) for a power-of-two width, or -1.
func tileShift(width int) int {
	if width <= 0 || width&(width-1) != 0 {
		return -1
	}
	s := 0
	for 1<<uint(s) < width {
		s++
	}
	return s
}

// TileSubpixel returns the nested index at order+log2(width) of the pixel
// (col, row) of the HiPS tile (order, ipix) of the given width, where col
// and row are 0-based indices as stored in a FITS tile (col along NAXIS1,
// row 0 = first row of data in the file).
//
// Layout (HiPS 1.0; Fernique et al. 2015): a tile of order k and width
// w = 2^s holds the w·w HEALPix pixels of order k+s descending from ipix.
// The sub-pixel with in-tile face coordinates (x, y), counted from the
// tile's S corner (x towards its E corner, y towards its W corner, as in
// NestToFXY), is stored in the FITS tile at
//
//	col = y,  row = w-1-x    (so sub = ipix·w² + interleave(x, y))
//
// This is the layout Hipsgen writes (Aladin's cds.tools.pixtools.Util
// xy2hpx/hpx2xy arrays) and that the hips Python package reproduces with
// np.rot90 of the nested array; the test suite checks it on real Hipsgen
// tiles through pixel continuity across tile borders. Displayed the FITS way
// (row 0 at the bottom) the tile's S corner is top-left, W top-right, N
// bottom-right and E bottom-left.
//
// JPEG and PNG tiles hold the same image stored top-down: their image row r
// (r = 0 = top row of the file) is FITS row w-1-r, so a JPEG/PNG pixel
// (col, r) has x = r, y = col, i.e. its sub-pixel is
// TileSubpixel(order, ipix, w, col, w-1-r).
//
// It returns -1 if width is not a power of 2, order+log2(width) > 29, ipix
// is not a pixel of the order, or col, row are outside 0..width-1.
func TileSubpixel(order int, ipix int64, width int, col, row int) int64 {
	s := tileShift(width)
	if s < 0 || !validPix(order, ipix) || order+s > MaxOrder ||
		col < 0 || row < 0 || col >= width || row >= width {
		return -1
	}
	x := int64(width - 1 - row)
	y := int64(col)
	return ipix<<(2*uint(s)) | spread(x) | spread(y)<<1
}

// SubpixelTile is the inverse of TileSubpixel: the (col, row) in the FITS
// tile (order, ipix) of width `width` of the nested pixel sub at order
// order+log2(width). It returns (-1, -1) if width is not a power of 2,
// order+log2(width) > 29, ipix is invalid or sub does not descend from ipix.
func SubpixelTile(order int, ipix int64, width int, sub int64) (col, row int) {
	s := tileShift(width)
	if s < 0 || !validPix(order, ipix) || order+s > MaxOrder || !validPix(order+s, sub) ||
		sub>>(2*uint(s)) != ipix {
		return -1, -1
	}
	local := sub & (int64(1)<<(2*uint(s)) - 1)
	x, y := compress(local), compress(local>>1)
	return int(y), width - 1 - int(x)
}
