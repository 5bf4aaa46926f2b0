// Package server is the HTTP handler behind `viewer serve`: it serves the
// embedded web UI and wasm (precompressed), the embedded default sky, extra
// local HiPS folders and FITS files, read-only.
//
// The rules are strict because the server exposes local folders: GET and HEAD
// only, no directory listings, no path that leaves a served root (".." segments,
// symbolic links, encoded slashes or backslashes are refused), 404 bodies that
// reveal nothing about the file system, and ETag/Last-Modified validators so
// browsers cache tiles.
package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options configures a Handler.
type Options struct {
	// Web holds the UI files (index.html, skyglass.js, the wasm, the default sky…),
	// served at the root. Usually the embedded web.Files.
	Web fs.FS
	// HiPS lists local HiPS folders, each served at /hips/<name>/ where <name> is
	// the folder's base name (made unique with -2, -3… when names repeat).
	HiPS []string
	// Files lists local files (FITS images, tables), each served at /files/<name>.
	Files []string
	// ModTime is reported as Last-Modified for the embedded files (which carry no
	// time of their own); the zero value means the time the handler was made.
	ModTime time.Time
}

// Handler serves the viewer. Create it with New.
type Handler struct {
	web     map[string]*memFile // cleaned path (no leading slash) -> file
	hips    map[string]*os.Root // mount name -> root
	files   map[string]string   // mount name -> absolute file path
	modTime time.Time
	// Mounts lists the URL paths of the extra HiPS folders and files, in the
	// order given, for printing.
	Mounts []Mount
}

// Mount is one extra folder or file served by the handler.
type Mount struct {
	URL  string // path on the server, e.g. /hips/dss/
	Path string // local path
}

type memFile struct {
	name string
	data []byte
	gz   []byte // gzip copy, nil when not worth it
	br   []byte // brotli copy (a FILE.br twin in the FS), nil when absent
	etag string
}

// compressible lists the extensions served gzip-compressed when the client accepts it.
var compressible = map[string]bool{
	".html": true, ".js": true, ".mjs": true, ".css": true, ".json": true, ".wasm": true,
	".svg": true, ".txt": true, ".md": true, ".ts": true, "": true, // "properties" has no extension
}

// New builds a handler. It reads the whole web FS into memory (it is embedded
// anyway), precompressing text and wasm files; files "x.gz" and "x.br" next to
// "x" in the FS are taken as x's precompressed forms (brotli is preferred
// when the client accepts it: the wasm is about a quarter smaller than gzip). It opens each HiPS folder as a rooted
// file system that cannot be escaped.
func New(opt Options) (*Handler, error) {
	h := &Handler{
		web:     map[string]*memFile{},
		hips:    map[string]*os.Root{},
		files:   map[string]string{},
		modTime: opt.ModTime,
	}
	if h.modTime.IsZero() {
		h.modTime = time.Now()
	}
	h.modTime = h.modTime.UTC().Truncate(time.Second)
	if opt.Web != nil {
		if err := h.loadWeb(opt.Web); err != nil {
			return nil, fmt.Errorf("server: reading the embedded web files: %w", err)
		}
	}
	used := map[string]int{}
	unique := func(base string) string {
		used[base]++
		if n := used[base]; n > 1 {
			return fmt.Sprintf("%s-%d", base, n)
		}
		return base
	}
	for _, dir := range opt.HiPS {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("server: HiPS folder %q: %w", dir, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("server: HiPS folder %q is not a directory", dir)
		}
		if _, err := os.Stat(filepath.Join(dir, "properties")); err != nil {
			return nil, fmt.Errorf("server: HiPS folder %q has no properties file", dir)
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, fmt.Errorf("server: HiPS folder %q: %w", dir, err)
		}
		abs, _ := filepath.Abs(dir)
		name := unique(safeName(filepath.Base(abs)))
		h.hips[name] = root
		h.Mounts = append(h.Mounts, Mount{URL: "/hips/" + name + "/", Path: abs})
	}
	for _, f := range opt.Files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("server: file %q: %w", f, err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("server: %q is not a regular file", f)
		}
		abs, _ := filepath.Abs(f)
		name := unique(safeName(filepath.Base(abs)))
		h.files[name] = abs
		h.Mounts = append(h.Mounts, Mount{URL: "/files/" + name, Path: abs})
	}
	return h, nil
}

// Close releases the opened HiPS roots.
func (h *Handler) Close() error {
	var errs []error
	for _, r := range h.hips {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}

// safeName keeps a file name usable as one URL path segment.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 || strings.Trim(b.String(), ".") == "" {
		return "item"
	}
	return b.String()
}

func (h *Handler) loadWeb(fsys fs.FS) error {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, n := range names {
		if (strings.HasSuffix(n, ".gz") && have[strings.TrimSuffix(n, ".gz")]) ||
			(strings.HasSuffix(n, ".br") && have[strings.TrimSuffix(n, ".br")]) {
			continue // the precompressed twin of another file
		}
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		mf := &memFile{name: n, data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		if have[n+".br"] {
			if mf.br, err = fs.ReadFile(fsys, n+".br"); err != nil {
				return err
			}
		}
		if have[n+".gz"] {
			gz, err := fs.ReadFile(fsys, n+".gz")
			if err != nil {
				return err
			}
			mf.gz = gz
		} else if compressible[path.Ext(n)] && len(data) > 1024 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(data)
			zw.Close()
			if buf.Len() < len(data)*9/10 {
				mf.gz = buf.Bytes()
			}
		}
		h.web[n] = mf
	}
	return nil
}

// contentType returns the MIME type for a file name.
func contentType(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".wasm"):
		return "application/wasm"
	case strings.HasSuffix(lower, ".js"), strings.HasSuffix(lower, ".mjs"):
		return "text/javascript; charset=utf-8"
	case strings.HasSuffix(lower, ".fits"), strings.HasSuffix(lower, ".fit"), strings.HasSuffix(lower, ".fts"),
		strings.HasSuffix(lower, ".fz"):
		return "application/fits"
	case strings.HasSuffix(lower, ".gz"):
		return "application/gzip"
	case strings.HasSuffix(lower, ".webp"):
		return "image/webp"
	case strings.HasSuffix(lower, ".xml"), strings.HasSuffix(lower, ".vot"):
		return "application/x-votable+xml"
	case strings.HasSuffix(lower, ".csv"):
		return "text/csv; charset=utf-8"
	case strings.HasSuffix(lower, ".ts"), strings.HasSuffix(lower, ".mts"):
		return "text/plain; charset=utf-8"
	case path.Base(lower) == "properties", strings.HasSuffix(lower, ".hdr"), strings.HasSuffix(lower, ".reg"),
		strings.HasSuffix(lower, ".txt"):
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(lower)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	// A portal on another origin may load the viewer's files and tiles (issue: embedding).
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		hdr.Set("Allow", "GET, HEAD, OPTIONS")
		hdr.Set("Access-Control-Allow-Methods", "GET, HEAD")
		hdr.Set("Access-Control-Allow-Headers", "Range")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		hdr.Set("Allow", "GET, HEAD, OPTIONS")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p, ok := cleanPath(r)
	if !ok {
		notFound(w)
		return
	}
	switch {
	case strings.HasPrefix(p, "hips/"):
		rest := strings.TrimPrefix(p, "hips/")
		name, sub, _ := strings.Cut(rest, "/")
		if root, ok := h.hips[name]; ok {
			h.serveRoot(w, r, root, sub)
			return
		}
	case strings.HasPrefix(p, "files/"):
		if abs, ok := h.files[strings.TrimPrefix(p, "files/")]; ok {
			h.serveLocal(w, r, abs)
			return
		}
		notFound(w)
		return
	}
	if p == "" {
		p = "index.html"
	}
	if mf, ok := h.web[p]; ok {
		h.serveMem(w, r, mf)
		return
	}
	notFound(w)
}

// cleanPath validates the request path and returns it without the leading
// slash. It refuses encoded slashes/backslashes, NUL bytes, backslashes and any
// ".." segment rather than resolving them.
func cleanPath(r *http.Request) (string, bool) {
	raw := r.URL.EscapedPath()
	lraw := strings.ToLower(raw)
	if strings.Contains(lraw, "%2f") || strings.Contains(lraw, "%5c") || strings.Contains(lraw, "%00") {
		return "", false
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	p = p[1:]
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", false
		}
		if strings.HasPrefix(seg, ".") && seg != "" { // hidden files are never served
			return "", false
		}
	}
	if strings.Contains(p, "//") {
		return "", false
	}
	return p, true
}

func notFound(w http.ResponseWriter) {
	h := w.Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	io.WriteString(w, "404 not found\n")
}

// accepts reports whether the request's Accept-Encoding allows a coding.
func accepts(r *http.Request, coding string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), coding) && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

func (h *Handler) serveMem(w http.ResponseWriter, r *http.Request, mf *memFile) {
	hdr := w.Header()
	hdr.Set("Content-Type", contentType(mf.name))
	if strings.HasSuffix(mf.name, ".html") {
		hdr.Set("Cache-Control", "no-cache")
	}
	body := mf.data
	etag := mf.etag
	if mf.gz != nil || mf.br != nil {
		hdr.Add("Vary", "Accept-Encoding")
		switch {
		case r.Header.Get("Range") != "":
		case mf.br != nil && accepts(r, "br"):
			body = mf.br
			hdr.Set("Content-Encoding", "br")
			etag = strings.TrimSuffix(etag, `"`) + `-br"`
		case mf.gz != nil && accepts(r, "gzip"):
			body = mf.gz
			hdr.Set("Content-Encoding", "gzip")
			etag = strings.TrimSuffix(etag, `"`) + `-gz"`
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", h.modTime, bytes.NewReader(body))
}

// serveRoot serves one file of a HiPS folder through os.Root, which refuses
// symbolic links and paths leaving the folder.
func (h *Handler) serveRoot(w http.ResponseWriter, r *http.Request, root *os.Root, sub string) {
	if sub == "" {
		notFound(w)
		return
	}
	// Refuse symlinks anywhere below the root, even ones that stay inside it.
	if fi, err := root.Lstat(sub); err != nil || !fi.Mode().IsRegular() {
		notFound(w)
		return
	}
	f, err := root.Open(sub)
	serveFile(w, r, path.Base(sub), f, err)
}

func (h *Handler) serveLocal(w http.ResponseWriter, r *http.Request, abs string) {
	f, err := os.Open(abs)
	serveFile(w, r, path.Base(abs), f, err)
}

// serveFile serves an opened file (or 404 when opening failed or it is not a
// regular file) and closes it.
func serveFile(w http.ResponseWriter, r *http.Request, name string, f *os.File, openErr error) {
	if openErr != nil {
		notFound(w)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		notFound(w)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", contentType(name))
	hdr.Set("ETag", fmt.Sprintf(`"%x-%x"`, st.Size(), st.ModTime().UnixNano()))
	http.ServeContent(w, r, "", st.ModTime(), f)
}
