package healpix

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
)

func lonLatVec(lon, lat float64) [3]float64 {
	sl, cl := math.Sincos(lat * deg2rad)
	so, co := math.Sincos(lon * deg2rad)
	return [3]float64{cl * co, cl * so, sl}
}

// destination returns the point at angular distance d (deg) and bearing az
// (deg) from (lon, lat).
func destination(lon, lat, d, az float64) (float64, float64) {
	p1, l1, dr, a := lat*deg2rad, lon*deg2rad, d*deg2rad, az*deg2rad
	p2 := math.Asin(math.Sin(p1)*math.Cos(dr) + math.Cos(p1)*math.Sin(dr)*math.Cos(a))
	l2 := l1 + math.Atan2(math.Sin(a)*math.Sin(dr)*math.Cos(p1), math.Cos(dr)-math.Sin(p1)*math.Sin(p2))
	lon2 := math.Mod(l2*rad2deg+720, 360)
	return lon2, p2 * rad2deg
}

// boundarySamples returns n points per edge along the boundary of a pixel.
func boundarySamples(order int, pix int64, n int) [][2]float64 {
	var out [][2]float64
	for i := 0; i < n; i++ {
		f := float64(i) / float64(n)
		for _, uv := range [][2]float64{{f, 0}, {1, f}, {1 - f, 1}, {0, 1 - f}} {
			lon, lat := NestUVToAng(order, pix, uv[0], uv[1])
			out = append(out, [2]float64{lon, lat})
		}
	}
	return out
}

// checkInclusive verifies that every pixel of `candidates` that overlaps
// the region (a boundary sample inside, or one of the `inner` points in the
// pixel) is in the inclusive set.
func checkInclusive(t *testing.T, what string, order int, incl, candidates []int64, inside func(lon, lat float64) bool, inner [][2]float64) {
	t.Helper()
	in := map[int64]bool{}
	for _, p := range incl {
		in[p] = true
	}
	for _, q := range inner {
		if p := AngToNest(order, q[0], q[1]); !in[p] {
			t.Errorf("%s: pixel %d/%d contains point %v of the region but is not in the inclusive set", what, order, p, q)
		}
	}
	for _, p := range candidates {
		if in[p] {
			continue
		}
		for _, s := range boundarySamples(order, p, 48) {
			if inside(s[0], s[1]) {
				t.Errorf("%s: pixel %d/%d overlaps (boundary point %v inside) but is not in the inclusive set", what, order, p, s)
				break
			}
		}
	}
}

// propertyCases returns how many random shapes the property tests draw
// (HEALPIX_PROPERTY_N overrides the default for longer local runs) and the
// range of orders.
func propertyCases() (n, maxOrder int) {
	n, maxOrder = 60, 7
	if v, err := strconv.Atoi(os.Getenv("HEALPIX_PROPERTY_N")); err == nil && v > 0 {
		n, maxOrder = v, 13
	}
	return n, maxOrder
}

func TestInclusiveDiscProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	nCases, maxO := propertyCases()
	for i := range nCases {
		order := 2 + rng.IntN(maxO-1)
		lon := rng.Float64() * 360
		lat := math.Asin(2*rng.Float64()-1) * rad2deg
		if i%10 == 0 {
			lat = 90 - rng.Float64()*3 // near the pole
		}
		pixSize := maxPixRad(order) * rad2deg
		r := pixSize * (0.1 + 8*rng.Float64())
		incl := QueryDisc(order, lon, lat, r, true)
		exact := QueryDisc(order, lon, lat, r, false)
		if len(missing(exact, incl)) > 0 {
			t.Errorf("disc %d: inclusive set misses exact pixels", i)
		}
		if !slices.IsSorted(incl) {
			t.Errorf("disc %d: inclusive set not sorted", i)
		}
		cand := QueryDisc(order, lon, lat, r+3*pixSize, false)
		c := lonLatVec(lon, lat)
		cosr := math.Cos(r * deg2rad)
		inside := func(lo, la float64) bool { return dot(lonLatVec(lo, la), c) >= cosr }
		checkInclusive(t, "disc", order, incl, cand, inside, [][2]float64{{lon, lat}})
	}
}

func TestInclusivePolygonProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	nCases, maxO := propertyCases()
	for i := range nCases {
		order := 2 + rng.IntN(maxO-1)
		lon := rng.Float64() * 360
		lat := math.Asin(2*rng.Float64()-1) * rad2deg
		if i%10 == 0 {
			lat = -90 + rng.Float64()*3
		}
		pixSize := maxPixRad(order) * rad2deg
		r := pixSize * (0.2 + 8*rng.Float64())
		nv := 3 + rng.IntN(4)
		az := make([]float64, nv)
		for k := range az {
			az[k] = rng.Float64() * 360
		}
		slices.Sort(az)
		var verts [][2]float64
		for k := range az {
			if k > 0 && az[k]-az[k-1] < 5 {
				continue
			}
			lo, la := destination(lon, lat, r, az[k])
			verts = append(verts, [2]float64{lo, la})
		}
		if len(verts) < 3 {
			continue
		}
		incl := QueryPolygon(order, verts, true)
		exact := QueryPolygon(order, verts, false)
		if incl == nil {
			t.Fatalf("polygon %d %v rejected", i, verts)
		}
		if len(missing(exact, incl)) > 0 {
			t.Errorf("polygon %d: inclusive set misses exact pixels", i)
		}
		_, normals, _ := polygonNormals(verts)
		inside := func(lo, la float64) bool {
			v := lonLatVec(lo, la)
			for _, n := range normals {
				if dot(v, n) < 0 {
					return false
				}
			}
			return true
		}
		cand := QueryDisc(order, lon, lat, r+3*pixSize, false)
		checkInclusive(t, "polygon", order, incl, cand, inside, verts)
	}
}

// TestAngToNestFastPathAgrees checks that the fast-trigonometry path of
// AngToNest/AngToRing always returns what correctly rounded trigonometry
// gives, on random points and on points lying exactly on pixel edges and
// corners (where the fast path must detect the ambiguity and fall back).
func TestAngToNestFastPathAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	var pts [][2]float64
	for range 2000 {
		pts = append(pts, [2]float64{rng.Float64() * 360, math.Asin(2*rng.Float64()-1) * rad2deg})
	}
	for range 2000 {
		o := rng.IntN(12)
		p := rng.Int64N(Npix(o))
		u, v := float64(rng.IntN(3))/2, float64(rng.IntN(3))/2
		lon, lat := NestUVToAng(o, p, u, v)
		pts = append(pts, [2]float64{lon, lat})
	}
	for _, q := range pts {
		for _, order := range []int{0, 1, 5, 11, 20, 29} {
			z, phi, sth, have, _ := lonLatToLoc(q[0], q[1])
			wn, _ := loc2nest(order, z, phi, sth, have, 0)
			wr, _ := loc2ring(order, z, phi, sth, have, 0)
			if n, r := AngToNest(order, q[0], q[1]), AngToRing(order, q[0], q[1]); n != wn || r != wr {
				t.Fatalf("(%v,%v) order %d: fast %d/%d, accurate %d/%d", q[0], q[1], order, n, r, wn, wr)
			}
		}
	}
}

// TestExactQueriesBruteForce compares the inclusive=false sets with a brute
// force test of every pixel centre (independent of the hierarchical
// descent); only centres within 1e-12 of the boundary may differ.
func TestExactQueriesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 4))
	for i := range 40 {
		order := 1 + rng.IntN(5)
		lon := rng.Float64() * 360
		lat := math.Asin(2*rng.Float64()-1) * rad2deg
		r := 0.5 + rng.Float64()*40
		var verts [][2]float64
		for k := range 3 + rng.IntN(3) {
			lo, la := destination(lon, lat, r, float64(k)*360/5+rng.Float64()*30)
			verts = append(verts, [2]float64{lo, la})
		}
		disc := QueryDisc(order, lon, lat, r, false)
		poly := QueryPolygon(order, verts, false)
		_, normals, ok := polygonNormals(verts)
		if !ok {
			t.Fatalf("polygon %v rejected", verts)
		}
		c := lonLatVec(lon, lat)
		cosr := math.Cos(r * deg2rad)
		inDisc, inPoly := map[int64]bool{}, map[int64]bool{}
		for _, p := range disc {
			inDisc[p] = true
		}
		for _, p := range poly {
			inPoly[p] = true
		}
		for p := int64(0); p < Npix(order); p++ {
			v := nestVecAcc(order, p)
			d := dot(v, c) - cosr
			if (d > 0) != inDisc[p] && math.Abs(d) > 1e-12 {
				t.Errorf("disc %d: pixel %d/%d centre inside=%v but in set=%v", i, order, p, d > 0, inDisc[p])
			}
			minD := math.Inf(1)
			for _, n := range normals {
				minD = math.Min(minD, dot(v, n))
			}
			if (minD > 0) != inPoly[p] && math.Abs(minD) > 1e-12 {
				t.Errorf("polygon %d: pixel %d/%d centre inside=%v but in set=%v", i, order, p, minD > 0, inPoly[p])
			}
		}
	}
}
