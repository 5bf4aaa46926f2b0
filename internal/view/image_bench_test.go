package view

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
)

// synthFITS builds an n×n float32 TAN image.
func synthFITS(n int) []byte {
	cards := []string{"SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2",
		fmt.Sprintf("NAXIS1  = %20d", n), fmt.Sprintf("NAXIS2  = %20d", n),
		"CTYPE1  = 'RA---TAN'", "CTYPE2  = 'DEC--TAN'",
		fmt.Sprintf("CRPIX1  = %20.1f", float64(n+1)/2), fmt.Sprintf("CRPIX2  = %20.1f", float64(n+1)/2),
		"CRVAL1  =                 83.8", "CRVAL2  =                 -5.4", "CDELT1  =             -0.00025", "CDELT2  =              0.00025", "END"}
	var sb strings.Builder
	for _, c := range cards {
		sb.WriteString(fmt.Sprintf("%-80s", c))
	}
	hdr := []byte(sb.String())
	hdr = append(hdr, bytes.Repeat([]byte{' '}, 2880-len(hdr)%2880)...)
	data := make([]byte, (n*n*4+2879)/2880*2880)
	for i := range n * n {
		binary.BigEndian.PutUint32(data[4*i:], math.Float32bits(float32(math.Sin(float64(i%n)/50)*100+float64(i%97))))
	}
	return append(hdr, data...)
}

// BenchmarkOpenImage: decode, zscale, layout and upload queue of a 2048² float32 image.
func BenchmarkOpenImage(b *testing.B) {
	f := synthFITS(2048)
	b.SetBytes(int64(len(f)))
	for b.Loop() {
		v, _ := New(Options{Fov: 1, Lon: 83.8, Lat: -5.4, Width: 1024, Height: 768, DPR: 1})
		if _, err := v.OpenImage(bytes.NewReader(f), int64(len(f)), ImageOptions{HDU: -1}); err != nil {
			b.Fatal(err)
		}
		v.TakeUploads()
	}
}

// BenchmarkImageFrame: one frame's meshes for a 2048² image filling the view.
func BenchmarkImageFrame(b *testing.B) {
	f := synthFITS(2048)
	v, _ := New(Options{Fov: 0.6, Lon: 83.8, Lat: -5.4, Width: 1024, Height: 768, DPR: 1})
	if _, err := v.OpenImage(bytes.NewReader(f), int64(len(f)), ImageOptions{HDU: -1}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		v.dirty = true
		v.Frame()
	}
}

// BenchmarkImageFrameWide: one frame of a 1024² ZEA image of 240° across in
// a SIN view of 150°: its cells cut by the limb are refined (subdivide).
func BenchmarkImageFrameWide(b *testing.B) {
	n := 1024
	cards := []string{"SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2",
		fmt.Sprintf("NAXIS1  = %20d", n), fmt.Sprintf("NAXIS2  = %20d", n), "CTYPE1  = 'GLON-ZEA'", "CTYPE2  = 'GLAT-ZEA'",
		fmt.Sprintf("CRPIX1  = %20.1f", float64(n+1)/2), fmt.Sprintf("CRPIX2  = %20.1f", float64(n+1)/2),
		"CRVAL1  =                  0.0", "CRVAL2  =                 90.0",
		fmt.Sprintf("CDELT1  = %20.8f", -240.0/float64(n)), fmt.Sprintf("CDELT2  = %20.8f", 240.0/float64(n)), "END"}
	var sb strings.Builder
	for _, c := range cards {
		sb.WriteString(fmt.Sprintf("%-80s", c))
	}
	f := []byte(sb.String())
	f = append(f, bytes.Repeat([]byte{' '}, 2880-len(f)%2880)...)
	f = append(f, make([]byte, (n*n*4+2879)/2880*2880)...)
	v, _ := New(Options{Fov: 150, Lon: 192.86, Lat: 27.13, Proj: "SIN", Width: 1024, Height: 768, DPR: 1})
	if _, err := v.OpenImage(bytes.NewReader(f), int64(len(f)), ImageOptions{HDU: -1}); err != nil {
		b.Fatal(err)
	}
	vertices := 0
	for b.Loop() {
		v.dirty = true
		vertices = 0
		for _, m := range v.Frame().Meshes {
			vertices += len(m.Vertices) / 5
		}
	}
	b.ReportMetric(float64(vertices), "vertices")
}

// BenchmarkImageColormap: a colormap change (no pass over the data).
func BenchmarkImageColormap(b *testing.B) {
	f := synthFITS(2048)
	v, _ := New(Options{Fov: 0.6, Lon: 83.8, Lat: -5.4, Width: 1024, Height: 768, DPR: 1})
	id, err := v.OpenImage(bytes.NewReader(f), int64(len(f)), ImageOptions{HDU: -1})
	if err != nil {
		b.Fatal(err)
	}
	s, _ := v.ImageStretchOf(id)
	maps := []string{"viridis", "grey"}
	i := 0
	for b.Loop() {
		s.Colormap = maps[i%2]
		i++
		if err := v.SetImageStretch(id, s); err != nil {
			b.Fatal(err)
		}
	}
}

// Options.KeyPrefix starts every texture key a view's images ask for, small
// (chunks) and large (preview and tiles), and the keys RemoveImage returns.
func TestKeyPrefix(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		prefix string
	}{{"small", 64, "warm-up:"}, {"large", 2100, "x/"}, {"none", 64, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			f := synthFITS(tc.n)
			v, _ := New(Options{Fov: 1, Lon: 83.8, Lat: -5.4, Width: 640, Height: 480, DPR: 1, KeyPrefix: tc.prefix})
			id, err := v.OpenImage(bytes.NewReader(f), int64(len(f)), ImageOptions{HDU: -1})
			if err != nil {
				t.Fatal(err)
			}
			v.Frame()
			ups := v.TakeUploads()
			if len(ups) == 0 {
				t.Fatal("no upload")
			}
			keys, err := v.RemoveImage(id)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range append(keys, ups[0].Key) {
				if !strings.HasPrefix(k, tc.prefix+"image") {
					t.Errorf("key %q does not start with %q", k, tc.prefix+"image")
				}
			}
		})
	}
}
