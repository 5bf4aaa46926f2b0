package hips

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

func TestCacheLRU(t *testing.T) {
	c := NewCache[string, []byte](10, func(b []byte) int64 { return int64(len(b)) })
	var evicted []string
	c.SetOnEvict(func(k string, _ []byte) { evicted = append(evicted, k) })
	c.Put("a", make([]byte, 4), false)
	c.Put("b", make([]byte, 4), false)
	c.Put("base", make([]byte, 100), true) // pinned: outside the budget
	if _, ok := c.Get("a"); !ok {          // a becomes most recent
		t.Fatal("a missing")
	}
	c.Put("c", make([]byte, 4), false) // 12 > 10: evict b (least recent)
	if !reflect.DeepEqual(evicted, []string{"b"}) {
		t.Errorf("evicted %v, want [b]", evicted)
	}
	if c.Bytes() != 8 || c.PinnedBytes() != 100 || c.Len() != 3 {
		t.Errorf("bytes %d pinned %d len %d", c.Bytes(), c.PinnedBytes(), c.Len())
	}
	if got := c.Keys(); !reflect.DeepEqual(got, []string{"c", "a", "base"}) {
		t.Errorf("keys %v", got)
	}
	c.Put("huge", make([]byte, 11), false) // larger than the budget: not kept
	if c.Contains("huge") || c.Bytes() > 10 {
		t.Errorf("huge kept, bytes %d", c.Bytes())
	}
	c.SetPinned("base", false) // 100 bytes unpinned: evicted at once
	if c.Contains("base") || c.PinnedBytes() != 0 {
		t.Error("unpinned oversize entry kept")
	}
	c.Put("a", make([]byte, 2), false) // replace
	if c.Bytes() > 10 {
		t.Errorf("bytes %d after replace", c.Bytes())
	}
	c.Remove("a")
	if _, ok := c.Peek("a"); ok {
		t.Error("removed key present")
	}
	c.SetMaxBytes(0)
	if c.Len() != 0 {
		t.Errorf("len %d after shrinking to 0", c.Len())
	}
}

// TestCacheSeparateAccounting keeps decoded data and GPU textures in two
// caches with their own size functions.
func TestCacheSeparateAccounting(t *testing.T) {
	type texture struct{ w, h, bytesPerPixel int }
	data := NewCache[TileID, *Image](1<<20, (*Image).Bytes)
	tex := NewCache[TileID, texture](1<<20, func(t texture) int64 { return int64(t.w * t.h * t.bytesPerPixel) })
	id := TileID{Order: 3, Pix: 1}
	data.Put(id, &Image{Width: 32, Height: 32, Data: make([]float32, 1024)}, false)
	tex.Put(id, texture{32, 32, 4}, false)
	if data.Bytes() != 4096 || tex.Bytes() != 4096 {
		t.Errorf("data %d tex %d", data.Bytes(), tex.Bytes())
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache[int, int](1000, func(int) int64 { return 10 })
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				k := (g*1000 + i) % 300
				c.Put(k, i, k < 5)
				c.Get(k / 2)
			}
		}(g)
	}
	wg.Wait()
	if c.Bytes() > 1000 {
		t.Errorf("budget exceeded: %d", c.Bytes())
	}
	n := 0
	for _, k := range c.Keys() {
		if _, ok := c.Peek(k); !ok {
			t.Fatalf("key %v listed but missing", k)
		}
		n++
	}
	if n != c.Len() {
		t.Errorf("keys %d len %d", n, c.Len())
	}
	_ = fmt.Sprint()
}
