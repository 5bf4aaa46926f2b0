package healpix

import "math"

// xyfLoc is healpix_base's xyf2loc: the position of the point with fractional
// face coordinates (x, y) in [0,1]^2 of base face `face` (x from the S corner
// towards E, y from S towards W), as z = cos(theta), phi and, near the poles,
// an accurate sin(theta).
func xyfLoc(x, y float64, face int) (z, phi, sth float64, haveSth bool) {
	jr := float64(jrll[face]) - x - y
	var nr float64
	switch {
	case jr < 1:
		nr = jr
		tmp := nr * nr / 3
		z = 1 - tmp
		if z > 0.99 {
			sth = math.Sqrt(tmp * (2.0 - tmp))
			haveSth = true
		}
	case jr > 3:
		nr = 4 - jr
		tmp := nr * nr / 3
		z = tmp - 1
		if z < -0.99 {
			sth = math.Sqrt(tmp * (2.0 - tmp))
			haveSth = true
		}
	default:
		nr = 1
		z = (2 - jr) * 2 / 3
	}
	tmp := float64(jpll[face])*nr + x - y
	if tmp < 0 {
		tmp += 8
	}
	if tmp >= 8 {
		tmp -= 8
	}
	if nr < 1e-15 {
		phi = 0
	} else {
		phi = (0.5 * halfPi * tmp) / nr
	}
	return z, phi, sth, haveSth
}

// locToVec converts (z, phi[, sth]) to a unit vector.
func locToVec(z, phi, sth float64, haveSth bool) [3]float64 {
	if !haveSth {
		sth = math.Sqrt((1 - z) * (1 + z))
	}
	s, c := math.Sincos(phi)
	return [3]float64{sth * c, sth * s, z}
}

// locToLonLatAcc converts (z, phi[, sth]) to degrees with full accuracy at
// every latitude (lat = atan2(z, sin theta)); lon is in [0, 360).
func locToLonLatAcc(z, phi, sth float64, haveSth bool) (lon, lat float64) {
	if !haveSth {
		sth = math.Sqrt((1 - z) * (1 + z))
	}
	lon = phi * rad2deg
	if lon >= 360 {
		lon -= 360
	}
	return lon, math.Atan2(z, sth) * rad2deg
}

// NestUVToAng returns the sky position (lon, lat) in degrees of the
// fractional point (u, v) inside nested pixel ipix, with the exact HEALPix
// geometry: u runs along the face x axis and v along the face y axis, so
// (0,0) is the S corner, (1,0) the E corner, (0,1) the W corner, (1,1) the N
// corner and (0.5,0.5) the centre (equal to NestToAng). u and v outside
// [0,1] are allowed as long as the point stays on the same base face
// (0 <= (x+u)/nside, (y+v)/nside <= 1); otherwise, or for an invalid order,
// pixel index or non-finite u, v, the result is (NaN, NaN).
func NestUVToAng(order int, ipix int64, u, v float64) (lon, lat float64) {
	z, phi, sth, have, ok := nestUVLoc(order, ipix, u, v)
	if !ok {
		return math.NaN(), math.NaN()
	}
	return locToLonLatAcc(z, phi, sth, have)
}

// NestUVToVec is NestUVToAng returning a unit vector (x towards lon=0 lat=0,
// z towards the north pole). Invalid input gives {NaN, NaN, NaN}.
func NestUVToVec(order int, ipix int64, u, v float64) [3]float64 {
	z, phi, sth, have, ok := nestUVLoc(order, ipix, u, v)
	if !ok {
		return [3]float64{math.NaN(), math.NaN(), math.NaN()}
	}
	return locToVec(z, phi, sth, have)
}

func nestUVLoc(order int, ipix int64, u, v float64) (z, phi, sth float64, haveSth, ok bool) {
	if !validPix(order, ipix) {
		return 0, 0, 0, false, false
	}
	face, ix, iy := nest2xyf(order, ipix)
	ns := float64(int64(1) << uint(order))
	x := (float64(ix) + u) / ns
	y := (float64(iy) + v) / ns
	if !(x >= 0 && x <= 1 && y >= 0 && y <= 1) {
		return 0, 0, 0, false, false
	}
	z, phi, sth, haveSth = xyfLoc(x, y, face)
	return z, phi, sth, haveSth, true
}

// NestCorners returns the four corners {lon, lat} in degrees of nested pixel
// ipix, in the order N, W, S, E (as healpy.boundaries with step=1). At a pole
// the longitude of the polar corner is 0. Invalid input gives NaN corners.
func NestCorners(order int, ipix int64) [4][2]float64 {
	var out [4][2]float64
	if !validPix(order, ipix) {
		nan := math.NaN()
		for i := range out {
			out[i] = [2]float64{nan, nan}
		}
		return out
	}
	face, ix, iy := nest2xyf(order, ipix)
	ns := float64(int64(1) << uint(order))
	x0, y0 := float64(ix)/ns, float64(iy)/ns
	x1, y1 := float64(ix+1)/ns, float64(iy+1)/ns
	pts := [4][2]float64{{x1, y1}, {x0, y1}, {x0, y0}, {x1, y0}}
	for i, p := range pts {
		lon, lat := locToLonLatAcc(xyfLoc(p[0], p[1], face))
		out[i] = [2]float64{lon, lat}
	}
	return out
}

// Neighbour tables of healpix_base: offsets in (x, y) in the order SW, W, NW,
// N, NE, E, SE, S; the face reached when leaving a face through one of its
// 8 sides/corners (index 0..8 = S, SE, E, SW, centre, NE, W, NW, N, from
// (dx+1)+3(dy+1) with dx = x overflow, dy = y overflow); and the coordinate
// transformation (bit 1: x flip, 2: y flip, 4: swap) per face row.
var (
	nbXOffset   = [8]int64{-1, -1, 0, 1, 1, 1, 0, -1}
	nbYOffset   = [8]int64{0, 1, 1, 1, 0, -1, -1, -1}
	nbFaceArray = [9][12]int{
		{8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9}, // S
		{5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8},     // SE
		{-1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1}, // E
		{4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10},     // SW
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},       // centre
		{1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4},         // NE
		{-1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1}, // W
		{3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7},         // NW
		{2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3},     // N
	}
	nbSwapArray = [9][3]int{
		{0, 0, 3}, {0, 0, 6}, {0, 0, 0}, {0, 0, 5}, {0, 0, 0},
		{5, 0, 0}, {0, 0, 0}, {6, 0, 0}, {3, 0, 0},
	}
)

// NestNeighbours returns the nested indices of the 8 neighbours of nested
// pixel ipix in the order SW, W, NW, N, NE, E, SE, S (as
// healpy.get_all_neighbours); a missing neighbour (at the 8 base-face corners
// shared by only 3 faces) is -1. Invalid input gives eight -1.
func NestNeighbours(order int, ipix int64) [8]int64 {
	var res [8]int64
	if !validPix(order, ipix) {
		for i := range res {
			res[i] = -1
		}
		return res
	}
	face, ix, iy := nest2xyf(order, ipix)
	nside := int64(1) << uint(order)
	nsm1 := nside - 1
	if ix > 0 && ix < nsm1 && iy > 0 && iy < nsm1 {
		fpix := int64(face) << (2 * uint(order))
		px0, py0 := spread(ix), spread(iy)<<1
		pxp, pyp := spread(ix+1), spread(iy+1)<<1
		pxm, pym := spread(ix-1), spread(iy-1)<<1
		return [8]int64{
			fpix + pxm + py0, fpix + pxm + pyp, fpix + px0 + pyp, fpix + pxp + pyp,
			fpix + pxp + py0, fpix + pxp + pym, fpix + px0 + pym, fpix + pxm + pym,
		}
	}
	for i := range 8 {
		x, y := ix+nbXOffset[i], iy+nbYOffset[i]
		nbnum := 4
		if x < 0 {
			x += nside
			nbnum--
		} else if x >= nside {
			x -= nside
			nbnum++
		}
		if y < 0 {
			y += nside
			nbnum -= 3
		} else if y >= nside {
			y -= nside
			nbnum += 3
		}
		f := nbFaceArray[nbnum][face]
		if f < 0 {
			res[i] = -1
			continue
		}
		bits := nbSwapArray[nbnum][face>>2]
		if bits&1 != 0 {
			x = nside - x - 1
		}
		if bits&2 != 0 {
			y = nside - y - 1
		}
		if bits&4 != 0 {
			x, y = y, x
		}
		res[i] = xyf2nest(order, x, y, f)
	}
	return res
}
