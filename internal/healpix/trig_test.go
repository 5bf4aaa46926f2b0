package healpix

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigSinCos evaluates sin and cos of a float64 with 200-bit arithmetic.
func bigSinCos(x float64) (float64, float64) {
	const prec = 200
	bx := new(big.Float).SetPrec(prec).SetFloat64(x)
	x2 := new(big.Float).SetPrec(prec).Mul(bx, bx)
	s := new(big.Float).SetPrec(prec)
	c := new(big.Float).SetPrec(prec).SetInt64(1)
	st := new(big.Float).SetPrec(prec).Set(bx)
	ct := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n < 120; n += 2 {
		s.Add(s, st)
		st.Mul(st, x2)
		st.Quo(st, new(big.Float).SetInt64((n+1)*(n+2)))
		st.Neg(st)
		ct.Mul(ct, x2)
		ct.Quo(ct, new(big.Float).SetInt64(n*(n+1)))
		ct.Neg(ct)
		c.Add(c, ct)
	}
	sf, _ := s.Float64()
	cf, _ := c.Float64()
	return sf, cf
}

func TestAccSincos(t *testing.T) {
	xs := []float64{0, 1e-300, 2.0943951023931957, math.Pi / 2, math.Pi, -math.Pi, 0.7853981633974483, 3.14159 - 0.01, 0.01, 6.283185307179586, -6.2}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		xs = append(xs, (rng.Float64()*2-1)*7)
	}
	nGoWrong := 0
	for _, x := range xs {
		ws, wc := bigSinCos(x)
		s, c := accSincos(x)
		if s != ws || c != wc {
			t.Errorf("accSincos(%v) = (%v, %v), want (%v, %v)", x, s, c, ws, wc)
		}
		if math.Cos(x) != wc || math.Sin(x) != ws {
			nGoWrong++
		}
	}
	t.Logf("%d arguments: math.Sin/Cos not correctly rounded on %d of them", len(xs), nGoWrong)
	if c := accCos(2.0943951023931957); c != -0.5000000000000002 {
		t.Errorf("accCos(2.0943951023931957) = %v, want -0.5000000000000002 (glibc)", c)
	}
}
