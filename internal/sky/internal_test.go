package sky

import (
	"math"
	"testing"
)

// Reference values from ERFA's own test suite (t_erfa_c.c), used to check
// the ports of the IAU 2006 precession and of stellar aberration, and the
// accuracy of the low-precision Earth ephemeris against ERFA's epv00.

func TestPmat06AgainstERFA(t *testing.T) {
	got := pmat06(2400000.5 + 50123.9999)
	want := mat3{
		{0.9999995505176007047, 0.8695404617348208406e-3, 0.3779735201865589104e-3},
		{-0.8695404723772031414e-3, 0.9999996219496027161, -0.1361752497080270143e-6},
		{-0.3779734957034089490e-3, -0.1924880847894457113e-6, 0.9999999285679971958},
	}
	for i := range want {
		for j := range want[i] {
			if d := math.Abs(got[i][j] - want[i][j]); d > 1e-14 {
				t.Errorf("pmat06[%d][%d] = %.19g, want %.19g", i, j, got[i][j], want[i][j])
			}
		}
	}
}

func TestAberrationAgainstERFA(t *testing.T) {
	a := &astrom{
		v:   [3]float64{2.1044018893653786e-5, -8.9108923304429319e-5, -3.8633714797716569e-5},
		em:  0.99980921395708788,
		bm1: 0.99999999506209258,
	}
	got := a.aberrate([3]float64{-0.76321968546737951, -0.60869453983060384, -0.21676408580639883})
	want := [3]float64{-0.7631631094219556269, -0.6087553082505590832, -0.2167926269368471279}
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > 1e-15 {
			t.Errorf("ab[%d] = %.19g, want %.19g", i, got[i], want[i])
		}
	}
	// gcrsToICRS must invert icrsToGCRS.
	b := newAstrom(jdJ2000)
	for _, p := range [][2]float64{{0, 0}, {10, 80}, {281, -23}, {100, 23.4}, {300, -89}} {
		v := Vec(p[0], p[1])
		back := b.gcrsToICRS(b.icrsToGCRS(v))
		if d := SeparationVec(v, back); d > 1e-10 { // ERFA iterates twice only
			t.Errorf("GCRS round trip at %v: %.3g deg", p, d)
		}
	}
}

func TestEarthEphemerisAgainstEpv00(t *testing.T) {
	// eraEpv00(2400000.5, 53411.52501161): heliocentric position (au) and
	// barycentric velocity (au/day).
	jd := 2400000.5 + 53411.52501161
	wantH := [3]float64{-0.7757238809297706813, 0.5598052241363340596, 0.2426998466481686993}
	wantV := [3]float64{-0.1091874268116823295e-1, -0.1246525461732861538e-1, -0.5404773180966231279e-2}
	h, v := earthState(jd)
	dh := norm(sub(h, wantH)) * auMeters / 1e3    // km
	dv := norm(sub(v, wantV)) * auMeters / daySec // m/s
	aberr := dv / cMPS * rad2deg * 3.6e6          // mas
	t.Logf("2005-02-06: position error %.0f km, velocity error %.2f m/s (≤ %.2f mas of aberration)", dh, dv, aberr)
	if dv > 2 || dh > 20000 {
		t.Errorf("Earth ephemeris too far from epv00: %.0f km, %.2f m/s", dh, dv)
	}
}
