package regions

import (
	"os"
	"strings"
	"testing"
)

func BenchmarkParseDS9(b *testing.B) {
	one, err := os.ReadFile(rdir + "regions_ds9.fk5.hms.reg")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(one), 100) // 1,600 shapes, sexagesimal
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		regs, _ := ParseDS9(text)
		if len(regs) != 1600 {
			b.Fatal(len(regs))
		}
	}
}
