package wcs

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
)

// Header writes the WCS as FITS cards (for FITS export): a two-axis
// celestial WCS with the longitude on axis 1, equivalent to w, such that
// New(w.Header()) reproduces w. Distortions are written in their own
// conventions (SIP with "-SIP", TPV with "-TPV", DSS plate keywords).
// NAXIS1/NAXIS2 are written when known; the caller adds SIMPLE, BITPIX,
// NAXIS and the data-related cards.
func (w *WCS) Header() *fits.Header {
	h := &fits.Header{}
	if w.Width > 0 && w.Height > 0 {
		h.Set("NAXIS1", w.Width, "")
		h.Set("NAXIS2", w.Height, "")
	}
	h.Set("WCSAXES", 2, "Number of coordinate axes")
	code := w.Proj
	suffix := ""
	switch {
	case w.tpv != nil:
		code = "TPV"
	case w.wat != nil && code == "TAN":
		code = "TNX"
	case w.wat != nil:
		code = "ZPX"
	}
	if w.sip != nil {
		suffix = "-SIP"
	}
	h.Set("CTYPE1", ctypeOf(w.Frame.LonType, code)+suffix, "")
	h.Set("CTYPE2", ctypeOf(w.Frame.LatType, code)+suffix, "")
	h.Set("CUNIT1", "deg", "")
	h.Set("CUNIT2", "deg", "")
	h.Set("CRVAL1", w.crval[0], "[deg] Coordinate value at reference point")
	h.Set("CRVAL2", w.crval[1], "[deg] Coordinate value at reference point")
	crpix := w.crpix
	if w.seq != nil {
		if w.offq != [2]float64{} {
			crpix[0] -= w.pcinv[0][0]*w.offq[0] + w.pcinv[0][1]*w.offq[1]
			crpix[1] -= w.pcinv[1][0]*w.offq[0] + w.pcinv[1][1]*w.offq[1]
		}
		h.Set("CRPIX1", crpix[0], "Pixel coordinate of reference point")
		h.Set("CRPIX2", crpix[1], "Pixel coordinate of reference point")
		h.Set("CDELT1", w.cdelt[0], "[deg]")
		h.Set("CDELT2", w.cdelt[1], "[deg]")
		for r := 0; r < 2; r++ {
			for c := 0; c < 2; c++ {
				h.Set(fmt.Sprintf("PC%d_%d", r+1, c+1), w.pc[r][c], "")
			}
		}
	} else if w.dss == nil {
		if w.off != [2]float64{} {
			crpix[0] -= w.cdinv[0][0]*w.off[0] + w.cdinv[0][1]*w.off[1]
			crpix[1] -= w.cdinv[1][0]*w.off[0] + w.cdinv[1][1]*w.off[1]
		}
		h.Set("CRPIX1", crpix[0], "Pixel coordinate of reference point")
		h.Set("CRPIX2", crpix[1], "Pixel coordinate of reference point")
		for r := 0; r < 2; r++ {
			for c := 0; c < 2; c++ {
				h.Set(fmt.Sprintf("CD%d_%d", r+1, c+1), w.cd[r][c], "[deg/pixel]")
			}
		}
	}
	h.Set("LONPOLE", w.cel.lonpole, "[deg] Native longitude of celestial pole")
	h.Set("LATPOLE", w.cel.latpole, "[deg] Native latitude of celestial pole")
	if w.Frame.RADESYS != "" {
		h.Set("RADESYS", w.Frame.RADESYS, "Equatorial coordinate system")
	}
	if !math.IsNaN(w.Frame.Equinox) {
		h.Set("EQUINOX", w.Frame.Equinox, "[yr] Equinox of equatorial coordinates")
	}
	if w.dss == nil {
		for m, v := range w.pv {
			if math.IsNaN(v) || (m > 3 && v == 0) || (m == 0 && v == 0) {
				continue
			}
			h.Set(fmt.Sprintf("PV2_%d", m), v, "Projection parameter")
		}
		if w.offset {
			h.Set("PV1_0", 1.0, "Fiducial offset applied")
		}
		if !math.IsNaN(w.phi0) {
			h.Set("PV1_1", w.phi0, "[deg] Native longitude of the fiducial point")
		}
		if !math.IsNaN(w.theta0) {
			h.Set("PV1_2", w.theta0, "[deg] Native latitude of the fiducial point")
		}
	}
	if w.tpv != nil {
		for i := 0; i < 2; i++ {
			for m, v := range w.tpv.c[i] {
				if v != 0 {
					h.Set(fmt.Sprintf("PV%d_%d", i+1, m), v, "TPV distortion coefficient")
				}
			}
		}
	}
	if d := w.wat; d != nil {
		for i, s := range d.raw {
			s = strings.TrimRight(s, " ")
			for n := 0; len(s) > 0; n++ {
				piece := s[:min(68, len(s))]
				s = s[len(piece):]
				h.Set(fmt.Sprintf("WAT%d_%03d", i+1, n+1), piece, "")
			}
		}
	}
	if s := w.sip; s != nil {
		writePoly := func(name string, p poly2) {
			h.Set(name+"_ORDER", p.order, "SIP polynomial order")
			for i := range p.c {
				for j, v := range p.c[i] {
					if v != 0 {
						h.Set(fmt.Sprintf("%s_%d_%d", name, i, j), v, "")
					}
				}
			}
		}
		writePoly("A", s.a)
		writePoly("B", s.b)
		if s.hasInv {
			writePoly("AP", s.ap)
			writePoly("BP", s.bp)
		}
	}
	if d := w.dss; d != nil {
		h.Set("CRPIX1", 0.0, "")
		h.Set("CRPIX2", 0.0, "")
		keys := []string{"PLTRAH", "PLTRAM", "PLTRAS", "PLTDECD", "PLTDECM", "PLTDECS",
			"PPO1", "PPO2", "PPO3", "PPO4", "PPO5", "PPO6", "XPIXELSZ", "YPIXELSZ", "CNPIX1", "CNPIX2"}
		for i := 1; i <= 13; i++ {
			keys = append(keys, fmt.Sprintf("AMDX%d", i))
		}
		for i := 1; i <= 13; i++ {
			keys = append(keys, fmt.Sprintf("AMDY%d", i))
		}
		for _, k := range keys {
			if v, ok := d.key.float(k); ok {
				h.Set(k, v, "")
			}
		}
		if s, ok := d.key.str["PLTDECSN"]; ok {
			h.Set("PLTDECSN", s, "")
		}
	}
	return h
}

// ctypeOf builds an 8-character CTYPE from an axis type and projection code.
func ctypeOf(typ, code string) string {
	return typ + strings.Repeat("-", max(0, 5-len(typ))) + code
}

// NewCamera builds the WCS of a view (the viewer's camera is a WCS): an
// equatorial (ICRS) projection proj centred on (lon, lat) in degrees, for a
// canvas of width x height pixels. CRVAL is the centre, CRPIX the canvas
// centre ((width+1)/2, (height+1)/2), CDELT1 = -fov/width (RA increases to
// the left) and CDELT2 = fov/width, so fovDeg is the nominal width of the
// view; rotationDeg turns the sky on the canvas as CROTA2 does (0: north up;
// 90: north toward -x). Width and Height are the canvas size. Conic projections and
// BON use PV2_1 = 45; ZPN uses PV2_1 = 1 (equidistant).
func NewCamera(proj string, lon, lat, fovDeg float64, width, height int, rotationDeg float64) (*WCS, error) {
	return NewCameraIn(FrameEquatorial, proj, lon, lat, fovDeg, width, height, rotationDeg)
}

// NewCameraIn is NewCamera in another celestial frame: FrameEquatorial
// (ICRS RA/DEC), FrameGalactic (GLON/GLAT), FrameEcliptic (ELON/ELAT) or
// FrameSupergalactic (SLON/SLAT).
func NewCameraIn(frame FrameKind, proj string, lon, lat, fovDeg float64, width, height int, rotationDeg float64) (*WCS, error) {
	var lt, bt string
	switch frame {
	case FrameEquatorial:
		lt, bt = "RA", "DEC"
	case FrameGalactic:
		lt, bt = "GLON", "GLAT"
	case FrameEcliptic:
		lt, bt = "ELON", "ELAT"
	case FrameSupergalactic:
		lt, bt = "SLON", "SLAT"
	default:
		return nil, fmt.Errorf("wcs: camera frame %d not supported", frame)
	}
	proj = strings.ToUpper(strings.TrimSpace(proj))
	known := false
	for _, c := range projCodes {
		known = known || c == proj
	}
	if !known {
		return nil, fmt.Errorf("wcs: camera projection %q is not a FITS projection code", proj)
	}
	if width <= 0 || height <= 0 || width > 1<<20 || height > 1<<20 {
		return nil, fmt.Errorf("wcs: camera canvas %dx%d is invalid", width, height)
	}
	if !(fovDeg > 0) || math.IsInf(fovDeg, 0) {
		return nil, errors.New("wcs: camera field of view must be positive")
	}
	if math.IsNaN(lon) || math.IsNaN(lat) || math.Abs(lat) > 90 || math.IsInf(lon, 0) || math.IsNaN(rotationDeg) || math.IsInf(rotationDeg, 0) {
		return nil, fmt.Errorf("wcs: camera centre (%g, %g) or rotation %g is invalid", lon, lat, rotationDeg)
	}
	h := &fits.Header{}
	h.Set("NAXIS", 2, "")
	h.Set("NAXIS1", width, "")
	h.Set("NAXIS2", height, "")
	h.Set("CTYPE1", ctypeOf(lt, proj), "")
	h.Set("CTYPE2", ctypeOf(bt, proj), "")
	h.Set("CRVAL1", normLon360(lon), "")
	h.Set("CRVAL2", lat, "")
	h.Set("CRPIX1", (float64(width)+1)/2, "")
	h.Set("CRPIX2", (float64(height)+1)/2, "")
	scale := fovDeg / float64(width)
	h.Set("CDELT1", -scale, "")
	h.Set("CDELT2", scale, "")
	c, s := cosd(rotationDeg), sind(rotationDeg)
	// CROTA2 convention with lambda = CDELT2/CDELT1 = -1.
	h.Set("PC1_1", c, "")
	h.Set("PC1_2", s, "")
	h.Set("PC2_1", -s, "")
	h.Set("PC2_2", c, "")
	switch proj {
	case "COP", "COE", "COD", "COO", "BON":
		h.Set("PV2_1", 45.0, "")
	case "ZPN":
		h.Set("PV2_1", 1.0, "")
	}
	if frame == FrameEquatorial {
		h.Set("RADESYS", "ICRS", "")
	}
	return New(h)
}
