package fits

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// synthTable builds a FITS file with one binary table of n rows and four D columns.
func synthTable(n int) []byte {
	extra := []string{kv("TFIELDS", 4)}
	for i, name := range []string{"RA", "DEC", "MAG", "ERR"} {
		extra = append(extra, kv("TTYPE"+string(rune('1'+i)), name), kv("TFORM"+string(rune('1'+i)), "D"))
	}
	data := make([]byte, 0, 32*n)
	for r := 0; r < n; r++ {
		x := float64(r)
		for _, v := range []float64{math.Mod(x*0.000360, 360), math.Mod(x*0.00017, 180) - 90, 10 + math.Mod(x, 97)*0.1, 0.01} {
			data = binary.BigEndian.AppendUint64(data, math.Float64bits(v))
		}
	}
	return tableFile("BINTABLE", 32, n, 0, extra, data)
}

// BenchmarkTableDecode decodes a 10^6-row table of four double columns
// (32 MB): rows/s and MB/s of ReadColumns, including the read of the data.
func BenchmarkTableDecode(b *testing.B) {
	const n = 1000000
	file := synthTable(n)
	f, err := Open(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		b.Fatal(err)
	}
	tab, err := f.HDUs[1].Table()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(32 * n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cols, err := tab.ReadColumns()
		if err != nil || cols[3].Float[n-1] != 0.01 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
