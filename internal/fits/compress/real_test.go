package compress

import (
	"math"
	"testing"
)

// TestRealLossless decodes every tile of lossless fpack files and compares
// the reassembled image with the uncompressed original, with the original's
// truth hash (sha256_raw_be) and, for the shared .fz files, with the truth
// of the compressed HDU (sha256_raw_be and the physical sha256_f64be).
func TestRealLossless(t *testing.T) {
	cases := []struct {
		fz, orig, cmptype string
		hdus              []int // compressed HDU k holds original HDU k-1
		fzTruth           bool  // fits_images.json has an entry for fz/<fz>
	}{
		{"ccdproc_a8280271_rice.fits.fz", "ccdproc_a8280271.fits", "RICE_1", []int{1}, true},
		{"ccdproc_a8280271_hcomp.fits.fz", "ccdproc_a8280271.fits", "HCOMPRESS_1", []int{1}, true},
		{"sha_img_nanmask_plio.fits.fz", "derived_sha_img_nanmask_int16.fits", "PLIO_1", []int{1}, true},
		{"astrogo_bitpix_p08_rice.fits.fz", "astrogo_bitpix_p08.fits", "RICE_1", []int{1, 2}, false},
		{"astrogo_bitpix_p32_rice.fits.fz", "astrogo_bitpix_p32.fits", "RICE_1", []int{1, 2}, false},
		{"astrogo_bitpix_p32_hcomp.fits.fz", "astrogo_bitpix_p32.fits", "HCOMPRESS_1", []int{1, 2}, false},
		{"astrogo_bitpix_p32_hcomp_9x11.fits.fz", "astrogo_bitpix_p32.fits", "HCOMPRESS_1", []int{1, 2}, false},
	}
	for _, c := range cases {
		t.Run(c.fz, func(t *testing.T) {
			hdus := readHDUs(t, c.fz)
			origs := readHDUs(t, c.orig)
			for _, k := range c.hdus {
				ct := openCompressed(t, hdus[k])
				if got := ct.cmptype; got != c.cmptype {
					t.Fatalf("HDU %d: ZCMPTYPE %q, want %q", k, got, c.cmptype)
				}
				img := ct.image(t)
				want := rawPixels(t, origs[k-1])
				if d := firstDiff(img, want); d != "" {
					t.Fatalf("HDU %d: decoded image differs from %s: %s", k, c.orig, d)
				}
				ot := loadTruth(t, "fits/"+c.orig, k-1)
				if got := sha256Raw(img, ct.zbitpix); got != ot.SHA256RawBE {
					t.Errorf("HDU %d: sha256_raw_be = %s, truth of original %s", k, got, ot.SHA256RawBE)
				}
				if !c.fzTruth {
					continue
				}
				tr := loadTruth(t, "fz/"+c.fz, k)
				if got := sha256Raw(img, ct.zbitpix); got != tr.SHA256RawBE {
					t.Errorf("HDU %d: sha256_raw_be = %s, truth %s", k, got, tr.SHA256RawBE)
				}
				if got := sha256PhysF64(img, ct.zbscale, ct.zbzero); got != tr.Expected.SHA256F64BE {
					t.Errorf("HDU %d: sha256_f64be = %s, truth %s", k, got, tr.Expected.SHA256F64BE)
				}
				if len(img) != tr.Expected.NPixels {
					t.Errorf("HDU %d: %d pixels, truth %d", k, len(img), tr.Expected.NPixels)
				}
			}
		})
	}
}

// TestRealQuantized decodes the lossy (quantized float) RICE files. The
// integers must decode without error, and dequantizing them without the
// dither offset (value = i*ZSCALE + ZZERO) must reproduce the original
// float image within ZSCALE (the dither offset is in [-0.5, 0.5) ZSCALE and
// the quantization error at most 0.5 ZSCALE), with NaNs exactly at ZBLANK.
func TestRealQuantized(t *testing.T) {
	const zeroValue = -2147483646 // SUBTRACTIVE_DITHER_2 code of exact zeros
	cases := []struct {
		fz, orig string
		hdus     []int // compressed HDUs
		origHDUs []int // the matching HDUs of the original
	}{
		{"sha_img_rice_q4.fits.fz", "astroquery_sha_img.fits", []int{1}, []int{0}},
		{"gmos_rice_qz8.fits.fz", "astroscrappy_gmos.fits", []int{1, 2, 3}, []int{1, 2, 3}},
	}
	for _, c := range cases {
		fz := readHDUs(t, c.fz)
		orig := readHDUs(t, c.orig)
		for n, k := range c.hdus {
			ct := openCompressed(t, fz[k])
			want := floatPixels(t, orig[c.origHDUs[n]])
			tr := loadTruth(t, "fz/"+c.fz, k)
			nx := ct.znaxis[0]
			nnan, maxErr := 0, 0.0
			for r := 0; r < ct.rows; r++ {
				x0, y0, w, h := ct.tileGeom(r)
				vals := ct.decodeTile(t, r)
				if len(vals) != w*h {
					t.Fatalf("%s[%d] tile %d: %d values, want %d", c.fz, k, r, len(vals), w*h)
				}
				zs, ok1 := ct.float64Col(r, "ZSCALE")
				zz, ok2 := ct.float64Col(r, "ZZERO")
				if !ok1 || !ok2 {
					t.Fatalf("%s[%d]: no ZSCALE/ZZERO columns", c.fz, k)
				}
				for i, v := range vals {
					o := want[(y0+i/w)*nx+x0+i%w]
					switch {
					case ct.hasZBlank && v == ct.zblank:
						nnan++
						if !math.IsNaN(o) {
							t.Fatalf("%s[%d] tile %d pixel %d: ZBLANK but original %g", c.fz, k, r, i, o)
						}
					case v == zeroValue:
						if o != 0 {
							t.Fatalf("%s[%d] tile %d pixel %d: zero code but original %g", c.fz, k, r, i, o)
						}
					default:
						e := math.Abs(float64(v)*zs + zz - o)
						if !(e <= zs) {
							t.Fatalf("%s[%d] tile %d pixel %d: |%d*%g+%g - %g| = %g > ZSCALE", c.fz, k, r, i, v, zs, zz, o, e)
						}
						maxErr = max(maxErr, e/zs)
					}
				}
			}
			if nnan != tr.Expected.NNaN {
				t.Errorf("%s[%d]: %d ZBLANK pixels, truth n_nan %d", c.fz, k, nnan, tr.Expected.NNaN)
			}
			t.Logf("%s[%d]: max |i*ZSCALE+ZZERO - original| = %.3f ZSCALE, %d blanks", c.fz, k, maxErr, nnan)
		}
	}
}

// TestRealHCompressLossySmooth decodes a lossy HCOMPRESS file (fpack -h -s
// 2.5, ZVAL2 SMOOTH edited to 1) with and without smoothing and compares
// the raw pixels with CFITSIO 4.2.0 funpack's output for SMOOTH=1 and for
// the same file with SMOOTH=0 (hashes recorded in PROVENANCE.md).
func TestRealHCompressLossySmooth(t *testing.T) {
	const (
		file         = "ccdproc_a8280271_hcomp_s25_smooth.fits.fz"
		funpackPlain = "a8c38456751e5f65350398bedcd59fa331ee72503db3b382a395a3ef132dc6b8"
		funpackSmoot = "04caabd5fe81b0049a92750c0e5edb69002f1a0d2cec8f265c9351f4e01b7779"
	)
	ct := openCompressed(t, readHDUs(t, file)[1])
	if ct.zvals["SMOOTH"] != 1 {
		t.Fatalf("SMOOTH = %v, want 1", ct.zvals["SMOOTH"])
	}
	smoothed := ct.image(t)
	if got := sha256Raw16(smoothed); got != funpackSmoot {
		t.Errorf("smoothed decode sha256 %s, funpack %s", got, funpackSmoot)
	}
	ct.zvals["SMOOTH"] = 0
	plain := ct.image(t)
	if got := sha256Raw16(plain); got != funpackPlain {
		t.Errorf("unsmoothed decode sha256 %s, funpack %s", got, funpackPlain)
	}
	orig := rawPixels(t, readHDUs(t, "ccdproc_a8280271.fits")[0])
	maxd := int64(0)
	for i := range orig {
		maxd = max(maxd, abs64(smoothed[i]-orig[i]))
	}
	t.Logf("lossy HCOMPRESS: max |smoothed - original| = %d ADU", maxd)
}
