package hips

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/healpix"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/wcs"
)

func TestTilePixelRoundTrip(t *testing.T) {
	for _, c := range []struct {
		order int
		pix   int64
		width int
	}{{0, 0, 4}, {3, 592, 128}, {6, 34493, 512}, {0, 11, 1}, {10, 12582911, 64}} {
		m, _ := TileShift(c.width)
		for _, cr := range [][2]int{{0, 0}, {c.width - 1, 0}, {0, c.width - 1}, {c.width / 2, c.width / 3}} {
			sub := TilePixelNest(c.order, c.pix, c.width, cr[0], cr[1])
			if sub>>(2*uint(m)) != c.pix {
				t.Errorf("%v %v: sub %d not inside the tile", c, cr, sub)
			}
			pix, col, row := NestTilePixel(c.order+m, sub, c.width)
			if pix != c.pix || col != cr[0] || row != cr[1] {
				t.Errorf("%v %v: back to %d (%d,%d)", c, cr, pix, col, row)
			}
			// The pixel centre in (u, v) is the HEALPix cell centre.
			u, v := TilePixelUV(c.width, float64(cr[0])+0.5, float64(cr[1])+0.5)
			lon1, lat1 := healpix.NestUVToAng(c.order, c.pix, u, v)
			lon2, lat2 := healpix.NestToAng(c.order+m, sub)
			if math.Abs(lat1-lat2) > 1e-9 || math.Abs(math.Mod(lon1-lon2+540, 360)-180) > 1e-9 {
				t.Errorf("%v %v: uv centre (%v,%v) vs cell centre (%v,%v)", c, cr, lon1, lat1, lon2, lat2)
			}
		}
	}
	// The fast path used by the renderer agrees with healpix.SubpixelTile.
	for _, sub := range []int64{0, 1, 12345, 196607, 3 << 14, 11<<14 + 77} {
		face, x, y := healpix.NestToFXY(7, sub)
		p1, c1, r1 := FXYTilePixel(3, 4, face, x, y)
		p2, c2, r2 := NestTilePixel(7, sub, 16)
		if p1 != p2 || c1 != c2 || r1 != r2 {
			t.Errorf("sub %d: FXYTilePixel %d (%d,%d), NestTilePixel %d (%d,%d)", sub, p1, c1, r1, p2, c2, r2)
		}
	}
	if TilePixelNest(3, 1, 100, 0, 0) != -1 || TilePixelNest(3, 1, 128, 128, 0) != -1 || TilePixelNest(3, 768, 128, 0, 0) != -1 {
		t.Error("invalid input accepted")
	}
	if p, _, _ := NestTilePixel(3, 0, 128); p != -1 {
		t.Error("pixel order shallower than the tile shift accepted")
	}
	if _, err := TileShift(96); err == nil {
		t.Error("96 accepted")
	}
	// Tile corners as displayed: top-left is S (lowest latitude on a
	// northern equatorial face).
	c := TileCorners(0, 4)
	n := healpix.NestCorners(0, 4)
	if c[0] != n[2] || c[1] != n[1] || c[2] != n[0] || c[3] != n[3] {
		t.Errorf("corners %v vs N,W,S,E %v", c, n)
	}
}

// panoramaCAR samples the Mellinger panorama (mellinger-input.jpg with WCS
// mellinger-input.hhh: RA---CAR/DEC--CAR, CRVAL = (270, 0), CRPIX =
// (1024.5, 512.5), CDELT = (-0.17578125, 0.17578125), FITS row 1 at Dec -90,
// so JPEG row j is FITS row 1024-j) at (ra, dec), nearest pixel.
func panoramaCAR(pano image.Image, ra, dec float64) (float64, bool) {
	dra := math.Mod(ra-270+540, 360) - 180                    // CAR: x is linear in RA about CRVAL1
	x := 1024.5 + dra/-0.17578125                             // FITS pixel x (1-based)
	y := 512.5 + dec/0.17578125                               // FITS pixel y (1-based)
	px, jrow := int(math.Round(x))-1, 1024-int(math.Round(y)) // 0-based column, JPEG row
	if px < 0 || px >= 2048 || jrow < 0 || jrow >= 1024 {
		return 0, false
	}
	r, g, b, _ := pano.At(px, jrow).RGBA()
	return 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b), true
}

// TestTileMappingMellinger verifies the tile-pixel ↔ HEALPix mapping on real
// data: each pixel of the Mellinger order-3 JPEG tiles is placed on the sky
// by TilePixelNest and compared with the panorama the HiPS was cut from.
// A transposed or flipped mapping gives a low correlation (checked too).
func TestTileMappingMellinger(t *testing.T) {
	pano, err := jpeg.Decode(bytes.NewReader(readTD(t, "mellinger-input.jpg")))
	if err != nil {
		t.Fatal(err)
	}
	const order, w = 3, 128
	alt := map[string]func(c, r int) (int, int){
		"mapping":    func(c, r int) (int, int) { return c, r },
		"transposed": func(c, r int) (int, int) { return w - 1 - r, w - 1 - c },
		"flipped":    func(c, r int) (int, int) { return c, w - 1 - r },
		"mirrored":   func(c, r int) (int, int) { return w - 1 - c, r },
	}
	tiles := []int64{592, 672, 650, 451, 651, 583, 0, 100, 300, 767}
	for name, f := range alt {
		// Correlation inside each tile (the structure within the tile, not
		// the brightness differences between tiles), averaged over the tiles.
		var sumR float64
		for i, n := range tiles {
			var a, b []float64
			tile, err := DecodeTile(readTD(t, fmt.Sprintf("mellinger/Norder3/Dir0/Npix%d.jpg", n)), FormatJPEG, w)
			if err != nil {
				t.Fatal(err)
			}
			for row := 0; row < w; row += 2 {
				for col := 0; col < w; col += 2 {
					c2, r2 := f(col, row)
					sub := TilePixelNest(order, n, w, c2, r2)
					ra, dec := healpix.NestToAng(order+7, sub)
					pv, ok := panoramaCAR(pano, ra, dec)
					if !ok {
						continue
					}
					px, _ := tile.At(col, row)
					a = append(a, 0.299*float64(px[0])+0.587*float64(px[1])+0.114*float64(px[2]))
					b = append(b, pv)
				}
			}
			sumR += pearson(a, b)
			// The six Milky Way tiles have structure on every scale; the
			// other four are faint and noisier (r 0.79..0.95).
			if rt := pearson(a, b); name == "mapping" && i < 6 && rt < 0.95 {
				t.Errorf("tile %d: r = %.4f, want ≥ 0.95", n, rt)
			}
		}
		r := sumR / float64(len(tiles))
		t.Logf("%s: mean per-tile r = %.4f over %d tiles", name, r, len(tiles))
		if name == "mapping" && r < 0.9 {
			t.Errorf("tile mapping vs panorama: mean r = %.4f, want ≥ 0.9", r)
		}
		if name != "mapping" && r > 0.6 {
			t.Errorf("%s mapping also correlates (r = %.3f): the test cannot tell", name, r)
		}
	}
}

// TestTileMappingVsHPXHeader checks the mapping against the HPX WCS Hipsgen
// writes into each FITS tile header (CTYPE RA---HPX, CD matrix): FITS pixel
// (col+1, row+1) must be the centre of the HEALPix cell TilePixelNest gives.
func TestTileMappingVsHPXHeader(t *testing.T) {
	for _, c := range []struct {
		path  string
		order int
		pix   int64
		width int
	}{
		{"ngc1316/Norder6/Dir30000/Npix34493.fits", 6, 34493, 512},
		{"ngc1316/Norder6/Dir30000/Npix34494.fits", 6, 34494, 512},
	} {
		f, err := fits.Open(bytes.NewReader(readTD(t, c.path)), int64(len(readTD(t, c.path))))
		if err != nil {
			t.Fatal(err)
		}
		w, err := wcs.New(f.HDUs[0].Header())
		if err != nil {
			t.Fatal(err)
		}
		m, _ := TileShift(c.width)
		var maxd float64
		for row := 0; row < c.width; row += 37 {
			for col := 0; col < c.width; col += 41 {
				lon1, lat1, ok := w.PixelToWorld(float64(col+1), float64(row+1))
				if !ok {
					t.Fatalf("%s: pixel (%d,%d) off the HPX projection", c.path, col, row)
				}
				lon2, lat2 := healpix.NestToAng(c.order+m, TilePixelNest(c.order, c.pix, c.width, col, row))
				maxd = math.Max(maxd, angDist(lon1, lat1, lon2, lat2))
			}
		}
		// HEALPix cell centres and HPX pixel centres coincide exactly in the
		// equatorial zone and to a small fraction of a pixel elsewhere.
		if px := TilePixelSize(c.order, c.width); maxd > 0.05*px {
			t.Errorf("%s: max distance %.3g deg (pixel %.3g deg)", c.path, maxd, px)
		} else {
			t.Logf("%s: max distance %.3g deg (%.2g pixel)", c.path, maxd, maxd/px)
		}
	}
}

// TestTileMappingNGC1316: each pixel of the order-6 FITS tiles, placed on
// the sky by TilePixelNest (ICRS), converted to the image's FK4 B1950 frame
// and through its RA---SIN WCS, must show the value of the image Hipsgen cut
// the tiles from (ngc1316.fits, nearest pixel). A flipped mapping does not.
func TestTileMappingNGC1316(t *testing.T) {
	b := readTD(t, "peers/ngc1316.fits")
	f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	w, err := wcs.New(f.HDUs[0].Header())
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.HDUs[0].Image()
	if err != nil {
		t.Fatal(err)
	}
	src := img.Float64()
	tr, err := sky.NewTransform(sky.FrameICRS, sky.FrameFK4B1950)
	if err != nil {
		t.Fatal(err)
	}
	for _, flip := range []bool{false, true} {
		var a, bb []float64
		for _, n := range []int64{34492, 34493, 34494, 34495} {
			tile, err := DecodeTile(readTD(t, "ngc1316/"+TilePath(6, n, FormatFITS)), FormatFITS, 512)
			if err != nil {
				t.Fatal(err)
			}
			for row := 0; row < 512; row += 3 {
				for col := 0; col < 512; col += 3 {
					_, v := tile.At(col, row)
					if math.IsNaN(float64(v)) {
						continue
					}
					r := row
					if flip {
						r = 511 - row
					}
					ra, dec := healpix.NestToAng(15, TilePixelNest(6, n, 512, col, r))
					lon, lat := tr.Convert(ra, dec)
					x, y, ok := w.WorldToPixel(lon, lat)
					xi, yi := int(math.Round(x))-1, int(math.Round(y))-1
					if !ok || xi < 0 || yi < 0 || xi >= 440 || yi >= 300 {
						continue
					}
					a = append(a, float64(v))
					bb = append(bb, src[yi*440+xi])
				}
			}
		}
		r := pearson(a, bb)
		t.Logf("flip=%v: r = %.4f over %d pixels", flip, r, len(a))
		if !flip && (r < 0.99 || len(a) < 10000) {
			t.Errorf("mapping: r = %.4f over %d pixels", r, len(a))
		}
		if flip && r > 0.5 {
			t.Errorf("flipped mapping correlates too (r = %.3f)", r)
		}
	}
}
