package hips

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// Fetcher reads a file of a HiPS by its path relative to the HiPS root
// ("properties", "Moc.fits", "Norder3/Dir0/Npix12.fits"). The browser plugs
// in JavaScript fetch(); the native code uses HTTPFetcher or FSFetcher.
// Implementations return an error wrapping ErrNotFound for a missing file and
// a *StatusError (or a net.Error) for other failures; they must honour ctx.
type Fetcher interface {
	Fetch(ctx context.Context, path string) ([]byte, error)
}

// FetcherFunc adapts a function to the Fetcher interface.
type FetcherFunc func(ctx context.Context, path string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, path string) ([]byte, error) { return f(ctx, path) }

// ErrNotFound says that a HiPS file does not exist (HTTP 404/410, missing
// local file). A missing tile is an empty tile, not a failure.
var ErrNotFound = errors.New("not found")

// ErrTooLarge says that a file exceeded the fetcher's size limit.
var ErrTooLarge = errors.New("file too large")

// StatusError is an unexpected HTTP status.
type StatusError struct {
	URL    string
	Status int
}

// Error describes the status and URL.
func (e *StatusError) Error() string {
	return fmt.Sprintf("hips fetch %s: HTTP status %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Temporary says whether the status is worth retrying (5xx, 408, 429).
func (e *StatusError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusRequestTimeout || e.Status == http.StatusTooManyRequests
}

// Retryable says whether a fetch error is transient: a temporary HTTP
// status, a network timeout, or a connection reset or refused. Cancellation
// and not-found are not retryable.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, context.Canceled) || errors.Is(err, ErrTooLarge) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Temporary()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// DefaultMaxFileBytes bounds the size of one fetched file (a 512×512 BITPIX
// -64 FITS tile is 2 MB; an order-3 Allsky.fits of 64-pixel float tiles about
// 7 MB).
const DefaultMaxFileBytes = 64 << 20

// HTTPFetcher fetches HiPS files below a base URL.
type HTTPFetcher struct {
	Base     string       // HiPS root URL, with or without a trailing slash
	Client   *http.Client // nil: http.DefaultClient
	MaxBytes int64        // per-file limit; 0: DefaultMaxFileBytes
}

// NewHTTPFetcher checks the base URL (http or https) and returns a fetcher.
func NewHTTPFetcher(base string, client *http.Client) (*HTTPFetcher, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("hips: bad HiPS URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("hips: HiPS URL %q: scheme must be http or https", base)
	}
	return &HTTPFetcher{Base: strings.TrimRight(base, "/"), Client: client}, nil
}

// Fetch GETs Base/path.
func (h *HTTPFetcher) Fetch(ctx context.Context, p string) ([]byte, error) {
	if err := checkRelPath(p); err != nil {
		return nil, err
	}
	u := strings.TrimRight(h.Base, "/") + "/" + p
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("hips fetch %s: %w", u, err)
	}
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("hips fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, fmt.Errorf("hips fetch %s: %w", u, ErrNotFound)
	case resp.StatusCode != http.StatusOK:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, &StatusError{URL: u, Status: resp.StatusCode}
	}
	max := h.MaxBytes
	if max <= 0 {
		max = DefaultMaxFileBytes
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("hips fetch %s: %d bytes: %w (limit %d)", u, resp.ContentLength, ErrTooLarge, max)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("hips fetch %s: reading body: %w", u, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("hips fetch %s: %w (limit %d bytes)", u, ErrTooLarge, max)
	}
	if resp.ContentLength >= 0 && int64(len(b)) != resp.ContentLength {
		return nil, fmt.Errorf("hips fetch %s: got %d of %d bytes: %w", u, len(b), resp.ContentLength, io.ErrUnexpectedEOF)
	}
	return b, nil
}

// FSFetcher reads HiPS files from a file system (os.DirFS of a local HiPS
// folder, an embedded FS, a zip).
type FSFetcher struct {
	FS       fs.FS
	MaxBytes int64 // per-file limit; 0: DefaultMaxFileBytes
}

// Fetch reads path from the file system.
func (f *FSFetcher) Fetch(ctx context.Context, p string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkRelPath(p); err != nil {
		return nil, err
	}
	file, err := f.FS.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("hips read %s: %w", p, ErrNotFound)
		}
		return nil, fmt.Errorf("hips read %s: %w", p, err)
	}
	defer file.Close()
	max := f.MaxBytes
	if max <= 0 {
		max = DefaultMaxFileBytes
	}
	if st, err := file.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("hips read %s: is a directory", p)
	}
	b, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, fmt.Errorf("hips read %s: %w", p, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("hips read %s: %w (limit %d bytes)", p, ErrTooLarge, max)
	}
	return b, nil
}

// checkRelPath refuses absolute paths and paths escaping the HiPS root.
func checkRelPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || path.Clean(p) != p || strings.HasPrefix(p, "../") || p == ".." {
		return fmt.Errorf("hips: invalid path %q inside a HiPS", clip(p, 80))
	}
	return nil
}

// NewFetcher returns an HTTPFetcher for http(s) URLs and an FSFetcher over
// fsys for anything else (fsys is typically os.DirFS(dir)).
func NewFetcher(location string, fsys fs.FS) (Fetcher, error) {
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		return NewHTTPFetcher(location, nil)
	}
	if fsys == nil {
		return nil, fmt.Errorf("hips: %q is not a URL and no file system was given", location)
	}
	return &FSFetcher{FS: fsys}, nil
}

// LoadProperties fetches and parses the properties file and checks the typed
// keywords. A missing file is an error naming it.
func LoadProperties(ctx context.Context, f Fetcher) (*Properties, error) {
	b, err := f.Fetch(ctx, "properties")
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("hips: no properties file (is this a HiPS folder?): %w", err)
		}
		return nil, fmt.Errorf("hips: properties: %w", err)
	}
	p, err := ParseProperties(strings.NewReader(string(b)))
	if err != nil {
		return nil, err
	}
	if err := p.CheckTyped(); err != nil {
		return nil, err
	}
	return p, nil
}
