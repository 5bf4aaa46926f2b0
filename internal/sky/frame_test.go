package sky

import (
	"encoding/json"
	"os"
	"testing"
)

type truthPoint map[string][2]float64

func loadTruth(t testing.TB) []truthPoint {
	t.Helper()
	b, err := os.ReadFile("../../testdata/sky/sky.json")
	if err != nil {
		t.Fatalf("reading truth: %v", err)
	}
	var doc struct {
		Schema string       `json:"schema"`
		Points []truthPoint `json:"points"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("parsing truth: %v", err)
	}
	if doc.Schema != "sky/1" || len(doc.Points) == 0 {
		t.Fatalf("unexpected truth schema %q with %d points", doc.Schema, len(doc.Points))
	}
	return doc.Points
}

var truthFrames = []struct {
	key   string
	frame Frame
}{
	{"galactic", FrameGalactic},
	{"fk5_j2000", FrameFK5J2000},
	{"fk4_b1950", FrameFK4B1950},
	{"ecliptic_barycentric_mean_j2000", FrameEclipticBarycentric},
	{"ecliptic_geocentric_mean_j2000", FrameEclipticGeocentric},
}

// TestFramesAgainstAstropy checks every frame against astropy in both
// directions: ICRS -> X and X -> ICRS, within 1e-6 degrees.
func TestFramesAgainstAstropy(t *testing.T) {
	const tol = 1e-6 // degrees
	points := loadTruth(t)
	for _, tf := range truthFrames {
		to, err := NewTransform(FrameICRS, tf.frame)
		if err != nil {
			t.Fatal(err)
		}
		back, err := NewTransform(tf.frame, FrameICRS)
		if err != nil {
			t.Fatal(err)
		}
		var maxFwd, maxBack float64
		for i, p := range points {
			icrs, want := p["icrs"], p[tf.key]
			lon, lat := to.Convert(icrs[0], icrs[1])
			d := Separation(lon, lat, want[0], want[1])
			if d > tol || d != d {
				t.Errorf("%s point %d: ICRS %v -> (%.10f, %.10f), astropy (%.10f, %.10f): %.3g deg", tf.key, i, icrs, lon, lat, want[0], want[1], d)
			}
			maxFwd = max(maxFwd, d)
			lon, lat = back.Convert(want[0], want[1])
			d = Separation(lon, lat, icrs[0], icrs[1])
			if d > tol || d != d {
				t.Errorf("%s point %d: %v -> ICRS (%.10f, %.10f), want %v: %.3g deg", tf.key, i, want, lon, lat, icrs, d)
			}
			maxBack = max(maxBack, d)
		}
		t.Logf("%-32s max |ICRS->X - astropy| = %.3g mas, max |X->ICRS - astropy| = %.3g mas (%d points)", tf.key, maxFwd*3.6e6, maxBack*3.6e6, len(points))
	}
}

// TestAstropyDocExamples checks frames with other equinoxes and observation
// epochs against the outputs printed in astropy's documentation (SkyCoord
// doctests), which the truth file does not cover.
func TestAstropyDocExamples(t *testing.T) {
	tests := []struct {
		name             string
		from, to         Frame
		lon, lat         float64
		wantLon, wantLat float64
	}{
		{"(1,2) galactic", FrameICRS, FrameGalactic, 1, 2, 99.6378552814, -58.7096929334},
		{"(1,2) fk5", FrameICRS, FrameFK5J2000, 1, 2, 1.00000655566, 2.00000243092},
		{"(1,2) fk5 J1975", FrameICRS, Frame{Kind: FK5, Equinox: 1975}, 1, 2, 0.679672818323, 1.86083014099},
		{"(1,2) fk4 B1960 obstime J1978.123", FrameICRS, Frame{Kind: FK4, Equinox: 1960, Obstime: JulianToBesselian(1978.123)}, 1, 2, 0.48726331438, 1.77731617297},
		{"M31 galactic", FrameICRS, FrameGalactic, 10.68458, 41.26917, 121.17424181, -21.57288557},
		{"M31 fk5", FrameICRS, FrameFK5J2000, 10.68458, 41.26917, 10.68459154, 41.26917146},
		{"M31 fk5 J1975", FrameICRS, Frame{Kind: FK5, Equinox: 1975}, 10.68458, 41.26917, 10.34209135, 41.13232112},
		{"M31 fk5 J2000 -> J1975", FrameFK5J2000, Frame{Kind: FK5, Equinox: 1975}, 10.68459154, 41.26917146, 10.34209135, 41.13232112},
	}
	for _, tt := range tests {
		lon, lat := Convert(tt.from, tt.to, tt.lon, tt.lat)
		d := Separation(lon, lat, tt.wantLon, tt.wantLat)
		t.Logf("%-36s %.3g mas", tt.name, d*3.6e6)
		if d > 1e-6 || d != d {
			t.Errorf("%s: got (%.10f, %.10f), astropy (%.10f, %.10f): %.3g deg", tt.name, lon, lat, tt.wantLon, tt.wantLat, d)
		}
		// and back
		bl, bb := Convert(tt.to, tt.from, lon, lat)
		if d := Separation(bl, bb, tt.lon, tt.lat); d > 1e-10 {
			t.Errorf("%s: round trip off by %.3g deg", tt.name, d)
		}
	}
}
