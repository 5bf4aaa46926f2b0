package sky

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseRA(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"12h30m49.4s", (12 + 30/60.0 + 49.4/3600) * 15},
		{"12:30:49.42", (12 + 30/60.0 + 49.42/3600) * 15},
		{"12 30 49.42", (12 + 30/60.0 + 49.42/3600) * 15},
		{"  12 30 49.42\t", (12 + 30/60.0 + 49.42/3600) * 15},
		{"12h 30m 49.42s", (12 + 30/60.0 + 49.42/3600) * 15},
		{"12H30M49.42S", (12 + 30/60.0 + 49.42/3600) * 15},
		{"12h30m49.42", (12 + 30/60.0 + 49.42/3600) * 15},
		{"12h30.5m", (12 + 30.5/60) * 15},
		{"12:30.5", (12 + 30.5/60) * 15},
		{"12h", 180},
		{"12.5h", 187.5},
		{"187.7059", 187.7059},
		{"187.7059d", 187.7059},
		{"187.7059deg", 187.7059},
		{"187.7059°", 187.7059},
		{"1.877059e2", 187.7059},
		{"187d42m21.24s", 187 + 42/60.0 + 21.24/3600},
		{"187°42′21.24″", 187 + 42/60.0 + 21.24/3600},
		{"187°42'21.24\"", 187 + 42/60.0 + 21.24/3600},
		{"0", 0},
		{"+0", 0},
		{"-0", 0},
		{"360", 0},
		{"359.9999", 359.9999},
		{"23:59:59.999", (23 + 59/60.0 + 59.999/3600) * 15},
		{"00:00:00", 0},
		{".5", 0.5},
		{"5.", 5},
	}
	for _, tt := range tests {
		got, err := ParseRA(tt.in)
		if err != nil {
			t.Errorf("ParseRA(%q): %v", tt.in, err)
			continue
		}
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("ParseRA(%q) = %.15g, want %.15g", tt.in, got, tt.want)
		}
	}
}

func TestParseDec(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"+12:23:28.0", 12 + 23/60.0 + 28.0/3600},
		{"12:23:28.0", 12 + 23/60.0 + 28.0/3600},
		{"-12:23:28.0", -(12 + 23/60.0 + 28.0/3600)},
		{"−12:23:28", -(12 + 23/60.0 + 28.0/3600)}, // U+2212 minus
		{"-00:30:00", -0.5},
		{"-0 30 00", -0.5},
		{"-00d30m", -0.5},
		{"-0:0:36", -0.01},
		{"+12 23 28.0", 12 + 23/60.0 + 28.0/3600},
		{"+12d23m28s", 12 + 23/60.0 + 28.0/3600},
		{"+12D23M28S", 12 + 23/60.0 + 28.0/3600},
		{"12°23′28″", 12 + 23/60.0 + 28.0/3600},
		{"12° 23′ 28″", 12 + 23/60.0 + 28.0/3600},
		{"12°23'28''", 12 + 23/60.0 + 28.0/3600},
		{"12.3911", 12.3911},
		{"-12.3911", -12.3911},
		{"12.3911d", 12.3911},
		{"-1.23911e1", -12.3911},
		{"90", 90},
		{"-90:00:00", -90},
		{"+89:59:59.999", 89 + 59/60.0 + 59.999/3600},
	}
	for _, tt := range tests {
		got, err := ParseDec(tt.in)
		if err != nil {
			t.Errorf("ParseDec(%q): %v", tt.in, err)
			continue
		}
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("ParseDec(%q) = %.15g, want %.15g", tt.in, got, tt.want)
		}
	}
}

func TestParseNegativeZero(t *testing.T) {
	for _, s := range []string{"-0", "-00:00:00", "-0.0", "−0"} {
		if v, err := ParseDec(s); err != nil || v != 0 || math.Signbit(v) {
			t.Errorf("ParseDec(%q) = %v (signbit %v), %v; want +0", s, v, math.Signbit(v), err)
		}
	}
	if l, _ := LonLat([3]float64{1, math.Copysign(0, -1), 0}); math.Signbit(l) {
		t.Errorf("LonLat gave -0")
	}
}

func TestParseAngleErrors(t *testing.T) {
	tests := []struct {
		fn      func(string) (float64, error)
		name    string
		in      string
		wantMsg string // a fragment of the error naming the bad part
	}{
		{ParseRA, "RA", "", "empty"},
		{ParseRA, "RA", "   ", "empty"},
		{ParseRA, "RA", "24:00:00", "24"},
		{ParseRA, "RA", "25h", "less than 24h"},
		{ParseRA, "RA", "12:60:00", "minutes field \"60\""},
		{ParseRA, "RA", "12:30:60", "seconds field \"60\""},
		{ParseRA, "RA", "12:30:61.5", "seconds field \"61.5\""},
		{ParseRA, "RA", "-12:30:00", "negative"},
		{ParseRA, "RA", "-1.5", "negative"},
		{ParseRA, "RA", "360.1", "at most 360"},
		{ParseRA, "RA", "12.5:30:00", "only the last field"},
		{ParseRA, "RA", "12:30.5:00", "only the last field"},
		{ParseRA, "RA", "12:30:00:00", "after the seconds"},
		{ParseRA, "RA", "12:30:", "trailing ':'"},
		{ParseRA, "RA", "12:", "missing minutes"},
		{ParseRA, "RA", "12h30s", "unexpected marker"},
		{ParseRA, "RA", "12:30m", "unexpected marker"},
		{ParseRA, "RA", "12h30:00", "unexpected marker"},
		{ParseRA, "RA", "30m", "first field"},
		{ParseRA, "RA", "abc", "expected a number"},
		{ParseRA, "RA", "NaN", "expected a number"},
		{ParseRA, "RA", "Inf", "expected a number"},
		{ParseRA, "RA", "1e999", "out of range"},
		{ParseRA, "RA", "12x", "unexpected"},
		{ParseRA, "RA", "12:3e1:00", "exponent"},
		{ParseRA, "RA", "+", "expected a number"},
		{ParseRA, "RA", "12 30 49.42 +12", "after the seconds"},
		{ParseRA, "RA", strings.Repeat("1", 300), "longer than"},
		{ParseDec, "Dec", "91", "at most 90"},
		{ParseDec, "Dec", "-90:00:01", "at most 90"},
		{ParseDec, "Dec", "+12h30m", "hours"},
		{ParseDec, "Dec", "+12:61:00", "minutes field \"61\""},
		{ParseDec, "Dec", "+12:23:60", "seconds field \"60\""},
		{ParseDec, "Dec", "+12:-23:00", "expected a number"},
		{ParseDec, "Dec", "--12", "expected a number"},
		{ParseDec, "Dec", "+ 12", "expected a number"},
		{ParseDec, "Dec", "12°23′28″x", "unexpected"},
	}
	for _, tt := range tests {
		got, err := tt.fn(tt.in)
		if err == nil {
			t.Errorf("Parse%s(%q) = %v, want an error", tt.name, tt.in, got)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse%s(%q): error %T is not *ParseError", tt.name, tt.in, err)
		}
		if !math.IsNaN(got) {
			t.Errorf("Parse%s(%q) = %v with error, want NaN", tt.name, tt.in, got)
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("Parse%s(%q) error %q does not mention %q", tt.name, tt.in, err, tt.wantMsg)
		}
	}
}

func TestParseCoords(t *testing.T) {
	ra0 := (12 + 30/60.0 + 49.42/3600) * 15
	dec0 := 12 + 23/60.0 + 28.0/3600
	tests := []struct {
		in      string
		ra, dec float64
	}{
		{"12:30:49.42 +12:23:28.0", ra0, dec0},
		{"12:30:49.42 12:23:28.0", ra0, dec0},
		{"12:30:49.42 -12:23:28.0", ra0, -dec0},
		{"12 30 49.42 +12 23 28.0", ra0, dec0},
		{"12 30 49.42 12 23 28.0", ra0, dec0},
		{"12 30 49.42 -00 30 00", ra0, -0.5},
		{"12h30m49.42s +12d23m28s", ra0, dec0},
		{"12h30m49.42s+12d23m28s", ra0, dec0},
		{"12:30:49.42-12:23:28", ra0, -dec0},
		{"12h 30m 49.42s +12° 23′ 28″", ra0, dec0},
		{"12h 30m 49.42s 12d 23m 28s", ra0, dec0},
		{"187.7059 12.3911", 187.7059, 12.3911},
		{"187.7059 -12.3911", 187.7059, -12.3911},
		{"187.7059-12.3911", 187.7059, -12.3911},
		{"187.7059,12.3911", 187.7059, 12.3911},
		{"187.7059, -12.3911", 187.7059, -12.3911},
		{"1.877059e2 1.23911e-5", 187.7059, 1.23911e-5},
		{"1.877059e+2-1.23911e-5", 187.7059, -1.23911e-5},
		{"12:30:49.42, +12:23:28.0", ra0, dec0},
		{"12 30 +12 23", (12 + 30/60.0) * 15, 12 + 23/60.0},
		{"  12\t30  49.42\u00a0 +12 23 28.0 ", ra0, dec0},
	}
	for _, tt := range tests {
		ra, dec, err := ParseCoords(tt.in)
		if err != nil {
			t.Errorf("ParseCoords(%q): %v", tt.in, err)
			continue
		}
		if math.Abs(ra-tt.ra) > 1e-12 || math.Abs(dec-tt.dec) > 1e-12 {
			t.Errorf("ParseCoords(%q) = (%.15g, %.15g), want (%.15g, %.15g)", tt.in, ra, dec, tt.ra, tt.dec)
		}
	}
}

func TestParseCoordsErrors(t *testing.T) {
	tests := []struct{ in, wantMsg string }{
		{"", "empty"},
		{"187.7059", "need a right ascension and a declination"},
		{"12 30 49.42 12 23", "5 words"},
		{"1,2,3", "more than one comma"},
		{"12:30:49.42 +12:23 -1", "several signed"},
		{"25:00:00 +12:00:00", "right ascension"},
		{"12:00:00 +95:00:00", "declination"},
		{"12:00:00 +12:75:00", "minutes field \"75\""},
		{"12:00:00, ", "empty declination"},
		{"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18", "more than 16 words"},
	}
	for _, tt := range tests {
		ra, dec, err := ParseCoords(tt.in)
		if err == nil {
			t.Errorf("ParseCoords(%q) = (%v, %v), want an error", tt.in, ra, dec)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("ParseCoords(%q) error %q does not mention %q", tt.in, err, tt.wantMsg)
		}
		if !math.IsNaN(ra) || !math.IsNaN(dec) {
			t.Errorf("ParseCoords(%q) = (%v, %v) with error, want NaN", tt.in, ra, dec)
		}
	}
}

func TestFormat(t *testing.T) {
	ra0 := (12 + 30/60.0 + 49.42/3600) * 15
	dec0 := 12 + 23/60.0 + 28.0/3600
	tests := []struct {
		got, want string
	}{
		{FormatRA(ra0, 2), "12:30:49.42"},
		{FormatRA(ra0, 0), "12:30:49"},
		{FormatRA(ra0, 1), "12:30:49.4"},
		{FormatRA(ra0, -3), "12:30:49"},
		{FormatRAStyle(ra0, 2, Letters), "12h30m49.42s"},
		{FormatRAStyle(ra0, 2, Symbols), "12h30m49.42s"},
		{FormatRAStyle(ra0, 2, Spaces), "12 30 49.42"},
		{FormatDec(dec0, 1), "+12:23:28.0"},
		{FormatDec(-dec0, 1), "-12:23:28.0"},
		{FormatDecStyle(dec0, 1, Letters), "+12d23m28.0s"},
		{FormatDecStyle(dec0, 1, Symbols), "+12°23′28.0″"},
		{FormatDecStyle(-dec0, 0, Spaces), "-12 23 28"},
		{FormatDec(-0.5, 0), "-00:30:00"},
		{FormatDec(math.Copysign(0, -1), 1), "+00:00:00.0"},
		{FormatDec(-1e-9, 1), "+00:00:00.0"},
		{FormatDec(90, 0), "+90:00:00"},
		{FormatDec(-90, 3), "-90:00:00.000"},
		// carries: 59.999 s rounds up to the next minute, hour, degree
		{FormatRA((12+30/60.0+59.999/3600)*15, 2), "12:31:00.00"},
		{FormatRA((12+59/60.0+59.9999/3600)*15, 3), "13:00:00.000"},
		{FormatRA((23+59/60.0+59.996/3600)*15, 2), "00:00:00.00"},
		{FormatRA(359.99999999, 1), "00:00:00.0"},
		{FormatRA(-15, 0), "23:00:00"},
		{FormatRA(375, 0), "01:00:00"},
		{FormatDec(12+59/60.0+59.96/3600, 1), "+13:00:00.0"},
		{FormatDec(-(29 + 59/60.0 + 59.999/3600), 2), "-30:00:00.00"},
		{FormatRA(ra0, 9), "12:30:49.420000000"},
		{FormatRA(ra0, 12), "12:30:49.420000000"},
		{FormatRA(math.NaN(), 2), "NaN"},
		{FormatCoords(ra0, dec0, 3), "12:30:49.420 +12:23:28.00"},
		{FormatCoords(ra0, dec0, 0), "12:30:49 +12:23:28"},
		{FormatDec(math.Inf(1), 2), "NaN"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

// TestFormatParseRoundTrip checks that parsing a formatted value gives the
// value back to the precision written.
func TestFormatParseRoundTrip(t *testing.T) {
	for i := 0; i < 2000; i++ {
		ra := float64(i) * 0.18000917
		dec := -90 + float64(i)*0.09000457
		for _, st := range []Style{Colons, Spaces, Letters, Symbols} {
			r, err := ParseRA(FormatRAStyle(ra, 4, st))
			if err != nil {
				t.Fatalf("ParseRA(FormatRA(%v)): %v", ra, err)
			}
			if math.Abs(r-ra) > 0.6e-4*15/3600 {
				t.Errorf("RA %v -> %q -> %v", ra, FormatRAStyle(ra, 4, st), r)
			}
			d, err := ParseDec(FormatDecStyle(dec, 4, st))
			if err != nil {
				t.Fatalf("ParseDec(FormatDec(%v)): %v", dec, err)
			}
			if math.Abs(d-dec) > 0.6e-4/3600 {
				t.Errorf("Dec %v -> %q -> %v", dec, FormatDecStyle(dec, 4, st), d)
			}
		}
	}
}
