package hips

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	return fmt.Sprintf("hips fetch %s: HTTP status %d", e.URL, e.Status)
}

// Temporary says whether the status is worth retrying (5xx, 408, 429).
func (e *StatusError) Temporary() bool {
	return e.Status >= 500 || e.Status == 408 || e.Status == 429 // Request Timeout, Too Many Requests
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
	// A network error (net.Error: timeouts, resets, refused connections).
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// DefaultMaxFileBytes bounds the size of one fetched file (a 512×512 BITPIX
// -64 FITS tile is 2 MB; an order-3 Allsky.fits of 64-pixel float tiles about
// 7 MB).
const DefaultMaxFileBytes = 64 << 20

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
