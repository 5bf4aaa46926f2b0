package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/wcs"
)

// runInfo implements `viewer info [--json] [--max-bytes N] FILE`: HDUs, types,
// shapes, BITPIX, scaling, compression, WCS and statistics of a FITS file
// (plain, .fits.gz or tile-compressed).
func runInfo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	maxBytes := fs.Int64("max-bytes", fits.DefaultMaxBytes, "memory cap for decompressed data and one decoded image")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: viewer info [--json] [--max-bytes N] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	fh, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "viewer info: %v\n", err)
		return 1
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		fmt.Fprintf(stderr, "viewer info: %v\n", err)
		return 1
	}
	f, err := fits.OpenWithOptions(fh, st.Size(), fits.OpenOptions{MaxBytes: *maxBytes})
	if err != nil {
		fmt.Fprintf(stderr, "viewer info: %s: %v\n", path, err)
		return 1
	}
	rep := fits.Describe(f)
	for i := range rep.HDUs {
		rep.HDUs[i].Celestial = celestial(f.HDUs[i], rep.HDUs[i].Axes)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "viewer info: %v\n", err)
			return 1
		}
	} else if err := rep.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "viewer info: %v\n", err)
		return 1
	}
	for _, h := range rep.HDUs {
		if h.Error != "" {
			return 1
		}
	}
	return 0
}

// celestial summarises the celestial WCS of an image HDU with at least two
// axes, or returns nil when its header has no celestial axes.
func celestial(h *fits.HDU, axes []int) *fits.Celestial {
	if len(axes) < 2 {
		return nil
	}
	hdr := h.ImageHeader()
	if !hdr.Has("CTYPE1") && !hdr.Has("CTYPE2") {
		return nil
	}
	w, err := wcs.New(hdr)
	if err != nil {
		return &fits.Celestial{Error: err.Error()}
	}
	c := &fits.Celestial{}
	for i := 1; i <= len(axes); i++ {
		s, _ := hdr.String(fmt.Sprintf("CTYPE%d", i))
		if len(s) >= 4 && (s[:4] == "RA--" || s[1:4] == "LON" || s == "RA") && c.CType[0] == "" {
			c.CType[0] = s
		} else if len(s) >= 4 && (s[:4] == "DEC-" || s[1:4] == "LAT" || s == "DEC") && c.CType[1] == "" {
			c.CType[1] = s
		}
	}
	// Centre of the image in FITS 1-based pixels.
	x0, y0 := float64(axes[0]+1)/2, float64(axes[1]+1)/2
	lon, lat, ok := w.PixelToWorld(x0, y0)
	lx, bx, okx := w.PixelToWorld(x0+1, y0)
	ly, by, oky := w.PixelToWorld(x0, y0+1)
	if !ok || !okx || !oky {
		c.Error = "the image centre has no world coordinates"
		return c
	}
	c.CenterLon, c.CenterLat = lon, lat
	c.ScaleArcsec = math.Sqrt(sep(lon, lat, lx, bx)*sep(lon, lat, ly, by)) * 3600
	return c
}

// sep is the angular separation of two points, in degrees (Vincenty formula).
func sep(l1, b1, l2, b2 float64) float64 {
	const r = math.Pi / 180
	dl := (l2 - l1) * r
	s1, c1 := math.Sincos(b1 * r)
	s2, c2 := math.Sincos(b2 * r)
	sdl, cdl := math.Sincos(dl)
	num := math.Hypot(c2*sdl, c1*s2-s1*c2*cdl)
	den := s1*s2 + c1*c2*cdl
	return math.Atan2(num, den) / r
}
