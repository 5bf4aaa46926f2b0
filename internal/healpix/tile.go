package healpix

// HiPS tile pixels.
//
// A HiPS tile of order k and index ipix with width w = 2^s pixels per side
// holds the w·w HEALPix pixels of order k+s that descend from ipix (HiPS 1.0,
// Fernique et al. 2015: k_pix = k_tile + log2(w)). Inside the tile the
// sub-pixel with in-face coordinates (x, y) relative to the tile's S corner
// (x towards the E corner, y towards the W corner, as in NestToFXY) is
// stored, in a FITS tile (NAXIS1 = NAXIS2 = w, first data row = row 0), at
//
//	col = y,  row = w-1-x
//
// This is the layout Hipsgen writes (Aladin's cds.tools.pixtools.Util
// xy2hpx/hpx2xy arrays: the first half of the rows is the x-bit-set half,
// the column's high bit is the y bit) and what the hips Python package
// reproduces with np.rot90 of the nested array. Displayed the FITS way (row
// 0 at the bottom), the tile's S corner is at the top-left, W at the
// top-right, N at the bottom-right and E at the bottom-left.
//
// JPEG and PNG tiles hold the same image stored top-down: their image row r
// (r = 0 is the top row of the file) is FITS row w-1-r, so for a JPEG/PNG
// pixel (col, r) the sub-pixel has x = r, y = col, i.e.
// TileSubpixel(order, ipix, w, col, w-1-r).

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
// and row are 0-based indices as stored in a FITS tile (row 0 = first row of
// data in the file); see the package's tile layout notes above. It returns -1
// if width is not a power of 2, order+log2(width) > 29, ipix is not a pixel
// of the order, or col, row are outside 0..width-1.
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
