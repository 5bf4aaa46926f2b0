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
	hist   []uint32  // radix histogram (fallback path)

	// Linear-histogram path: 65536 bins over [lo, hi]; bin(v) =
	// int((v−lo)·scale) is monotonic in v, so an order statistic lies in the
	// bin where the cumulative count passes its rank; that bin's values are
	// collected and sorted.
	lo, hi, scale float64
	cum           []int             // cum[b] = number of values in bins < b
	bins          map[int][]float64 // sorted values of collected bins
}

const (
	selectSortBelow = 1 << 15 // sort everything when n is at most this
	selectCollect   = 1 << 12 // radix: collect and sort a bin once it is this small
	linBins         = 1 << 16 // bins of the linear histogram
	linCollectMax   = 1 << 20 // largest bin the linear path collects
)

// newSelector prepares order statistics of the n finite values of chunks,
// whose minimum and maximum are lo and hi.
func newSelector[T float32 | float64](chunks [][]T, n int, lo, hi float64) *selector[T] {
	s := &selector[T]{chunks: chunks, n: n, lo: lo, hi: hi}
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

// prepare builds the linear histogram and collects, in one more pass, the
// bins holding the given ranks (so that rank needs no further pass for them).
func (s *selector[T]) prepare(ranks ...int) {
	if s.sorted != nil || s.cum != nil {
		return
	}
	s.scale = linBins / (s.hi - s.lo)
	if !(s.scale > 0) || math.IsInf(s.scale, 0) {
		return // degenerate or overflowing range: radix path
	}
	hist := make([]int, linBins)
	for _, c := range s.chunks {
		for _, v := range c {
			if v-v != 0 {
				continue
			}
			hist[s.bin(float64(v))]++
		}
	}
	s.cum = make([]int, linBins+1)
	for b, c := range hist {
		s.cum[b+1] = s.cum[b] + c
	}
	s.bins = map[int][]float64{}
	// slot[b] is 1 + the index in coll of the values of wanted bin b.
	slot := make([]uint8, linBins)
	var coll [][]float64
	var wanted []int
	for _, k := range ranks {
		if k < 0 || k >= s.n {
			continue
		}
		b := s.binOfRank(k)
		if hist[b] <= linCollectMax && slot[b] == 0 && len(coll) < 255 {
			coll = append(coll, make([]float64, 0, hist[b]))
			wanted = append(wanted, b)
			slot[b] = uint8(len(coll))
		}
	}
	if len(coll) == 0 {
		return
	}
	for _, c := range s.chunks {
		for _, v := range c {
			if v-v != 0 {
				continue
			}
			x := float64(v)
			if j := slot[s.bin(x)]; j != 0 {
				coll[j-1] = append(coll[j-1], x)
			}
		}
	}
	for j, vs := range coll {
		slices.Sort(vs)
		s.bins[wanted[j]] = vs
	}
}

func (s *selector[T]) bin(x float64) int {
	b := int((x - s.lo) * s.scale)
	if b >= linBins {
		b = linBins - 1
	}
	if b < 0 {
		b = 0
	}
	return b
}

// binOfRank returns the bin b with cum[b] <= k < cum[b+1].
func (s *selector[T]) binOfRank(k int) int {
	lo, hi := 0, linBins
	for lo < hi {
		m := (lo + hi) / 2
		if s.cum[m+1] <= k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// rank returns the k-th smallest finite value (0-based), 0 <= k < n.
func (s *selector[T]) rank(k int) float64 {
	if s.sorted != nil {
		return s.sorted[k]
	}
	if s.cum != nil {
		b := s.binOfRank(k)
		if vs, ok := s.bins[b]; ok {
			return vs[k-s.cum[b]]
		}
	}
	return s.radixRank(k)
}

// radixRank finds the k-th smallest finite value by radix selection.
func (s *selector[T]) radixRank(k int) float64 {
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
	if s.cum != nil {
		if vs, ok := s.bins[s.binOfRank(k+1)]; ok {
			return a, vs[k+1-s.cum[s.binOfRank(k+1)]]
		}
	}
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
