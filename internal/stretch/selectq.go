package stretch

import (
	"math"
	"slices"
)

// selector finds exact order statistics of the finite values of a sequence of
// chunks without copying or reordering them: a most-significant-digit radix
// selection on an order-preserving 64-bit key of each value (16 bits per
// pass), finishing with a sort of the few candidates left. Small inputs are
// simply copied and sorted once.
type selector[T float32 | float64] struct {
	chunks [][]T
	n      int       // number of finite values
	sorted []float64 // all finite values sorted, for small n
	hist   []uint32
}

const (
	selectSortBelow = 1 << 15 // sort everything when n is at most this
	selectCollect   = 1 << 12 // collect and sort a bin once it is this small
)

func newSelector[T float32 | float64](chunks [][]T, n int) *selector[T] {
	s := &selector[T]{chunks: chunks, n: n}
	if n <= selectSortBelow {
		s.sorted = make([]float64, 0, n)
		for _, c := range chunks {
			for _, v := range c {
				if v-v == 0 {
					s.sorted = append(s.sorted, float64(v))
				}
			}
		}
		slices.Sort(s.sorted)
	}
	return s
}

// orderKey maps a float64 to a uint64 whose unsigned order is the numeric
// order (−0 sorts just below +0).
func orderKey(x float64) uint64 {
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func fromOrderKey(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// rank returns the k-th smallest finite value (0-based), 0 <= k < n.
func (s *selector[T]) rank(k int) float64 {
	if s.sorted != nil {
		return s.sorted[k]
	}
	if s.hist == nil {
		s.hist = make([]uint32, 1<<16)
	}
	var prefix uint64
	for level := 0; level < 4; level++ {
		shift := uint(48 - 16*level)
		clear(s.hist)
		hi := shift + 16 // bits above this digit are fixed by prefix
		for _, c := range s.chunks {
			for _, v := range c {
				if v-v != 0 {
					continue
				}
				key := orderKey(float64(v))
				if hi < 64 && key>>hi != prefix>>hi {
					continue
				}
				s.hist[(key>>shift)&0xffff]++
			}
		}
		var bin int
		for bin = 0; bin < len(s.hist); bin++ {
			if k < int(s.hist[bin]) {
				break
			}
			k -= int(s.hist[bin])
		}
		prefix |= uint64(bin) << shift
		if level < 3 && s.hist[bin] <= selectCollect {
			cand := make([]float64, 0, s.hist[bin])
			for _, c := range s.chunks {
				for _, v := range c {
					if v-v != 0 {
						continue
					}
					if orderKey(float64(v))>>shift == prefix>>shift {
						cand = append(cand, float64(v))
					}
				}
			}
			slices.Sort(cand)
			return cand[k]
		}
	}
	return fromOrderKey(prefix)
}

// rank2 returns the k-th and (k+1)-th smallest finite values; k+1 < n.
func (s *selector[T]) rank2(k int) (a, b float64) {
	if s.sorted != nil {
		return s.sorted[k], s.sorted[k+1]
	}
	a = s.rank(k)
	// Count values <= a and find the smallest value > a in one pass.
	le := 0
	next := math.Inf(1)
	for _, c := range s.chunks {
		for _, v := range c {
			if v-v != 0 {
				continue
			}
			x := float64(v)
			if x <= a {
				le++
			} else if x < next {
				next = x
			}
		}
	}
	if le > k+1 {
		return a, a
	}
	return a, next
}
