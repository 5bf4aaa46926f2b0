package healpix

import (
	"math"
	"sync"
)

// Accurate sine and cosine.
//
// healpy's results at points lying (to the last bit) on pixel boundaries
// depend on the exact rounding of cos(theta) and sin(theta), and glibc's
// sin/cos return the correctly rounded value where Go's math.Cos and
// math.Sin are sometimes one ulp off. accSincos evaluates them in
// double-double arithmetic (error far below half an ulp), so that the
// final rounding agrees with a correctly rounded libm.

// dd is an unevaluated sum hi + lo of two float64 with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func ddMulF(a dd, b float64) dd {
	p := twoProd(a.hi, b)
	p.lo += a.lo * b
	return quickTwoSum(p.hi, p.lo)
}

func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	p := twoProd(q1, b)
	r := ddAdd(a, dd{-p.hi, -p.lo})
	q2 := r.hi / b
	return quickTwoSum(q1, q2)
}

// pi/2 as a triple-double.
const (
	pio2a = 1.5707963267948966
	pio2b = 6.123233995736766e-17
	pio2c = -1.4973849048591698e-33
)

const trigSteps = 256 // table step 1/256 rad

// sinCosTable returns the table of sin(j/256) and cos(j/256) in
// double-double for j = 0..202 (covering [0, pi/4 + 1/512]), computed once
// on first use.
var sinCosTable = sync.OnceValue(func() *[203][2]dd {
	var tab [203][2]dd
	for j := range len(tab) {
		a := float64(j) / trigSteps
		// Taylor series in double-double; |a| < 0.8 so 30 terms are plenty.
		x := dd{a, 0}
		x2 := ddMul(x, x)
		term := x // a^n/n!, starting at n = 1
		s, c := dd{0, 0}, dd{1, 0}
		cterm := dd{1, 0}
		for n := 1; n < 40; n += 2 {
			s = ddAdd(s, term)
			term = ddDivF(ddMul(term, x2), float64((n+1)*(n+2)))
			term = dd{-term.hi, -term.lo}
			cterm = ddDivF(ddMul(cterm, x2), float64(n*(n+1)))
			cterm = dd{-cterm.hi, -cterm.lo}
			c = ddAdd(c, cterm)
		}
		tab[j] = [2]dd{s, c}
	}
	return &tab
})

// accSincos returns sin(x) and cos(x) rounded to nearest (barring
// astronomically rare ties). Arguments beyond |x| > 64 fall back to
// math.Sincos.
func accSincos(x float64) (sin, cos float64) {
	if !(math.Abs(x) <= 64) {
		return math.Sincos(x)
	}
	k := math.Round(x * (2 / math.Pi))
	// r = x - k*pi/2 in double-double.
	p := twoProd(k, pio2a)
	r := twoSum(x, -p.hi)
	r = ddAdd(r, dd{-p.lo, 0})
	r = ddAdd(r, twoProd(-k, pio2b))
	r.lo -= k * pio2c
	r = quickTwoSum(r.hi, r.lo)
	neg := r.hi < 0
	if neg {
		r = dd{-r.hi, -r.lo}
	}
	j := math.Round(r.hi * trigSteps)
	t := twoSum(r.hi-j/trigSteps, r.lo) // r.hi - j/256 is exact
	e := sinCosTable()[int(j)]
	sa, ca := e[0], e[1]
	t2 := t.hi * t.hi
	// sin t = t + t^3 q, 1 - cos t = t^2/2 - ...: small corrections in double.
	sq := t.hi * t2 * (-1.0/6 + t2*(1.0/120-t2/5040))
	st := ddAdd(t, dd{sq, 0})
	c1 := t2 * (0.5 - t2*(1.0/24-t2/720))
	c1 += t.hi * t.lo // second-order term of t^2/2 from the low part
	// sin(a+t) = sa + (ca*st - sa*c1); cos(a+t) = ca - (sa*st + ca*c1).
	sn := ddAdd(sa, ddAdd(ddMul(ca, st), ddMulF(sa, -c1)))
	cs := ddAdd(ca, ddAdd(ddMul(sa, dd{-st.hi, -st.lo}), ddMulF(ca, -c1)))
	s, c := sn.hi+sn.lo, cs.hi+cs.lo
	if neg {
		s = -s
	}
	switch int64(k) & 3 {
	case 0:
		return s, c
	case 1:
		return c, -s
	case 2:
		return -s, -c
	default:
		return -c, s
	}
}

func accCos(x float64) float64 {
	_, c := accSincos(x)
	return c
}
