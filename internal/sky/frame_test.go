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
