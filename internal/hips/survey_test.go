package hips

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSurveyLocalAndHTTP(t *testing.T) {
	ctx := context.Background()
	srv := hipsServer(t, nil)
	hf, _ := NewHTTPFetcher(srv.URL+"/ngc1316", nil)
	for name, f := range map[string]Fetcher{"fs": &FSFetcher{FS: os.DirFS(td + "ngc1316")}, "http": hf} {
		s, err := OpenSurvey(ctx, f, SurveyOptions{WantData: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Format != FormatFITS || s.Order != 6 || s.Width != 512 || s.Frame != Equatorial {
			t.Errorf("%s: %v %d %d %v", name, s.Format, s.Order, s.Width, s.Frame)
		}
		ids := []TileID{{6, 34493, 0}, {6, 34492, 0}, {6, 1, 0}, {6, 34493, 0}}
		tiles, err := s.Tiles(ctx, ids)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(tiles) != 3 || tiles[ids[0]].Image == nil || tiles[ids[0]].Image.Width != 512 || !tiles[ids[2]].Empty {
			t.Errorf("%s: tiles %v", name, tiles)
		}
		// Second call: from the cache, 404 included.
		if _, ok := s.Cached(TileID{6, 1, 0}); !ok {
			t.Errorf("%s: 404 not cached", name)
		}
		if s.Cache().Bytes() < 2*512*512*4 {
			t.Errorf("%s: cache holds %d bytes", name, s.Cache().Bytes())
		}
	}
	// Colour Allsky of mellinger: 64-pixel pieces of 128-pixel tiles are
	// returned but not cached as tiles.
	s, err := OpenSurvey(ctx, &FSFetcher{FS: os.DirFS(td + "mellinger")}, SurveyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := s.LoadAllsky(ctx, 3)
	if err != nil || len(pieces) != 768 || s.Cache().Len() != 0 {
		t.Errorf("allsky: %d pieces, %v, cache %d", len(pieces), err, s.Cache().Len())
	}
	// dirbe60: full-resolution Allsky pieces are cached (pinned) as tiles.
	s, err = OpenSurvey(ctx, &FSFetcher{FS: os.DirFS(td + "dirbe60")}, SurveyOptions{Format: FormatFITS})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadAllsky(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if s.Cache().Len() != 768 || s.Cache().PinnedBytes() == 0 {
		t.Errorf("dirbe60 allsky cache: %d entries, %d pinned bytes", s.Cache().Len(), s.Cache().PinnedBytes())
	}
	if _, err := s.LoadAllsky(ctx, 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing Allsky: %v", err)
	}
}

// TestSurveyMalformed: a broken HiPS gives errors naming the tile, or empty
// tiles, never a crash.
func TestSurveyMalformed(t *testing.T) {
	ctx := context.Background()
	good, _ := os.ReadFile(td + "dirbe60/Norder3/Dir0/Npix229.fits")
	png64, _ := os.ReadFile(td + "ngc1316/Norder3/Dir0/Npix538.png")
	props := "creator_did = ivo://x\nobs_title = broken\nhips_order = 3\nhips_tile_width = 32\nhips_tile_format = fits png\nhips_frame = equatorial\n"
	fsys := fstest.MapFS{
		"properties":              {Data: []byte(props)},
		"Norder3/Dir0/Npix1.fits": {Data: good},
		"Norder3/Dir0/Npix2.fits": {Data: []byte("<html>oops</html>")},
		"Norder3/Dir0/Npix3.fits": {Data: good[:4000]},
		"Norder3/Dir0/Npix4.png":  {Data: png64},
		"Norder3/Allsky.fits":     {Data: good},
		"Norder3/Dir0/Npix5.fits": {Data: nil},
	}
	s, err := OpenSurvey(ctx, &FSFetcher{FS: fsys}, SurveyOptions{WantData: true})
	if err != nil {
		t.Fatal(err)
	}
	tiles, err := s.Tiles(ctx, []TileID{{3, 1, 0}, {3, 2, 0}, {3, 3, 0}, {3, 5, 0}, {3, 6, 0}})
	if tiles[TileID{3, 1, 0}] == nil || tiles[TileID{3, 6, 0}] == nil || !tiles[TileID{3, 6, 0}].Empty {
		t.Errorf("good and missing tiles: %v", tiles)
	}
	for _, want := range []string{"3/2 (Norder3/Dir0/Npix2.fits)", "3/3 (Norder3/Dir0/Npix3.fits)", "truncated", "3/5", "empty"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %q", err, want)
		}
	}
	// Wrong tile size: 512-pixel PNG in a 32-pixel HiPS.
	s2, _ := OpenSurvey(ctx, &FSFetcher{FS: fsys}, SurveyOptions{Format: FormatPNG})
	if _, err := s2.Tiles(ctx, []TileID{{3, 4, 0}}); err == nil || !strings.Contains(err.Error(), "hips_tile_width says 32") {
		t.Errorf("wrong size: %v", err)
	}
	// Allsky of the wrong shape.
	if _, err := s.LoadAllsky(ctx, 3); err == nil || !strings.Contains(err.Error(), "Allsky.fits") {
		t.Errorf("bad Allsky: %v", err)
	}
	// Format not offered, invalid tiles, missing properties.
	if _, err := OpenSurvey(ctx, &FSFetcher{FS: fsys}, SurveyOptions{Format: FormatJPEG}); err == nil {
		t.Error("jpeg accepted")
	}
	if _, err := s.Tiles(ctx, []TileID{{3, 768, 0}}); err == nil {
		t.Error("invalid tile accepted")
	}
	if _, err := OpenSurvey(ctx, &FSFetcher{FS: fstest.MapFS{}}, SurveyOptions{}); err == nil || !strings.Contains(err.Error(), "no properties") {
		t.Errorf("missing properties: %v", err)
	}
	bad := fstest.MapFS{"properties": {Data: []byte("hips_order = 3\nhips_tile_width = 33\n")}}
	if _, err := OpenSurvey(ctx, &FSFetcher{FS: bad}, SurveyOptions{}); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad properties: %v", err)
	}
	// Server errors after retries name the tile.
	srv := hipsServer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "Npix") {
			w.WriteHeader(http.StatusInternalServerError)
			return true
		}
		return false
	})
	hf, _ := NewHTTPFetcher(srv.URL+"/dirbe60", nil)
	s3, err := OpenSurvey(ctx, hf, SurveyOptions{WantData: true, Queue: QueueOptions{Retries: 1, Backoff: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Tiles(ctx, []TileID{{3, 229, 0}}); err == nil || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "3/229") {
		t.Errorf("500: %v", err)
	}
	// Coverage: tiles outside are empty without a fetch.
	s4, _ := OpenSurvey(ctx, hf, SurveyOptions{WantData: true, Coverage: setCoverage{}})
	if tl, err := s4.Tiles(ctx, []TileID{{3, 229, 0}}); err != nil || !tl[TileID{3, 229, 0}].Empty {
		t.Errorf("outside coverage: %v %v", tl, err)
	}
}

func TestSurveyMOC(t *testing.T) {
	ctx := context.Background()
	ngc := survey(t, "ngc1316")
	if ngc.MOC == nil || ngc.MOCError != nil {
		t.Fatalf("ngc1316 MOC: %v", ngc.MOCError)
	}
	// The four order-6 tiles of the test data are inside the coverage; the
	// coverage is 1.7 deg² (about 4e-5 of the sky).
	for _, p := range []int64{34492, 34493, 34494, 34495} {
		if !ngc.Coverage.Contains(6, p) {
			t.Errorf("tile 6/%d outside the MOC", p)
		}
	}
	if ngc.Coverage.Contains(6, 0) || ngc.Coverage.Contains(3, 0) || !ngc.Coverage.Contains(0, 8) {
		t.Error("MOC coverage wrong")
	}
	if f := ngc.MOC.SkyFraction(); f < 1e-5 || f > 1e-4 {
		t.Errorf("ngc1316 sky fraction %g", f)
	}
	// Tiles outside the coverage are not requested.
	plan := PlanView(View{Center: [2]float64{50.68846, -37.20245}, Radius: 3}, 6.4/3600, PlanOptions{Width: 512, OrderMax: 6, Coverage: ngc.Coverage})
	for _, w := range plan.Visible {
		if !ngc.Coverage.Contains(6, w.ID.Pix) {
			t.Errorf("visible tile %v outside coverage", w.ID)
		}
	}
	if len(plan.Visible) == 0 || len(plan.Visible) > 8 {
		t.Errorf("%d visible tiles within coverage", len(plan.Visible))
	}
	for _, name := range []string{"dirbe60", "mellinger"} {
		s := survey(t, name)
		if s.MOC == nil || s.MOC.SkyFraction() < 0.999 {
			t.Errorf("%s: MOC %v", name, s.MOCError)
		}
	}
	// A broken or mismatched Moc.fits is reported, not fatal.
	props := "creator_did = ivo://x\nobs_title = t\nhips_order = 3\nhips_tile_width = 32\nhips_tile_format = fits\nhips_frame = galactic\n"
	mocb, _ := os.ReadFile(td + "ngc1316/Moc.fits")
	for name, moc := range map[string][]byte{"broken": []byte("SIMPLE  = T"), "frame": mocb} {
		fsys := fstest.MapFS{"properties": {Data: []byte(props)}, "Moc.fits": {Data: moc}}
		s, err := OpenSurvey(ctx, &FSFetcher{FS: fsys}, SurveyOptions{})
		if err != nil || s.MOCError == nil || s.Coverage != nil {
			t.Errorf("%s Moc.fits: err %v, MOCError %v", name, err, s.MOCError)
		}
	}
}

func survey(t *testing.T, name string) *Survey {
	t.Helper()
	s, err := OpenSurvey(context.Background(), &FSFetcher{FS: os.DirFS(td + name)}, SurveyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSurveyPinCap(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSurvey(ctx, &FSFetcher{FS: os.DirFS(td + "dirbe60")}, SurveyOptions{Format: FormatFITS, CacheBytes: 100 * 4200})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadAllsky(ctx, 3); err != nil {
		t.Fatal(err)
	}
	// 768 tiles of 4 kB with a 420 kB budget: about 100 pinned, the rest
	// evicted down to the budget.
	if p := s.Cache().PinnedBytes(); p > 100*4200 || p < 90*4200 {
		t.Errorf("pinned %d bytes", p)
	}
	if b := s.Cache().Bytes(); b > 100*4200 {
		t.Errorf("unpinned %d bytes over budget", b)
	}
}
