package hips

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// Request asks the queue for one file.
type Request struct {
	ID       TileID
	Path     string  // path relative to the HiPS root
	Priority float64 // smaller first (e.g. angular distance from the view centre)
}

// Result is the outcome of a request. NotFound is set (and Err is nil) for a
// missing file: an empty tile. Results of cancelled requests are not delivered.
type Result struct {
	ID       TileID
	Path     string
	Data     []byte
	NotFound bool
	Err      error
	Attempts int
}

// QueueOptions configures a Queue.
type QueueOptions struct {
	MaxInFlight int           // concurrent fetches; 0: 6 (a browser's per-host limit)
	Retries     int           // extra attempts for retryable errors; 0: 3; <0: none
	Backoff     time.Duration // first retry delay, doubled each time; 0: 200 ms
	MaxBackoff  time.Duration // cap of the delay; 0: 5 s
	Timeout     time.Duration // per attempt; 0: 30 s
}

// Queue fetches files through a Fetcher with a bound on requests in flight
// (cancelled requests count until their fetch has returned),
// priorities, cancellation of requests that are no longer wanted, and retries
// with exponential backoff for 5xx responses and timeouts. Results are passed
// to the callback given to NewQueue, from the queue's goroutines; the callback
// must not block for long. Close stops everything and waits for the
// goroutines to end.
type Queue struct {
	f       Fetcher
	opt     QueueOptions
	done    func(Result)
	mu      sync.Mutex
	pend    []Request                     // sorted by priority, not in flight
	flight  map[string]context.CancelFunc // by path
	running int                           // goroutines fetching, including cancelled ones not yet returned
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	closed  bool
}

// NewQueue returns a queue delivering results to done.
func NewQueue(f Fetcher, opt QueueOptions, done func(Result)) *Queue {
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = 6
	}
	if opt.Retries == 0 {
		opt.Retries = 3
	} else if opt.Retries < 0 {
		opt.Retries = 0
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 200 * time.Millisecond
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 5 * time.Second
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Queue{f: f, opt: opt, done: done, flight: map[string]context.CancelFunc{}, ctx: ctx, cancel: cancel}
}

// Want replaces the set of wanted files: requests in flight that are not in
// reqs are cancelled (their results are dropped), pending ones not in reqs are
// forgotten, new ones are queued by priority. Requests already in flight stay.
func (q *Queue) Want(reqs []Request) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	want := make(map[string]bool, len(reqs))
	q.pend = q.pend[:0]
	for _, r := range reqs {
		if want[r.Path] {
			continue
		}
		want[r.Path] = true
		if _, ok := q.flight[r.Path]; !ok {
			q.pend = append(q.pend, r)
		}
	}
	for p, cancel := range q.flight {
		if !want[p] {
			cancel()
			delete(q.flight, p)
		}
	}
	sort.SliceStable(q.pend, func(i, j int) bool { return q.pend[i].Priority < q.pend[j].Priority })
	q.pumpLocked()
}

// Add queues more requests without cancelling anything.
func (q *Queue) Add(reqs ...Request) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	have := map[string]bool{}
	for _, r := range q.pend {
		have[r.Path] = true
	}
	for _, r := range reqs {
		if _, ok := q.flight[r.Path]; ok || have[r.Path] {
			continue
		}
		have[r.Path] = true
		q.pend = append(q.pend, r)
	}
	sort.SliceStable(q.pend, func(i, j int) bool { return q.pend[i].Priority < q.pend[j].Priority })
	q.pumpLocked()
}

// Pending returns the number of queued and in-flight requests.
func (q *Queue) Pending() (queued, inFlight int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pend), len(q.flight)
}

func (q *Queue) pumpLocked() {
	for q.running < q.opt.MaxInFlight && len(q.pend) > 0 {
		r := q.pend[0]
		q.pend = q.pend[1:]
		ctx, cancel := context.WithCancel(q.ctx)
		q.flight[r.Path] = cancel
		q.running++
		q.wg.Add(1)
		go q.run(ctx, cancel, r)
	}
}

func (q *Queue) run(ctx context.Context, cancel context.CancelFunc, r Request) {
	defer q.wg.Done()
	defer cancel()
	res := q.fetch(ctx, r)
	q.mu.Lock()
	// Deliver only if this request is still the one in flight for its path
	// (it was not cancelled by Want or Close).
	live := ctx.Err() == nil && !q.closed
	if live {
		delete(q.flight, r.Path)
	}
	q.running--
	if !q.closed {
		q.pumpLocked()
	}
	q.mu.Unlock()
	if live && q.done != nil {
		q.done(res)
	}
}

func (q *Queue) fetch(ctx context.Context, r Request) Result {
	res := Result{ID: r.ID, Path: r.Path}
	delay := q.opt.Backoff
	for attempt := 0; ; attempt++ {
		res.Attempts = attempt + 1
		actx, acancel := context.WithTimeout(ctx, q.opt.Timeout)
		b, err := q.f.Fetch(actx, r.Path)
		acancel()
		switch {
		case err == nil:
			res.Data, res.Err = b, nil
			return res
		case errors.Is(err, ErrNotFound):
			res.NotFound, res.Err = true, nil
			return res
		case ctx.Err() != nil:
			res.Err = ctx.Err()
			return res
		}
		res.Err = err
		if attempt >= q.opt.Retries || !Retryable(err) {
			return res
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			res.Err = ctx.Err()
			return res
		case <-t.C:
		}
		delay *= 2
		if delay > q.opt.MaxBackoff {
			delay = q.opt.MaxBackoff
		}
	}
}

// Close cancels every request and waits until all goroutines have returned.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.pend = nil
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
}

// FetchAll fetches every request with the queue's bounds and retries and
// returns the results in the order of reqs; it returns early with ctx's error
// when ctx ends. It is what the CPU renderer uses.
func FetchAll(ctx context.Context, f Fetcher, opt QueueOptions, reqs []Request) ([]Result, error) {
	idx := make(map[string]int, len(reqs))
	out := make([]Result, len(reqs))
	for i, r := range reqs {
		idx[r.Path] = i
	}
	var mu sync.Mutex
	left := len(idx)
	all := make(chan struct{})
	if left == 0 {
		return out, nil
	}
	q := NewQueue(f, opt, func(r Result) {
		mu.Lock()
		defer mu.Unlock()
		out[idx[r.Path]] = r
		left--
		if left == 0 {
			close(all)
		}
	})
	defer q.Close()
	q.Add(reqs...)
	select {
	case <-all:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Duplicated paths share one result.
	for i, r := range reqs {
		if j := idx[r.Path]; j != i {
			out[i] = out[j]
			out[i].ID = r.ID
		}
	}
	return out, nil
}
