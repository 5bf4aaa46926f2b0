package stretch

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

const truthDir = "../../testdata/stretch"

// fitsImage is a minimal reader for the simple image HDUs the truth uses
// (BITPIX 16 and -32, BSCALE/BZERO): it walks the HDUs with fits.ParseHeader
// and decodes the big-endian data of HDU index hdu.
type fitsImage struct {
	shape []int // NAXIS1, NAXIS2
	f64   []float64
	f32   []float32 // physical values as float32 (BITPIX -32 only)
}

func readFITS(t testing.TB, name string, hdu int) fitsImage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(truthDir, name))
	if err != nil {
		t.Fatal(err)
	}
	off := 0
	for i := 0; ; i++ {
		// header: blocks until an END card
		start := off
		end := -1
		for end < 0 {
			if off+2880 > len(b) {
				t.Fatalf("%s: HDU %d: truncated header", name, i)
			}
			for c := off; c < off+2880; c += 80 {
				if string(bytes.TrimRight(b[c:c+8], " ")) == "END" {
					end = c
					break
				}
			}
			off += 2880
		}
		h, err := fits.ParseHeader(b[start : end+80])
		if err != nil {
			t.Fatalf("%s: HDU %d: %v", name, i, err)
		}
		bitpix, _ := h.Int("BITPIX")
		naxis, _ := h.Int("NAXIS")
		n := int64(0)
		var shape []int
		if naxis > 0 {
			n = 1
			for a := 1; a <= int(naxis); a++ {
				v, _ := h.Int(fmt.Sprintf("NAXIS%d", a))
				shape = append(shape, int(v))
				n *= v
			}
		}
		nbytes := int(n) * int(abs64(bitpix)) / 8
		if i == hdu {
			bscale, ok := h.Float("BSCALE")
			if !ok {
				bscale = 1
			}
			bzero, _ := h.Float("BZERO")
			img := fitsImage{shape: shape, f64: make([]float64, n)}
			data := b[off : off+nbytes]
			switch bitpix {
			case 16:
				for j := range img.f64 {
					raw := int16(binary.BigEndian.Uint16(data[2*j:]))
					img.f64[j] = bzero + bscale*float64(raw)
				}
			case -32:
				img.f32 = make([]float32, n)
				for j := range img.f64 {
					v := math.Float32frombits(binary.BigEndian.Uint32(data[4*j:]))
					img.f32[j] = v
					img.f64[j] = float64(v)
				}
			default:
				t.Fatalf("%s: BITPIX %d not supported by the test reader", name, bitpix)
			}
			return img
		}
		off += (nbytes + 2879) / 2880 * 2880
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

type truthFile struct {
	Images []struct {
		File      string `json:"file"`
		HDU       int    `json:"hdu"`
		NFinite   int    `json:"n_finite"`
		NNaN      int    `json:"n_nan"`
		Intervals struct {
			ZScale struct {
				VMin  float64 `json:"vmin"`
				VMax  float64 `json:"vmax"`
				Trace struct {
					NFinite    int `json:"n_finite"`
					Stride     int `json:"stride"`
					NPix       int `json:"npix_samples"`
					MinPix     int `json:"minpix"`
					NGrow      int `json:"ngrow"`
					Iterations []struct {
						Slope     float64 `json:"slope"`
						Intercept float64 `json:"intercept"`
						Threshold float64 `json:"threshold"`
						NGood     int     `json:"ngoodpix_after"`
					} `json:"iterations"`
					SampleMin  float64 `json:"sample_min"`
					SampleMax  float64 `json:"sample_max"`
					Median     float64 `json:"median"`
					FinalSlope float64 `json:"final_slope_over_contrast"`
				} `json:"trace"`
			} `json:"ZScaleInterval"`
			P995   limits `json:"PercentileInterval(99.5)"`
			P90    limits `json:"PercentileInterval(90)"`
			MinMax limits `json:"MinMaxInterval"`
		} `json:"intervals"`
		Samples struct {
			Index []int      `json:"flat_index_c_order"`
			Value []*float64 `json:"value"`
			Norm  []*float64 `json:"normalized_zscale"`
		} `json:"samples"`
		Stretches map[string]struct {
			Samples []*float64 `json:"samples"`
			Mean    float64    `json:"mean_finite"`
			SHA     string     `json:"sha256_f64be_informational"`
		} `json:"stretches_on_norm"`
	} `json:"images"`
	Lupton struct {
		File string `json:"file"`
		HDUR int    `json:"hdu_r"`
		HDUG int    `json:"hdu_g"`
		HDUB int    `json:"hdu_b"`
		Runs []struct {
			Params struct {
				Minimum json.RawMessage `json:"minimum"`
				Stretch float64         `json:"stretch"`
				Q       float64         `json:"Q"`
			} `json:"params"`
			SHA32   string     `json:"sha256_uint8"`
			SHA64   string     `json:"sha256_uint8_float64_inputs"`
			Mean    [3]float64 `json:"mean_per_channel"`
			Hist    [3][16]int `json:"histogram_per_channel_16bins"`
			Samples []struct {
				Row0  int    `json:"row0"`
				Col0  int    `json:"col0"`
				RGB   [3]int `json:"rgb"`
				RGB64 [3]int `json:"rgb_float64_inputs"`
			} `json:"samples"`
		} `json:"runs"`
	} `json:"lupton_rgb"`
}

type limits struct {
	VMin float64 `json:"vmin"`
	VMax float64 `json:"vmax"`
}

func loadTruth(t testing.TB) *truthFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(truthDir, "stretch.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tf truthFile
	if err := json.Unmarshal(b, &tf); err != nil {
		t.Fatal(err)
	}
	if len(tf.Images) == 0 || len(tf.Lupton.Runs) == 0 {
		t.Fatal("truth file has no images or Lupton runs")
	}
	return &tf
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

func TestTruthIntervals(t *testing.T) {
	tf := loadTruth(t)
	for _, im := range tf.Images {
		t.Run(im.File, func(t *testing.T) {
			img := readFITS(t, filepath.Base(im.File), im.HDU)
			data := img.f64
			iv := im.Intervals
			// MinMax and percentiles: exact (≤ 1e-12 relative).
			checks := []struct {
				name string
				iv   Interval
				want limits
			}{
				{"minmax", MinMax{}, iv.MinMax},
				{"p99.5", Percentile{P: 99.5}, iv.P995},
				{"p90", Percentile{P: 90}, iv.P90},
			}
			for _, c := range checks {
				lo, hi := c.iv.Limits(data)
				if relErr(lo, c.want.VMin) > 1e-12 || relErr(hi, c.want.VMax) > 1e-12 {
					t.Errorf("%s: got (%.17g, %.17g), want (%.17g, %.17g)", c.name, lo, hi, c.want.VMin, c.want.VMax)
				}
				// The same through the float64-chunk and float32 paths
				// (the radix selector, not the small-n sort, for chunks).
				half := len(data) / 3
				lo2, hi2 := LimitsChunks(c.iv, data[:half], data[half:])
				if lo2 != lo || hi2 != hi {
					t.Errorf("%s chunks: got (%.17g, %.17g), want (%.17g, %.17g)", c.name, lo2, hi2, lo, hi)
				}
				if img.f32 != nil {
					lo3, hi3 := LimitsF32(c.iv, img.f32[:half], img.f32[half:])
					if lo3 != lo || hi3 != hi {
						t.Errorf("%s f32: got (%.17g, %.17g), want (%.17g, %.17g)", c.name, lo3, hi3, lo, hi)
					}
				}
			}
			// ZScale: limits within 1e-9 of the range, and every trace step.
			zt := iv.ZScale
			lo, hi, tr := ZScale{}.Trace(data)
			rng := zt.VMax - zt.VMin
			t.Logf("zscale: |Δlo|/range %.2g, |Δhi|/range %.2g", math.Abs(lo-zt.VMin)/rng, math.Abs(hi-zt.VMax)/rng)
			if math.Abs(lo-zt.VMin) > 1e-9*rng || math.Abs(hi-zt.VMax) > 1e-9*rng {
				t.Errorf("zscale: got (%.17g, %.17g), want (%.17g, %.17g)", lo, hi, zt.VMin, zt.VMax)
			}
			want := zt.Trace
			if tr.NFinite != want.NFinite || tr.Stride != want.Stride || tr.NSamples != want.NPix ||
				tr.MinPix != want.MinPix || tr.NGrow != want.NGrow {
				t.Errorf("zscale trace counts: got n=%d stride=%d npix=%d minpix=%d ngrow=%d, want %d %d %d %d %d",
					tr.NFinite, tr.Stride, tr.NSamples, tr.MinPix, tr.NGrow,
					want.NFinite, want.Stride, want.NPix, want.MinPix, want.NGrow)
			}
			if tr.SampleMin != want.SampleMin || tr.SampleMax != want.SampleMax || tr.Median != want.Median {
				t.Errorf("zscale samples: got min=%g max=%g median=%g, want %g %g %g",
					tr.SampleMin, tr.SampleMax, tr.Median, want.SampleMin, want.SampleMax, want.Median)
			}
			if len(tr.Iterations) != len(want.Iterations) {
				t.Fatalf("zscale: %d iterations, want %d", len(tr.Iterations), len(want.Iterations))
			}
			for k, w := range want.Iterations {
				g := tr.Iterations[k]
				// slope·npix and the intercept are in data units: compare them
				// to the data range of the samples, like the limits.
				srange := want.SampleMax - want.SampleMin
				if math.Abs(g.Slope-w.Slope)*float64(want.NPix) > 1e-9*srange ||
					math.Abs(g.Intercept-w.Intercept) > 1e-9*srange ||
					math.Abs(g.Threshold-w.Threshold) > 1e-9*srange || g.NGoodAfter != w.NGood {
					t.Errorf("zscale iteration %d: got %+v, want %+v", k, g, w)
				}
			}
			if !tr.Fitted || relErr(tr.SlopeOverContrast, want.FinalSlope) > 1e-9 {
				t.Errorf("zscale final slope: got %v %.17g, want %.17g", tr.Fitted, tr.SlopeOverContrast, want.FinalSlope)
			}
			// Streaming float32 path gives the same limits.
			if img.f32 != nil {
				l2, h2 := LimitsF32(ZScale{}, img.f32[:100], img.f32[100:])
				if l2 != lo || h2 != hi {
					t.Errorf("zscale f32 chunks: got (%g, %g), want (%g, %g)", l2, h2, lo, hi)
				}
			}
			// Samples: values and normalisation.
			for k, idx := range im.Samples.Index {
				v := data[idx]
				if w := im.Samples.Value[k]; (w == nil) != math.IsNaN(v) || (w != nil && *w != v) {
					t.Errorf("sample %d (index %d): value %g, want %v", k, idx, v, w)
				}
			}
		})
	}
}

// meanFinite is the mean of the finite values with compensated summation
// (numpy's pairwise sum agrees with it far below the tolerance).
func meanFinite(v []float64) float64 {
	var s, c float64
	n := 0
	for _, x := range v {
		if x-x != 0 {
			continue
		}
		n++
		t := s + x
		if math.Abs(s) >= math.Abs(x) {
			c += (s - t) + x
		} else {
			c += (x - t) + s
		}
		s = t
	}
	return (s + c) / float64(n)
}

func TestTruthStretches(t *testing.T) {
	tf := loadTruth(t)
	for _, im := range tf.Images {
		t.Run(im.File, func(t *testing.T) {
			img := readFITS(t, filepath.Base(im.File), im.HDU)
			zl, zh := im.Intervals.ZScale.VMin, im.Intervals.ZScale.VMax
			norm := make([]float64, len(img.f64))
			for i, v := range img.f64 {
				// astropy: (v - vmin) / (vmax - vmin), clipped; NaN stays NaN.
				norm[i] = clip01((v - zl) / (zh - zl))
			}
			for k, idx := range im.Samples.Index {
				w := im.Samples.Norm[k]
				if (w == nil) != math.IsNaN(norm[idx]) || (w != nil && math.Abs(*w-norm[idx]) > 1e-15) {
					t.Errorf("normalised sample %d: %g, want %v", k, norm[idx], w)
				}
			}
			he, err := NewHistEq(norm)
			if err != nil {
				t.Fatal(err)
			}
			stretches := map[string]Stretch{
				"LinearStretch()":                 Linear{},
				"SqrtStretch()":                   Sqrt{},
				"LogStretch(a=1000)":              Log{},
				"AsinhStretch(a=0.1)":             Asinh{},
				"PowerStretch(a=2)":               Power{A: 2},
				"SinhStretch(a=1/3)":              Sinh{},
				"SquaredStretch()":                Squared{},
				"HistEqStretch(normalized image)": he,
			}
			if len(im.Stretches) != len(stretches) {
				t.Fatalf("truth has %d stretches, test knows %d", len(im.Stretches), len(stretches))
			}
			for name, want := range im.Stretches {
				s, ok := stretches[name]
				if !ok {
					t.Fatalf("no stretch for %q", name)
				}
				out := make([]float64, len(norm))
				for i, x := range norm {
					out[i] = s.Apply(x)
				}
				maxErr := 0.0
				for k, idx := range im.Samples.Index {
					w := want.Samples[k]
					g := out[idx]
					if (w == nil) != math.IsNaN(g) {
						t.Errorf("%s sample %d: got %g, want %v", name, k, g, w)
						continue
					}
					if w != nil {
						maxErr = math.Max(maxErr, math.Abs(g-*w))
					}
				}
				if maxErr > 1e-12 {
					t.Errorf("%s: max sample error %.3g > 1e-12", name, maxErr)
				}
				m := meanFinite(out)
				if math.Abs(m-want.Mean) > 1e-12 {
					t.Errorf("%s: mean %.17g, want %.17g (diff %.3g)", name, m, want.Mean, m-want.Mean)
				}
				be := make([]byte, 8*len(out))
				for i, v := range out {
					binary.BigEndian.PutUint64(be[8*i:], math.Float64bits(v))
				}
				sum := sha256.Sum256(be)
				t.Logf("%s: max sample error %.2g, mean error %.2g, whole output bit-identical (sha256): %v",
					name, maxErr, math.Abs(m-want.Mean), hex.EncodeToString(sum[:]) == want.SHA)
			}
		})
	}
}

func TestTruthLupton(t *testing.T) {
	tf := loadTruth(t)
	lt := tf.Lupton
	name := filepath.Base(lt.File)
	r := readFITS(t, name, lt.HDUR)
	g := readFITS(t, name, lt.HDUG)
	b := readFITS(t, name, lt.HDUB)
	nx := r.shape[0]
	npix := len(r.f64)
	for ri, run := range lt.Runs {
		var mins [3]float64
		var one float64
		if err := json.Unmarshal(run.Params.Minimum, &one); err == nil {
			mins = [3]float64{one, one, one}
		} else if err := json.Unmarshal(run.Params.Minimum, &mins); err != nil {
			t.Fatalf("run %d: minimum: %v", ri, err)
		}
		out32, err := LuptonRGB32(r.f32, g.f32, b.f32, mins, run.Params.Stretch, run.Params.Q)
		if err != nil {
			t.Fatal(err)
		}
		out64, err := LuptonRGB64(r.f64, g.f64, b.f64, mins, run.Params.Stretch, run.Params.Q)
		if err != nil {
			t.Fatal(err)
		}
		if mins[0] == mins[1] && mins[1] == mins[2] {
			if o := LuptonRGB(r.f64, g.f64, b.f64, mins[0], run.Params.Stretch, run.Params.Q); !bytes.Equal(o, out64) {
				t.Errorf("run %d: LuptonRGB differs from LuptonRGB64", ri)
			}
		}
		for _, variant := range []struct {
			name string
			out  []uint8
			f64  bool
		}{{"float32", out32, false}, {"float64", out64, true}} {
			exact, off1 := 0, 0
			for _, s := range run.Samples {
				p := s.Row0*nx + s.Col0
				want := s.RGB
				if variant.f64 {
					want = s.RGB64
				}
				for k := 0; k < 3; k++ {
					d := int(variant.out[3*p+k]) - want[k]
					switch {
					case d == 0:
						exact++
					case d == 1 || d == -1:
						off1++
					default:
						t.Errorf("run %d %s: pixel (%d,%d) channel %d = %d, want %d", ri, variant.name, s.Row0, s.Col0, k, variant.out[3*p+k], want[k])
					}
				}
			}
			var sum [3]float64
			var hist [3][16]int
			for i := 0; i < npix; i++ {
				for k := 0; k < 3; k++ {
					v := variant.out[3*i+k]
					sum[k] += float64(v)
					hist[k][v/16]++
				}
			}
			for k := 0; k < 3; k++ {
				if m := sum[k] / float64(npix); math.Abs(m-run.Mean[k]) > 0.05 {
					t.Errorf("run %d %s: channel %d mean %.4f, want %.4f", ri, variant.name, k, m, run.Mean[k])
				}
				for bin := 0; bin < 16; bin++ {
					if d := hist[k][bin] - run.Hist[k][bin]; math.Abs(float64(d)) > 0.005*float64(npix) {
						t.Errorf("run %d %s: channel %d bin %d has %d, want %d", ri, variant.name, k, bin, hist[k][bin], run.Hist[k][bin])
					}
				}
			}
			sum256 := sha256.Sum256(variant.out)
			wantSHA := run.SHA32
			if variant.f64 {
				wantSHA = run.SHA64
			}
			t.Logf("run %d %s: %d channel samples exact, %d off by 1; whole image bit-identical to astropy (sha256): %v",
				ri, variant.name, exact, off1, hex.EncodeToString(sum256[:]) == wantSHA)
		}
	}
}
