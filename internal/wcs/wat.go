package wcs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// IRAF's TNX and ZPX conventions: TAN (or ZPN) plus correction surfaces
// lngcor/latcor encoded in WATi_nnn strings (fits.gsfc.nasa.gov/registry/tnx),
// which WCSLIB reads as a sequent distortion: xi += lngcor(xi, eta),
// eta += latcor(xi, eta), both evaluated at the uncorrected (xi, eta) in
// degrees.

// surface is one IRAF gsurfit surface.
type surface struct {
	kind           int // 1 Chebyshev, 2 Legendre, 3 power series
	xorder, yorder int
	xterms         int // 0 none, 1 full, 2 half
	xmin, xmax     float64
	ymin, ymax     float64
	coeff          []float64
}

const maxSurfaceOrder = 20

// watString concatenates WATi_001, WATi_002, ... padding each piece to 68
// characters as IRAF writes them (trailing blanks are not kept by the FITS
// parser).
func watString(k keywords, axis int) string {
	var sb strings.Builder
	for n := 1; n < 1000; n++ {
		s, ok := k.str[fmt.Sprintf("WAT%d_%03d", axis, n)]
		if !ok {
			break
		}
		sb.WriteString(s)
		if len(s) < 68 {
			sb.WriteString(strings.Repeat(" ", 68-len(s)))
		}
	}
	return sb.String()
}

// watParam returns the value of name= in a WAT string, unquoting "...".
func watParam(s, name string) (string, bool) {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return "", false
		}
		j += i
		rest := strings.TrimLeft(s[j+len(name):], " ")
		if (j > 0 && s[j-1] != ' ') || !strings.HasPrefix(rest, "=") {
			i = j + len(name)
			continue
		}
		rest = strings.TrimLeft(rest[1:], " ")
		if strings.HasPrefix(rest, "\"") {
			if e := strings.IndexByte(rest[1:], '"'); e >= 0 {
				return rest[1 : 1+e], true
			}
			return rest[1:], true
		}
		if e := strings.IndexByte(rest, ' '); e >= 0 {
			return rest[:e], true
		}
		return rest, true
	}
	return "", false
}

func parseSurface(text string) (*surface, error) {
	f := strings.Fields(text)
	if len(f) < 8 {
		return nil, fmt.Errorf("correction surface has %d numbers, want at least 8", len(f))
	}
	v := make([]float64, len(f))
	for i, s := range f {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("correction surface: bad number %q", s)
		}
		v[i] = x
	}
	s := &surface{kind: int(v[0]), xorder: int(v[1]), yorder: int(v[2]), xterms: int(v[3]),
		xmin: v[4], xmax: v[5], ymin: v[6], ymax: v[7]}
	if s.kind < 1 || s.kind > 3 || s.xorder < 1 || s.yorder < 1 || s.xorder > maxSurfaceOrder ||
		s.yorder > maxSurfaceOrder || s.xterms < 0 || s.xterms > 2 || v[1] != float64(s.xorder) || v[2] != float64(s.yorder) {
		return nil, fmt.Errorf("correction surface: bad type/order/xterms %v", v[:4])
	}
	if s.kind != 3 && (s.xmax == s.xmin || s.ymax == s.ymin) {
		return nil, fmt.Errorf("correction surface: empty x or y range")
	}
	n := s.nterms()
	if len(v)-8 < n {
		return nil, fmt.Errorf("correction surface: %d coefficients, want %d", len(v)-8, n)
	}
	s.coeff = v[8 : 8+n]
	return s, nil
}

// nterms counts the coefficients, in IRAF's order: y power outer, x inner,
// the x range shrinking as the cross-term rule says.
func (s *surface) nterms() int {
	n := 0
	xincr := s.xorder
	maxorder := max(s.xorder+1, s.yorder+1)
	for i := 0; i < s.yorder; i++ {
		n += xincr
		if s.xterms == 0 {
			xincr = 1
		} else if s.xterms == 2 && i+1+s.xorder+1 > maxorder {
			xincr--
		}
	}
	return n
}

func basis(kind, order int, x, lo, hi float64, out []float64) {
	if kind != 3 {
		x = (2*x - (hi + lo)) / (hi - lo)
	}
	out[0] = 1
	if order > 1 {
		out[1] = x
	}
	for n := 2; n < order; n++ {
		switch kind {
		case 1:
			out[n] = 2*x*out[n-1] - out[n-2]
		case 2:
			fn := float64(n)
			out[n] = ((2*fn-1)*x*out[n-1] - (fn-1)*out[n-2]) / fn
		default:
			out[n] = x * out[n-1]
		}
	}
}

func (s *surface) eval(x, y float64) float64 {
	var xb, yb [maxSurfaceOrder]float64
	basis(s.kind, s.xorder, x, s.xmin, s.xmax, xb[:])
	basis(s.kind, s.yorder, y, s.ymin, s.ymax, yb[:])
	sum := 0.0
	k := 0
	xincr := s.xorder
	maxorder := max(s.xorder+1, s.yorder+1)
	for i := 0; i < s.yorder; i++ {
		for j := 0; j < xincr; j++ {
			sum += s.coeff[k] * xb[j] * yb[i]
			k++
		}
		if s.xterms == 0 {
			xincr = 1
		} else if s.xterms == 2 && i+1+s.xorder+1 > maxorder {
			xincr--
		}
	}
	return sum
}

// watDist is the TNX/ZPX sequent distortion.
type watDist struct {
	lng, lat *surface  // nil = no correction on that axis
	raw      [2]string // the WAT strings of the longitude and latitude axes
}

func (d *watDist) forward(x, y float64) (float64, float64) {
	fx, fy := x, y
	if d.lng != nil {
		fx += d.lng.eval(x, y)
	}
	if d.lat != nil {
		fy += d.lat.eval(x, y)
	}
	return fx, fy
}

// readWAT reads the TNX/ZPX surfaces (and ZPX's projpN parameters).
func readWAT(k keywords, lng, lat int, pv *[pvN]float64) (*watDist, error) {
	d := &watDist{}
	for _, ax := range []struct {
		axis int
		name string
		dst  **surface
	}{{lng + 1, "lngcor", &d.lng}, {lat + 1, "latcor", &d.lat}} {
		s := watString(k, ax.axis)
		if ax.axis == lng+1 {
			d.raw[0] = s
		} else {
			d.raw[1] = s
		}
		if t, ok := watParam(s, ax.name); ok {
			surf, err := parseSurface(t)
			if err != nil {
				return nil, fmt.Errorf("wcs: WAT%d_001: %s: %w", ax.axis, ax.name, err)
			}
			*ax.dst = surf
		}
		for m := 0; m < pvN; m++ {
			if t, ok := watParam(s, fmt.Sprintf("projp%d", m)); ok {
				if v, err := strconv.ParseFloat(t, 64); err == nil && !math.IsNaN(v) {
					pv[m] = v
				}
			}
		}
	}
	return d, nil
}
