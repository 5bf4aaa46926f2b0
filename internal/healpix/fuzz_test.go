package healpix

import (
	"bytes"
	"math"
	"os"
	"testing"
)

// Fuzz targets: every exported function taking input must not panic or hang
// for any float (NaN, ±Inf, huge), any order and any pixel index, and must
// give the documented invalid-input results.

var fuzzFloats = []float64{0, math.Copysign(0, -1), 1, -1, 90, -90, 180, 359.9999999999, 360, -360, 1e300, -1e300, 5e-324,
	math.NaN(), math.Inf(1), math.Inf(-1), 41.810314895778596, -41.810314895778596, 45, 89.99999999}

func addOrderPix(f *testing.F) {
	for _, o := range []int{-1, 0, 1, 3, 13, 28, 29, 30, 1 << 30} {
		for _, p := range []int64{-1, 0, 1, 47, 767, 1 << 40, 12<<58 - 1, math.MaxInt64, math.MinInt64} {
			f.Add(o, p)
		}
	}
}

func validOrderPix(o int, p int64) bool { return o >= 0 && o <= 29 && p >= 0 && p < 12<<(2*uint(o)) }

func FuzzAngToNest(f *testing.F) {
	for i, x := range fuzzFloats {
		f.Add(i%31, x, fuzzFloats[(i*7)%len(fuzzFloats)])
	}
	f.Fuzz(func(t *testing.T, order int, lon, lat float64) {
		p := AngToNest(order, lon, lat)
		valid := order >= 0 && order <= 29 && !math.IsNaN(lon) && !math.IsInf(lon, 0) && lat >= -90 && lat <= 90
		if !valid {
			if p != -1 {
				t.Fatalf("invalid input gave %d", p)
			}
			return
		}
		if p < 0 || p >= Npix(order) {
			t.Fatalf("AngToNest(%d, %v, %v) = %d out of range", order, lon, lat, p)
		}
		if r := AngToRing(order, lon, lat); r != NestToRing(order, p) {
			t.Fatalf("AngToRing = %d, NestToRing(AngToNest) = %d", r, NestToRing(order, p))
		}
	})
}

func FuzzAngToRing(f *testing.F) {
	for i, x := range fuzzFloats {
		f.Add(i%31, x, fuzzFloats[(i*3)%len(fuzzFloats)])
	}
	f.Fuzz(func(t *testing.T, order int, lon, lat float64) {
		p := AngToRing(order, lon, lat)
		valid := order >= 0 && order <= 29 && !math.IsNaN(lon) && !math.IsInf(lon, 0) && lat >= -90 && lat <= 90
		if valid != (p >= 0 && p < Npix(order)) || (!valid && p != -1) {
			t.Fatalf("AngToRing(%d, %v, %v) = %d (valid input: %v)", order, lon, lat, p, valid)
		}
	})
}

func checkCentre(t *testing.T, order int, p int64, lon, lat float64, nest bool) {
	if !validOrderPix(order, p) {
		if !math.IsNaN(lon) || !math.IsNaN(lat) {
			t.Fatalf("invalid (%d, %d) gave (%v, %v)", order, p, lon, lat)
		}
		return
	}
	if !(lon >= 0 && lon < 360 && lat >= -90 && lat <= 90) {
		t.Fatalf("centre of %d/%d = (%v, %v) out of range", order, p, lon, lat)
	}
	back := AngToRing(order, lon, lat)
	if nest {
		back = AngToNest(order, lon, lat)
	}
	if back != p {
		t.Fatalf("centre of %d/%d hashes to %d", order, p, back)
	}
}

func FuzzNestToAng(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		lon, lat := NestToAng(order, p)
		checkCentre(t, order, p, lon, lat, true)
	})
}

func FuzzRingToAng(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		lon, lat := RingToAng(order, p)
		checkCentre(t, order, p, lon, lat, false)
	})
}

func FuzzNestToRing(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		r := NestToRing(order, p)
		if !validOrderPix(order, p) {
			if r != -1 {
				t.Fatalf("invalid gave %d", r)
			}
			return
		}
		if back := RingToNest(order, r); back != p {
			t.Fatalf("RingToNest(NestToRing(%d)) = %d", p, back)
		}
	})
}

func FuzzRingToNest(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		n := RingToNest(order, p)
		if !validOrderPix(order, p) {
			if n != -1 {
				t.Fatalf("invalid gave %d", n)
			}
			return
		}
		if back := NestToRing(order, n); back != p {
			t.Fatalf("NestToRing(RingToNest(%d)) = %d", p, back)
		}
	})
}

func FuzzNestCorners(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		c := NestCorners(order, p)
		for _, v := range c {
			if validOrderPix(order, p) != !math.IsNaN(v[0]+v[1]) {
				t.Fatalf("corners of (%d, %d) = %v", order, p, c)
			}
		}
	})
}

func FuzzNestNeighbours(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		nb := NestNeighbours(order, p)
		missing := 0
		for _, q := range nb {
			if q == -1 {
				missing++
				continue
			}
			if !validOrderPix(order, q) {
				t.Fatalf("neighbour %d of %d/%d invalid", q, order, p)
			}
			found := false
			for _, r := range NestNeighbours(order, q) {
				found = found || r == p
			}
			if !found && order > 0 {
				t.Fatalf("neighbour relation not symmetric: %d/%d -> %d", order, p, q)
			}
		}
		if !validOrderPix(order, p) && missing != 8 || validOrderPix(order, p) && missing > 1 && !(order == 0 && missing == 2) {
			t.Fatalf("%d/%d: %d missing neighbours", order, p, missing)
		}
	})
}

func FuzzNestUVToAng(f *testing.F) {
	for _, o := range []int{-1, 0, 5, 29} {
		for _, u := range fuzzFloats[:8] {
			f.Add(o, int64(7), u, 0.5)
		}
	}
	f.Add(3, int64(100), math.NaN(), math.Inf(1))
	f.Fuzz(func(t *testing.T, order int, p int64, u, v float64) {
		lon, lat := NestUVToAng(order, p, u, v)
		vec := NestUVToVec(order, p, u, v)
		if math.IsNaN(lon) != math.IsNaN(vec[0]) {
			t.Fatalf("NestUVToAng and NestUVToVec disagree on validity")
		}
		if math.IsNaN(lon) {
			return
		}
		if !(lon >= 0 && lon < 360 && lat >= -90 && lat <= 90) || math.Abs(vlen(vec)-1) > 1e-12 {
			t.Fatalf("(%d,%d,%v,%v) = (%v, %v) %v", order, p, u, v, lon, lat, vec)
		}
		if u > 0.001 && u < 0.999 && v > 0.001 && v < 0.999 && order < 25 {
			if q := AngToNest(order, lon, lat); q != p {
				t.Fatalf("interior point (%v,%v) of %d/%d hashes to %d", u, v, order, p, q)
			}
		}
	})
}

func FuzzQueryDisc(f *testing.F) {
	f.Add(3, 10.0, 20.0, 5.0, true)
	f.Add(29, 0.0, 90.0, 1e-9, false)
	f.Add(10, math.NaN(), 0.0, 1.0, true)
	f.Add(5, 0.0, 0.0, math.Inf(1), false)
	f.Add(29, 0.0, 0.0, 10.0, true)
	f.Add(-3, 0.0, 0.0, 1.0, false)
	f.Fuzz(func(t *testing.T, order int, lon, lat, r float64, incl bool) {
		if order > 14 && r > 1e-4 {
			r = math.Mod(r, 1e-4) // keep fuzzing fast at deep orders
		}
		p := QueryDisc(order, lon, lat, r, incl)
		var n int64
		for _, g := range QueryDiscRanges(order, lon, lat, r, incl) {
			n += g.Stop - g.Start
		}
		if p != nil && n != int64(len(p)) {
			t.Fatalf("QueryDiscRanges covers %d pixels, QueryDisc returned %d", n, len(p))
		}
		for i := 1; i < len(p); i++ {
			if p[i] <= p[i-1] {
				t.Fatal("not strictly increasing")
			}
		}
		if len(p) > 0 && (p[0] < 0 || p[len(p)-1] >= Npix(order)) {
			t.Fatal("pixel out of range")
		}
	})
}

func FuzzQueryPolygon(f *testing.F) {
	f.Add(3, 30.0, 10.0, 66.6, 10.0, 48.3, 46.6, 40.0, 30.0, true)
	f.Add(10, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, false)
	f.Add(29, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, false)
	f.Add(4, math.NaN(), 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, true)
	f.Add(2, 0.0, 0.0, 180.0, 0.0, 90.0, 89.0, 270.0, -89.0, true)
	f.Fuzz(func(t *testing.T, order int, a, b, c, d, e, g, h, k float64, incl bool) {
		verts := [][2]float64{{a, b}, {c, d}, {e, g}, {h, k}}
		for _, n := range []int{3, 4} {
			p := QueryPolygon(min(order, 12), verts[:n], incl)
			var cnt int64
			for _, g := range QueryPolygonRanges(min(order, 12), verts[:n], incl) {
				cnt += g.Stop - g.Start
			}
			if p != nil && cnt != int64(len(p)) {
				t.Fatalf("QueryPolygonRanges covers %d pixels, QueryPolygon returned %d", cnt, len(p))
			}
			for i := 1; i < len(p); i++ {
				if p[i] <= p[i-1] {
					t.Fatal("not strictly increasing")
				}
			}
		}
	})
}

func FuzzTileSubpixel(f *testing.F) {
	f.Add(3, int64(450), 512, 0, 511)
	f.Add(29, int64(0), 2, 1, 1)
	f.Add(0, int64(11), 0, 0, 0)
	f.Add(3, int64(-1), 3, -1, 1<<40)
	f.Fuzz(func(t *testing.T, order int, p int64, width, col, row int) {
		sub := TileSubpixel(order, p, width, col, row)
		if sub == -1 {
			return
		}
		c, r := SubpixelTile(order, p, width, sub)
		if c != col || r != row {
			t.Fatalf("round trip (%d,%d) -> %d -> (%d,%d)", col, row, sub, c, r)
		}
	})
}

func FuzzSubpixelTile(f *testing.F) {
	f.Add(3, int64(450), 512, int64(450*512*512+77))
	f.Add(3, int64(450), 512, int64(-5))
	f.Add(28, int64(3), 4, int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, order int, p int64, width int, sub int64) {
		c, r := SubpixelTile(order, p, width, sub)
		if c == -1 && r == -1 {
			return
		}
		if back := TileSubpixel(order, p, width, c, r); back != sub {
			t.Fatalf("round trip %d -> (%d,%d) -> %d", sub, c, r, back)
		}
	})
}

func FuzzFXY(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		face, x, y := NestToFXY(order, p)
		if face == -1 {
			if validOrderPix(order, p) {
				t.Fatal("valid pixel rejected")
			}
			return
		}
		if back := FXYToNest(order, face, x, y); back != p {
			t.Fatalf("FXYToNest(NestToFXY(%d)) = %d", p, back)
		}
		if FXYToNest(order, face, x, -1) != -1 || FXYToNest(order, 12, x, y) != -1 {
			t.Fatal("invalid FXY accepted")
		}
	})
}

func FuzzParentChildren(f *testing.F) {
	addOrderPix(f)
	f.Fuzz(func(t *testing.T, order int, p int64) {
		ns, np := Nside(order), Npix(order)
		if (ns == -1) != (np == -1) {
			t.Fatal("Nside/Npix disagree on validity")
		}
		ch := Children(order, p)
		if ch[0] != -1 {
			for _, c := range ch {
				if Parent(order+1, c) != p {
					t.Fatalf("Parent(Children(%d)) != %d", p, p)
				}
			}
		} else if validOrderPix(order, p) && order < 29 {
			t.Fatal("valid pixel has no children")
		}
		if q := Parent(order, p); q != -1 && !validOrderPix(order-1, q) {
			t.Fatal("invalid parent")
		}
	})
}

func FuzzReadMOC(f *testing.F) {
	for _, name := range []string{"mellinger-Moc.fits", "dirbe60-Moc.fits", "ngc1316-Moc.fits"} {
		b, err := os.ReadFile("../../testdata/healpix/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(buildMOC("1K", []string{"ORDERING= 'RANGE'"}, []int64{0, 100}))
	f.Add(buildMOC("1J", nil, []int64{4, 5, 1 << 30}))
	f.Add([]byte("SIMPLE  =                    T"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadMOC(bytes.NewReader(data))
		if err != nil {
			return
		}
		fr := m.SkyFraction()
		if !(fr >= 0 && fr <= 1) || m.MaxOrder() < 0 || m.MaxOrder() > 29 {
			t.Fatalf("fraction %v order %d", fr, m.MaxOrder())
		}
		for p := int64(0); p < 12; p++ {
			if m.FullyContains(0, p) && !m.Contains(0, p) {
				t.Fatal("FullyContains without Contains")
			}
		}
		_ = m.ContainsAng(10, 10)
	})
}
