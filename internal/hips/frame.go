package hips

import (
	"fmt"
	"strings"
)

// Frame is the celestial frame of a HiPS (hips_frame).
type Frame int

// Frames of HiPS 1.0. Ecliptic is the J2000 ecliptic (mean equinox and
// ecliptic of J2000.0, IAU 1976 obliquity, referred to ICRS as Aladin and
// astropy's BarycentricMeanEcliptic do), not B1950: Firefly's mapping of
// "ecliptic" to B1950 is wrong.
const (
	Equatorial Frame = iota // ICRS
	Galactic                // IAU 1958 galactic, from ICRS as astropy's Galactic
	Ecliptic                // J2000 ecliptic
)

// ParseFrame reads a hips_frame value: "equatorial", "galactic", "ecliptic"
// (any case), or the legacy one-letter coordsys codes C (or Q, ICRS), G and E.
func ParseFrame(s string) (Frame, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "equatorial", "icrs", "c", "q", "j2000", "fk5", "eq", "equ":
		return Equatorial, nil
	case "galactic", "g", "gal":
		return Galactic, nil
	case "ecliptic", "e", "ecl":
		return Ecliptic, nil
	}
	return 0, fmt.Errorf("unknown frame %q (want equatorial, galactic or ecliptic)", s)
}

// String returns the hips_frame word.
func (f Frame) String() string {
	switch f {
	case Equatorial:
		return "equatorial"
	case Galactic:
		return "galactic"
	case Ecliptic:
		return "ecliptic"
	}
	return fmt.Sprintf("Frame(%d)", int(f))
}

// CoordPrefix returns the FITS CTYPE prefixes of the frame's longitude and
// latitude axes (RA/DEC, GLON/GLAT, ELON/ELAT).
func (f Frame) CoordPrefix() (lon, lat string) {
	switch f {
	case Galactic:
		return "GLON", "GLAT"
	case Ecliptic:
		return "ELON", "ELAT"
	}
	return "RA", "DEC"
}
