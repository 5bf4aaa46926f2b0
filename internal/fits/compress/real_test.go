package compress

import (
	"math"
	"testing"
)

// TestRealLossless decodes every tile of the lossless fpack files and
// compares the reassembled image with the uncompressed original and with
// the truth hashes (sha256 of the raw big-endian pixels and of the
// physical float64 values).
func TestRealLossless(t *testing.T) {
	cases := []struct {
		fz, orig, cmptype string
	}{
		{"ccdproc_a8280271_rice.fits.fz", "ccdproc_a8280271.fits", "RICE_1"},
		{"ccdproc_a8280271_hcomp.fits.fz", "ccdproc_a8280271.fits", "HCOMPRESS_1"},
		{"sha_img_nanmask_plio.fits.fz", "derived_sha_img_nanmask_int16.fits", "PLIO_1"},
	}
	for _, c := range cases {
		t.Run(c.cmptype, func(t *testing.T) {
			hdus := readHDUs(t, c.fz)
			if len(hdus) < 2 {
				t.Fatalf("%s: %d HDUs", c.fz, len(hdus))
			}
			ct := openCompressed(t, hdus[1])
			if got := ct.cmptype; got != c.cmptype {
				t.Fatalf("ZCMPTYPE %q, want %q", got, c.cmptype)
			}
			img := ct.image(t)

			orig := readHDUs(t, c.orig)[0]
			want := rawPixels(t, orig)
			if d := firstDiff(img, want); d != "" {
				t.Fatalf("decoded image differs from %s: %s", c.orig, d)
			}
			tr := loadTruth(t, "fz/"+c.fz, 1)
			if got := sha256RawBE16(img); got != tr.SHA256RawBE {
				t.Errorf("sha256_raw_be = %s, truth %s", got, tr.SHA256RawBE)
			}
			if got := sha256PhysF64(img, ct.zbscale, ct.zbzero); got != tr.Expected.SHA256F64BE {
				t.Errorf("sha256_f64be = %s, truth %s", got, tr.Expected.SHA256F64BE)
			}
			if len(img) != tr.Expected.NPixels {
				t.Errorf("%d pixels, truth %d", len(img), tr.Expected.NPixels)
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
