package hips

import (
	"strings"
	"testing"
)

func TestTilePath(t *testing.T) {
	cases := []struct {
		id   TileID
		f    Format
		want string
	}{
		{TileID{3, 592, 0}, FormatJPEG, "Norder3/Dir0/Npix592.jpg"},
		{TileID{6, 34493, 0}, FormatFITS, "Norder6/Dir30000/Npix34493.fits"},
		{TileID{6, 10302, 0}, FormatPNG, "Norder6/Dir10000/Npix10302.png"}, // HiPS 1.0 example
		{TileID{6, 9999, 0}, FormatWebP, "Norder6/Dir0/Npix9999.webp"},
		{TileID{11, 50331647, 0}, FormatFITS, "Norder11/Dir50330000/Npix50331647.fits"},
		{TileID{5, 12, 7}, FormatFITS, "Norder5/Dir0/Npix12_7.fits"},
	}
	for _, c := range cases {
		if got := c.id.Path(c.f); got != c.want {
			t.Errorf("%v: %q, want %q", c.id, got, c.want)
		}
		id, f, err := ParseTilePath("https://x/y/" + c.want)
		if err != nil || id != c.id || f != c.f {
			t.Errorf("ParseTilePath(%q) = %v %v %v", c.want, id, f, err)
		}
	}
	if p := TilePath(3, 1, FormatPNG); p != "Norder3/Dir0/Npix1.png" {
		t.Error(p)
	}
	if p := AllskyPath(3, 0, FormatJPEG); p != "Norder3/Allsky.jpg" {
		t.Error(p)
	}
	if p := AllskyPath(3, 2, FormatFITS); p != "Norder3/Allsky_2.fits" {
		t.Error(p)
	}
	if NPix(3) != 768 || NPix(0) != 12 || DirOf(34493) != 30000 {
		t.Error("NPix/DirOf")
	}
}

func TestParseTilePathErrors(t *testing.T) {
	cases := map[string]string{
		"Npix1.jpg":                   "want",
		"Norder3/Dir0/Npix1":          "no extension",
		"Norder3/Dir0/Npix768.jpg":    "outside order",
		"Norder3/Dir10/Npix5.jpg":     "belongs in Dir0",
		"Norder6/Dir0/Npix34493.fits": "belongs in Dir30000",
		"Norderx/Dir0/Npix1.jpg":      "bad order",
		"Norder3/Dir0/Npix1_x.jpg":    "bad cube frame",
		"Norder3/Dir0/Npix1.gif":      "unknown extension",
		"Norder3/Dirx/Npix1.jpg":      "bad Dir",
		"Norder3/Dir0/Npix-1.jpg":     "outside order",
		"Norder3/Dir0/Npix1.5.jpg":    "bad Npix",
		"Norder99/Dir0/Npix1.jpg":     "bad order",
	}
	for in, msg := range cases {
		if _, _, err := ParseTilePath(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", in, err, msg)
		}
	}
}

func TestFormat(t *testing.T) {
	if FormatJPEG.Ext() != "jpg" || FormatFITS.Ext() != "fits" || !FormatWebP.IsImage() || FormatTSV.IsImage() || Format("gif").Known() {
		t.Error("format basics")
	}
	if f, ok := PreferredFormat([]Format{FormatPNG, FormatJPEG, FormatFITS}, true); !ok || f != FormatFITS {
		t.Error("want FITS for data")
	}
	if f, ok := PreferredFormat([]Format{FormatPNG, FormatJPEG, FormatFITS}, false); !ok || f != FormatPNG {
		t.Error("want first listed")
	}
	if _, ok := PreferredFormat([]Format{FormatTSV}, false); ok {
		t.Error("catalogue HiPS has no image format")
	}
	if FormatFITS.MIME() != "application/fits" {
		t.Error("mime")
	}
}

func FuzzParseTilePath(f *testing.F) {
	f.Add("Norder3/Dir0/Npix592.jpg")
	f.Add("https://alasky.cds.unistra.fr/DSS/Norder6/Dir30000/Npix34493_2.fits")
	f.Add("Norder3/Dir0/Npix1_x.png")
	f.Fuzz(func(t *testing.T, p string) {
		id, ft, err := ParseTilePath(p)
		if err != nil {
			return
		}
		if !id.Valid() || !ft.Known() {
			t.Fatalf("accepted invalid %v %q", id, ft)
		}
		// What parses is what Path writes (up to the jpeg/jpg spelling).
		id2, ft2, err := ParseTilePath(id.Path(ft))
		if err != nil || id2 != id || ft2 != ft {
			t.Fatalf("round trip %q -> %v %v -> %v %v %v", p, id, ft, id2, ft2, err)
		}
	})
}
