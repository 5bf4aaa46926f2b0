package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fixture builds a handler over an in-memory web FS, a HiPS folder on disk
// (with a symlink pointing out of it) and a FITS file.
func fixture(t *testing.T) (*Handler, string) {
	t.Helper()
	tmp := t.TempDir()
	hipsDir := filepath.Join(tmp, "mysurvey")
	must(t, os.MkdirAll(filepath.Join(hipsDir, "Norder3", "Dir0"), 0o755))
	must(t, os.WriteFile(filepath.Join(hipsDir, "properties"), []byte("hips_order = 3\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(hipsDir, "Norder3", "Dir0", "Npix1.jpg"), []byte("\xff\xd8jpegdata"), 0o644))
	must(t, os.WriteFile(filepath.Join(tmp, "secret.txt"), []byte("TOP SECRET"), 0o644))
	must(t, os.Symlink(filepath.Join(tmp, "secret.txt"), filepath.Join(hipsDir, "escape.txt")))
	must(t, os.Symlink(tmp, filepath.Join(hipsDir, "up")))
	fitsPath := filepath.Join(tmp, "img.fits")
	must(t, os.WriteFile(fitsPath, []byte("SIMPLE  =                    T"), 0o644))

	big := strings.Repeat("console.log('skyglass');\n", 200)
	web := fstest.MapFS{
		"index.html":                        {Data: []byte("<!doctype html><title>Skyglass</title>")},
		"skyglass.js":                       {Data: []byte(big)},
		"dist/skyglass.wasm":                {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"dist/skyglass.wasm.gz":             {Data: gz(t, []byte("\x00asm\x01\x00\x00\x00"))},
		"dist/skyglass.wasm.br":             {Data: []byte("brotli-bytes")},
		"hips/mellinger/properties":         {Data: []byte("hips_order = 3\nhips_tile_format = jpeg\n")},
		"hips/mellinger/Norder3/Allsky.jpg": {Data: []byte("\xff\xd8allsky")},
	}
	h, err := New(Options{Web: web, HiPS: []string{hipsDir}, Files: []string{fitsPath}, ModTime: time.Unix(1700000000, 0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, tmp
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func do(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://127.0.0.1"+"/", nil)
	// Set the raw target so that encoded sequences reach the handler unchanged.
	req.URL.Path = ""
	req.RequestURI = target
	u, err := req.URL.Parse(target)
	if err == nil {
		req.URL = u
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestServeFilesAndMIME(t *testing.T) {
	h, _ := fixture(t)
	tests := []struct {
		target, wantType string
		wantBody         string
	}{
		{"/", "text/html; charset=utf-8", "<!doctype html>"},
		{"/index.html", "text/html; charset=utf-8", "<!doctype html>"},
		{"/skyglass.js", "text/javascript; charset=utf-8", "console.log"},
		{"/dist/skyglass.wasm", "application/wasm", "\x00asm"},
		{"/hips/mellinger/properties", "text/plain; charset=utf-8", "hips_order"},
		{"/hips/mellinger/Norder3/Allsky.jpg", "image/jpeg", "\xff\xd8"},
		{"/hips/mysurvey/properties", "text/plain; charset=utf-8", "hips_order = 3"},
		{"/hips/mysurvey/Norder3/Dir0/Npix1.jpg", "image/jpeg", "\xff\xd8jpeg"},
		{"/files/img.fits", "application/fits", "SIMPLE"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			rec := do(h, "GET", tc.target, nil)
			if rec.Code != 200 {
				t.Fatalf("status %d, want 200", rec.Code)
			}
			if got := rec.Header().Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type %q, want %q", got, tc.wantType)
			}
			if !strings.HasPrefix(rec.Body.String(), tc.wantBody) {
				t.Errorf("body %q does not start with %q", rec.Body.String(), tc.wantBody)
			}
			if rec.Header().Get("ETag") == "" || rec.Header().Get("Last-Modified") == "" {
				t.Errorf("missing ETag or Last-Modified: %v", rec.Header())
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("missing nosniff")
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	h, _ := fixture(t)
	tests := []struct {
		name, method, target string
		want                 int
	}{
		{"dotdot", "GET", "/hips/mysurvey/../secret.txt", 404},
		{"dotdot root", "GET", "/../secret.txt", 404},
		{"encoded dotdot", "GET", "/hips/mysurvey/%2e%2e/secret.txt", 404},
		{"encoded slash", "GET", "/hips/mysurvey%2f..%2fsecret.txt", 404},
		{"encoded backslash", "GET", "/hips/mysurvey/..%5csecret.txt", 404},
		{"backslash", "GET", "/hips/mysurvey/..\\secret.txt", 404},
		{"symlink to file outside", "GET", "/hips/mysurvey/escape.txt", 404},
		{"symlink to dir outside", "GET", "/hips/mysurvey/up/secret.txt", 404},
		{"directory listing", "GET", "/hips/mysurvey/Norder3/", 404},
		{"directory no slash", "GET", "/hips/mysurvey/Norder3", 404},
		{"hips root", "GET", "/hips/mysurvey/", 404},
		{"unknown hips", "GET", "/hips/nope/properties", 404},
		{"missing tile", "GET", "/hips/mysurvey/Norder3/Dir0/Npix2.jpg", 404},
		{"missing web file", "GET", "/nothing.js", 404},
		{"unknown file", "GET", "/files/other.fits", 404},
		{"hidden file", "GET", "/.git/config", 404},
		{"double slash", "GET", "//etc/passwd", 404},
		{"POST", "POST", "/index.html", 405},
		{"PUT", "PUT", "/hips/mysurvey/properties", 405},
		{"DELETE", "DELETE", "/files/img.fits", 405},
		{"PATCH", "PATCH", "/", 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, nil)
			if rec.Code != tc.want {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.target, rec.Code, tc.want)
			}
			body := rec.Body.String()
			if strings.Contains(body, "SECRET") || strings.Contains(body, "/tmp") || strings.Contains(body, "mysurvey") {
				t.Errorf("body leaks information: %q", body)
			}
			if tc.want == 405 && rec.Header().Get("Allow") == "" {
				t.Errorf("405 without Allow header")
			}
		})
	}
}

func TestHeadAndConditional(t *testing.T) {
	h, _ := fixture(t)
	rec := do(h, "HEAD", "/hips/mysurvey/Norder3/Dir0/Npix1.jpg", nil)
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Fatalf("HEAD: status %d, body %d bytes", rec.Code, rec.Body.Len())
	}
	if rec.Header().Get("Content-Length") != "10" {
		t.Errorf("HEAD Content-Length %q", rec.Header().Get("Content-Length"))
	}
	etag := rec.Header().Get("ETag")
	rec = do(h, "GET", "/hips/mysurvey/Norder3/Dir0/Npix1.jpg", map[string]string{"If-None-Match": etag})
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", rec.Code)
	}
	rec = do(h, "GET", "/index.html", nil)
	lm := rec.Header().Get("Last-Modified")
	rec = do(h, "GET", "/index.html", map[string]string{"If-Modified-Since": lm})
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-Modified-Since: status %d, want 304", rec.Code)
	}
	rec = do(h, "GET", "/files/img.fits", map[string]string{"Range": "bytes=0-5"})
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "SIMPLE" {
		t.Errorf("Range: status %d body %q", rec.Code, rec.Body.String())
	}
}

func TestGzip(t *testing.T) {
	h, _ := fixture(t)
	for _, target := range []string{"/dist/skyglass.wasm", "/skyglass.js"} {
		rec := do(h, "GET", target, map[string]string{"Accept-Encoding": "gzip"})
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not gzip-encoded: %v", target, rec.Header())
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		direct := do(h, "GET", target, nil)
		if !bytes.Equal(plain, direct.Body.Bytes()) || direct.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip body differs from plain body", target)
		}
		if rec.Header().Get("ETag") == direct.Header().Get("ETag") {
			t.Errorf("%s: same ETag for gzip and identity encodings", target)
		}
	}
}

func TestBrotli(t *testing.T) {
	h, _ := fixture(t)
	rec := do(h, "GET", "/dist/skyglass.wasm", map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"})
	if rec.Header().Get("Content-Encoding") != "br" || rec.Body.String() != "brotli-bytes" {
		t.Fatalf("br not preferred: %v %q", rec.Header(), rec.Body.String())
	}
	if rec.Header().Get("Content-Type") != "application/wasm" {
		t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	rec = do(h, "GET", "/dist/skyglass.wasm", map[string]string{"Accept-Encoding": "gzip, br;q=0"})
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("br;q=0 still got %q", rec.Header().Get("Content-Encoding"))
	}
	if rec := do(h, "GET", "/dist/skyglass.wasm.br", nil); rec.Code != 404 {
		t.Errorf("the .br twin is served on its own: %d", rec.Code)
	}
}

func TestNewErrors(t *testing.T) {
	tmp := t.TempDir()
	if _, err := New(Options{HiPS: []string{filepath.Join(tmp, "missing")}}); err == nil {
		t.Error("missing HiPS folder accepted")
	}
	if _, err := New(Options{HiPS: []string{tmp}}); err == nil || !strings.Contains(err.Error(), "properties") {
		t.Errorf("folder without properties: err = %v", err)
	}
	if _, err := New(Options{Files: []string{tmp}}); err == nil {
		t.Error("directory accepted as a file")
	}
}

func TestSafeNameUnique(t *testing.T) {
	tmp := t.TempDir()
	var dirs []string
	for _, p := range []string{"a/sky", "b/sky"} {
		d := filepath.Join(tmp, p)
		must(t, os.MkdirAll(d, 0o755))
		must(t, os.WriteFile(filepath.Join(d, "properties"), nil, 0o644))
		dirs = append(dirs, d)
	}
	h, err := New(Options{HiPS: dirs})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.Mounts[0].URL != "/hips/sky/" || h.Mounts[1].URL != "/hips/sky-2/" {
		t.Errorf("mounts %+v", h.Mounts)
	}
	if got := safeName("my survey?.fits"); got != "my_survey_.fits" {
		t.Errorf("safeName = %q", got)
	}
}
