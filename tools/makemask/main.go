// Command makemask writes testdata/mask/sha_img_image_mask_variance.fits, an
// image+mask+variance MEF laid out like a Rubin calexp (empty primary, then
// IMAGE float32, MASK int32 with MP_<NAME> = <bit> keywords, VARIANCE
// float32), from two files already in testdata/fits:
//
//   - IMAGE: the pixels and header cards (WCS included) of astroquery_sha_img.fits;
//   - MASK: bit 8 (MP_NO_DATA) where derived_sha_img_nanmask_int16.fits is 1 (the
//     image's NaN pixels; the command checks that), bit 1 (MP_SAT) where the image
//     is above SatLevel, bit 5 (MP_DETECTED) where it is above DetectLevel; bits
//     0, 2, 3, 4, 6, 7 are declared (LSST's names) and never set;
//   - VARIANCE: |IMAGE| (NaN where the image is NaN).
//
// Run from the repository root: go run ./tools/makemask
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
)

// The thresholds of the SAT and DETECTED bits, in the image's units.
const (
	SatLevel    = 2500
	DetectLevel = 1500
)

// LSST's default mask planes (afw.image.Mask), bits 0..8.
var planes = []struct {
	name string
	bit  int
	doc  string
}{
	{"BAD", 0, "bad pixel"}, {"SAT", 1, "saturated (here: image > 2500)"}, {"INTRP", 2, "interpolated"},
	{"CR", 3, "cosmic ray"}, {"EDGE", 4, "near the edge"}, {"DETECTED", 5, "detected (here: image > 1500)"},
	{"DETECTED_NEGATIVE", 6, "detected negative"}, {"SUSPECT", 7, "suspect"}, {"NO_DATA", 8, "no data (the image's NaN)"},
}

func main() {
	if err := run("testdata/fits/astroquery_sha_img.fits", "testdata/fits/derived_sha_img_nanmask_int16.fits", "testdata/mask/sha_img_image_mask_variance.fits"); err != nil {
		fmt.Fprintln(os.Stderr, "makemask:", err)
		os.Exit(1)
	}
}

func read(name string) (*fits.HDU, []float64, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	img, err := f.HDUs[0].Image()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return f.HDUs[0], img.Float64(), nil
}

func run(imageFile, maskFile, out string) error {
	hdu, img, err := read(imageFile)
	if err != nil {
		return err
	}
	_, nan, err := read(maskFile)
	if err != nil {
		return err
	}
	ax := hdu.Naxis()
	w, h := int(ax[0]), int(ax[1])
	if len(img) != w*h || len(nan) != w*h {
		return fmt.Errorf("sizes differ: %d, %d values for %dx%d", len(img), len(nan), w, h)
	}
	mask := make([]int32, w*h)
	variance := make([]float32, w*h)
	var nNaN, nSat, nDet int
	for i, x := range img {
		if (nan[i] == 1) != math.IsNaN(x) {
			return fmt.Errorf("pixel %d: the NaN mask says %v, the image holds %v", i, nan[i], x)
		}
		variance[i] = float32(math.Abs(x))
		if math.IsNaN(x) {
			mask[i] |= 1 << 8
			nNaN++
			continue
		}
		if x > SatLevel {
			mask[i] |= 1 << 1
			nSat++
		}
		if x > DetectLevel {
			mask[i] |= 1 << 5
			nDet++
		}
	}
	// The image's own cards, less the structural ones.
	var keep []fits.Card
	for _, c := range hdu.Header().Cards {
		switch {
		case c.Key == "SIMPLE", c.Key == "BITPIX", c.Key == "EXTEND", c.Key == "END", strings.HasPrefix(c.Key, "NAXIS"),
			c.Key == "BSCALE", c.Key == "BZERO", c.Key == "BLANK":
			continue
		}
		keep = append(keep, c)
	}
	var buf bytes.Buffer
	hdr(&buf, []string{card("SIMPLE", true, "conforms to FITS standard"), card("BITPIX", 8, ""), card("NAXIS", 0, ""), card("EXTEND", true, "")})
	ext := func(name string, bitpix int, extra []string, data []byte) {
		cards := []string{card("XTENSION", "IMAGE", "image extension"), card("BITPIX", bitpix, ""), card("NAXIS", 2, ""),
			card("NAXIS1", w, ""), card("NAXIS2", h, ""), card("PCOUNT", 0, ""), card("GCOUNT", 1, ""),
			card("EXTNAME", name, ""), card("EXTTYPE", name, "")}
		cards = append(cards, extra...)
		for _, c := range keep {
			if c.Raw != "" {
				cards = append(cards, fmt.Sprintf("%-80.80s", c.Raw))
			} else {
				cards = append(cards, c.Format())
			}
		}
		hdr(&buf, cards)
		buf.Write(data)
		pad(&buf, 0)
	}
	ext("IMAGE", -32, nil, f32(img))
	var mp []string
	for _, p := range planes {
		mp = append(mp, card("MP_"+p.name, p.bit, p.doc))
	}
	mi := make([]byte, 4*len(mask))
	for i, v := range mask {
		binary.BigEndian.PutUint32(mi[4*i:], uint32(v))
	}
	ext("MASK", 32, mp, mi)
	v64 := make([]float64, len(variance))
	for i, v := range variance {
		v64[i] = float64(v)
	}
	ext("VARIANCE", -32, nil, f32(v64))
	if err := os.MkdirAll("testdata/mask", 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %dx%d, NO_DATA %d, SAT %d, DETECTED %d pixels\n", out, w, h, nNaN, nSat, nDet)
	return nil
}

func card(key string, v any, comment string) string {
	h := &fits.Header{}
	h.Set(key, v, comment)
	return h.Cards[0].Format()
}

func hdr(buf *bytes.Buffer, cards []string) {
	for _, c := range cards {
		buf.WriteString(c)
	}
	fmt.Fprintf(buf, "%-80s", "END")
	pad(buf, ' ')
}

// pad fills the last block: blanks after a header, zeros after data.
func pad(buf *bytes.Buffer, c byte) {
	for buf.Len()%fits.BlockSize != 0 {
		buf.WriteByte(c)
	}
}

func f32(v []float64) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint32(out[4*i:], math.Float32bits(float32(x)))
	}
	return out
}
