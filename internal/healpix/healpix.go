// Package healpix implements the HEALPix tessellation of the sphere (Górski et
// al. 2005) for Skyglass: nested and ring hashing, pixel centres, corners and
// fractional positions inside pixels, neighbours, disc and polygon coverage,
// HiPS tile-pixel addressing and IVOA MOC coverage maps.
//
// Conventions: angles are degrees at every exported boundary (lon in [0,360),
// lat in [-90,90]); order k means nside = 2^k and npix = 12·4^k, k = 0..29;
// pixel indices are int64. Hashing follows the HEALPix C++ healpix_base
// algorithms (as used by healpy), including their floating-point operation
// order, so that results agree exactly with healpy; disc and polygon coverage
// follow healpix_base's hierarchical nested descent.
//
// No function panics on bad input: invalid orders, pixel indices or
// non-finite angles give -1 (pixel results), NaN (angle results), nil (set
// results) or an error, as each function documents.
package healpix

import "math"

// MaxOrder is the deepest supported order (nside = 2^29).
const MaxOrder = 29

const (
	halfPi    = math.Pi / 2
	twoPi     = 2 * math.Pi
	invHalfPi = 0.6366197723675813430755350534900574
	invTwoPi  = 1 / (2 * math.Pi)
	twoThird  = 2.0 / 3.0
	deg2rad   = math.Pi / 180
	rad2deg   = 180 / math.Pi
)

// Base-face tables of healpix_base: jrll = ring index of the face's southern
// corner in units of nside, jpll = longitude index of the face centre in
// units of pi/4.
var (
	jrll = [12]int64{2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4}
	jpll = [12]int64{1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7}
)

// Nside returns 2^order, or -1 if order is outside 0..29.
func Nside(order int) int64 {
	if order < 0 || order > MaxOrder {
		return -1
	}
	return int64(1) << uint(order)
}

// Npix returns the number of pixels 12·4^order, or -1 if order is outside 0..29.
func Npix(order int) int64 {
	if order < 0 || order > MaxOrder {
		return -1
	}
	return 12 << (2 * uint(order))
}

// validPix reports whether order is in range and 0 <= ipix < Npix(order).
func validPix(order int, ipix int64) bool {
	return order >= 0 && order <= MaxOrder && ipix >= 0 && ipix < 12<<(2*uint(order))
}

// Parent returns the nested index at order-1 of the pixel containing nested
// pixel ipix of the given order. It returns -1 if order is outside 1..29 or
// ipix is not a valid pixel of that order.
func Parent(order int, ipix int64) int64 {
	if order < 1 || !validPix(order, ipix) {
		return -1
	}
	return ipix >> 2
}

// Children returns the four nested indices at order+1 of the sub-pixels of
// nested pixel ipix, in increasing order. It returns {-1,-1,-1,-1} if order
// is outside 0..28 or ipix is not a valid pixel of that order.
func Children(order int, ipix int64) [4]int64 {
	if order >= MaxOrder || !validPix(order, ipix) {
		return [4]int64{-1, -1, -1, -1}
	}
	c := ipix << 2
	return [4]int64{c, c + 1, c + 2, c + 3}
}

// spread moves the low 32 bits of v to the even bit positions.
func spread(v int64) int64 {
	x := uint64(v) & 0xffffffff
	x = (x | x<<16) & 0x0000ffff0000ffff
	x = (x | x<<8) & 0x00ff00ff00ff00ff
	x = (x | x<<4) & 0x0f0f0f0f0f0f0f0f
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return int64(x)
}

// compress gathers the even bits of v into the low 32 bits.
func compress(v int64) int64 {
	x := uint64(v) & 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0f0f0f0f0f0f0f0f
	x = (x | x>>4) & 0x00ff00ff00ff00ff
	x = (x | x>>8) & 0x0000ffff0000ffff
	x = (x | x>>16) & 0x00000000ffffffff
	return int64(x)
}

// NestToFXY splits nested pixel ipix into its base face (0..11) and its
// integer coordinates x, y (0..nside-1) inside the face, as healpix_base's
// nest2xyf: x is made of the even bits of the in-face index, y of the odd
// bits; x grows from the face's S corner towards its E corner, y from S
// towards W. Invalid input gives (-1, -1, -1).
func NestToFXY(order int, ipix int64) (face int, x, y int64) {
	if !validPix(order, ipix) {
		return -1, -1, -1
	}
	f, ix, iy := nest2xyf(order, ipix)
	return f, ix, iy
}

// FXYToNest is the inverse of NestToFXY. It returns -1 if order is outside
// 0..29, face outside 0..11 or x, y outside 0..nside-1.
func FXYToNest(order int, face int, x, y int64) int64 {
	if order < 0 || order > MaxOrder || face < 0 || face > 11 {
		return -1
	}
	ns := int64(1) << uint(order)
	if x < 0 || y < 0 || x >= ns || y >= ns {
		return -1
	}
	return xyf2nest(order, x, y, face)
}

func nest2xyf(order int, pix int64) (face int, ix, iy int64) {
	face = int(pix >> (2 * uint(order)))
	pix &= (int64(1) << (2 * uint(order))) - 1
	return face, compress(pix), compress(pix >> 1)
}

func xyf2nest(order int, ix, iy int64, face int) int64 {
	return int64(face)<<(2*uint(order)) + spread(ix) + spread(iy)<<1
}

// fmodulo returns v1 mod v2 in [0, v2) as healpix_base's fmodulo does.
func fmodulo(v1, v2 float64) float64 {
	if v1 >= 0 {
		if v1 < v2 {
			return v1
		}
		return math.Mod(v1, v2)
	}
	tmp := math.Mod(v1, v2) + v2
	if tmp == v2 {
		return 0
	}
	return tmp
}

// lonLatToLoc converts degrees to healpix_base's (z = cos theta, phi, sin
// theta) with healpy's conversion theta = pi/2 - radians(lat), phi =
// radians(lon), with correctly rounded cos/sin. ok is false for non-finite
// input or |lat| > 90.
func lonLatToLoc(lon, lat float64) (z, phi, sth float64, haveSth, ok bool) {
	if math.IsNaN(lon) || math.IsInf(lon, 0) || !(lat >= -90 && lat <= 90) {
		return 0, 0, 0, false, false
	}
	theta := math.Pi/2 - lat*deg2rad
	phi = lon * deg2rad
	st, ct := accSincos(theta)
	if theta < 0.01 || theta > 3.14159-0.01 {
		return ct, phi, st, true, true
	}
	return ct, phi, 0, false, true
}

// hashAng hashes (lon, lat) with hash (loc2nest or loc2ring). It first uses
// Go's fast math.Cos/Sin, whose result can be one ulp off the correctly
// rounded value healpy gets from glibc; when that could change any integer
// decision (the point is within a tiny margin of a pixel edge), it redoes
// the hash with correctly rounded trigonometry.
func hashAng(order int, lon, lat float64, nest bool) int64 {
	if order < 0 || order > MaxOrder || math.IsNaN(lon) || math.IsInf(lon, 0) || !(lat >= -90 && lat <= 90) {
		return -1
	}
	theta := math.Pi/2 - lat*deg2rad
	phi := lon * deg2rad
	margin := float64(int64(1)<<uint(order)) * 1e-11
	var p int64
	var ok bool
	if theta < 0.01 || theta > 3.14159-0.01 {
		st, ct := math.Sincos(theta)
		p, ok = hashLoc(nest, order, ct, phi, st, true, margin)
	} else {
		p, ok = hashLoc(nest, order, math.Cos(theta), phi, 0, false, margin)
	}
	if ok {
		return p
	}
	z, phi, sth, have, _ := lonLatToLoc(lon, lat)
	p, _ = hashLoc(nest, order, z, phi, sth, have, 0)
	return p
}

func hashLoc(nest bool, order int, z, phi, sth float64, haveSth bool, margin float64) (int64, bool) {
	if nest {
		return loc2nest(order, z, phi, sth, haveSth, margin)
	}
	return loc2ring(order, z, phi, sth, haveSth, margin)
}

// AngToNest returns the nested index at the given order of the pixel
// containing (lon, lat) in degrees. Any finite lon is accepted (it is taken
// modulo 360). It returns -1 if order is outside 0..29, lon or lat is not
// finite, or |lat| > 90.
func AngToNest(order int, lon, lat float64) int64 {
	return hashAng(order, lon, lat, true)
}

// AngToRing is AngToNest in the ring scheme, with the same invalid-input
// results (-1).
func AngToRing(order int, lon, lat float64) int64 {
	return hashAng(order, lon, lat, false)
}

// near reports whether v is within margin of an integer or of the
// threshold values that select a branch.
func nearInt(v, margin float64) bool {
	if margin == 0 {
		return false
	}
	f := v - math.Floor(v)
	return f < margin || f > 1-margin
}

// zoneClose reports whether |z| is close to one of the branch thresholds
// of loc2pix (2/3 and 0.99).
func zoneClose(za, margin float64) bool {
	return margin != 0 && (math.Abs(za-twoThird) < 1e-12 || math.Abs(za-0.99) < 1e-12)
}

// loc2nest is healpix_base's loc2pix for the nested scheme. With margin > 0
// it also reports ok=false when a truncation to an integer was within
// margin of an integer (so a one-ulp change of z could change the result).
func loc2nest(order int, z, phi, sth float64, haveSth bool, margin float64) (int64, bool) {
	nside := int64(1) << uint(order)
	fns := float64(nside)
	za := math.Abs(z)
	if zoneClose(za, margin) {
		return 0, false
	}
	tt := fmodulo(phi*invHalfPi, 4.0)
	if za <= twoThird {
		temp1 := fns * (0.5 + tt)
		temp2 := fns * (z * 0.75)
		if nearInt(temp1-temp2, margin) || nearInt(temp1+temp2, margin) {
			return 0, false
		}
		jp := int64(temp1 - temp2)
		jm := int64(temp1 + temp2)
		ifp := jp >> uint(order)
		ifm := jm >> uint(order)
		var face int
		switch {
		case ifp == ifm:
			face = int(ifp) | 4
		case ifp < ifm:
			face = int(ifp)
		default:
			face = int(ifm) + 8
		}
		ix := jm & (nside - 1)
		iy := nside - (jp & (nside - 1)) - 1
		return xyf2nest(order, ix, iy, face), true
	}
	ntt := min(3, int(tt))
	tp := tt - float64(ntt)
	var tmp float64
	if za < 0.99 || !haveSth {
		tmp = fns * math.Sqrt(3*(1-za))
	} else {
		tmp = fns * sth / math.Sqrt((1+za)/3)
	}
	if nearInt(tp*tmp, margin) || nearInt((1.0-tp)*tmp, margin) {
		return 0, false
	}
	jp := int64(tp * tmp)
	jm := int64((1.0 - tp) * tmp)
	jp = min(jp, nside-1)
	jm = min(jm, nside-1)
	if z > 0 {
		return xyf2nest(order, nside-jm-1, nside-jp-1, ntt), true
	}
	return xyf2nest(order, jp, jm, ntt+8), true
}

// loc2ring is healpix_base's loc2pix for the ring scheme; margin and ok as
// for loc2nest.
func loc2ring(order int, z, phi, sth float64, haveSth bool, margin float64) (int64, bool) {
	nside := int64(1) << uint(order)
	fns := float64(nside)
	npix := 12 * nside * nside
	ncap := 2 * (nside*nside - nside)
	za := math.Abs(z)
	if zoneClose(za, margin) {
		return 0, false
	}
	tt := fmodulo(phi*invHalfPi, 4.0)
	if za <= twoThird {
		nl4 := 4 * nside
		temp1 := fns * (0.5 + tt)
		temp2 := fns * z * 0.75
		if nearInt(temp1-temp2, margin) || nearInt(temp1+temp2, margin) {
			return 0, false
		}
		jp := int64(temp1 - temp2)
		jm := int64(temp1 + temp2)
		ir := nside + 1 + jp - jm
		kshift := 1 - (ir & 1)
		t1 := jp + jm - nside + kshift + 1 + nl4 + nl4
		var ip int64
		if order > 0 {
			ip = (t1 >> 1) & (nl4 - 1)
		} else {
			ip = (t1 >> 1) % nl4
		}
		return ncap + (ir-1)*nl4 + ip, true
	}
	tp := tt - float64(int64(tt))
	var tmp float64
	if za < 0.99 || !haveSth {
		tmp = fns * math.Sqrt(3*(1-za))
	} else {
		tmp = fns * sth / math.Sqrt((1+za)/3)
	}
	if nearInt(tp*tmp, margin) || nearInt((1.0-tp)*tmp, margin) {
		return 0, false
	}
	jp := int64(tp * tmp)
	jm := int64((1.0 - tp) * tmp)
	ir := jp + jm + 1
	ip := int64(tt * float64(ir))
	// Guard against rounding putting ip at 4*ir (healpix_base asserts it cannot happen).
	if ip >= 4*ir {
		ip = 4*ir - 1
	}
	if z > 0 {
		return 2*ir*(ir-1) + ip, true
	}
	return npix - 2*ir*(ir+1) + ip, true
}

// nestLoc returns healpix_base's pix2loc for a nested pixel: z = cos(theta),
// phi, and sin(theta) when it is computed more accurately near the poles.
func nestLoc(order int, pix int64) (z, phi, sth float64, haveSth bool) {
	nside := int64(1) << uint(order)
	npix := 12 * nside * nside
	fact2 := 4.0 / float64(npix)
	fact1 := float64(nside<<1) * fact2
	face, ix, iy := nest2xyf(order, pix)
	jr := jrll[face]<<uint(order) - ix - iy - 1
	var nr int64
	switch {
	case jr < nside:
		nr = jr
		tmp := float64(nr*nr) * fact2
		z = 1 - tmp
		if z > 0.99 {
			sth = math.Sqrt(tmp * (2.0 - tmp))
			haveSth = true
		}
	case jr > 3*nside:
		nr = nside*4 - jr
		tmp := float64(nr*nr) * fact2
		z = tmp - 1
		if z < -0.99 {
			sth = math.Sqrt(tmp * (2.0 - tmp))
			haveSth = true
		}
	default:
		nr = nside
		z = float64(2*nside-jr) * fact1
	}
	tmp := jpll[face]*nr + ix - iy
	if tmp < 0 {
		tmp += 8 * nr
	}
	if nr == nside {
		phi = 0.75 * halfPi * float64(tmp) * fact1
	} else {
		phi = (0.5 * halfPi * float64(tmp)) / float64(nr)
	}
	return z, phi, sth, haveSth
}

// isqrt returns floor(sqrt(v)) for v >= 0.
func isqrt(v int64) int64 {
	s := int64(math.Sqrt(float64(v) + 0.5))
	for s > 0 && s*s > v {
		s--
	}
	for (s+1)*(s+1) <= v {
		s++
	}
	return s
}

// ringLoc is healpix_base's pix2loc for a ring pixel.
func ringLoc(order int, pix int64) (z, phi, sth float64, haveSth bool) {
	nside := int64(1) << uint(order)
	npix := 12 * nside * nside
	ncap := 2 * (nside*nside - nside)
	fact2 := 4.0 / float64(npix)
	fact1 := float64(nside<<1) * fact2
	switch {
	case pix < ncap:
		iring := (1 + isqrt(1+2*pix)) >> 1
		iphi := (pix + 1) - 2*iring*(iring-1)
		tmp := float64(iring*iring) * fact2
		z = 1.0 - tmp
		if z > 0.99 {
			sth = math.Sqrt(tmp * (2.0 - tmp))
			haveSth = true
		}
		phi = (float64(iphi) - 0.5) * halfPi / float64(iring)
	case pix < npix-ncap:
		nl4 := 4 * nside
		ip := pix - ncap
		tmp := ip >> uint(order+2)
		iring := tmp + nside
		iphi := ip - nl4*tmp + 1
		fodd := 0.5
		if (iring+nside)&1 != 0 {
			fodd = 1
		}
		z = float64(2*nside-iring) * fact1
		phi = (float64(iphi) - fodd) * math.Pi * 0.75 * fact1
	default:
		ip := npix - pix
		iring := (1 + isqrt(2*ip-1)) >> 1
		iphi := 4*iring + 1 - (ip - 2*iring*(iring-1))
		tmp := float64(iring*iring) * fact2
		z = tmp - 1.0
		if z < -0.99 {
			sth = math.Sqrt(tmp * (2.0 - tmp))
			haveSth = true
		}
		phi = (float64(iphi) - 0.5) * halfPi / float64(iring)
	}
	return z, phi, sth, haveSth
}

// locToLonLat converts (z, phi[, sth]) to degrees the way healpy does
// (theta = acos(z) or atan2(sth, z); lat = 90 - degrees(theta)).
func locToLonLat(z, phi, sth float64, haveSth bool) (lon, lat float64) {
	var theta float64
	if haveSth {
		theta = math.Atan2(sth, z)
	} else {
		theta = math.Acos(z)
	}
	return phi * rad2deg, 90 - theta*rad2deg
}

// NestToAng returns the centre (lon, lat) in degrees of nested pixel ipix.
// Invalid order or pixel index gives (NaN, NaN).
func NestToAng(order int, ipix int64) (lon, lat float64) {
	if !validPix(order, ipix) {
		return math.NaN(), math.NaN()
	}
	return locToLonLat(nestLoc(order, ipix))
}

// RingToAng returns the centre (lon, lat) in degrees of ring pixel ipix.
// Invalid order or pixel index gives (NaN, NaN).
func RingToAng(order int, ipix int64) (lon, lat float64) {
	if !validPix(order, ipix) {
		return math.NaN(), math.NaN()
	}
	return locToLonLat(ringLoc(order, ipix))
}

// NestToRing converts a nested index to the ring index of the same pixel.
// Invalid order or pixel index gives -1.
func NestToRing(order int, ipix int64) int64 {
	if !validPix(order, ipix) {
		return -1
	}
	f, ix, iy := nest2xyf(order, ipix)
	return xyf2ring(order, ix, iy, f)
}

// RingToNest converts a ring index to the nested index of the same pixel.
// Invalid order or pixel index gives -1.
func RingToNest(order int, ipix int64) int64 {
	if !validPix(order, ipix) {
		return -1
	}
	f, ix, iy := ring2xyf(order, ipix)
	return xyf2nest(order, ix, iy, f)
}

func ring2xyf(order int, pix int64) (face int, ix, iy int64) {
	nside := int64(1) << uint(order)
	npix := 12 * nside * nside
	ncap := 2 * (nside*nside - nside)
	nl2 := 2 * nside
	var iring, iphi, kshift, nr int64
	switch {
	case pix < ncap:
		iring = (1 + isqrt(1+2*pix)) >> 1
		iphi = (pix + 1) - 2*iring*(iring-1)
		nr = iring
		face = int((iphi - 1) / nr)
	case pix < npix-ncap:
		ip := pix - ncap
		tmp := ip >> uint(order+2)
		iring = tmp + nside
		iphi = ip - tmp*4*nside + 1
		kshift = (iring + nside) & 1
		nr = nside
		ire := iring - nside + 1
		irm := nl2 + 2 - ire
		ifm := (iphi - ire/2 + nside - 1) >> uint(order)
		ifp := (iphi - irm/2 + nside - 1) >> uint(order)
		switch {
		case ifp == ifm:
			face = int(ifp&3) + 4
		case ifp < ifm:
			face = int(ifp)
		default:
			face = int(ifm) + 8
		}
	default:
		ip := npix - pix
		iring = (1 + isqrt(2*ip-1)) >> 1
		iphi = 4*iring + 1 - (ip - 2*iring*(iring-1))
		nr = iring
		iring = 2*nl2 - iring
		face = 8 + int((iphi-1)/nr)
	}
	irt := iring - jrll[face]*nside + 1
	ipt := 2*iphi - jpll[face]*nr - kshift - 1
	if ipt >= nl2 {
		ipt -= 8 * nside
	}
	return face, (ipt - irt) >> 1, (-ipt - irt) >> 1
}

func xyf2ring(order int, ix, iy int64, face int) int64 {
	nside := int64(1) << uint(order)
	npix := 12 * nside * nside
	ncap := 2 * (nside*nside - nside)
	nl4 := 4 * nside
	jr := jrll[face]*nside - ix - iy - 1
	var nr, kshift, nBefore int64
	switch {
	case jr < nside:
		nr = jr
		nBefore = 2 * nr * (nr - 1)
	case jr > 3*nside:
		nr = nl4 - jr
		nBefore = npix - 2*(nr+1)*nr
	default:
		nr = nside
		nBefore = ncap + (jr-nside)*nl4
		kshift = (jr - nside) & 1
	}
	jp := (jpll[face]*nr + ix - iy + 1 + kshift) / 2
	if jp < 1 {
		jp += nl4
	}
	return nBefore + jp - 1
}
