package hips

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hipsServer serves testdata/hips over HTTP on 127.0.0.1 with hooks.
func hipsServer(t *testing.T, hook func(w http.ResponseWriter, r *http.Request) bool) *httptest.Server {
	t.Helper()
	files := http.FileServer(http.Dir(td))
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hook != nil && hook(w, r) {
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestHTTPFetcher(t *testing.T) {
	s := hipsServer(t, func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case strings.HasSuffix(r.URL.Path, "/boom"):
			w.WriteHeader(http.StatusInternalServerError)
			return true
		case strings.HasSuffix(r.URL.Path, "/gone"):
			w.WriteHeader(http.StatusGone)
			return true
		case strings.HasSuffix(r.URL.Path, "/short"):
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte("only ten b"))
			return true
		}
		return false
	})
	f, err := NewHTTPFetcher(s.URL+"/dirbe60/", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b, err := f.Fetch(ctx, "Norder3/Dir0/Npix229.fits")
	if err != nil || len(b) != 8640 {
		t.Fatalf("fetch tile: %d bytes, %v", len(b), err)
	}
	if _, err := f.Fetch(ctx, "Norder3/Dir0/Npix1.fits"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing tile: %v", err)
	}
	if _, err := f.Fetch(ctx, "gone"); !errors.Is(err, ErrNotFound) {
		t.Errorf("410: %v", err)
	}
	_, err = f.Fetch(ctx, "boom")
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 500 || !Retryable(err) || !strings.Contains(err.Error(), "/dirbe60/boom") {
		t.Errorf("500: %v", err)
	}
	if _, err := f.Fetch(ctx, "short"); err == nil || !Retryable(err) {
		t.Errorf("truncated body: %v", err)
	}
	f.MaxBytes = 100
	if _, err := f.Fetch(ctx, "Norder3/Dir0/Npix229.fits"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("limit: %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../b", ""} {
		if _, err := f.Fetch(ctx, bad); err == nil || !strings.Contains(err.Error(), "invalid path") {
			t.Errorf("path %q: %v", bad, err)
		}
	}
	if _, err := NewHTTPFetcher("ftp://x", nil); err == nil {
		t.Error("ftp accepted")
	}
	f.MaxBytes = 0
	p, err := LoadProperties(ctx, f)
	if err != nil || p.CreatorDID() != "ivo://example/P/dirbe60" {
		t.Errorf("LoadProperties: %v", err)
	}
	nohips, _ := NewHTTPFetcher(s.URL+"/nothing", nil)
	if _, err := LoadProperties(ctx, nohips); err == nil || !strings.Contains(err.Error(), "no properties file") {
		t.Errorf("missing properties: %v", err)
	}
}

func TestFSFetcher(t *testing.T) {
	f, err := NewFetcher(td+"ngc1316", os.DirFS(td+"ngc1316"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if b, err := f.Fetch(ctx, "Moc.fits"); err != nil || len(b) != 8640 {
		t.Errorf("Moc.fits: %d %v", len(b), err)
	}
	if _, err := f.Fetch(ctx, "Norder9/Dir0/Npix1.fits"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	if _, err := f.Fetch(ctx, "Norder6"); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Fetch(cctx, "Moc.fits"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := NewFetcher("dir", nil); err == nil {
		t.Error("no fs accepted")
	}
}

func TestQueueRetriesAndNotFound(t *testing.T) {
	var calls sync.Map
	s := hipsServer(t, func(w http.ResponseWriter, r *http.Request) bool {
		n, _ := calls.LoadOrStore(r.URL.Path, new(int32))
		k := atomic.AddInt32(n.(*int32), 1)
		switch {
		case strings.Contains(r.URL.Path, "flaky") && k <= 2:
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		case strings.Contains(r.URL.Path, "flaky"):
			_, _ = w.Write([]byte("ok"))
			return true
		case strings.Contains(r.URL.Path, "down"):
			w.WriteHeader(http.StatusBadGateway)
			return true
		case strings.Contains(r.URL.Path, "forbidden"):
			w.WriteHeader(http.StatusForbidden)
			return true
		}
		return false
	})
	f, _ := NewHTTPFetcher(s.URL+"/mellinger", nil)
	reqs := []Request{
		{ID: TileID{3, 592, 0}, Path: "Norder3/Dir0/Npix592.jpg"},
		{ID: TileID{3, 1, 0}, Path: "Norder3/Dir0/Npix1.jpg"}, // not in testdata: 404
		{Path: "flaky"},
		{Path: "down"},
		{Path: "forbidden"},
	}
	res, err := FetchAll(context.Background(), f, QueueOptions{Backoff: time.Millisecond, Retries: 3}, reqs)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || len(res[0].Data) == 0 || res[0].ID != reqs[0].ID {
		t.Errorf("tile: %+v", res[0].Err)
	}
	if !res[1].NotFound || res[1].Err != nil {
		t.Errorf("404 should be an empty tile: %+v", res[1])
	}
	if res[2].Err != nil || string(res[2].Data) != "ok" || res[2].Attempts != 3 {
		t.Errorf("flaky: %v attempts %d", res[2].Err, res[2].Attempts)
	}
	if res[3].Err == nil || res[3].Attempts != 4 {
		t.Errorf("down: %v attempts %d", res[3].Err, res[3].Attempts)
	}
	if res[4].Err == nil || res[4].Attempts != 1 {
		t.Errorf("403 must not be retried: %v attempts %d", res[4].Err, res[4].Attempts)
	}
}

// TestQueueBoundAndCancel checks the bound on requests in flight, that
// Want cancels requests that left the view, and that no goroutine leaks.
func TestQueueBoundAndCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	var inFlight, maxInFlight int32
	release := make(chan struct{})
	f := FetcherFunc(func(ctx context.Context, p string) ([]byte, error) {
		n := atomic.AddInt32(&inFlight, 1)
		defer atomic.AddInt32(&inFlight, -1)
		for {
			m := atomic.LoadInt32(&maxInFlight)
			if n <= m || atomic.CompareAndSwapInt32(&maxInFlight, m, n) {
				break
			}
		}
		select {
		case <-release:
			return []byte(p), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	var mu sync.Mutex
	got := map[string]bool{}
	q := NewQueue(f, QueueOptions{MaxInFlight: 3}, func(r Result) {
		mu.Lock()
		got[r.Path] = true
		mu.Unlock()
	})
	var reqs []Request
	for i := 0; i < 10; i++ {
		reqs = append(reqs, Request{Path: TilePath(3, int64(i), FormatJPEG), Priority: float64(10 - i)})
	}
	q.Want(reqs)
	waitFor(t, func() bool { _, fl := q.Pending(); return atomic.LoadInt32(&inFlight) == 3 && fl == 3 })
	// The three highest-priority (smallest value) requests went first.
	// The view moves: only tiles 0 and 1 are still wanted.
	q.Want(reqs[:2])
	queued, fl := q.Pending()
	if queued+fl != 2 {
		t.Errorf("after Want: %d queued, %d in flight", queued, fl)
	}
	close(release)
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 2 })
	mu.Lock()
	if !got[reqs[0].Path] || !got[reqs[1].Path] || len(got) != 2 {
		t.Errorf("delivered %v", got)
	}
	mu.Unlock()
	if m := atomic.LoadInt32(&maxInFlight); m > 3 {
		t.Errorf("%d requests in flight, bound 3", m)
	}
	q.Close()
	q.Want(reqs) // after Close: ignored
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

// TestQueueCloseCancelsRetries: Close returns promptly even while requests
// wait in backoff, and leaves no goroutines.
func TestQueueCloseCancelsRetries(t *testing.T) {
	before := runtime.NumGoroutine()
	f := FetcherFunc(func(ctx context.Context, p string) ([]byte, error) {
		return nil, &StatusError{URL: p, Status: 503}
	})
	q := NewQueue(f, QueueOptions{Backoff: time.Hour, Retries: 5}, func(Result) { t.Error("cancelled result delivered") })
	q.Add(Request{Path: "a"}, Request{Path: "b"})
	time.Sleep(10 * time.Millisecond)
	done := make(chan struct{})
	go func() { q.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked")
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

func TestFetchAllContext(t *testing.T) {
	before := runtime.NumGoroutine()
	f := FetcherFunc(func(ctx context.Context, p string) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := FetchAll(ctx, f, QueueOptions{}, []Request{{Path: "x"}}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v", err)
	}
	if r, err := FetchAll(context.Background(), f, QueueOptions{}, nil); err != nil || len(r) != 0 {
		t.Error("empty FetchAll")
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met (goroutines: %d)", runtime.NumGoroutine())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestQueueTimeoutRetry: an attempt that exceeds the per-attempt timeout is
// retried.
func TestQueueTimeoutRetry(t *testing.T) {
	var n atomic.Int32
	f := FetcherFunc(func(ctx context.Context, p string) ([]byte, error) {
		if n.Add(1) == 1 {
			<-ctx.Done() // the first attempt hangs until its timeout
			return nil, ctx.Err()
		}
		return []byte("ok"), nil
	})
	res, err := FetchAll(context.Background(), f, QueueOptions{Timeout: 20 * time.Millisecond, Backoff: time.Millisecond}, []Request{{Path: "slow"}})
	if err != nil || res[0].Err != nil || string(res[0].Data) != "ok" || res[0].Attempts != 2 {
		t.Errorf("%+v %v", res, err)
	}
}
