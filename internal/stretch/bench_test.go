package stretch

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

const benchPixels = 4096 * 4096 // 16 M

// benchImage is a 16 M-pixel float32 image: sky noise, a gradient, sources
// and 1 % NaN, built once.
var benchImage = sync.OnceValue(func() []float32 {
	r := rand.New(rand.NewPCG(7, 8))
	img := make([]float32, benchPixels)
	for i := range img {
		x := float64(i%4096) / 4096
		v := 1000 + 50*x + 10*r.NormFloat64()
		if r.IntN(1000) == 0 {
			v += 5000 * r.Float64()
		}
		if r.IntN(100) == 0 {
			v = math.NaN()
		}
		img[i] = float32(v)
	}
	return img
})

func BenchmarkZScale16M(b *testing.B) {
	img := benchImage()
	b.SetBytes(int64(4 * len(img)))
	for b.Loop() {
		lo, hi := ZScale{}.LimitsF32(img)
		if !(lo < hi) {
			b.Fatal(lo, hi)
		}
	}
}

// BenchmarkZScaleCounted16M is ZScale with the finite values counted
// beforehand (as fits.Image.FiniteCounts gives them): only the sampling pass.
func BenchmarkZScaleCounted16M(b *testing.B) {
	img := benchImage()
	const block = 512
	counts := make([]int32, (len(img)+block-1)/block)
	for i, v := range img {
		if v-v == 0 {
			counts[i/block]++
		}
	}
	b.SetBytes(int64(4 * len(img)))
	for b.Loop() {
		lo, hi := ZScale{}.LimitsF32Counted(img, block, counts)
		if !(lo < hi) {
			b.Fatal(lo, hi)
		}
	}
}

func BenchmarkPercentile995_16M(b *testing.B) {
	img := benchImage()
	b.SetBytes(int64(4 * len(img)))
	for b.Loop() {
		lo, hi := Percentile{P: 99.5}.LimitsF32(img)
		if !(lo < hi) {
			b.Fatal(lo, hi)
		}
	}
}

func BenchmarkMinMax16M(b *testing.B) {
	img := benchImage()
	b.SetBytes(int64(4 * len(img)))
	for b.Loop() {
		MinMax{}.LimitsF32(img)
	}
}

func benchColorize(b *testing.B, p Params) {
	img := benchImage()
	z, err := p.Compile()
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]uint8, 4*len(img))
	b.SetBytes(int64(4 * len(img)))
	for b.Loop() {
		if err := z.ColorizeF32(dst, img); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApply16M_LinearGrey(b *testing.B) {
	benchColorize(b, Params{Lo: 950, Hi: 1100})
}

func BenchmarkApply16M_AsinhViridisContrast(b *testing.B) {
	benchColorize(b, Params{Lo: 950, Hi: 1100, Kind: KindAsinh, Colormap: "viridis", Contrast: 1.5, Bias: 0.4})
}

func BenchmarkApply16M_Log(b *testing.B) {
	benchColorize(b, Params{Lo: 950, Hi: 1100, Kind: KindLog, Colormap: "heat"})
}

func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := (Params{Lo: 0, Hi: 1, Kind: KindAsinh, Colormap: "viridis"}).Compile(); err != nil {
			b.Fatal(err)
		}
	}
}
