package healpix

import "math"

// inclusiveOversampling is log2 of healpix_base's "fact" used for
// inclusive queries: fact = 4 (healpy's default), i.e. candidate boundary
// pixels are resolved two orders deeper.
const inclusiveOversampling = 2

// Query size limits. A query whose boundary would need more than
// MaxQueryWork pixel tests (estimated from the perimeter of the region's
// bounding cap and the pixel size), or a pixel-list query whose result could
// hold more than MaxQueryPixels pixels, returns nil instead of running
// without bound (e.g. a 10-degree disc at order 29).
const (
	// MaxQueryWork bounds the estimated number of pixel tests of a query.
	MaxQueryWork = 1 << 22
	// MaxQueryPixels bounds the size of the pixel list QueryDisc and
	// QueryPolygon may return (use the Ranges variants for larger sets).
	MaxQueryPixels = 1 << 24
)

// queryTooBig estimates the work and result size of a query over a region
// contained in a cap of radius r (radians).
func queryTooBig(order int, r float64, list bool) bool {
	npix := float64(Npix(order))
	s := math.Sqrt(4 * math.Pi / npix) // typical pixel size
	per := 2 * math.Pi * math.Sin(math.Min(r+2*s, math.Pi/2))
	if per/s*20 > MaxQueryWork {
		return true
	}
	if list {
		area := 2 * math.Pi * (1 - math.Cos(math.Min(r+2*s, math.Pi)))
		if area/(4*math.Pi)*npix > MaxQueryPixels {
			return true
		}
	}
	return false
}

// Range is a half-open interval [Start, Stop) of nested pixel indices.
type Range struct{ Start, Stop int64 }

// rangeSet accumulates increasing pixel ranges, merging adjacent ones.
type rangeSet []Range

func (r *rangeSet) add(a, b int64) {
	n := len(*r)
	if n > 0 && (*r)[n-1].Stop >= a {
		if b > (*r)[n-1].Stop {
			(*r)[n-1].Stop = b
		}
		return
	}
	*r = append(*r, Range{a, b})
}

func (r rangeSet) pixels() []int64 {
	var n int64
	for _, g := range r {
		n += g.Stop - g.Start
	}
	if n == 0 {
		return nil
	}
	out := make([]int64, n)
	i := 0
	for _, g := range r {
		for p := g.Start; p < g.Stop; p++ {
			out[i] = p
			i++
		}
	}
	return out
}

// maxPixRad is healpix_base's max_pixrad: the largest angular distance
// (radians) between a pixel centre and its corners at the given order.
func maxPixRad(order int) float64 {
	nside := float64(int64(1) << uint(order))
	va := setZPhi(2./3., math.Pi/(4*nside))
	t1 := 1. - 1./nside
	t1 *= t1
	vb := setZPhi(1-t1/3, 0)
	return vAngle(va, vb)
}

func setZPhi(z, phi float64) [3]float64 {
	st := math.Sqrt((1 - z) * (1 + z))
	s, c := accSincos(phi)
	return [3]float64{st * c, st * s, z}
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func vlen(a [3]float64) float64 { return math.Sqrt(a[0]*a[0] + a[1]*a[1] + a[2]*a[2]) }

func norm(a [3]float64) [3]float64 {
	f := 1. / vlen(a)
	return [3]float64{a[0] * f, a[1] * f, a[2] * f}
}

func vAngle(a, b [3]float64) float64 { return math.Atan2(vlen(cross(a, b)), dot(a, b)) }

// healpyVec reproduces how healpy turns (lon, lat) into the pointing that
// healpix_base's queries receive: numpy's ang2vec, then pointing(vec3)
// (theta = atan2(rho, z), phi = atan2(y, x) in [0, 2pi)).
func healpyPointing(lon, lat float64) (theta, phi float64) {
	th := math.Pi/2.0 - lat*deg2rad
	ph := lon * deg2rad
	st, ct := accSincos(th)
	sp, cp := accSincos(ph)
	x, y, z := st*cp, st*sp, ct
	theta = math.Atan2(math.Sqrt(x*x+y*y), z)
	if x == 0 && y == 0 {
		phi = 0
	} else {
		phi = math.Atan2(y, x)
	}
	if phi < 0 {
		phi += twoPi
	}
	return theta, phi
}

func pointingVec(theta, phi float64) [3]float64 {
	st, ct := accSincos(theta)
	sp, cp := accSincos(phi)
	return [3]float64{st * cp, st * sp, ct}
}

// nestVecAcc is healpix_base's pix2vec for a nested pixel, with correctly
// rounded sine and cosine.
func nestVecAcc(order int, pix int64) [3]float64 {
	z, phi, sth, have := nestLoc(order, pix)
	if !have {
		sth = math.Sqrt((1 - z) * (1 + z))
	}
	s, c := accSincos(phi)
	return [3]float64{sth * c, sth * s, z}
}

type stackItem struct {
	pix int64
	o   int
}

// descend runs healpix_base's hierarchical nested query: zone(o, pix)
// classifies a pixel of order o as 0 = outside, 1 = may overlap (centre
// outside), 2 = centre inside, 3 = fully inside.
func descend(order int, inclusive bool, zone func(o int, pix int64) int) rangeSet {
	omax := order
	if inclusive {
		omax = min(MaxOrder, order+inclusiveOversampling)
	}
	var res rangeSet
	stk := make([]stackItem, 0, 12+3*omax+3)
	for i := 11; i >= 0; i-- {
		stk = append(stk, stackItem{int64(i), 0})
	}
	stacktop := 0
	for len(stk) > 0 {
		it := stk[len(stk)-1]
		stk = stk[:len(stk)-1]
		pix, o := it.pix, it.o
		zn := zone(o, pix)
		if zn == 0 {
			continue
		}
		switch {
		case o < order:
			if zn >= 3 {
				sd := 2 * uint(order-o)
				res.add(pix<<sd, (pix+1)<<sd)
			} else {
				for i := int64(3); i >= 0; i-- {
					stk = append(stk, stackItem{4*pix + i, o + 1})
				}
			}
		case o > order:
			if zn >= 2 || o >= omax {
				p := pix >> (2 * uint(o-order))
				res.add(p, p+1)
				stk = stk[:stacktop]
			} else {
				for i := int64(3); i >= 0; i-- {
					stk = append(stk, stackItem{4*pix + i, o + 1})
				}
			}
		default:
			if zn >= 2 {
				res.add(pix, pix+1)
			} else if inclusive {
				if order < omax {
					stacktop = len(stk)
					for i := int64(3); i >= 0; i-- {
						stk = append(stk, stackItem{4*pix + i, o + 1})
					}
				} else {
					res.add(pix, pix+1)
				}
			}
		}
	}
	return res
}

// QueryDiscRanges is QueryDisc returning sorted, merged half-open ranges of
// nested indices instead of a pixel list (cheaper for large sets). Invalid
// input, or a query exceeding MaxQueryWork, gives nil.
func QueryDiscRanges(order int, lon, lat, radius float64, inclusive bool) []Range {
	return queryDisc(order, lon, lat, radius, inclusive, false)
}

func queryDisc(order int, lon, lat, radius float64, inclusive, list bool) []Range {
	if order < 0 || order > MaxOrder || math.IsNaN(lon) || math.IsInf(lon, 0) ||
		!(lat >= -90 && lat <= 90) || math.IsNaN(radius) || radius < 0 {
		return nil
	}
	r := radius * deg2rad
	if r >= math.Pi {
		if list && Npix(order) > MaxQueryPixels {
			return nil
		}
		return []Range{{0, Npix(order)}}
	}
	if queryTooBig(order, r, list) {
		return nil
	}
	theta, phi0 := healpyPointing(lon, lat)
	phi0 = fmodulo(phi0, twoPi)
	z0 := accCos(theta)
	sz0 := 1.0 - z0*z0
	omax := order
	if inclusive {
		omax = min(MaxOrder, order+inclusiveOversampling)
	}
	crpdr := make([]float64, omax+1)
	crmdr := make([]float64, omax+1)
	cosrad := accCos(r)
	for o := 0; o <= omax; o++ {
		dr := maxPixRad(o)
		if r+dr > math.Pi {
			crpdr[o] = -1
		} else {
			crpdr[o] = accCos(r + dr)
		}
		if r-dr < 0 {
			crmdr[o] = 1
		} else {
			crmdr[o] = accCos(r - dr)
		}
	}
	classify := func(c float64, o int) int {
		switch {
		case c <= crpdr[o]:
			return 0
		case c < cosrad:
			return 1
		case c <= crmdr[o]:
			return 2
		}
		return 3
	}
	return descend(order, inclusive, func(o int, pix int64) int {
		z, phi, _, _ := nestLoc(o, pix)
		s := math.Sqrt(sz0 * (1.0 - z*z))
		c := z0*z + math.Cos(phi0-phi)*s
		// Redo with correctly rounded cosine (healpy's) when c is close to
		// a limit.
		const m = 1e-13
		if math.Abs(c-crpdr[o]) < m || math.Abs(c-cosrad) < m || math.Abs(c-crmdr[o]) < m {
			c = z0*z + accCos(phi0-phi)*s
		}
		return classify(c, o)
	})
}

// QueryDisc returns the sorted nested indices at the given order of the
// pixels of the disc of centre (lon, lat) and radius `radius`, all in
// degrees. With inclusive=false these are the pixels whose centre lies in the
// disc (healpy's query_disc(inclusive=False), same set); with inclusive=true
// a superset of every pixel that overlaps the disc (healpy's
// inclusive=True, fact=4 algorithm: boundary pixels are tested through
// their sub-pixels two orders deeper with a max-pixel-radius safety margin,
// so a few pixels close to the disc may be included too).
// A radius >= 180 gives every pixel; invalid input (order outside 0..29,
// non-finite lon, |lat| > 90, NaN or negative radius) gives nil, and so
// does a query exceeding MaxQueryWork or MaxQueryPixels.
func QueryDisc(order int, lon, lat, radius float64, inclusive bool) []int64 {
	return rangeSet(queryDisc(order, lon, lat, radius, inclusive, true)).pixels()
}

// polygonNormals returns the inward unit normals of the edges of a convex
// polygon as healpix_base computes them, or ok=false if the polygon has fewer
// than 3 vertices, a non-finite or out-of-range vertex, a degenerate corner
// or is not convex.
func polygonNormals(vertices [][2]float64) (vv, normals [][3]float64, ok bool) {
	nv := len(vertices)
	if nv < 3 {
		return nil, nil, false
	}
	vv = make([][3]float64, nv)
	for i, v := range vertices {
		if math.IsNaN(v[0]) || math.IsInf(v[0], 0) || !(v[1] >= -90 && v[1] <= 90) {
			return nil, nil, false
		}
		vv[i] = pointingVec(healpyPointing(v[0], v[1]))
	}
	normals = make([][3]float64, nv)
	flip := 0.0
	for i := range nv {
		n := cross(vv[i], vv[(i+1)%nv])
		l := vlen(n)
		if !(l > 0) {
			return nil, nil, false
		}
		n = norm(n)
		hnd := dot(n, vv[(i+2)%nv])
		if !(math.Abs(hnd) > 1e-10) {
			return nil, nil, false
		}
		if i == 0 {
			flip = 1
			if hnd < 0 {
				flip = -1
			}
		} else if !(flip*hnd > 0) {
			return nil, nil, false
		}
		normals[i] = [3]float64{n[0] * flip, n[1] * flip, n[2] * flip}
	}
	return vv, normals, true
}

func addv(a, b [3]float64) [3]float64 { return [3]float64{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func subv(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

// enclosingCircle is healpix's find_enclosing_circle: the smallest cap
// containing the points (centre, cosine of its radius).
func enclosingCircle(p [][3]float64) (center [3]float64, cosrad float64) {
	circle2 := func(q1, q2 int) {
		center = norm(addv(p[q1], p[q2]))
		cosrad = dot(p[q1], center)
		for i := 0; i < q1; i++ {
			if dot(p[i], center) < cosrad {
				center = norm(cross(subv(p[q1], p[i]), subv(p[q2], p[i])))
				cosrad = dot(p[i], center)
				if cosrad < 0 {
					center = [3]float64{-center[0], -center[1], -center[2]}
					cosrad = -cosrad
				}
			}
		}
	}
	circle1 := func(q int) {
		center = norm(addv(p[0], p[q]))
		cosrad = dot(p[0], center)
		for i := 1; i < q; i++ {
			if dot(p[i], center) < cosrad {
				circle2(i, q)
			}
		}
	}
	center = norm(addv(p[0], p[1]))
	cosrad = dot(p[0], center)
	for i := 2; i < len(p); i++ {
		if dot(p[i], center) < cosrad {
			circle1(i)
		}
	}
	return center, cosrad
}

// QueryPolygonRanges is QueryPolygon returning sorted, merged half-open
// ranges of nested indices. Invalid input, or a query exceeding
// MaxQueryWork, gives nil.
func QueryPolygonRanges(order int, vertices [][2]float64, inclusive bool) []Range {
	return queryPolygon(order, vertices, inclusive, false)
}

func queryPolygon(order int, vertices [][2]float64, inclusive, list bool) []Range {
	if order < 0 || order > MaxOrder {
		return nil
	}
	vv, normals, ok := polygonNormals(vertices)
	if !ok {
		return nil
	}
	rad := make([]float64, len(normals), len(normals)+1)
	for i := range rad {
		rad[i] = halfPi
	}
	c, cr := enclosingCircle(vv)
	encRad := math.Acos(max(-1, min(1, cr)))
	if math.IsNaN(encRad) || queryTooBig(order, encRad, list) {
		return nil
	}
	if inclusive {
		normals = append(normals, c)
		rad = append(rad, encRad)
	}
	nv := len(normals)
	omax := order
	if inclusive {
		omax = min(MaxOrder, order+inclusiveOversampling)
	}
	// lims[o][i]: normal i and the cosines of (rad+dr, rad, rad-dr) at order o.
	type polyLim struct{ n, c [3]float64 }
	lims := make([][]polyLim, omax+1)
	for o := 0; o <= omax; o++ {
		dr := maxPixRad(o)
		lims[o] = make([]polyLim, nv)
		for i := range nv {
			l := &lims[o][i]
			l.n = normals[i]
			if rad[i]+dr > math.Pi {
				l.c[0] = -1
			} else {
				l.c[0] = accCos(rad[i] + dr)
			}
			l.c[1] = accCos(rad[i])
			if rad[i]-dr < 0 {
				l.c[2] = 1
			} else {
				l.c[2] = accCos(rad[i] - dr)
			}
		}
	}
	// zoneOf is healpix_base's zone loop: per normal, the zone drops to the
	// first limit the centre is below. It is first run on a centre computed
	// with Go's fast sine/cosine; if a compared limit is within 1e-13 (where
	// fast and correctly rounded trigonometry could disagree), it is redone
	// with correctly rounded trigonometry so the result is healpy's.
	zoneOf := func(pv [3]float64, lim []polyLim, margin float64) (zone int, close bool) {
		zone = 3
		for i := range lim {
			l := &lim[i]
			crad := pv[0]*l.n[0] + pv[1]*l.n[1] + pv[2]*l.n[2]
			z := 0
			for z < zone && crad >= l.c[z] {
				z++
			}
			if margin > 0 {
				for iz := 0; iz <= z && iz < zone; iz++ {
					if math.Abs(crad-l.c[iz]) < margin {
						return 0, true
					}
				}
			}
			if zone = z; zone == 0 {
				return 0, false
			}
		}
		return zone, false
	}
	return descend(order, inclusive, func(o int, pix int64) int {
		z, phi, sth, have := nestLoc(o, pix)
		if !have {
			sth = math.Sqrt((1 - z) * (1 + z))
		}
		s, c := math.Sincos(phi)
		zone, close := zoneOf([3]float64{sth * c, sth * s, z}, lims[o], 1e-13)
		if close {
			zone, _ = zoneOf(nestVecAcc(o, pix), lims[o], 0)
		}
		return zone
	})
}

// QueryPolygon returns the sorted nested indices at the given order of the
// pixels of a convex spherical polygon whose vertices {lon, lat} (degrees)
// are joined by great-circle arcs, in either winding order. With
// inclusive=false these are the pixels whose centre is inside (healpy's
// query_polygon(inclusive=False), same set); with inclusive=true a superset
// of every pixel that overlaps the polygon (healpy's inclusive=True, fact=4
// algorithm). Invalid input (order outside 0..29, fewer than 3 vertices, a
// non-finite vertex or |lat| > 90, a degenerate corner, a non-convex polygon)
// gives nil, and so does a query exceeding MaxQueryWork or MaxQueryPixels.
func QueryPolygon(order int, vertices [][2]float64, inclusive bool) []int64 {
	return rangeSet(queryPolygon(order, vertices, inclusive, true)).pixels()
}
