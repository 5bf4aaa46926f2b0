package hips

import "sync"

// Cache is an LRU cache bounded in bytes, safe for concurrent use. It is
// generic over what it stores: the size of each value comes from a callback,
// so decoded tile data and GPU textures are kept (and accounted) in separate
// caches. Pinned entries (base tiles of orders ≤ 3, Allsky tiles) are never
// evicted and count towards PinnedBytes but not towards the LRU budget.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	maxBytes int64
	size     func(V) int64
	onEvict  func(K, V)
	m        map[K]*cacheEntry[K, V]
	head     *cacheEntry[K, V] // most recently used unpinned entry
	tail     *cacheEntry[K, V] // least recently used unpinned entry
	used     int64             // bytes of unpinned entries
	pinned   int64             // bytes of pinned entries
}

type cacheEntry[K comparable, V any] struct {
	key        K
	val        V
	size       int64
	pinned     bool
	prev, next *cacheEntry[K, V]
}

// NewCache returns a cache holding at most maxBytes of unpinned values, as
// measured by size (which must return a non-negative, stable value).
func NewCache[K comparable, V any](maxBytes int64, size func(V) int64) *Cache[K, V] {
	return &Cache[K, V]{maxBytes: maxBytes, size: size, m: map[K]*cacheEntry[K, V]{}}
}

// SetOnEvict sets a function called (without the cache lock held) with each
// value evicted or removed, e.g. to delete a GPU texture.
func (c *Cache[K, V]) SetOnEvict(f func(K, V)) {
	c.mu.Lock()
	c.onEvict = f
	c.mu.Unlock()
}

func (c *Cache[K, V]) unlink(e *cacheEntry[K, V]) {
	if e.prev != nil {
		e.prev.next = e.next
	} else if c.head == e {
		c.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else if c.tail == e {
		c.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

func (c *Cache[K, V]) pushFront(e *cacheEntry[K, V]) {
	e.prev = nil
	e.next = c.head
	if c.head != nil {
		c.head.prev = e
	}
	c.head = e
	if c.tail == nil {
		c.tail = e
	}
}

// Get returns the value of key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		var zero V
		return zero, false
	}
	if !e.pinned && c.head != e {
		c.unlink(e)
		c.pushFront(e)
	}
	return e.val, true
}

// Peek returns the value of key without changing its recency.
func (c *Cache[K, V]) Peek(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Contains says whether key is cached.
func (c *Cache[K, V]) Contains(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[key]
	return ok
}

// Put stores val under key (replacing any previous value), pinned or not,
// then evicts least recently used unpinned entries until the unpinned bytes
// fit in the budget. A single unpinned value larger than the whole budget is
// not kept.
func (c *Cache[K, V]) Put(key K, val V, pinned bool) {
	sz := c.size(val)
	if sz < 0 {
		sz = 0
	}
	var evicted []*cacheEntry[K, V]
	c.mu.Lock()
	if old, ok := c.m[key]; ok {
		c.removeLocked(old)
		evicted = append(evicted, old)
	}
	e := &cacheEntry[K, V]{key: key, val: val, size: sz, pinned: pinned}
	c.m[key] = e
	if pinned {
		c.pinned += sz
	} else {
		c.used += sz
		c.pushFront(e)
	}
	evicted = append(evicted, c.evictLocked()...)
	f := c.onEvict
	c.mu.Unlock()
	if f != nil {
		for _, x := range evicted {
			f(x.key, x.val)
		}
	}
}

func (c *Cache[K, V]) removeLocked(e *cacheEntry[K, V]) {
	delete(c.m, e.key)
	if e.pinned {
		c.pinned -= e.size
	} else {
		c.used -= e.size
		c.unlink(e)
	}
}

func (c *Cache[K, V]) evictLocked() []*cacheEntry[K, V] {
	var out []*cacheEntry[K, V]
	for c.used > c.maxBytes && c.tail != nil {
		e := c.tail
		c.removeLocked(e)
		out = append(out, e)
	}
	return out
}

// SetPinned pins or unpins a cached key; unpinning may evict.
func (c *Cache[K, V]) SetPinned(key K, pinned bool) {
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok || e.pinned == pinned {
		c.mu.Unlock()
		return
	}
	c.removeLocked(e)
	e.pinned = pinned
	c.m[key] = e
	if pinned {
		c.pinned += e.size
	} else {
		c.used += e.size
		c.pushFront(e)
	}
	ev := c.evictLocked()
	f := c.onEvict
	c.mu.Unlock()
	if f != nil {
		for _, x := range ev {
			f(x.key, x.val)
		}
	}
}

// Remove deletes key (calling the eviction callback).
func (c *Cache[K, V]) Remove(key K) {
	c.mu.Lock()
	e, ok := c.m[key]
	if ok {
		c.removeLocked(e)
	}
	f := c.onEvict
	c.mu.Unlock()
	if ok && f != nil {
		f(e.key, e.val)
	}
}

// SetMaxBytes changes the budget of unpinned bytes, evicting as needed.
func (c *Cache[K, V]) SetMaxBytes(n int64) {
	c.mu.Lock()
	c.maxBytes = n
	ev := c.evictLocked()
	f := c.onEvict
	c.mu.Unlock()
	if f != nil {
		for _, x := range ev {
			f(x.key, x.val)
		}
	}
}

// Len returns the number of entries, pinned or not.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Bytes returns the bytes held by unpinned entries (≤ the budget).
func (c *Cache[K, V]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// PinnedBytes returns the bytes held by pinned entries.
func (c *Cache[K, V]) PinnedBytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pinned
}

// Keys returns the unpinned keys from most to least recently used, then the
// pinned keys in no particular order.
func (c *Cache[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]K, 0, len(c.m))
	for e := c.head; e != nil; e = e.next {
		out = append(out, e.key)
	}
	for k, e := range c.m {
		if e.pinned {
			out = append(out, k)
		}
	}
	return out
}
