package sky

import (
	"errors"
	"math"
	"testing"
)

var angleSeeds = []string{
	"12h30m49.4s", "12:30:49.42", "12 30 49.42", "187.7059", "-00:30:00", "+12d23m28s",
	"12°23′28″", "12.5h", "23:59:59.9999", "24:00:00", "12:60:00", "-0", "1e308", "1e-320",
	"", "+", "h", "12h30m49.4s+12d23m28s", "12:30:49.42 +12:23:28.0", "12 30 49.42 +12 23 28.0",
	"187.7059 12.3911", "187.7059,-12.3911", "\xff\xfe", "12:30:49.4s", "9999999999999999999999",
}

func checkAngleResult(t *testing.T, fn, s string, v float64, err error, lo, hi float64) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%s(%q): error %T is not a *ParseError: %v", fn, s, err, err)
		}
		if !math.IsNaN(v) {
			t.Fatalf("%s(%q) = %v with error %v, want NaN", fn, s, v, err)
		}
		return
	}
	if math.IsNaN(v) || v < lo || v > hi {
		t.Fatalf("%s(%q) = %v, outside [%v, %v]", fn, s, v, lo, hi)
	}
}

func FuzzParseRA(f *testing.F) {
	for _, s := range angleSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseRA(s)
		checkAngleResult(t, "ParseRA", s, v, err, 0, 360)
		if err == nil {
			if v >= 360 {
				t.Fatalf("ParseRA(%q) = %v, want < 360", s, v)
			}
			// Formatting and parsing again must give the value back.
			w, err := ParseRA(FormatRA(v, 6))
			if err != nil || Separation(v, 0, w, 0) > 1e-6 {
				t.Fatalf("ParseRA(FormatRA(%v)) = %v, %v", v, w, err)
			}
		}
	})
}

func FuzzParseDec(f *testing.F) {
	for _, s := range angleSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDec(s)
		checkAngleResult(t, "ParseDec", s, v, err, -90, 90)
		if err == nil {
			w, err := ParseDec(FormatDec(v, 6))
			if err != nil || math.Abs(w-v) > 1e-9 {
				t.Fatalf("ParseDec(FormatDec(%v)) = %v, %v", v, w, err)
			}
		}
	})
}

func FuzzParseCoords(f *testing.F) {
	for _, s := range angleSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ra, dec, err := ParseCoords(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseCoords(%q): error does not wrap a *ParseError: %v", s, err)
			}
			if !math.IsNaN(ra) || !math.IsNaN(dec) {
				t.Fatalf("ParseCoords(%q) = (%v, %v) with error", s, ra, dec)
			}
			return
		}
		if !(ra >= 0 && ra < 360 && dec >= -90 && dec <= 90) {
			t.Fatalf("ParseCoords(%q) = (%v, %v) out of range", s, ra, dec)
		}
	})
}

func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{"icrs", "fk5", "FK4", "fk5 J2015.5", "fk4(B1900)", "galactic", "GLON-CAR", "RA---TAN",
		"ecliptic", "equatorial", "GeocentricMeanEcliptic", "fk4-no-e", "fk5 B1950", "fk4 J2000", "fk5 1e400", "", "(", "fk5 (", "fk5_=J"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fr, err := ParseFrame(s)
		if err != nil {
			return
		}
		tr, err := NewTransform(fr, FrameICRS)
		if err != nil {
			t.Fatalf("ParseFrame(%q) = %+v, which NewTransform rejects: %v", s, fr, err)
		}
		if l, b := tr.Convert(10, 20); math.IsNaN(l) || math.IsNaN(b) {
			t.Fatalf("ParseFrame(%q) = %+v converts (10, 20) to NaN", s, fr)
		}
	})
}

func FuzzConvert(f *testing.F) {
	f.Add(0, 4, 0.0, 0.0, 0.0, 0.0, 10.0, 20.0)
	f.Add(2, 6, 1950.0, 1983.5, 2000.0, 2024.0, 359.99, -89.9)
	f.Add(6, 2, 2100.0, 1900.0, 1900.0, 2000.0, 0.0, 90.0)
	f.Add(1, 3, 1.0e4, 0.0, -1.0e4, 0.0, math.NaN(), 0.0)
	f.Add(5, 5, 0.0, 0.0, 0.0, 0.0, math.Inf(1), 1e300)
	f.Add(7, -1, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0)
	f.Fuzz(func(t *testing.T, ka, kb int, eqa, oba, eqb, obb, lon, lat float64) {
		a := Frame{Kind: Kind(ka), Equinox: eqa, Obstime: oba}
		b := Frame{Kind: Kind(kb), Equinox: eqb, Obstime: obb}
		l, m := Convert(a, b, lon, lat)
		_, errA := a.normalized()
		_, errB := b.normalized()
		finite := !math.IsNaN(lon) && !math.IsInf(lon, 0) && !math.IsNaN(lat) && !math.IsInf(lat, 0)
		if errA != nil || errB != nil || !finite {
			if !math.IsNaN(l) || !math.IsNaN(m) {
				t.Fatalf("Convert(%+v, %+v, %v, %v) = (%v, %v), want NaN", a, b, lon, lat, l, m)
			}
			return
		}
		if !(l >= 0 && l < 360 && m >= -90 && m <= 90) {
			t.Fatalf("Convert(%+v, %+v, %v, %v) = (%v, %v) out of range", a, b, lon, lat, l, m)
		}
		v := ConvertVec(a, b, [3]float64{lon, lat, 1})
		if n := norm(v); math.Abs(n-1) > 1e-12 {
			t.Fatalf("ConvertVec norm %v", n)
		}
	})
}

func FuzzAngles(f *testing.F) {
	f.Add(0.0, 0.0, 180.0, 0.0, 45.0, 10.0)
	f.Add(10.0, 90.0, 20.0, -90.0, 0.0, 180.0)
	f.Add(1e300, -1e300, math.NaN(), 0.0, math.Inf(-1), 1e-300)
	f.Fuzz(func(t *testing.T, lon1, lat1, lon2, lat2, pa, sep float64) {
		s := Separation(lon1, lat1, lon2, lat2)
		if !math.IsNaN(s) && (s < 0 || s > 180) {
			t.Fatalf("Separation = %v", s)
		}
		p := PositionAngle(lon1, lat1, lon2, lat2)
		if !math.IsNaN(p) && (p < 0 || p >= 360) {
			t.Fatalf("PositionAngle = %v", p)
		}
		l, b := Offset(lon1, lat1, pa, sep)
		if !math.IsNaN(l) && (l < 0 || l >= 360 || b < -90 || b > 90) {
			t.Fatalf("Offset = (%v, %v)", l, b)
		}
		if n := NormLon(lon1); !math.IsNaN(n) && (n < 0 || n >= 360) {
			t.Fatalf("NormLon(%v) = %v", lon1, n)
		}
		if n := NormLon180(lon1); !math.IsNaN(n) && (n < -180 || n >= 180) {
			t.Fatalf("NormLon180(%v) = %v", lon1, n)
		}
		_ = FormatRAStyle(lon1, int(lat1), Style(int(lon2)))
		_ = FormatDecStyle(lat2, int(pa), Style(int(sep)))
	})
}

func FuzzFrameFromFITS(f *testing.F) {
	f.Add("RA---TAN", "", math.NaN())
	f.Add("RA---TAN", "FK4", 1950.0)
	f.Add("GLON-CAR", "ICRS", 2000.0)
	f.Add("ELON-SIN", "", 2010.0)
	f.Add("RA---TAN", "GAPPT", math.Inf(-1))
	f.Fuzz(func(t *testing.T, ctype, radesys string, equinox float64) {
		fr, err := FrameFromFITS(ctype, radesys, equinox)
		if err != nil {
			return
		}
		if _, err := NewTransform(fr, FrameICRS); err != nil {
			t.Fatalf("FrameFromFITS(%q, %q, %v) = %+v, rejected by NewTransform: %v", ctype, radesys, equinox, fr, err)
		}
	})
}
