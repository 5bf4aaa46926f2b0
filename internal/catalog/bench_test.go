package catalog

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"testing"
)

func BenchmarkReadHipparcosCSV(b *testing.B) {
	data, err := os.ReadFile(tdir + "hipparcos_stars.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		t, err := ReadBytes(data, "hipparcos_stars.csv")
		if err != nil || t[0].NumRows() != 118216 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(118216)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// synthCSV returns a 10^6-row catalogue like the browser benchmark's synthetic one.
func synthCSV(n int) []byte {
	r := rand.New(rand.NewSource(1))
	var buf bytes.Buffer
	buf.WriteString("id,ra,dec,mag,color\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&buf, "%d,%.6f,%.6f,%.3f,%.3f\n", i+1, r.Float64()*360, r.Float64()*180-90, 5+r.Float64()*15, r.Float64()*2-0.5)
	}
	return buf.Bytes()
}

func BenchmarkReadSynthetic1e6CSV(b *testing.B) {
	data := synthCSV(1000000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := ReadBytes(data, "synthetic.csv")
		if err != nil || t[0].NumRows() != 1000000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(1000000)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadVOTableBinary(b *testing.B) {
	data, err := os.ReadFile(tdir + "pyvo_scs_result.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadBytes(data, "x.xml"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadVOTableTabledata(b *testing.B) {
	data, err := os.ReadFile(tdir + "astroquery_vizier_kang2010.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadBytes(data, "x.xml"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupSeries(b *testing.B) {
	data, err := os.ReadFile(tsdir + "gcvs_sim_detections.csv")
	if err != nil {
		b.Fatal(err)
	}
	ts, err := ReadBytes(data, "d.csv")
	if err != nil {
		b.Fatal(err)
	}
	cols, err := FindSeriesColumns(ts[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := GroupSeries(ts[0], cols)
		if err != nil || len(s.Objects) != 1200 {
			b.Fatal(err)
		}
	}
}

func BenchmarkLombScargle(b *testing.B) {
	s := loadSeries(b)
	oi := s.Lookup("73473") // 66 detections over 868 days: 173,612 frequencies
	t, y, dy, _ := s.LightCurve(oi)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, _ := LombScargle(t, y, dy, 1.0/1000, 20, 10)
		if len(f) < 100000 {
			b.Fatal(len(f))
		}
	}
}
