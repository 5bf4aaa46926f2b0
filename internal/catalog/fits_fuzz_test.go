package catalog

import (
	"os"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
)

// FuzzReadFITS: arbitrary FITS files through the table conversion, with small
// limits; the result must be consistent.
func FuzzReadFITS(f *testing.F) {
	for _, name := range []string{"topcat_863sub.fits", "astroquery_astrometry_source_list.fit"} {
		if b, err := os.ReadFile(fitsDir + name); err == nil {
			f.Add(b[:min(len(b), 12000)])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := readFITSAllWith(b, fits.OpenOptions{MaxBytes: 1 << 20, MaxHeaderBytes: 1 << 16, MaxHDUs: 8})
		if err != nil {
			return
		}
		for _, tab := range ts {
			for i := range tab.Columns {
				c := &tab.Columns[i]
				if c.Len() < tab.NumRows() {
					t.Fatalf("column %q: %d cells for %d rows", c.Name, c.Len(), tab.NumRows())
				}
				for r := 0; r < tab.NumRows(); r++ {
					_ = c.StringAt(r)
					_ = c.FloatAt(r)
				}
			}
			_, _, _ = FindRADec(tab)
		}
	})
}
