//go:build !js

package hips

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// The HTTP fetcher serves the native code (`viewer render` on a remote
// HiPS). The wasm build leaves it out: in the browser the JavaScript host
// fetches tiles itself, and net/http would add megabytes to the download.

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
