package regions

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseDS9(f *testing.F) {
	files, _ := filepath.Glob(rdir + "*.reg")
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("fk5;circle(1:2:3,-4:5:6,7\") # text={x} point=x 3\n# vector(1,2,3,4)\ncomposite(1,2,3) || composite=1\ncircle(1,2,3) ||\n")
	f.Fuzz(func(t *testing.T, s string) {
		regs, warns := ParseDS9Warnings(s)
		for _, r := range regs {
			if len(r.Points) == 0 {
				t.Fatalf("region without points: %+v", r)
			}
			if r.LineNo < 1 {
				t.Fatalf("bad line number: %+v", r)
			}
			_ = r.Rings()
		}
		for _, w := range warns {
			if w.Line < 1 || w.Msg == "" {
				t.Fatalf("bad warning %+v", w)
			}
		}
	})
}

func FuzzParseSTCS(f *testing.F) {
	for _, s := range []string{"Polygon ICRS 10 20 11 20 11 21", "Union ICRS (Circle 1 1 1 Box FK5 2 2 1 1)", "Ellipse GALACTIC 1 2 3 4 30 unit deg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		regs, err := ParseSTCS(s)
		for _, r := range regs {
			if len(r.Points) == 0 {
				t.Fatalf("%q: region without points", s)
			}
		}
		if err == nil && len(regs) == 0 {
			t.Fatalf("%q: no regions and no error", s)
		}
	})
}
