package fits

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

const truthDir = "../../testdata/fits"

type truthFile struct {
	Files []struct {
		File  string     `json:"file"`
		Bytes int64      `json:"bytes"`
		HDUs  []truthHDU `json:"hdus"`
	} `json:"files"`
}

type truthStats struct {
	Sha     string   `json:"sha256_f64be"`
	NPixels int64    `json:"n_pixels"`
	NNaN    int64    `json:"n_nan"`
	NInf    int64    `json:"n_inf"`
	NFinite int64    `json:"n_finite"`
	Min     *float64 `json:"min"`
	Max     *float64 `json:"max"`
	Mean    *float64 `json:"mean"`
}

type truthHDU struct {
	Index   int         `json:"index"`
	Type    string      `json:"type"`
	Extname *string     `json:"extname"`
	Bitpix  int         `json:"bitpix"`
	Naxis   []int       `json:"naxis"`
	BScale  float64     `json:"bscale"`
	BZero   float64     `json:"bzero"`
	Blank   *int64      `json:"blank"`
	Empty   bool        `json:"empty"`
	Sha     string      `json:"sha256_f64be"`
	RawSha  string      `json:"sha256_raw_be"`
	NBlank  int64       `json:"n_blank"`
	NRows   *int64      `json:"nrows"`
	NCols   *int        `json:"ncols"`
	Expect  *truthStats `json:"expected"`
	Samples []struct {
		Pix   []int    `json:"pix"`
		Value *float64 `json:"value"`
		IsNaN bool     `json:"is_nan"`
	} `json:"samples"`
	Compression *struct {
		ZCMPTYPE string `json:"ZCMPTYPE"`
		ZTILE    []int  `json:"ZTILE"`
		Lossy    bool   `json:"lossy"`
	} `json:"compression"`
}

func loadTruth(t testing.TB) truthFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(truthDir, "fits_images.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tf truthFile
	if err := json.Unmarshal(b, &tf); err != nil {
		t.Fatal(err)
	}
	return tf
}

func openTestFile(t testing.TB, name string) *File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(truthDir, name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s: Open: %v", name, err)
	}
	return f
}

// physSha hashes physical values the way the truth does.
func physSha(v []float64) string {
	h := sha256.New()
	buf := make([]byte, 8*len(v))
	for i, x := range v {
		bits := math.Float64bits(x)
		if x != x {
			bits = 0x7FF8000000000000
		}
		binary.BigEndian.PutUint64(buf[8*i:], bits)
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

func rawSha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestTruthImages(t *testing.T) {
	tf := loadTruth(t)
	if len(tf.Files) == 0 {
		t.Fatal("no files in truth")
	}
	for _, tfile := range tf.Files {
		name := filepath.Base(tfile.File)
		t.Run(name, func(t *testing.T) {
			f := openTestFile(t, name)
			if len(f.HDUs) != len(tfile.HDUs) {
				t.Fatalf("got %d HDUs, want %d", len(f.HDUs), len(tfile.HDUs))
			}
			for _, th := range tfile.HDUs {
				h := f.HDUs[th.Index]
				checkHDU(t, h, th)
			}
		})
	}
}

func checkHDU(t *testing.T, h *HDU, th truthHDU) {
	t.Helper()
	if string(h.Type()) != th.Type {
		t.Errorf("HDU %d: type %s, want %s", th.Index, h.Type(), th.Type)
	}
	wantName := ""
	if th.Extname != nil {
		wantName = *th.Extname
	}
	if h.Name() != wantName {
		t.Errorf("HDU %d: name %q, want %q", th.Index, h.Name(), wantName)
	}
	if th.Type == "BINTABLE" || th.Type == "TABLE" {
		ti, err := h.TableInfo()
		if err != nil {
			t.Fatalf("HDU %d: TableInfo: %v", th.Index, err)
		}
		if th.NRows != nil && ti.Rows != *th.NRows {
			t.Errorf("HDU %d: rows %d, want %d", th.Index, ti.Rows, *th.NRows)
		}
		if th.NCols != nil && ti.Fields != *th.NCols {
			t.Errorf("HDU %d: fields %d, want %d", th.Index, ti.Fields, *th.NCols)
		}
		return
	}
	info, err := h.ImageInfo()
	if err != nil {
		t.Fatalf("HDU %d: ImageInfo: %v", th.Index, err)
	}
	if info.Bitpix != th.Bitpix {
		t.Errorf("HDU %d: bitpix %d, want %d", th.Index, info.Bitpix, th.Bitpix)
	}
	if len(info.Axes) != len(th.Naxis) {
		t.Fatalf("HDU %d: axes %v, want %v", th.Index, info.Axes, th.Naxis)
	}
	for i := range th.Naxis {
		if info.Axes[i] != th.Naxis[i] {
			t.Fatalf("HDU %d: axes %v, want %v", th.Index, info.Axes, th.Naxis)
		}
	}
	if info.BScale != th.BScale || info.BZero != th.BZero {
		t.Errorf("HDU %d: bscale/bzero %v/%v, want %v/%v", th.Index, info.BScale, info.BZero, th.BScale, th.BZero)
	}
	// The truth's blank is the header keyword; BLANK on float data is present
	// but ignored, which ImageInfo reports as HasBlank = false.
	if th.Blank != nil && th.Bitpix > 0 && (!info.HasBlank || info.Blank != *th.Blank) {
		t.Errorf("HDU %d: blank %v %v, want %v", th.Index, info.HasBlank, info.Blank, *th.Blank)
	}
	if th.Blank == nil && info.HasBlank && info.Compression == nil {
		t.Errorf("HDU %d: unexpected BLANK %d", th.Index, info.Blank)
	}
	if info.Empty() != th.Empty {
		t.Errorf("HDU %d: empty %v, want %v", th.Index, info.Empty(), th.Empty)
	}
	if th.Compression != nil {
		if info.Compression == nil {
			t.Fatalf("HDU %d: no compression info", th.Index)
		}
		if info.Compression.Type != th.Compression.ZCMPTYPE || info.Compression.Lossy != th.Compression.Lossy {
			t.Errorf("HDU %d: compression %+v, want %+v", th.Index, info.Compression, th.Compression)
		}
		for i, v := range th.Compression.ZTILE {
			if info.Compression.Tile[i] != v {
				t.Errorf("HDU %d: tile %v, want %v", th.Index, info.Compression.Tile, th.Compression.ZTILE)
			}
		}
	}
	if th.Empty {
		return
	}
	img, err := h.Image()
	if err != nil {
		t.Fatalf("HDU %d: Image: %v", th.Index, err)
	}
	vals := img.Float64()
	exp := th.Expect
	if got := physSha(vals); got != exp.Sha {
		t.Errorf("HDU %d: sha256_f64be %s, want %s", th.Index, got, exp.Sha)
	}
	if th.RawSha != "" {
		if got := rawSha(img.Raw()); got != th.RawSha {
			t.Errorf("HDU %d: sha256_raw_be %s, want %s", th.Index, got, th.RawSha)
		}
	}
	st := img.Stats()
	if st.N != exp.NPixels || st.NaN != exp.NNaN || st.Inf != exp.NInf || st.Finite != exp.NFinite {
		t.Errorf("HDU %d: counts %+v, want %+v", th.Index, st, *exp)
	}
	if th.Blank != nil && th.Bitpix > 0 && st.NBlank != th.NBlank {
		t.Errorf("HDU %d: n_blank %d, want %d", th.Index, st.NBlank, th.NBlank)
	}
	if exp.Min != nil && (st.Min != *exp.Min || st.Max != *exp.Max) {
		t.Errorf("HDU %d: min/max %v/%v, want %v/%v", th.Index, st.Min, st.Max, *exp.Min, *exp.Max)
	}
	if exp.Mean != nil {
		scale := math.Max(math.Abs(*exp.Min), math.Abs(*exp.Max))
		if d := math.Abs(st.Mean - *exp.Mean); d > 1e-12*scale {
			t.Errorf("HDU %d: mean %v, want %v (|Δ| %g)", th.Index, st.Mean, *exp.Mean, d)
		}
	}
	// Samples are astropy's values: compare them when astropy is the reference.
	if exp.Sha == th.Sha {
		for _, s := range th.Samples {
			idx := make([]int, len(s.Pix))
			for i, p := range s.Pix {
				idx[i] = p - 1
			}
			v, err := img.Value(idx...)
			if err != nil {
				t.Fatalf("HDU %d: Value%v: %v", th.Index, s.Pix, err)
			}
			if s.IsNaN {
				if !math.IsNaN(v) {
					t.Errorf("HDU %d: pixel %v = %v, want NaN", th.Index, s.Pix, v)
				}
			} else if s.Value != nil && v != *s.Value {
				t.Errorf("HDU %d: pixel %v = %v, want %v", th.Index, s.Pix, v, *s.Value)
			}
		}
	}
}

// TestPeerRiceAstropy: astropy-written RICE file (which CFITSIO 4.2 refuses)
// must decode to the same pixels as its plain copy.
func TestPeerRiceAstropy(t *testing.T) {
	c := openTestFile(t, "ngc1316-comp.fits")
	p := openTestFile(t, "ngc1316.fits")
	ci, err := c.HDUs[1].Image()
	if err != nil {
		t.Fatal(err)
	}
	pi, err := p.HDUs[0].Image()
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.Axes) != 2 || ci.Axes[0] != 440 || ci.Axes[1] != 300 || ci.Bitpix != pi.Bitpix {
		t.Fatalf("axes %v bitpix %d vs %v %d", ci.Axes, ci.Bitpix, pi.Axes, pi.Bitpix)
	}
	if physSha(ci.Float64()) != physSha(pi.Float64()) || rawSha(ci.Raw()) != rawSha(pi.Raw()) {
		t.Error("compressed and plain pixels differ")
	}
}
