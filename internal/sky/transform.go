package sky

import "math"

// nonlinear step kinds.
const (
	nlNone   = iota
	nlETerms // FK4 E-terms of aberration
	nlGCRS   // ICRS <-> GCRS: light deflection by the Sun and annual aberration
)

// side describes how a frame relates to ICRS: v_icrs = core·N⁻¹(pre·v),
// where N is the nonlinear step (E-terms removal, or GCRS to ICRS).
type side struct {
	f      Frame
	pre    mat3 // frame -> intermediate (e.g. ecliptic -> GCRS)
	nl     int
	eterms [3]float64
	astrom *astrom
	core   mat3 // intermediate -> ICRS
}

func newSide(f Frame) side {
	s := side{f: f, pre: ident, core: ident}
	switch f.Kind {
	case FK5:
		s.core = icrsToFK5J2000.t().mul(precessFK5(f.Equinox, 2000))
	case FK4, FK4NoETerms:
		s.core = icrsToFK5J2000.t().mul(fk4ToFK5Matrix(f.Obstime)).mul(precessFK4(f.Equinox, 1950))
		if f.Kind == FK4 {
			s.nl = nlETerms
			s.eterms = fk4ETerms(f.Equinox)
		}
	case Galactic:
		s.core = icrsToGalactic.t()
	case EclipticBarycentric:
		s.core = ecm06(jdFromJulianEpoch(f.Equinox)).t()
	case EclipticGeocentric:
		s.pre = ecm06(jdFromJulianEpoch(f.Equinox)).t()
		s.nl = nlGCRS
		s.astrom = newAstrom(jdFromJulianEpoch(f.Obstime))
	}
	return s
}

func isFK4(k Kind) bool { return k == FK4 || k == FK4NoETerms }

// Transform converts positions from one frame to another. It is immutable and
// safe for concurrent use; build it once with NewTransform and apply it to
// many points.
type Transform struct {
	from, to Frame
	a, b     side
	mid      mat3 // a.core-space -> b.core-space (through ICRS, or direct)
	full     mat3 // whole transform when there is no nonlinear step
	linear   bool
}

// NewTransform returns the transformation from one frame to another,
// following astropy's transformation graph (e.g. FK4 to galactic directly
// through the B1950 definition of the galactic pole; FK4 to FK4 by
// precession in FK4 without the rotation correction). It fails only for
// invalid frames (unknown kind, equinox or obstime NaN or beyond ±10000).
func NewTransform(from, to Frame) (*Transform, error) {
	var err error
	if from, err = from.normalized(); err != nil {
		return nil, err
	}
	if to, err = to.normalized(); err != nil {
		return nil, err
	}
	t := &Transform{from: from, to: to, a: newSide(from), b: newSide(to)}
	switch {
	case isFK4(from.Kind) && isFK4(to.Kind):
		t.mid = precessFK4(from.Equinox, to.Equinox)
	case isFK4(from.Kind) && to.Kind == Galactic:
		t.mid = fk4B1950ToGal.mul(precessFK4(from.Equinox, 1950))
	case from.Kind == Galactic && isFK4(to.Kind):
		t.mid = fk4B1950ToGal.mul(precessFK4(to.Equinox, 1950)).t()
	case from.Kind == FK5 && to.Kind == FK5:
		t.mid = precessFK5(from.Equinox, to.Equinox)
	case from == to:
		t.mid = ident
	default:
		t.mid = t.b.core.t().mul(t.a.core)
	}
	if t.a.nl == nlNone && t.b.nl == nlNone {
		t.linear = true
		t.full = t.b.pre.t().mul(t.mid).mul(t.a.pre)
	}
	return t, nil
}

// Matrix returns the rotation matrix of the transform (to = m · from, on unit
// vectors); ok is false when the transform is not a pure rotation (e-terms of
// FK4, aberration of GCRS frames).
func (t *Transform) Matrix() (m [3][3]float64, ok bool) {
	if !t.linear {
		return m, false
	}
	return t.full, true
}

// From returns the source frame (with defaults filled in).
func (t *Transform) From() Frame { return t.from }

// To returns the target frame (with defaults filled in).
func (t *Transform) To() Frame { return t.to }

// Vec converts a direction given as a vector (of any non-zero length) and
// returns a unit vector. The zero vector, or NaN/Inf components, give NaN
// components.
func (t *Transform) Vec(v [3]float64) [3]float64 {
	n := norm(v)
	if !finite3(v) || n == 0 || math.IsInf(n, 0) {
		return [3]float64{math.NaN(), math.NaN(), math.NaN()}
	}
	v = scale(v, 1/n)
	if t.linear {
		return unit(t.full.apply(v))
	}
	v = t.a.pre.apply(v)
	switch t.a.nl {
	case nlETerms:
		v = removeETerms(v, t.a.eterms)
	case nlGCRS:
		v = t.a.astrom.gcrsToICRS(v)
	}
	v = t.mid.apply(v)
	switch t.b.nl {
	case nlETerms:
		v = addETerms(v, t.b.eterms)
	case nlGCRS:
		v = t.b.astrom.icrsToGCRS(v)
	}
	return unit(t.b.pre.t().apply(v))
}

// Convert converts (lon, lat) in degrees; lon is returned in [0, 360).
// NaN or ±Inf input gives (NaN, NaN). lat outside [-90, 90] is not
// rejected: it is interpreted through the unit vector it gives.
func (t *Transform) Convert(lon, lat float64) (float64, float64) {
	return LonLat(t.Vec(Vec(lon, lat)))
}

// Convert converts (lon, lat) in degrees from one frame to another (see
// NewTransform); lon is returned in [0, 360). Invalid frames, and NaN or ±Inf
// coordinates, give (NaN, NaN). For many points build a Transform once.
func Convert(from, to Frame, lon, lat float64) (float64, float64) {
	t, err := transformFor(from, to)
	if err != nil {
		return math.NaN(), math.NaN()
	}
	return t.Convert(lon, lat)
}

// ConvertVec converts a direction vector from one frame to another and
// returns a unit vector (NaN components for invalid input or frames).
func ConvertVec(from, to Frame, v [3]float64) [3]float64 {
	t, err := transformFor(from, to)
	if err != nil {
		return [3]float64{math.NaN(), math.NaN(), math.NaN()}
	}
	return t.Vec(v)
}

// common transforms between default frames, built once.
var commonFrames = []Frame{FrameICRS, FrameFK5J2000, FrameFK4B1950, FrameGalactic, FrameEclipticBarycentric, FrameEclipticGeocentric}

var commonTransforms = func() map[[2]Frame]*Transform {
	m := make(map[[2]Frame]*Transform)
	for _, a := range commonFrames {
		for _, b := range commonFrames {
			t, err := NewTransform(a, b)
			if err != nil {
				panic(err) // cannot happen for these frames
			}
			m[[2]Frame{a, b}] = t
		}
	}
	return m
}()

func transformFor(from, to Frame) (*Transform, error) {
	var err error
	if from, err = from.normalized(); err != nil {
		return nil, err
	}
	if to, err = to.normalized(); err != nil {
		return nil, err
	}
	if t, ok := commonTransforms[[2]Frame{from, to}]; ok {
		return t, nil
	}
	return NewTransform(from, to)
}
