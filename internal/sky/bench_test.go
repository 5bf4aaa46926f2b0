package sky

import "testing"

var benchSink float64

func benchTransform(b *testing.B, to Frame) {
	tr, err := NewTransform(FrameICRS, to)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, m := tr.Convert(float64(i%360)+0.5, float64(i%179)-89.5)
		benchSink += l + m
	}
}

// Per-point conversions with a prebuilt Transform.
func BenchmarkICRSToGalactic(b *testing.B)     { benchTransform(b, FrameGalactic) }
func BenchmarkICRSToFK5J2000(b *testing.B)     { benchTransform(b, FrameFK5J2000) }
func BenchmarkICRSToFK4B1950(b *testing.B)     { benchTransform(b, FrameFK4B1950) }
func BenchmarkICRSToEclipticBary(b *testing.B) { benchTransform(b, FrameEclipticBarycentric) }
func BenchmarkICRSToEclipticGeo(b *testing.B)  { benchTransform(b, FrameEclipticGeocentric) }

// BenchmarkConvertFunc is the one-call form (cached transform lookup).
func BenchmarkConvertFunc(b *testing.B) {
	for i := 0; i < b.N; i++ {
		l, m := Convert(FrameICRS, FrameGalactic, float64(i%360)+0.5, float64(i%179)-89.5)
		benchSink += l + m
	}
}

// BenchmarkVecGalactic converts unit vectors (no trigonometry).
func BenchmarkVecGalactic(b *testing.B) {
	tr, _ := NewTransform(FrameICRS, FrameGalactic)
	v := Vec(123.4, -45.6)
	for i := 0; i < b.N; i++ {
		w := tr.Vec(v)
		benchSink += w[0]
	}
}

func BenchmarkNewTransformFK5J1975(b *testing.B) {
	for i := 0; i < b.N; i++ {
		tr, _ := NewTransform(FrameICRS, Frame{Kind: FK5, Equinox: 1975})
		benchSink += tr.full[0][0]
	}
}

func BenchmarkParseCoordsSexagesimal(b *testing.B) {
	for i := 0; i < b.N; i++ {
		ra, dec, err := ParseCoords("12:30:49.42 +12:23:28.0")
		if err != nil {
			b.Fatal(err)
		}
		benchSink += ra + dec
	}
}

func BenchmarkParseCoordsDecimal(b *testing.B) {
	for i := 0; i < b.N; i++ {
		ra, dec, err := ParseCoords("187.7059 12.3911")
		if err != nil {
			b.Fatal(err)
		}
		benchSink += ra + dec
	}
}

func BenchmarkFormatRA(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := FormatRA(187.70593, 2)
		benchSink += float64(len(s))
	}
}

func BenchmarkSeparation(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchSink += Separation(10, 20, float64(i%360), 30)
	}
}
