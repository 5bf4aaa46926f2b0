package wcs

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
)

// WCS is the celestial world coordinate system of an image (or of the view):
// pixel (x, y) <-> world (lon, lat). x and y are the pixel coordinates along
// the two celestial pixel axes, in header order (for the usual 2-D image, x
// is NAXIS1 and y NAXIS2); any other pixel axes are held at pixel 1. A WCS is
// immutable after New and safe for concurrent use.
type WCS struct {
	// Width and Height are NAXISn of the two celestial pixel axes (0 when the
	// header has no NAXISn).
	Width, Height int
	// Proj is the projection code (e.g. "TAN", "SIN"), after the repairs and
	// translations WCSLIB makes (NCP -> SIN, GLS -> SFL, TPV -> TAN).
	Proj string
	// Frame describes the celestial frame of the world coordinates.
	Frame Frame

	swapped bool       // true if the latitude axis precedes the longitude axis
	crpix   [2]float64 // for pixel axes (x, y)
	crval   [2]float64 // (lng, lat), degrees
	cdelt   [2]float64 // (lng, lat)
	pc      [2][2]float64
	pcinv   [2][2]float64
	cd      [2][2]float64 // diag(cdelt) * pc
	cdinv   [2][2]float64
	offq    [2]float64 // offset in PC space from other pixel axes held at 1
	off     [2]float64 // the same after CDELT
	prj     projection
	cel     celestial
	sip     *sip
	tpv     *tpv
	wat     *watDist
	seq     sequent // tpv or wat, if any
	dss     *dssPlate

	// Fast path for TAN and SIN (no slant, no fiducial offset): the
	// deprojection yields a direction vector directly, rotated to celestial
	// by rot (columns: images of the native x, y, z axes).
	fast int
	rot  [3][3]float64

	// As given, for Header().
	pv           [pvN]float64
	offset       bool
	phi0, theta0 float64
}

// New interprets the celestial WCS of a FITS header: the longitude/latitude
// pair of axes among any number of axes, with the repairs astropy's WCS
// applies by default (unit names, CROTA, NCP, GLS, pre-2012 SCAMP TPV) and
// the SIP and TPV distortions. It returns an error naming the keyword when
// the header has no usable celestial WCS.
func New(h *fits.Header) (*WCS, error) {
	if h == nil {
		return nil, errors.New("wcs: nil header")
	}
	k := collect(h)

	// Number of axes.
	naxis := 0
	if v, ok := k.float("NAXIS"); ok && v >= 0 && v <= maxAxes {
		naxis = int(v)
	}
	if v, ok := k.float("WCSAXES"); ok && v >= 0 && v <= maxAxes && int(v) > naxis {
		naxis = int(v)
	}
	ctype := map[int]string{}
	for key, v := range k.str {
		if n, ok := indexed(key, "CTYPE"); ok {
			ctype[n] = strings.TrimSpace(v)
			naxis = max(naxis, n)
		}
	}
	for key := range k.num {
		for _, p := range []string{"CRPIX", "CRVAL", "CDELT", "CROTA"} {
			if n, ok := indexed(key, p); ok {
				naxis = max(naxis, n)
			}
		}
	}
	// A DSS plate solution without CTYPEs describes RA---TAN/DEC--TAN.
	if _, ok := readDSS(k); ok && ctype[1] == "" && ctype[2] == "" {
		ctype[1], ctype[2] = "RA---TAN", "DEC--TAN"
		naxis = max(naxis, 2)
	}
	if naxis < 2 {
		return nil, errors.New("wcs: CTYPEn: header has no celestial axes (fewer than two WCS axes)")
	}

	// astropy's pre-2012 SCAMP fix: two -TAN axes with PVi_m, m >= 5, are TPV
	// and any SIP keywords are dropped.
	dropSIP := false
	{
		var tan []int
		for n := 1; n <= naxis; n++ {
			if strings.HasSuffix(ctype[n], "-TAN") {
				tan = append(tan, n)
			}
		}
		if len(tan) == 2 {
			scamp := false
			for key := range k.num {
				if i, m, ok := pair(key, "PV", false); ok && (i == tan[0] || i == tan[1]) && m >= 5 {
					scamp = true
				}
			}
			if scamp {
				dropSIP = true
				for _, n := range tan {
					ctype[n] = strings.TrimSuffix(ctype[n], "-TAN") + "-TPV"
				}
			}
		}
	}

	// Find the celestial pair.
	lng, lat := -1, -1
	var lngInfo, latInfo axisInfo
	for n := 1; n <= naxis; n++ {
		a, ok := parseCtype(ctype[n])
		if !ok {
			continue
		}
		if a.lng && lng < 0 {
			lng, lngInfo = n-1, a
		} else if a.lat && lat < 0 {
			lat, latInfo = n-1, a
		}
	}
	if lng < 0 || lat < 0 {
		if lng < 0 && lat < 0 {
			return nil, errors.New("wcs: CTYPEn: no celestial axes (no RA/DEC, xLON/xLAT or xyLN/xyLT pair with a projection)")
		}
		n := lng
		if n < 0 {
			n = lat
		}
		return nil, fmt.Errorf("wcs: CTYPE%d: celestial axis %q has no matching partner axis", n+1, ctype[n+1])
	}
	if lngInfo.kind != latInfo.kind {
		return nil, fmt.Errorf("wcs: CTYPE%d/CTYPE%d: unmatched celestial axis types %q and %q", lng+1, lat+1, ctype[lng+1], ctype[lat+1])
	}
	if lngInfo.code != latInfo.code {
		return nil, fmt.Errorf("wcs: CTYPE%d/CTYPE%d: projection codes differ (%q, %q)", lng+1, lat+1, ctype[lng+1], ctype[lat+1])
	}
	code := lngInfo.code
	if len(code) != 3 {
		return nil, fmt.Errorf("wcs: CTYPE%d: unsupported projection or algorithm %q", lng+1, ctype[lng+1])
	}

	w := &WCS{swapped: lat < lng}
	w.Frame = frameOf(lngInfo.typ, latInfo.typ, k)

	// Units (celestial axes only).
	scale := [2]float64{}
	for r, ax := range [2]int{lng, lat} {
		key := fmt.Sprintf("CUNIT%d", ax+1)
		u := k.str[key]
		s, ok := unitScale(u)
		if !ok {
			return nil, headerError(key, "invalid unit %q for a celestial axis (want deg, arcmin, arcsec, mas or rad)", u)
		}
		scale[r] = s
	}

	// Per-axis values.
	val := func(prefix string, n int, def float64) float64 {
		if v, ok := k.float(fmt.Sprintf("%s%d", prefix, n)); ok {
			return v
		}
		return def
	}
	crpix := make([]float64, naxis)
	cdelt := make([]float64, naxis)
	for j := 0; j < naxis; j++ {
		crpix[j] = val("CRPIX", j+1, 0)
		cdelt[j] = val("CDELT", j+1, 1)
	}
	cdelt[lng] *= scale[0]
	cdelt[lat] *= scale[1]
	w.crval = [2]float64{val("CRVAL", lng+1, 0) * scale[0], val("CRVAL", lat+1, 0) * scale[1]}

	// Linear transformation: PC wins over CD, CD over CROTA (WCSLIB altlin).
	rows := [2]int{lng, lat}
	var mat [2][]float64 // rows lng, lat of the full PC matrix
	for r := range mat {
		mat[r] = make([]float64, naxis)
	}
	hasPC, hasCD := false, false
	pcv := map[[2]int]float64{}
	cdv := map[[2]int]float64{}
	for key, v := range k.num {
		if i, j, ok := pair(key, "PC", true); ok && i >= 1 && j >= 1 && i <= maxAxes && j <= maxAxes {
			hasPC = true
			pcv[[2]int{i - 1, j - 1}] = v
		} else if i, j, ok := pair(key, "CD", true); ok && i >= 1 && j >= 1 && i <= maxAxes && j <= maxAxes {
			hasCD = true
			cdv[[2]int{i - 1, j - 1}] = v
		}
	}
	switch {
	case hasPC || (!hasCD && !hasCrota(k, naxis)):
		for r, i := range rows {
			for j := 0; j < naxis; j++ {
				if v, ok := pcv[[2]int{i, j}]; ok {
					mat[r][j] = v
				} else if i == j {
					mat[r][j] = 1
				}
			}
		}
	case hasCD:
		for r, i := range rows {
			for j := 0; j < naxis; j++ {
				mat[r][j] = cdv[[2]int{i, j}] * scale[r]
			}
			cdelt[i] = 1
			// wcsfix's cdfix: an axis with no CDi_j in its row or column
			// gets a unit diagonal element.
			absent := true
			for key := range cdv {
				if key[0] == i || key[1] == i {
					absent = false
					break
				}
			}
			if absent {
				mat[r][i] = scale[r]
			}
		}
	default: // CROTA
		// As WCSLIB: only CROTA of the latitude axis is used.
		rho, _ := k.float(fmt.Sprintf("CROTA%d", lat+1))
		if cdelt[lng] == 0 {
			return nil, headerError(fmt.Sprintf("CDELT%d", lng+1), "is zero (singular transformation)")
		}
		lambda := cdelt[lat] / cdelt[lng]
		c, s := cosd(rho), sind(rho)
		mat[0][lng], mat[1][lat] = c, c
		mat[0][lat] = -s * lambda
		mat[1][lng] = s / lambda
	}
	// Offsets from the other pixel axes, held at pixel 1.
	for r := range rows {
		for j := 0; j < naxis; j++ {
			if j != lng && j != lat {
				w.offq[r] += mat[r][j] * (1 - crpix[j])
			}
		}
	}
	px := [2]int{lng, lat}
	if w.swapped {
		px = [2]int{lat, lng}
	}
	w.crpix = [2]float64{crpix[px[0]], crpix[px[1]]}
	w.cdelt = [2]float64{cdelt[lng], cdelt[lat]}
	for r := 0; r < 2; r++ {
		for c := 0; c < 2; c++ {
			w.pc[r][c] = mat[r][px[c]]
			w.cd[r][c] = w.cdelt[r] * w.pc[r][c]
		}
		w.off[r] = w.cdelt[r] * w.offq[r]
	}
	var ok bool
	if w.pcinv, ok = inv2(w.pc); !ok {
		return nil, errors.New("wcs: PCi_j/CDi_j: singular linear transformation matrix for the celestial axes")
	}
	if w.cdinv, ok = inv2(w.cd); !ok {
		return nil, errors.New("wcs: CDELTi: singular linear transformation (zero CDELT on a celestial axis)")
	}
	for _, n := range px {
		v, ok := k.float(fmt.Sprintf("NAXIS%d", n+1))
		if ok && v > 0 && v < 1<<31 {
			if n == px[0] {
				w.Width = int(v)
			} else {
				w.Height = int(v)
			}
		}
	}

	// Projection parameters.
	var pv [pvN]float64
	pv[0] = 0
	for m := 1; m < pvN; m++ {
		if m <= 3 {
			pv[m] = math.NaN()
		}
	}
	phi0, theta0 := math.NaN(), math.NaN()
	lonpole, latpole := math.NaN(), math.NaN()
	if v, ok := k.float("LONPOLE"); ok {
		lonpole = v
	} else if v, ok := k.float("LONGPOLE"); ok {
		lonpole = v
	}
	if v, ok := k.float("LATPOLE"); ok {
		latpole = v
	}
	var tpvc [2][40]float64
	hasTPV := code == "TPV"
	if code == "TNX" || code == "ZPX" {
		wat, err := readWAT(k, lng, lat, &pv)
		if err != nil {
			return nil, err
		}
		w.wat = wat
		if code == "TNX" {
			code = "TAN"
		} else {
			code = "ZPN"
		}
	}
	for key, v := range k.num {
		i, m, ok := pair(key, "PV", false)
		if !ok {
			if n, ok := indexed(key, "PROJP"); ok && n < pvN {
				i, m = lat+1, n
			} else {
				continue
			}
		}
		if m < 0 || m > 99 {
			continue
		}
		switch {
		case hasTPV && (i == lng+1 || i == lat+1):
			if m < 40 {
				if i == lng+1 {
					tpvc[0][m] = v
				} else {
					tpvc[1][m] = v
				}
			}
		case i == lat+1:
			if m < pvN {
				pv[m] = v
			}
		case i == lng+1:
			switch m {
			case 0:
				w.offset = v != 0
			case 1:
				phi0 = v
			case 2:
				theta0 = v
			case 3:
				lonpole = v
			case 4:
				latpole = v
			default:
				return nil, headerError(key, "unrecognized coordinate transformation parameter")
			}
		}
	}
	if hasTPV {
		w.tpv = newTPV(tpvc)
		code = "TAN"
	}
	switch code {
	case "GLS":
		w.offset, phi0, theta0 = true, 0, w.crval[1]
		code = "SFL"
	case "NCP":
		if w.crval[1] == 0 {
			return nil, headerError(fmt.Sprintf("CRVAL%d", lat+1), "NCP projection is undefined on the equator")
		}
		pv[1] = 0
		pv[2] = cosd(w.crval[1]) / sind(w.crval[1])
		code = "SIN"
	}
	// A DSS plate solution replaces the approximate linear WCS (WCSLIB
	// translates it into TAN about the plate centre plus a distortion).
	if d, ok := readDSS(k); ok && w.Frame.Kind == FrameEquatorial {
		w.dss = d
		w.crval = [2]float64{d.raDeg, d.decDeg}
		code = "TAN"
		w.tpv, w.wat = nil, nil
		for m := range pv {
			pv[m] = math.NaN()
		}
		w.offset, phi0, theta0 = false, math.NaN(), math.NaN()
	}
	w.Proj = code
	w.pv, w.phi0, w.theta0 = pv, phi0, theta0
	switch {
	case w.tpv != nil:
		w.seq = w.tpv
	case w.wat != nil:
		w.seq = w.wat
	}
	prj, err := newProjection(code, pv, w.offset, phi0, theta0)
	if err != nil {
		return nil, fmt.Errorf("wcs: CTYPE%d/PV%d_m: %w", lng+1, lat+1, err)
	}
	w.prj = prj
	b := prj.base()
	cphi0, ctheta0 := phi0, theta0
	if undefined(cphi0) {
		cphi0 = b.phi0
	}
	if undefined(ctheta0) {
		ctheta0 = b.theta0
	}
	w.cel, err = celSet(w.crval[0], w.crval[1], cphi0, ctheta0, lonpole, latpole)
	if err != nil {
		return nil, fmt.Errorf("wcs: CRVALn/LONPOLE/LATPOLE: %w", err)
	}

	w.setFast()

	// SIP, following astropy's rules.
	if !dropSIP {
		s, err := readSIP(k)
		if err != nil {
			return nil, err
		}
		if s != nil {
			if px != [2]int{0, 1} && px != [2]int{1, 0} {
				return nil, errors.New("wcs: A_ORDER: SIP distortion applies to pixel axes 1 and 2, which are not the celestial axes")
			}
			w.sip = s
		}
	}
	return w, nil
}

func hasCrota(k keywords, naxis int) bool {
	for n := 1; n <= naxis; n++ {
		if k.has(fmt.Sprintf("CROTA%d", n)) {
			return true
		}
	}
	return false
}

// maxSIPOrder bounds the SIP polynomial order read from a header.
const maxSIPOrder = 20

// readSIP reads A/B (and AP/BP) as astropy does: a polynomial is used only
// when its ORDER is > 1.
func readSIP(k keywords) (*sip, error) {
	order := func(key string) (int, bool, error) {
		v, ok := k.float(key)
		if !ok {
			return 0, false, nil
		}
		if v > maxSIPOrder {
			return 0, true, headerError(key, "SIP order %g is larger than %d", v, maxSIPOrder)
		}
		return int(v), true, nil
	}
	read := func(prefix string, m int) poly2 {
		p := newPoly2(m)
		for i := 0; i <= m; i++ {
			for j := 0; j <= m-i; j++ {
				if v, ok := k.float(fmt.Sprintf("%s_%d_%d", prefix, i, j)); ok {
					p.c[i][j] = v
				}
			}
		}
		return p
	}
	s := &sip{}
	have := false
	am, aok, err := order("A_ORDER")
	if err != nil {
		return nil, err
	}
	bm, bok, err := order("B_ORDER")
	if err != nil {
		return nil, err
	}
	switch {
	case aok && am > 1:
		if !bok {
			return nil, headerError("A_ORDER", "given without B_ORDER")
		}
		if bm > 1 {
			s.a, s.b = read("A", am), read("B", bm)
			have = true
		}
	case bok && bm > 1:
		return nil, headerError("B_ORDER", "given without A_ORDER")
	}
	apm, apok, err := order("AP_ORDER")
	if err != nil {
		return nil, err
	}
	bpm, bpok, err := order("BP_ORDER")
	if err != nil {
		return nil, err
	}
	switch {
	case apok && apm > 1:
		if !bpok {
			return nil, headerError("AP_ORDER", "given without BP_ORDER")
		}
		if bpm > 1 {
			s.ap, s.bp = read("AP", apm), read("BP", bpm)
			s.hasInv = true
		}
	case bpok && bpm > 1:
		return nil, headerError("BP_ORDER", "given without AP_ORDER")
	}
	if !have {
		// AP/BP alone define no forward distortion; astropy then applies
		// none in pixel -> world either.
		return nil, nil
	}
	c1, ok1 := k.float("CRPIX1")
	c2, ok2 := k.float("CRPIX2")
	if !ok1 || !ok2 {
		return nil, headerError("CRPIX1", "SIP keywords without CRPIX1/CRPIX2")
	}
	s.crpix = [2]float64{c1, c2}
	return s, nil
}

func inv2(m [2][2]float64) ([2][2]float64, bool) {
	det := m[0][0]*m[1][1] - m[0][1]*m[1][0]
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return [2][2]float64{}, false
	}
	return [2][2]float64{{m[1][1] / det, -m[0][1] / det}, {-m[1][0] / det, m[0][0] / det}}, true
}

// normLon360 maps a longitude to [0, 360).
func normLon360(l float64) float64 {
	l = fmod(l, 360)
	if l < 0 {
		l += 360
	}
	if l >= 360 {
		l -= 360
	}
	return l
}

// PixelToWorld converts FITS 1-based pixel coordinates to celestial (lon, lat)
// in degrees, lon in [0, 360). ok is false (and lon, lat NaN) for pixels
// outside the projection's domain.
func (w *WCS) PixelToWorld(x, y float64) (lon, lat float64, ok bool) {
	if w.sip != nil {
		x, y = w.sip.forward(x, y)
	}
	dx, dy := x-w.crpix[0], y-w.crpix[1]
	var ix, iy float64
	if w.dss != nil {
		ix, iy = w.dss.forward(x, y)
	} else if w.seq == nil {
		ix = w.cd[0][0]*dx + w.cd[0][1]*dy + w.off[0]
		iy = w.cd[1][0]*dx + w.cd[1][1]*dy + w.off[1]
	} else {
		qx := w.pc[0][0]*dx + w.pc[0][1]*dy + w.offq[0]
		qy := w.pc[1][0]*dx + w.pc[1][1]*dy + w.offq[1]
		qx, qy = w.seq.forward(qx, qy)
		ix, iy = w.cdelt[0]*qx, w.cdelt[1]*qy
	}
	if w.fast != fastNone {
		return w.fastToWorld(ix, iy)
	}
	phi, theta, ok := w.prj.x2s(ix, iy)
	if !ok || math.IsNaN(phi) || math.IsNaN(theta) {
		return math.NaN(), math.NaN(), false
	}
	lon, lat = w.cel.toCelestial(phi, theta)
	if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) {
		return math.NaN(), math.NaN(), false
	}
	return normLon360(lon), lat, true
}

// WorldToPixel converts celestial (lon, lat) in degrees to FITS 1-based pixel
// coordinates. ok is false (and x, y NaN) when the point is outside the
// projection's domain or has no solution.
func (w *WCS) WorldToPixel(lon, lat float64) (x, y float64, ok bool) {
	// As in WCSLIB, latitudes beyond ±90 are not rejected: the rotation
	// treats them as the corresponding point over the pole.
	if math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0) {
		return math.NaN(), math.NaN(), false
	}
	var ix, iy float64
	if w.fast != fastNone {
		ix, iy, ok = w.fastToIntermediate(lon, lat)
	} else {
		phi, theta := w.cel.toNative(lon, lat)
		ix, iy, ok = w.prj.s2x(phi, theta)
	}
	if !ok {
		return math.NaN(), math.NaN(), false
	}
	return w.interToPixel(ix, iy)
}

// VecToPixel is WorldToPixel for a world direction given as a unit vector
// (x towards lon 0, z towards lat 90, in the WCS's celestial frame), without
// trigonometry. fast is false (and nothing computed) when the projection has
// no fast path (only TAN and SIN without obliquity have one): use WorldToPixel.
func (w *WCS) VecToPixel(c [3]float64) (x, y float64, ok, fast bool) {
	if w.fast == fastNone {
		return math.NaN(), math.NaN(), false, false
	}
	ix, iy, ok := w.fastVecToIntermediate(c[0], c[1], c[2])
	if !ok {
		return math.NaN(), math.NaN(), false, true
	}
	x, y, ok = w.interToPixel(ix, iy)
	return x, y, ok, true
}

// interToPixel converts intermediate world coordinates (degrees) to pixels.
func (w *WCS) interToPixel(ix, iy float64) (x, y float64, ok bool) {
	if math.IsNaN(ix) || math.IsNaN(iy) || math.IsInf(ix, 0) || math.IsInf(iy, 0) {
		return math.NaN(), math.NaN(), false
	}
	var dx, dy float64
	if w.dss != nil {
		return w.dss.inverse(ix, iy)
	} else if w.seq == nil {
		ix -= w.off[0]
		iy -= w.off[1]
		dx = w.cdinv[0][0]*ix + w.cdinv[0][1]*iy
		dy = w.cdinv[1][0]*ix + w.cdinv[1][1]*iy
	} else {
		qx, qy, ok := disx2p(w.seq, ix/w.cdelt[0], iy/w.cdelt[1])
		if !ok {
			return math.NaN(), math.NaN(), false
		}
		qx -= w.offq[0]
		qy -= w.offq[1]
		dx = w.pcinv[0][0]*qx + w.pcinv[0][1]*qy
		dy = w.pcinv[1][0]*qx + w.pcinv[1][1]*qy
	}
	x, y = dx+w.crpix[0], dy+w.crpix[1]
	if w.sip != nil {
		if x, y, ok = w.sip.inverse(x, y); !ok {
			return math.NaN(), math.NaN(), false
		}
	}
	return x, y, true
}

// PixelToWorldN converts many pixels at once (x[i], y[i]) -> (lon[i], lat[i]);
// invalid points get NaN. It returns the number of valid points. All slices
// must have the same length (extra elements of longer slices are ignored).
func (w *WCS) PixelToWorldN(x, y, lon, lat []float64) int {
	n := min(len(x), len(y), len(lon), len(lat))
	valid := 0
	for i := 0; i < n; i++ {
		var ok bool
		lon[i], lat[i], ok = w.PixelToWorld(x[i], y[i])
		if ok {
			valid++
		}
	}
	return valid
}

// WorldToPixelN converts many world points at once (lon[i], lat[i]) ->
// (x[i], y[i]); points without a solution get NaN. It returns the number of
// valid points.
func (w *WCS) WorldToPixelN(lon, lat, x, y []float64) int {
	n := min(len(x), len(y), len(lon), len(lat))
	valid := 0
	for i := 0; i < n; i++ {
		var ok bool
		x[i], y[i], ok = w.WorldToPixel(lon[i], lat[i])
		if ok {
			valid++
		}
	}
	return valid
}
