package healpix

import "testing"

var sinkI int64
var sinkF float64

func BenchmarkAngToNest(b *testing.B) {
	lons := []float64{12.3, 200.7, 359.9, 45.0, 123.456}
	lats := []float64{-80.1, 5.5, 41.9, -30.2, 89.5}
	for i := 0; b.Loop(); i++ {
		sinkI += AngToNest(12, lons[i%5], lats[i%5])
	}
}

func BenchmarkAngToRing(b *testing.B) {
	lons := []float64{12.3, 200.7, 359.9, 45.0, 123.456}
	lats := []float64{-80.1, 5.5, 41.9, -30.2, 89.5}
	for i := 0; b.Loop(); i++ {
		sinkI += AngToRing(12, lons[i%5], lats[i%5])
	}
}

func BenchmarkNestToAng(b *testing.B) {
	for i := int64(0); b.Loop(); i++ {
		lon, lat := NestToAng(12, (i*7919)%Npix(12))
		sinkF += lon + lat
	}
}

func BenchmarkNestCorners(b *testing.B) {
	for i := int64(0); b.Loop(); i++ {
		c := NestCorners(12, (i*7919)%Npix(12))
		sinkF += c[0][0]
	}
}

func BenchmarkNestUVToAng(b *testing.B) {
	for i := int64(0); b.Loop(); i++ {
		lon, _ := NestUVToAng(12, (i*7919)%Npix(12), 0.25, 0.75)
		sinkF += lon
	}
}

func BenchmarkNestNeighbours(b *testing.B) {
	for i := int64(0); b.Loop(); i++ {
		n := NestNeighbours(12, (i*7919)%Npix(12))
		sinkI += n[0]
	}
}

// viewport is a 60x45 degree field of view centred on (lon, lat) seen as a
// gnomonic-like rectangle of 4 corners.
func viewport(lon, lat float64) [][2]float64 {
	return [][2]float64{{lon - 30, lat - 22.5}, {lon + 30, lat - 22.5}, {lon + 30, lat + 22.5}, {lon - 30, lat + 22.5}}
}

func benchPoly(b *testing.B, order int, ranges bool) {
	v := viewport(150, 20)
	for b.Loop() {
		if ranges {
			sinkI += int64(len(QueryPolygonRanges(order, v, true)))
		} else {
			sinkI += int64(len(QueryPolygon(order, v, true)))
		}
	}
}

func BenchmarkQueryPolygonViewportOrder3(b *testing.B)        { benchPoly(b, 3, false) }
func BenchmarkQueryPolygonViewportOrder10(b *testing.B)       { benchPoly(b, 10, false) }
func BenchmarkQueryPolygonRangesViewportOrder10(b *testing.B) { benchPoly(b, 10, true) }

func BenchmarkQueryDiscOrder3(b *testing.B) {
	for b.Loop() {
		sinkI += int64(len(QueryDisc(3, 150, 20, 30, true)))
	}
}

func BenchmarkQueryDiscOrder10(b *testing.B) {
	for b.Loop() {
		sinkI += int64(len(QueryDisc(10, 150, 20, 2, true)))
	}
}

// BenchmarkQueryPolygonViewport06Order10 is the realistic HiPS case at
// order 10: a 0.6°x0.45° field (order-10 tiles of 512 px match a screen of
// ~5000 px across it).
func BenchmarkQueryPolygonViewport06Order10(b *testing.B) {
	v := [][2]float64{{149.7, 19.775}, {150.3, 19.775}, {150.3, 20.225}, {149.7, 20.225}}
	for b.Loop() {
		sinkI += int64(len(QueryPolygon(10, v, true)))
	}
}
