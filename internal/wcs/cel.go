package wcs

import (
	"errors"
	"fmt"
	"math"
)

// celestial holds the spherical rotation between native (phi, theta) and
// celestial (lng, lat) coordinates: WCSLIB's Euler angles
// eul = (lng of native pole, 90 - lat of native pole, LONPOLE, cos eul1, sin eul1).
type celestial struct {
	eul              [5]float64
	isolat           bool
	lonpole, latpole float64 // as computed (LONPOLE, LATPOLE after celset)
}

const celTol = 1e-10

// celSet computes the Euler angles from the fiducial point's celestial
// coordinates (lng0, lat0), its native coordinates (phi0, theta0), and
// LONPOLE/LATPOLE (NaN = not given; LATPOLE's default is +90), exactly as
// WCSLIB's celset does.
func celSet(lng0, lat0, phi0, theta0, phip, latp float64) (celestial, error) {
	var c celestial
	if math.Abs(theta0) > 90 {
		if math.Abs(theta0) > 90+celTol {
			return c, errors.New("invalid coordinate transformation parameters: |theta0| > 90")
		}
		theta0 = copysign(90, theta0)
	}
	if undefined(latp) {
		latp = 90
	}
	if undefined(phip) || phip == 999 {
		if lat0 < theta0 {
			phip = 180
		} else {
			phip = 0
		}
		phip += phi0
		if phip < -180 {
			phip += 360
		} else if phip > 180 {
			phip -= 360
		}
	}
	var lngp float64
	if theta0 == 90 {
		lngp = lng0
		latp = lat0
	} else {
		slat0, clat0 := sincosd(lat0)
		sthe0, cthe0 := sincosd(theta0)
		var sphip, cphip, u, v float64
		latpreq := 0
		if phip == phi0 {
			sphip, cphip = 0, 1
			u = theta0
			v = 90 - lat0
		} else {
			sphip, cphip = sincosd(phip - phi0)
			x := cthe0 * cphip
			y := sthe0
			z := math.Sqrt(x*x + y*y)
			if z == 0 {
				if slat0 != 0 {
					return c, errors.New("invalid coordinate description: lat0 == 0 is required for |phip - phi0| = 90 and theta0 == 0")
				}
				latpreq = 2
				if latp > 90 {
					latp = 90
				} else if latp < -90 {
					latp = -90
				}
			} else {
				slz := slat0 / z
				if math.Abs(slz) > 1 {
					if math.Abs(slz)-1 < celTol {
						slz = copysign(1, slz)
					} else {
						return c, fmt.Errorf("invalid coordinate description: |lat0| <= %.3f is required for these values of phip, phi0 and theta0", asind(z))
					}
				}
				u = atan2d(y, x)
				v = acosd(slz)
			}
		}
		if latpreq == 0 {
			latp1 := u + v
			if latp1 > 180 {
				latp1 -= 360
			} else if latp1 < -180 {
				latp1 += 360
			}
			latp2 := u - v
			if latp2 > 180 {
				latp2 -= 360
			} else if latp2 < -180 {
				latp2 += 360
			}
			if math.Abs(latp-latp1) < math.Abs(latp-latp2) {
				if math.Abs(latp1) < 90+celTol {
					latp = latp1
				} else {
					latp = latp2
				}
			} else {
				if math.Abs(latp2) < 90+celTol {
					latp = latp2
				} else {
					latp = latp1
				}
			}
			if math.Abs(latp) < 90+celTol {
				if latp > 90 {
					latp = 90
				} else if latp < -90 {
					latp = -90
				}
			}
		}
		z := cosd(latp) * clat0
		if math.Abs(z) < celTol {
			switch {
			case math.Abs(clat0) < celTol:
				lngp = lng0
			case latp > 0:
				lngp = lng0 + phip - phi0 - 180
			default:
				lngp = lng0 - phip + phi0
			}
		} else {
			x := (sthe0 - sind(latp)*slat0) / z
			y := sphip * cthe0 / clat0
			if x == 0 && y == 0 {
				return c, errors.New("invalid coordinate transformation parameters")
			}
			lngp = lng0 - atan2d(y, x)
		}
		if lng0 >= 0 {
			if lngp < 0 {
				lngp += 360
			} else if lngp > 360 {
				lngp -= 360
			}
		} else {
			if lngp > 0 {
				lngp -= 360
			} else if lngp < -360 {
				lngp += 360
			}
		}
	}
	c.lonpole, c.latpole = phip, latp
	c.eul[0] = lngp
	c.eul[1] = 90 - latp
	c.eul[2] = phip
	c.eul[4], c.eul[3] = sincosd(c.eul[1])
	c.isolat = c.eul[4] == 0
	if math.Abs(latp) > 90+celTol {
		return c, errors.New("ill-conditioned coordinate transformation parameters: no valid solution for the native pole's latitude")
	}
	return c, nil
}

const sphTol = 1e-5

// normLng applies WCSLIB's celestial longitude normalisation.
func (c *celestial) normLng(lng float64) float64 {
	if c.eul[0] >= 0 {
		if lng < 0 {
			lng += 360
		}
	} else if lng > 0 {
		lng -= 360
	}
	if lng > 360 {
		lng -= 360
	} else if lng < -360 {
		lng += 360
	}
	return lng
}

// toCelestial rotates native (phi, theta) to celestial (lng, lat) (sphx2s).
func (c *celestial) toCelestial(phi, theta float64) (lng, lat float64) {
	eul := &c.eul
	if eul[4] == 0 {
		if eul[1] == 0 {
			dlng := fmod(eul[0]+180-eul[2], 360)
			return c.normLng(phi + dlng), theta
		}
		dlng := fmod(eul[0]+eul[2], 360)
		return c.normLng(dlng - phi), -theta
	}
	dphi := phi - eul[2]
	sinthe, costhe := sincosd(theta)
	costhe3 := costhe * eul[3]
	costhe4 := costhe * eul[4]
	sinthe3 := sinthe * eul[3]
	sinthe4 := sinthe * eul[4]
	sinphi, cosphi := sincosd(dphi)
	x := sinthe4 - costhe3*cosphi
	if math.Abs(x) < sphTol {
		x = -cosd(theta+eul[1]) + costhe3*(1-cosphi)
	}
	y := -costhe * sinphi
	var dlng float64
	if x != 0 || y != 0 {
		dlng = atan2d(y, x)
	} else if eul[1] < 90 {
		dlng = dphi + 180
	} else {
		dlng = -dphi
	}
	lng = c.normLng(eul[0] + dlng)
	if isMultiple(dphi, 180) {
		lat = theta + cosphi*eul[1]
		if lat > 90 {
			lat = 180 - lat
		}
		if lat < -90 {
			lat = -180 - lat
		}
	} else {
		z := sinthe3 + costhe4*cosphi
		if math.Abs(z) > 0.99 {
			lat = copysign(acosd(math.Sqrt(x*x+y*y)), z)
		} else {
			lat = asind(z)
		}
	}
	return lng, lat
}

// toNative rotates celestial (lng, lat) to native (phi, theta) (sphs2x).
func (c *celestial) toNative(lng, lat float64) (phi, theta float64) {
	eul := &c.eul
	norm := func(phi float64) float64 {
		if phi > 180 {
			phi -= 360
		} else if phi < -180 {
			phi += 360
		}
		return phi
	}
	if eul[4] == 0 {
		if eul[1] == 0 {
			dphi := fmod(eul[2]-180-eul[0], 360)
			return norm(fmod(lng+dphi, 360)), lat
		}
		dphi := fmod(eul[2]+eul[0], 360)
		return norm(fmod(dphi-lng, 360)), -lat
	}
	dlng := lng - eul[0]
	sinlat, coslat := sincosd(lat)
	coslat3 := coslat * eul[3]
	coslat4 := coslat * eul[4]
	sinlat3 := sinlat * eul[3]
	sinlat4 := sinlat * eul[4]
	sinlng, coslng := sincosd(dlng)
	x := sinlat4 - coslat3*coslng
	if math.Abs(x) < sphTol {
		x = -cosd(lat+eul[1]) + coslat3*(1-coslng)
	}
	y := -coslat * sinlng
	var dphi float64
	if x != 0 || y != 0 {
		dphi = atan2d(y, x)
	} else if eul[1] < 90 {
		dphi = dlng - 180
	} else {
		dphi = -dlng
	}
	phi = norm(fmod(eul[2]+dphi, 360))
	if isMultiple(dlng, 180) {
		theta = lat + coslng*eul[1]
		if theta > 90 {
			theta = 180 - theta
		}
		if theta < -90 {
			theta = -180 - theta
		}
	} else {
		z := sinlat3 + coslat4*coslng
		if math.Abs(z) > 0.99 {
			theta = copysign(acosd(math.Sqrt(x*x+y*y)), z)
		} else {
			theta = asind(z)
		}
	}
	return phi, theta
}
