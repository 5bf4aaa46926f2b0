package view

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/stretch"
)

// fitsTruth is the part of testdata/fits/fits_images.json these tests read.
type fitsTruth struct {
	Files []struct {
		File string `json:"file"`
		HDUs []struct {
			Naxis   []int `json:"naxis"`
			Samples []struct {
				Pix   []int    `json:"pix"`
				Value *float64 `json:"value"`
				IsNaN bool     `json:"is_nan"`
			} `json:"samples"`
		} `json:"hdus"`
	} `json:"files"`
}

type wcsTruth struct {
	Pix2World [][]float64 `json:"pix2world"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func openTestImage(t *testing.T, v *View, file string, o ImageOptions) int {
	t.Helper()
	b, err := os.ReadFile("../../testdata/fits/" + file)
	if err != nil {
		t.Fatal(err)
	}
	o.Name = file
	id, err := v.OpenImage(bytes.NewReader(b), int64(len(b)), o)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return id
}

func newImageView(t *testing.T) *View {
	t.Helper()
	v, err := New(Options{Lon: 0, Lat: 0, Fov: 60, Width: 800, Height: 600, DPR: 1})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestImageValuesAndWCS reads the truth's sample pixels through the image's
// WCS (pixel -> sky -> pixel under that sky position) and directly, and
// compares the image's WCS with astropy's pix2world (ICRS files).
func TestImageValuesAndWCS(t *testing.T) {
	var truth fitsTruth
	readJSON(t, "../../testdata/fits/fits_images.json", &truth)
	cases := []struct {
		file, truthFile, wcs string
		hdu                  int
	}{
		{"astroquery_sha_img.fits", "fits/astroquery_sha_img.fits", "fits__astroquery_sha_img__hdu0", 0},
		{"astroquery_ukidss_image.fits", "fits/astroquery_ukidss_image.fits", "fits__astroquery_ukidss_image__hdu1", 1},
		{"derived_sha_img_int16_blank.fits", "fits/derived_sha_img_int16_blank.fits", "fits__derived_sha_img_int16_blank__hdu0", 0},
		{"sha_img_rice_q4.fits.fz", "fz/sha_img_rice_q4.fits.fz", "fits__astroquery_sha_img__hdu0", 1},
		{"photutils_fermi_counts.fits.gz", "fits/photutils_fermi_counts.fits.gz", "", 1},
		{"astroscrappy_gmos.fits", "fits/astroscrappy_gmos.fits", "", 2},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			v := newImageView(t)
			id := openTestImage(t, v, c.file, ImageOptions{HDU: c.hdu})
			var samples = truth.Files[0].HDUs[0].Samples
			found := false
			for _, f := range truth.Files {
				if f.File == c.truthFile {
					samples, found = f.HDUs[c.hdu].Samples, true
				}
			}
			if !found {
				t.Fatalf("no truth for %s", c.truthFile)
			}
			for _, s := range samples {
				x, y := float64(s.Pix[0]), float64(s.Pix[1])
				want := math.NaN()
				if !s.IsNaN {
					want = float64(float32(*s.Value))
				}
				got, ok := v.ImagePixelValue(id, x, y)
				if !ok {
					got = math.NaN()
				}
				if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("pixel %v: %v, truth %v", s.Pix, got, want)
				}
				lon, lat, ok := v.ImagePixelToWorld(id, x, y)
				if !ok {
					t.Errorf("pixel %v has no sky position", s.Pix)
					continue
				}
				got2, _, _, ok := v.ImageValueAt(id, lon, lat)
				if !ok {
					got2 = math.NaN()
				}
				if !(got2 == want || math.IsNaN(got2) && math.IsNaN(want)) {
					t.Errorf("value at the sky position of pixel %v: %v, truth %v", s.Pix, got2, want)
				}
			}
			if c.wcs == "" {
				return
			}
			var wt wcsTruth
			readJSON(t, "../../testdata/wcs/truth/"+c.wcs+".json", &wt)
			n := 0
			for _, p := range wt.Pix2World {
				lon, lat, ok := v.ImagePixelToWorld(id, p[0], p[1])
				if !ok {
					continue
				}
				n++
				if d := angDist(lon, lat, p[2], p[3]); d > 1e-9 {
					t.Errorf("pixel (%v, %v): %v %v, astropy %v %v (%.3g deg)", p[0], p[1], lon, lat, p[2], p[3], d)
				}
			}
			if n < 10 {
				t.Errorf("only %d WCS truth points compared", n)
			}
		})
	}
}

// TestImageChunksAndMesh splits an image into texture chunks smaller than
// the image and checks that the meshes cover the whole image, with texture
// coordinates mapping pixel edges to texel edges, rows top-down.
func TestImageChunksAndMesh(t *testing.T) {
	v := newImageView(t)
	id := openTestImage(t, v, "astroquery_sha_img.fits", ImageOptions{HDU: -1, MaxTexture: 50})
	in, err := v.ImageInfo(id)
	if err != nil {
		t.Fatal(err)
	}
	v.SetView(in.Center[0], in.Center[1], in.Size*1.5)
	ups := v.TakeUploads()
	if len(ups) != 9 {
		t.Fatalf("%d uploads for a 128x128 image in chunks of 50, want 9", len(ups))
	}
	total := 0
	for _, u := range ups {
		if u.W > 50 || u.H > 50 || len(u.Data) != u.W*u.H {
			t.Errorf("chunk %s is %dx%d with %d values", u.Key, u.W, u.H, len(u.Data))
		}
		total += u.W * u.H
	}
	if total != 128*128 {
		t.Errorf("chunks hold %d pixels, want %d", total, 128*128)
	}
	// The chunk at (x0, y0) = (50, 50): its uploaded row r is FITS row 51 + r
	// (image chunks keep FITS row order; t = 0 at the bottom edge).
	im, _ := v.image(id)
	for _, u := range ups {
		if u.Key != im.chunks[4].key {
			continue
		}
		for r := range 50 {
			for i := range 50 {
				a, b := u.Data[r*50+i], im.data[(50+r)*128+50+i]
				if a != b && !(a != a && b != b) {
					t.Fatalf("chunk row %d col %d = %v, FITS pixel (%d, %d) = %v", r, i, a, 51+i, 51+r, b)
				}
			}
		}
	}
	dl := v.Frame()
	if len(dl.Meshes) != 9 {
		t.Fatalf("%d meshes, want 9", len(dl.Meshes))
	}
	for _, m := range dl.Meshes {
		if m.Stretch == nil || len(m.Indices) == 0 {
			t.Fatalf("mesh %s: stretch %v, %d indices", m.Texture, m.Stretch, len(m.Indices))
		}
		for k := 0; k < len(m.Vertices); k += 5 {
			s, tt := m.Vertices[k+2], m.Vertices[k+3]
			if s < 0 || s > 1 || tt < 0 || tt > 1 {
				t.Fatalf("mesh %s: texture coordinates (%v, %v) outside [0, 1]", m.Texture, s, tt)
			}
		}
	}
	keys, err := v.RemoveImage(id)
	if err != nil || len(keys) != 9 {
		t.Fatalf("RemoveImage: %v keys, %v", keys, err)
	}
	if dl := v.Frame(); len(dl.Meshes) != 0 {
		t.Errorf("%d meshes after removal", len(dl.Meshes))
	}
}

// TestImageStretch: display settings change the draw list's parameters only.
func TestImageStretch(t *testing.T) {
	v := newImageView(t)
	id := openTestImage(t, v, "astroquery_sha_img.fits", ImageOptions{HDU: -1})
	v.TakeUploads()
	in, _ := v.ImageInfo(id)
	v.SetView(in.Center[0], in.Center[1], 2*in.Size)
	// zscale on this image (fits_stretch truth via internal/stretch's own tests): lo < hi.
	if !(in.Lo < in.Hi) {
		t.Fatalf("zscale limits %v %v", in.Lo, in.Hi)
	}
	tests := []struct {
		s       ImageStretch
		wantErr string
	}{
		{ImageStretch{Interval: "minmax", Stretch: "log", Colormap: "viridis"}, ""},
		{ImageStretch{Interval: "percentile", Percentile: 99.5, Stretch: "histeq", Colormap: "grey", Invert: true}, ""},
		{ImageStretch{Interval: "manual", Min: 0, Max: 100, Stretch: "asinh", Contrast: 2, Bias: 0.3}, ""},
		{ImageStretch{Interval: "percentile", Percentile: 120, Stretch: "linear"}, "percentile"},
		{ImageStretch{Interval: "sigma", Stretch: "linear"}, "unknown interval"},
		{ImageStretch{Interval: "minmax", Stretch: "cubic"}, "stretch"},
		{ImageStretch{Interval: "minmax", Stretch: "linear", Colormap: "nosuchmap"}, "nosuchmap"},
	}
	for _, tc := range tests {
		err := v.SetImageStretch(id, tc.s)
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.s, err)
				continue
			}
			if u := v.TakeUploads(); len(u) != 0 {
				t.Errorf("%+v: a stretch change queued %d uploads", tc.s, len(u))
			}
			dl := v.Frame()
			if len(dl.Meshes) == 0 || dl.Meshes[0].Stretch.Colormap != strings.TrimPrefix(strings.TrimPrefix(tc.s.Colormap, "grey"), "gray") {
				t.Errorf("%+v: draw list not updated", tc.s)
			}
			if tc.s.Interval == "manual" && (dl.Meshes[0].Stretch.Lo != 0 || dl.Meshes[0].Stretch.Hi != 100) {
				t.Errorf("manual limits: %v %v", dl.Meshes[0].Stretch.Lo, dl.Meshes[0].Stretch.Hi)
			}
		} else if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%+v: error %v, want one mentioning %q", tc.s, err, tc.wantErr)
		}
	}
	if err := v.SetImageOpacity(id, 0.5); err != nil {
		t.Fatal(err)
	}
	if dl := v.Frame(); dl.Meshes[0].Opacity != 0.5 {
		t.Errorf("opacity %v", dl.Meshes[0].Opacity)
	}
}

// TestImageMeshReuse: a display change redraws the last frame's mesh (the
// same vertices, not placed again), and after each change of the camera the
// mesh is that of a view opened on the new camera.
func TestImageMeshReuse(t *testing.T) {
	v := newImageView(t)
	id := openTestImage(t, v, "astroquery_sha_img.fits", ImageOptions{HDU: -1})
	in, _ := v.ImageInfo(id)
	v.SetView(in.Center[0], in.Center[1], 2*in.Size)
	first := v.Frame().Meshes[0]
	if err := v.SetImageStretch(id, ImageStretch{Interval: "minmax", Stretch: "log", Colormap: "heat"}); err != nil {
		t.Fatal(err)
	}
	again := v.Frame().Meshes[0]
	if &again.Vertices[0] != &first.Vertices[0] || again.Stretch.Colormap != "heat" {
		t.Fatalf("a stretch change rebuilt the mesh or kept the old stretch (%q)", again.Stretch.Colormap)
	}
	tests := []struct {
		name   string
		change func(v *View) error
	}{
		{"pan", func(v *View) error { v.SetView(in.Center[0]+in.Size/3, in.Center[1], 0); return nil }},
		{"zoom", func(v *View) error { v.SetFov(in.Size / 2); return nil }},
		{"projection", func(v *View) error { return v.SetProjection("AIT") }},
		{"resize", func(v *View) error { v.Resize(640, 480, 2); return nil }},
		{"frame", func(v *View) error { return v.SetFrame("galactic") }},
		{"pixel grid", func(v *View) error { return v.SetImagePixelGrid(id, true, true) }},
		{"frame with a pixel grid", func(v *View) error { return v.SetFrame("icrs") }},
	}
	for _, tc := range tests {
		if err := tc.change(v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := v.Frame().Meshes
		// A view opened on the camera reached, with the same mode.
		fresh := newImageView(t)
		if err := fresh.SetFrame(v.FrameName()); err != nil {
			t.Fatal(err)
		}
		c := v.Camera()
		fresh.Resize(c.Width, c.Height, c.DPR)
		if err := fresh.SetProjection(c.Proj); err != nil {
			t.Fatal(err)
		}
		fid := openTestImage(t, fresh, "astroquery_sha_img.fits", ImageOptions{HDU: -1})
		if on, north := v.ImagePixelGrid(id); on {
			if err := fresh.SetImagePixelGrid(fid, on, north); err != nil {
				t.Fatal(err)
			}
		}
		ra, dec := v.Center()
		fresh.SetView(ra, dec, c.Fov)
		want := fresh.Frame().Meshes
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d meshes, a fresh view has %d", tc.name, len(got), len(want))
		}
		for i := range got {
			if !slices.Equal(got[i].Vertices, want[i].Vertices) || !slices.Equal(got[i].Indices, want[i].Indices) {
				t.Errorf("%s: mesh %d differs from a fresh view's (%d/%d vertices)", tc.name, i, len(got[i].Vertices), len(want[i].Vertices))
			}
		}
	}
}

// TestImageZScaleLimits: the zscale limits an image opens with (counting
// pass skipped for integer images and for BITPIX -32 planes, whose finite
// values are counted while decoded) are those of a plain ZScale over its
// values, NaN-holding HEALPix maps and compressed images included.
func TestImageZScaleLimits(t *testing.T) {
	for _, file := range []string{"astroquery_sha_img.fits", "hpxcvt_wmap_V_hpx.fits", "hpxcvt_justq_ecl_hpx.fits",
		"astrogo_bitpix_m32.fits", "astrogo_bitpix_p16.fits", "astropy_blank.fits", "sha_img_rice_q4.fits.fz",
		"sha_img_nanmask_plio.fits.fz", "derived_sha_img_int16_blank.fits"} {
		t.Run(file, func(t *testing.T) {
			v := newImageView(t)
			id := openTestImage(t, v, file, ImageOptions{HDU: -1})
			in, _ := v.ImageInfo(id)
			im, _ := v.image(id)
			lo, hi := stretch.ZScale{}.LimitsF32(im.data)
			if math.IsNaN(lo) {
				lo, hi = 0, 1
			}
			if in.Lo != lo || in.Hi != hi {
				t.Errorf("opened with %v, %v; ZScale gives %v, %v", in.Lo, in.Hi, lo, hi)
			}
		})
	}
}

// TestImageCube: plane option and SetImagePlane against the truth samples.
func TestImageCube(t *testing.T) {
	var truth fitsTruth
	readJSON(t, "../../testdata/fits/fits_images.json", &truth)
	v := newImageView(t)
	id := openTestImage(t, v, "astropy_arange.fits", ImageOptions{HDU: -1, Plane: 2})
	in, _ := v.ImageInfo(id)
	if in.Plane != 2 || in.Planes != 7 || !in.PixelMode || in.WCS != nil || !strings.Contains(in.Notice, "no usable celestial WCS") {
		t.Fatalf("info: plane %d of %d, pixel mode %v, wcs %v, notice %q", in.Plane, in.Planes, in.PixelMode, in.WCS, in.Notice)
	}
	for _, f := range truth.Files {
		if f.File != "fits/astropy_arange.fits" {
			continue
		}
		for _, s := range f.HDUs[0].Samples {
			if err := v.SetImagePlane(id, s.Pix[2]-1); err != nil {
				t.Fatal(err)
			}
			got, ok := v.ImagePixelValue(id, float64(s.Pix[0]), float64(s.Pix[1]))
			if !ok || got != *s.Value {
				t.Errorf("pixel %v: %v, truth %v", s.Pix, got, *s.Value)
			}
		}
	}
	if err := v.SetImagePlane(id, 7); err == nil || !strings.Contains(err.Error(), "no plane 7") {
		t.Errorf("plane 7: %v", err)
	}
}

// TestImageErrors: bad input gives errors naming the problem.
func TestImageErrors(t *testing.T) {
	b, err := os.ReadFile("../../testdata/fits/astroquery_candels_3band.fits")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		hdu  int
		want string
	}{
		{"text", []byte("hello, this is not a FITS file"), -1, "not a readable FITS file"},
		{"empty", nil, -1, "not a readable FITS file"},
		{"primary without data", b, 0, "HDU 0 (PRIMARY) holds no image"},
		{"no such HDU", b, 7, "no HDU 7"},
		{"truncated header", b[:1000], -1, "x.fits"},
	}
	for _, tc := range tests {
		v := newImageView(t)
		_, err := v.OpenImage(bytes.NewReader(tc.data), int64(len(tc.data)), ImageOptions{HDU: tc.hdu, Name: "x.fits"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	v := newImageView(t)
	id := openTestImage(t, v, "astropy_scale.fits", ImageOptions{HDU: -1})
	if err := v.SetImagePlane(id, 0); err != nil {
		t.Errorf("plane 0 of a 2-D image: %v", err)
	}
	if err := v.SetImagePlane(id, 1); err == nil || !strings.Contains(err.Error(), "no plane 1") {
		t.Errorf("plane 1 of a 2-D image: %v", err)
	}
	if _, err := v.ImageInfo(42); err == nil {
		t.Error("ImageInfo of a missing image: no error")
	}
}

// FuzzOpenImage: no input panics or hangs; an opened image draws.
func FuzzOpenImage(f *testing.F) {
	for _, name := range []string{"astrogo_bitpix_p16.fits", "astropy_arange.fits", "sha_img_rice_q4.fits.fz", "astropy_scale.fits"} {
		b, err := os.ReadFile("../../testdata/fits/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("SIMPLE  =                    T"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := New(Options{Fov: 60, Width: 200, Height: 100, DPR: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Read in place (a downloaded body, fits.OwnedBytes: the plane may be
		// lent) and through a copy of the bytes: the same outcome.
		var vals [2]float64
		for k, r := range []io.ReaderAt{fits.NewOwnedBytes(slices.Clone(b)), bytes.NewReader(b)} {
			id, err := v.OpenImage(r, int64(len(b)), ImageOptions{HDU: -1, MaxTexture: 64, MaxPixels: 1 << 20})
			if err != nil {
				return
			}
			if _, err := v.ImageInfo(id); err != nil {
				t.Fatal(err)
			}
			in, _ := v.ImageInfo(id)
			v.SetView(in.Center[0], in.Center[1], math.Max(in.Size, 1e-3))
			v.Frame()
			vals[k], _, _, _ = v.ImageValueAt(id, in.Center[0], in.Center[1])
		}
		if vals[0] != vals[1] && !(math.IsNaN(vals[0]) && math.IsNaN(vals[1])) {
			t.Fatalf("the value at the centre is %v read in place, %v from a copy", vals[0], vals[1])
		}
	})
}
