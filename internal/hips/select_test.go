package hips

import (
	"math"
	"testing"

	"github.com/skyglass/skyglass/internal/healpix"
)

func TestTilePixelSize(t *testing.T) {
	// HiPS 1.0 table: 512-pixel tiles, order 0 -> 6.871', order 3 -> 51.53".
	if s := TilePixelSize(0, 512) * 60; math.Abs(s-6.871) > 0.001 {
		t.Errorf("order 0: %v arcmin", s)
	}
	if s := TilePixelSize(3, 512) * 3600; math.Abs(s-51.53) > 0.01 {
		t.Errorf("order 3: %v arcsec", s)
	}
	// hips_pixel_scale of the test HiPS.
	if s := TilePixelSize(6, 512); math.Abs(s-0.001789) > 1e-6 {
		t.Errorf("ngc1316: %v", s)
	}
	if s := TilePixelSize(3, 32); math.Abs(s-0.229) > 1e-3 {
		t.Errorf("dirbe60: %v", s)
	}
}

func TestViewOrder(t *testing.T) {
	cases := []struct {
		pix, dpr        float64
		width, min, max int
		want            int
	}{
		{1.0 / 3600, 1, 512, 0, 20, 9},  // 0.805" ≤ 1" < 1.61"
		{1.0 / 3600, 2, 512, 0, 20, 10}, // device pixel 0.5"
		{1.0 / 3600, 1, 512, 0, 6, 6},   // clamped to hips_order
		{10, 1, 512, 3, 9, 3},           // coarse view: hips_order_min
		{0.229, 1, 32, 0, 3, 3},         // exactly the dirbe60 pixel
		{0.2291, 0, 32, 0, 3, 3},        // dpr 0 counts as 1
		{0.5, 1, 32, 0, 3, 2},           // order 2 pixels are 0.458°
		{math.NaN(), 1, 512, 0, 9, 9},
		{math.Inf(1), 1, 512, 2, 9, 2},
	}
	for _, c := range cases {
		if got := ViewOrder(c.pix, c.dpr, c.width, c.min, c.max); got != c.want {
			t.Errorf("ViewOrder(%v, %v, %d, %d, %d) = %d, want %d", c.pix, c.dpr, c.width, c.min, c.max, got, c.want)
		}
	}
}

type setCoverage map[int64]bool

func (s setCoverage) Contains(order int, p int64) bool { return s[p] }

func TestVisibleTiles(t *testing.T) {
	all := VisibleTiles(View{Radius: 180}, 3, nil)
	if len(all) != 768 {
		t.Fatalf("whole sky: %d tiles", len(all))
	}
	v := View{Center: [2]float64{50.68846, -37.20245}, Radius: 2}
	ts := VisibleTiles(v, 6, nil)
	if len(ts) == 0 || ts[0].ID.Pix != healpix.AngToNest(6, v.Center[0], v.Center[1]) {
		t.Fatalf("centre tile not first: %v", ts)
	}
	for i := 1; i < len(ts); i++ {
		if ts[i].Priority < ts[i-1].Priority {
			t.Fatal("not sorted by distance")
		}
	}
	// Every tile whose centre is in the disc is selected.
	got := map[int64]bool{}
	for _, w := range ts {
		got[w.ID.Pix] = true
	}
	for _, p := range healpix.QueryDisc(6, v.Center[0], v.Center[1], 2, false) {
		if !got[p] {
			t.Errorf("tile %d inside the view missing", p)
		}
	}
	// A TAN view outline (convex) selects fewer tiles than its circle.
	v.Outline = [][2]float64{{49, -38.2}, {52.4, -38.2}, {52.4, -36.2}, {49, -36.2}}
	tp := VisibleTiles(v, 6, nil)
	if len(tp) == 0 || len(tp) > len(ts) {
		t.Errorf("polygon: %d tiles, disc %d", len(tp), len(ts))
	}
	// A non-convex outline falls back to the disc.
	v.Outline = [][2]float64{{49, -38}, {52, -38}, {50.5, -37.5}, {52, -36}, {49, -36}}
	if tn := VisibleTiles(v, 6, nil); len(tn) != len(ts) {
		t.Errorf("non-convex outline: %d tiles, disc %d", len(tn), len(ts))
	}
	// Coverage filtering.
	cov := setCoverage{34493: true, 34492: true}
	tc := VisibleTiles(View{Center: v.Center, Radius: 2}, 6, cov)
	if len(tc) != 2 {
		t.Errorf("with coverage: %v", tc)
	}
	if VisibleTiles(v, -1, nil) != nil || VisibleTiles(v, 30, nil) != nil {
		t.Error("bad order accepted")
	}
}

func TestFallbackAndSubSquare(t *testing.T) {
	tile := TileID{Order: 6, Pix: 34493}
	if p, ok := tile.Parent(); !ok || p != (TileID{Order: 5, Pix: 8623}) {
		t.Errorf("parent %v", p)
	}
	if a := tile.Ancestor(2); a != (TileID{Order: 2, Pix: 134}) {
		t.Errorf("ancestor %v", a)
	}
	if c := (TileID{Order: 5, Pix: 8623}).Children(); c[1] != tile {
		t.Errorf("children %v", c)
	}
	loaded := map[TileID]bool{{Order: 3, Pix: 538}: true, {Order: 0, Pix: 8}: true}
	id, ok := Fallback(tile, 0, func(t TileID) bool { return loaded[t] })
	if !ok || id != (TileID{Order: 3, Pix: 538}) {
		t.Errorf("fallback %v %v", id, ok)
	}
	if _, ok := Fallback(tile, 4, func(t TileID) bool { return loaded[t] }); ok {
		t.Error("fallback below orderMin")
	}
	// The centre of the sub-square of the ancestor is the child's centre.
	for _, c := range []TileID{tile, {Order: 4, Pix: 2155}, {Order: 7, Pix: 34493*4 + 2}} {
		for a := 0; a <= c.Order; a++ {
			anc := c.Ancestor(a)
			x0, y0, s := SubSquare(c, anc, 512)
			u, v := TilePixelUV(512, x0+s/2, y0+s/2)
			lon1, lat1 := healpix.NestUVToAng(anc.Order, anc.Pix, u, v)
			lon2, lat2 := healpix.NestToAng(c.Order, c.Pix)
			if angDist(lon1, lat1, lon2, lat2) > 1e-9 {
				t.Errorf("%v in %v: sub-square centre off by %g deg", c, anc, angDist(lon1, lat1, lon2, lat2))
			}
		}
	}
}

func TestPlanView(t *testing.T) {
	v := View{Center: [2]float64{50.68846, -37.20245}, Radius: 0.5}
	loaded := map[TileID]bool{}
	opt := PlanOptions{Width: 512, OrderMin: 0, OrderMax: 6, Loaded: func(t TileID) bool { return loaded[t] }}
	p := PlanView(v, 6.4/3600, opt)
	if p.Order != 6 || len(p.Visible) == 0 || len(p.Draw) != len(p.Visible) {
		t.Fatalf("plan %+v", p)
	}
	// Nothing loaded: the order-3 base tiles come first, then the tiles.
	if p.Load[0].ID.Order != 3 || p.Draw[0].Order != -1 {
		t.Errorf("first load %v, draw %v", p.Load[0], p.Draw[0])
	}
	nBase := 0
	for _, w := range p.Load {
		if w.ID.Order == 3 {
			nBase++
		}
	}
	if len(p.Load) != nBase+len(p.Visible) {
		t.Errorf("%d loads for %d visible + %d base", len(p.Load), len(p.Visible), nBase)
	}
	// Once the base tile is loaded it is drawn in place of the missing tiles
	// and not requested again.
	loaded[p.Load[0].ID] = true
	loaded[p.Visible[0].ID] = true
	q := PlanView(v, 6.4/3600, opt)
	if q.Draw[0] != q.Visible[0].ID {
		t.Errorf("loaded tile not drawn: %v", q.Draw[0])
	}
	for _, w := range q.Load {
		if loaded[w.ID] {
			t.Errorf("loaded tile %v requested", w.ID)
		}
	}
	for i, d := range q.Draw[1:] {
		if d.Order != 3 && d.Order != -1 {
			t.Errorf("draw %d: %v", i+1, d)
		}
	}
}
