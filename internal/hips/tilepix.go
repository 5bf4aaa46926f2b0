package hips

import (
	"fmt"
	"math/bits"

	"github.com/skyglass/skyglass/internal/healpix"
)

// Tile pixel ↔ HEALPix mapping.
//
// A tile of order k and width w = 2^m holds the w×w HEALPix cells of order
// k+m inside cell (k, pix). Inside a base face, HEALPix cells have integer
// coordinates (x, y): x grows from the S corner towards the E corner, y from
// the S corner towards the W corner. In the tile, with rows in FITS order
// (row 0 at the bottom, as DecodeImage returns every format):
//
//	local x = w-1-row,  local y = col
//
// so the S corner is the top-left of the tile as displayed (JPEG row 0,
// column 0), W the top-right, N the bottom-right and E the bottom-left; image
// rows (top-down) run along the face x axis and columns along the face y
// axis. This is Aladin/Hipsgen's layout; it was verified on real data: the
// Mellinger order-3 JPEG tiles against the panorama they were cut from
// (Pearson r = 0.99; the other 7 flips/transpositions give r ≤ 0.56), the
// dirbe60 FITS and PNG tiles against each other, and FITS tiles against
// their own HPX WCS header (see the tests).

// TileShift returns m = log2(width) for a power-of-two tile width, or an error.
func TileShift(width int) (int, error) {
	if width <= 0 || width&(width-1) != 0 || width > MaxTileWidth {
		return 0, fmt.Errorf("hips: tile width %d is not a power of two in 1..%d", width, MaxTileWidth)
	}
	return bits.TrailingZeros(uint(width)), nil
}

// TilePixelNest returns the nested index, at order+log2(width), of the
// HEALPix cell stored at (col, row) of tile (order, pix); row in FITS order.
// It returns -1 for invalid input. (It is healpix.TileSubpixel.)
func TilePixelNest(order int, pix int64, width, col, row int) int64 {
	return healpix.TileSubpixel(order, pix, width, col, row)
}

// NestTilePixel is the inverse of TilePixelNest: for a nested cell at order
// pixOrder = tileOrder+log2(width) it returns the tile index at tileOrder and
// the (col, row) of the cell in the tile (row in FITS order). pix is -1 for
// invalid input.
func NestTilePixel(pixOrder int, sub int64, width int) (pix int64, col, row int) {
	m, err := TileShift(width)
	if err != nil || pixOrder < m || pixOrder > healpix.MaxOrder || sub < 0 || sub >= healpix.Npix(pixOrder) {
		return -1, 0, 0
	}
	pix = sub >> (2 * uint(m))
	col, row = healpix.SubpixelTile(pixOrder-m, pix, width, sub)
	return pix, col, row
}

// FXYTilePixel maps the face coordinates (x, y) of a cell at order
// tileOrder+m to the tile (tileOrder, pix) holding it and its (col, row).
func FXYTilePixel(tileOrder, m, face int, x, y int64) (pix int64, col, row int) {
	mask := int64(1)<<uint(m) - 1
	w := int(mask + 1)
	pix = healpix.FXYToNest(tileOrder, face, x>>uint(m), y>>uint(m))
	return pix, int(y & mask), w - 1 - int(x&mask)
}

// TilePixelUV returns the fractional position (u, v) inside the tile's
// HEALPix cell, as healpix.NestUVToAng(order, pix, u, v) takes it, of the
// point (fx, fy) of the tile in continuous pixel coordinates with FITS row
// order: (0, 0) is the outer corner of pixel (col 0, row 0), (w, w) the
// opposite corner; the centre of pixel (col, row) is (col+0.5, row+0.5).
func TilePixelUV(width int, fx, fy float64) (u, v float64) {
	w := float64(width)
	return (w - fy) / w, fx / w
}

// TileCorners returns the sky positions (in the HiPS frame) of the corners of
// a tile as displayed: top-left, top-right, bottom-right, bottom-left (that
// is, the S, W, N and E corners of the HEALPix cell).
func TileCorners(order int, pix int64) [4][2]float64 {
	c := healpix.NestCorners(order, pix) // N, W, S, E
	return [4][2]float64{c[2], c[1], c[0], c[3]}
}
