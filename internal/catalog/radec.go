package catalog

import (
	"fmt"
	"math"
	"strings"

	"github.com/skyglass/skyglass/internal/sky"
)

// ucdPrimary returns the first atom of a UCD, lower-cased ("pos.eq.ra;meta.main" →
// "pos.eq.ra"), and whether the UCD carries meta.main (UCD1 "_MAIN" included).
func ucdPrimary(ucd string) (string, bool) {
	u := strings.ToLower(strings.TrimSpace(ucd))
	main := strings.Contains(u, "meta.main") || strings.HasSuffix(u, "_main")
	if i := strings.IndexByte(u, ';'); i >= 0 {
		u = u[:i]
	}
	switch u { // UCD1
	case "pos_eq_ra_main", "pos_eq_ra":
		return "pos.eq.ra", main
	case "pos_eq_dec_main", "pos_eq_dec":
		return "pos.eq.dec", main
	case "pos_gal_lon":
		return "pos.galactic.lon", main
	case "pos_gal_lat":
		return "pos.galactic.lat", main
	}
	return u, main
}

func positionCapable(c *Column) bool {
	return c.Kind == KindFloat || c.Kind == KindInt || c.Kind == KindString
}

// findByUCD returns the best column pair whose primary UCDs are lonUCD and latUCD:
// meta.main columns first, then the first in column order.
func findByUCD(t *Table, lonUCD, latUCD string) (int, int) {
	best := func(want string) int {
		first, firstMain := -1, -1
		for i := range t.Columns {
			c := &t.Columns[i]
			if !positionCapable(c) {
				continue
			}
			p, main := ucdPrimary(c.UCD)
			if p != want {
				continue
			}
			if main && firstMain < 0 {
				firstMain = i
			}
			if first < 0 {
				first = i
			}
		}
		if firstMain >= 0 {
			return firstMain
		}
		return first
	}
	return best(lonUCD), best(latUCD)
}

// nameKey classifies a column name as an RA ("ra") or Dec ("dec") name and returns the
// rest of the name (the suffix used to pair RA with Dec, e.g. "deg_hi" for RAdeg_HI),
// and a rank (0 = a usual exact name, 1 = prefix match or a name with a leading '_').
func nameKey(name string) (kind, suffix string, rank int) {
	n := strings.ToLower(strings.TrimSpace(name))
	exact := 0
	if strings.HasPrefix(n, "_") {
		exact = 1 // VizieR's computed "_RAJ2000" ranks after the original "RAJ2000"
	}
	n = strings.TrimLeft(n, "_")
	exactRA := map[string]bool{"ra": true, "ra_deg": true, "radeg": true, "raj2000": true, "ra_j2000": true,
		"ra2000": true, "ra_icrs": true, "raicrs": true, "alpha": true, "alpha_j2000": true, "right_ascension": true,
		"rightascension": true, "ra_obj": true, "ra_d": true, "ra (deg)": true, "ra[deg]": true}
	exactDec := map[string]bool{"dec": true, "de": true, "dec_deg": true, "decdeg": true, "dej2000": true,
		"decj2000": true, "dec_j2000": true, "dec2000": true, "de_icrs": true, "dec_icrs": true, "deicrs": true,
		"delta": true, "delta_j2000": true, "declination": true, "dec_obj": true, "dec_d": true, "dec (deg)": true,
		"dec[deg]": true}
	if exactRA[n] {
		return "ra", "", exact
	}
	if exactDec[n] {
		return "dec", "", exact
	}
	for _, p := range []string{"ra_", "radeg", "raj2000", "ra2000", "raicrs", "ra"} {
		if strings.HasPrefix(n, p) && len(n) > len(p) {
			rest := n[len(p):]
			if p == "ra" && rest[0] >= 'a' && rest[0] <= 'z' && !strings.HasPrefix(rest, "deg") {
				continue // e.g. "radius", "rank"
			}
			return "ra", strings.TrimLeft(strings.TrimPrefix(rest, "deg"), "_"), 1
		}
	}
	for _, p := range []string{"dec_", "decdeg", "dej2000", "decj2000", "dec2000", "de_", "dec"} {
		if strings.HasPrefix(n, p) && len(n) > len(p) {
			rest := n[len(p):]
			if p == "dec" && rest[0] >= 'a' && rest[0] <= 'z' && !strings.HasPrefix(rest, "deg") {
				continue
			}
			return "dec", strings.TrimLeft(strings.TrimPrefix(rest, "deg"), "_"), 1
		}
	}
	return "", "", 0
}

// FindRADec finds the equatorial position columns of t: by UCD first (pos.eq.ra /
// pos.eq.dec, meta.main preferred; UCD1 POS_EQ_RA_MAIN accepted), then by usual names
// (ra, RA, RAJ2000, _RAJ2000, RA_ICRS, ra_deg, alpha, RAdeg_xxx paired with Decdeg_xxx…).
// Columns may be numeric (degrees, or hours when the unit says so) or sexagesimal
// strings. The error lists the column names when nothing is found.
func FindRADec(t *Table) (ra, dec int, err error) {
	ra, dec = findByUCD(t, "pos.eq.ra", "pos.eq.dec")
	if ra >= 0 && dec >= 0 {
		return ra, dec, nil
	}
	type cand struct {
		idx    int
		suffix string
		rank   int
	}
	var ras, decs []cand
	for i := range t.Columns {
		c := &t.Columns[i]
		if !positionCapable(c) {
			continue
		}
		k, suf, rank := nameKey(c.Name)
		switch k {
		case "ra":
			ras = append(ras, cand{i, suf, rank})
		case "dec":
			decs = append(decs, cand{i, suf, rank})
		}
	}
	for rank := 0; rank <= 1; rank++ {
		for _, r := range ras {
			if r.rank != rank {
				continue
			}
			for same := 1; same >= 0; same-- { // a Dec of the same rank first
				for _, d := range decs {
					if d.suffix == r.suffix && (same == 0 || d.rank == r.rank) {
						return r.idx, d.idx, nil
					}
				}
			}
		}
	}
	if len(ras) > 0 && len(decs) > 0 {
		return ras[0].idx, decs[0].idx, nil
	}
	return -1, -1, fmt.Errorf("no RA/Dec columns found (by UCD pos.eq.ra/pos.eq.dec or by name such as ra/dec, RAJ2000/DEJ2000); columns: %s",
		strings.Join(t.ColumnNames(), ", "))
}

// FindGalactic finds galactic longitude/latitude columns by UCD (pos.galactic.lon/lat) or
// by name (glon/glat, l/b, _Glon/_Glat).
func FindGalactic(t *Table) (lon, lat int, err error) {
	lon, lat = findByUCD(t, "pos.galactic.lon", "pos.galactic.lat")
	if lon >= 0 && lat >= 0 {
		return lon, lat, nil
	}
	lon, lat = -1, -1
	for i := range t.Columns {
		n := strings.ToLower(strings.TrimLeft(t.Columns[i].Name, "_"))
		if !t.Columns[i].IsNumeric() {
			continue
		}
		switch n {
		case "glon", "gal_lon", "l", "lii":
			if lon < 0 {
				lon = i
			}
		case "glat", "gal_lat", "b", "bii":
			if lat < 0 {
				lat = i
			}
		}
	}
	if lon >= 0 && lat >= 0 {
		return lon, lat, nil
	}
	return -1, -1, fmt.Errorf("no galactic lon/lat columns found; columns: %s", strings.Join(t.ColumnNames(), ", "))
}

// Positions returns the RA and Dec of every row in degrees (NaN where null or
// unparseable). It uses FindRADec; numeric columns in hours (unit h, hour, hourangle) or
// radians are converted; sexagesimal strings are parsed with sky.ParseRA / sky.ParseDec
// ("12:30:49.4", "12h30m49.4s", "+12:23:28"); CDS split columns (RAh, RAm, RAs, DE-, DEd,
// DEm, DEs) are combined. It fails when no position columns exist or when no row of a
// string column parses.
func Positions(t *Table) (ra, dec []float64, err error) {
	if r, d, ok := cdsSplitPositions(t); ok {
		return r, d, nil
	}
	ri, di, err := FindRADec(t)
	if err != nil {
		return nil, nil, err
	}
	ra, err = angleColumn(t, ri, true)
	if err != nil {
		return nil, nil, err
	}
	dec, err = angleColumn(t, di, false)
	if err != nil {
		return nil, nil, err
	}
	return ra, dec, nil
}

func angleColumn(t *Table, i int, isRA bool) ([]float64, error) {
	c := &t.Columns[i]
	n := t.NumRows()
	out := make([]float64, n)
	if c.Kind == KindString {
		ok, bad := 0, 0
		var firstErr error
		for r := 0; r < n; r++ {
			s := c.Str[r]
			if c.IsNull(r) || strings.TrimSpace(s) == "" {
				out[r] = math.NaN()
				continue
			}
			var v float64
			var err error
			if isRA {
				v, err = sky.ParseRA(s)
			} else {
				v, err = sky.ParseDec(s)
			}
			if err != nil {
				bad++
				if firstErr == nil {
					firstErr = fmt.Errorf("column %q row %d: %w", c.Name, r+1, err)
				}
				v = math.NaN()
			} else {
				ok++
			}
			out[r] = v
		}
		if ok == 0 && bad > 0 {
			return nil, firstErr
		}
		if bad > 0 {
			t.addWarning("%d unparseable positions in column %q (first: %v)", bad, c.Name, firstErr)
		}
		return out, nil
	}
	if !c.IsNumeric() {
		return nil, fmt.Errorf("position column %q is not numeric or text", c.Name)
	}
	scale := 1.0
	unit := strings.ToLower(strings.TrimSpace(c.Unit))
	if i := strings.IndexByte(unit, '{'); i > 0 && strings.HasSuffix(unit, "}") {
		unit = unit[:i] // Starlink format hint, e.g. "RADIANS{IHMS.3}"
	}
	switch unit {
	case "h", "hour", "hours", "hourangle", "hr":
		if isRA {
			scale = 15
		}
	case "rad", "radian", "radians":
		scale = 180 / math.Pi
	case "arcsec":
		scale = 1.0 / 3600
	case "mas":
		scale = 1.0 / 3.6e6
	}
	for r := 0; r < n; r++ {
		out[r] = c.FloatAt(r) * scale
	}
	return out, nil
}

// cdsSplitPositions combines CDS-style split sexagesimal columns.
func cdsSplitPositions(t *Table) (ra, dec []float64, ok bool) {
	h, m, s := t.ColumnIndex("RAh"), t.ColumnIndex("RAm"), t.ColumnIndex("RAs")
	sg, d, dm, ds := t.ColumnIndex("DE-"), t.ColumnIndex("DEd"), t.ColumnIndex("DEm"), t.ColumnIndex("DEs")
	if h < 0 || d < 0 || !t.Columns[h].IsNumeric() || !t.Columns[d].IsNumeric() {
		return nil, nil, false
	}
	n := t.NumRows()
	ra, dec = make([]float64, n), make([]float64, n)
	get := func(ci, r int) float64 {
		if ci < 0 {
			return 0
		}
		v := t.Columns[ci].FloatAt(r)
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	for r := 0; r < n; r++ {
		if t.Columns[h].IsNull(r) || t.Columns[d].IsNull(r) {
			ra[r], dec[r] = math.NaN(), math.NaN()
			continue
		}
		ra[r] = 15 * (get(h, r) + get(m, r)/60 + get(s, r)/3600)
		v := get(d, r) + get(dm, r)/60 + get(ds, r)/3600
		if sg >= 0 && strings.TrimSpace(t.Columns[sg].StringAt(r)) == "-" {
			v = -v
		}
		dec[r] = v
	}
	return ra, dec, true
}

// cooSysFrame maps a VOTable COOSYS system (with its equinox) to a sky frame.
func cooSysFrame(cs CooSys) (sky.Frame, error) {
	sys := strings.ToLower(cs.System)
	switch sys {
	case "icrs", "":
		return sky.FrameICRS, nil
	case "eq_fk5", "fk5":
		if cs.Equinox != "" {
			return sky.ParseFrame("fk5 " + cs.Equinox)
		}
		return sky.FrameFK5J2000, nil
	case "eq_fk4", "fk4":
		if cs.Equinox != "" {
			return sky.ParseFrame("fk4 " + cs.Equinox)
		}
		return sky.FrameFK4B1950, nil
	case "galactic", "galactic_iau1958":
		return sky.FrameGalactic, nil
	case "ecl_fk5", "ecliptic":
		return sky.FrameEclipticBarycentric, nil
	}
	return sky.Frame{}, fmt.Errorf("unsupported COOSYS system %q", cs.System)
}

// PositionsICRS returns every row's position in ICRS degrees: the equatorial columns
// (Positions), converted from the frame of the VOTable COOSYS they reference (FK4, FK5
// with their equinoxes); tables with only galactic columns (FindGalactic) are converted
// from galactic. frame names the source frame.
func PositionsICRS(t *Table) (ra, dec []float64, frame string, err error) {
	var from sky.Frame
	ri, _, errEq := FindRADec(t)
	if errEq == nil || cdsHasSplit(t) {
		ra, dec, err = Positions(t)
		if err != nil {
			return nil, nil, "", err
		}
		from = sky.FrameICRS
		if ri >= 0 {
			if ref := t.Columns[ri].Ref; ref != "" {
				for _, cs := range t.CooSys {
					if cs.ID == ref {
						if from, err = cooSysFrame(cs); err != nil {
							return nil, nil, "", fmt.Errorf("column %q: %w", t.Columns[ri].Name, err)
						}
					}
				}
			}
		}
	} else {
		li, bi, errG := FindGalactic(t)
		if errG != nil {
			return nil, nil, "", errEq
		}
		ra, dec = t.Columns[li].Floats(), t.Columns[bi].Floats()
		from = sky.FrameGalactic
	}
	frame = from.String()
	if from == sky.FrameICRS {
		return ra, dec, frame, nil
	}
	tr, err := sky.NewTransform(from, sky.FrameICRS)
	if err != nil {
		return nil, nil, "", err
	}
	for i := range ra {
		if !math.IsNaN(ra[i]) && !math.IsNaN(dec[i]) {
			ra[i], dec[i] = tr.Convert(ra[i], dec[i])
		}
	}
	return ra, dec, frame, nil
}

func cdsHasSplit(t *Table) bool {
	_, _, ok := cdsSplitPositions(t)
	return ok
}
