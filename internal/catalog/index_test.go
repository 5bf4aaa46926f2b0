package catalog

import (
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/skyglass/skyglass/internal/sky"
)

func TestIndex(t *testing.T) {
	tab := readFile(t, "hipparcos_stars.csv")
	ra, dec, err := Positions(tab)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex(ra, dec, 8)
	if err != nil || ix.Len() != len(ra) {
		t.Fatalf("%v %d", err, ix.Len())
	}
	r := rand.New(rand.NewSource(3))
	queries := [][3]float64{{0, 90, 2}, {0, -90, 1}, {359.99, 0, 0.5}, {0.001, 1.089, 0.01}, {180, 30, 15}}
	for k := 0; k < 20; k++ {
		queries = append(queries, [3]float64{r.Float64() * 360, math.Asin(2*r.Float64()-1) * 180 / math.Pi, r.Float64() * 3})
	}
	for _, q := range queries {
		got := ix.Cone(q[0], q[1], q[2])
		var want []int32
		best, bestD := -1, math.Inf(1)
		for i := range ra {
			d := sky.Separation(q[0], q[1], ra[i], dec[i])
			if d <= q[2] {
				want = append(want, int32(i))
				if d < bestD {
					best, bestD = i, d
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("cone %v: %d rows, brute force %d", q, len(got), len(want))
		}
		row, d := ix.Nearest(q[0], q[1], q[2])
		if row != best || (best >= 0 && d != bestD) {
			t.Errorf("nearest %v: %d %v, brute force %d %v", q, row, d, best, bestD)
		}
	}
	pix, counts := ix.Counts(3)
	total := 0
	for i, c := range counts {
		total += int(c)
		if i > 0 && pix[i] <= pix[i-1] {
			t.Fatal("pixels not sorted")
		}
	}
	if total != len(ra) {
		t.Errorf("counts sum %d, want %d", total, len(ra))
	}
	if _, err := NewIndex(ra, dec[:1], 8); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := NewIndex(ra, dec, 30); err == nil {
		t.Error("order 30 accepted")
	}
}

func BenchmarkIndexHipparcos(b *testing.B) {
	tab := readFile(b, "hipparcos_stars.csv")
	ra, dec, err := Positions(tab)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := NewIndex(ra, dec, 10); err != nil {
				b.Fatal(err)
			}
		}
	})
	ix, _ := NewIndex(ra, dec, 10)
	b.Run("nearest", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix.Nearest(float64(i%360), 10, 0.5)
		}
	})
}
