package catalog

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// MJD of the JD origin: MJD = JD − 2400000.5.
const jdToMJD = 2400000.5

// ParseISOTime parses an ISO-8601 date or date-time (YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.fff]]
// with 'T' or a blank as separator, optional trailing 'Z') into an MJD. Leap seconds
// (ss = 60) are accepted; time zones other than Z are rejected.
func ParseISOTime(s string) (float64, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (float64, error) {
		return math.NaN(), fmt.Errorf("time %q: %s", trunc(s, 40), why)
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return bad("not an ISO-8601 date (YYYY-MM-DD)")
	}
	y, err1 := strconv.Atoi(s[0:4])
	mo, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || err3 != nil || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return bad("bad year, month or day")
	}
	frac := 0.0
	rest := strings.TrimSuffix(s[10:], "Z")
	if rest != "" {
		if rest[0] != 'T' && rest[0] != ' ' {
			return bad("expected 'T' after the date")
		}
		rest = rest[1:]
		parts := strings.Split(rest, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return bad("time must be hh:mm or hh:mm:ss")
		}
		h, e1 := strconv.Atoi(parts[0])
		mi, e2 := strconv.Atoi(parts[1])
		sec := 0.0
		var e3 error
		if len(parts) == 3 {
			sec, e3 = strconv.ParseFloat(parts[2], 64)
			if e3 == nil && (strings.ContainsAny(parts[2], "eEnNiI+-") || sec < 0 || sec >= 61) {
				e3 = errors.New("bad seconds")
			}
		}
		if e1 != nil || e2 != nil || e3 != nil || len(parts[0]) != 2 || len(parts[1]) != 2 || h > 24 || mi > 59 || h < 0 || mi < 0 {
			return bad("bad time of day")
		}
		frac = (float64(h)*3600 + float64(mi)*60 + sec) / 86400
	}
	return float64(civilToMJD(y, mo, d)) + frac, nil
}

// civilToMJD returns the MJD of 0h on the given Gregorian date.
func civilToMJD(y, m, d int) int {
	// days from civil (H. Hinnant's algorithm), epoch 1970-01-01 = MJD 40587
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 + 40587
}

// TimeColumn describes how a column's values map to MJD.
type TimeColumn struct {
	Index  int
	Kind   string  // "mjd", "jd", "iso", "year" (Julian years), "offset" (days from Origin)
	Origin float64 // MJD of value 0 for "offset" (from TIMESYS timeorigin or MJDREF/JDREF)
	Scale  string  // time scale when known (TIMESYS timescale, TIMESYS keyword)
	// UnitDays is the length in days of one unit of an "offset" column (1/86400 for
	// seconds, from the column unit or the FITS TIMEUNIT keyword); 0 means 1.
	UnitDays float64
}

func lowerName(s string) string { return strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "_")) }

// FindTime finds the time column of a table: by UCD time.epoch (then time.start/obs),
// then by name (mjd, jd, bjd, hjd, time, obs_time, date, epoch, t), and decides how to map
// it to MJD from its unit, name, values, VOTable TIMESYS (timeorigin, via the column's
// ref) and MJDREF/JDREF keywords.
func FindTime(t *Table) (TimeColumn, error) {
	idx := -1
	for pass := 0; pass < 2 && idx < 0; pass++ {
		for i := range t.Columns {
			p, _ := ucdPrimary(t.Columns[i].UCD)
			if (pass == 0 && p == "time.epoch") || (pass == 1 && (p == "time.start" || p == "time.obs" || p == "time")) {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		names := []string{"mjd", "mjd_obs", "obs_mjd", "jd", "bjd", "hjd", "bjd_tdb", "time", "obs_time", "date_obs", "date", "epoch", "midpointtai", "t"}
		for _, n := range names {
			for i := range t.Columns {
				if lowerName(t.Columns[i].Name) == n {
					idx = i
					break
				}
			}
			if idx >= 0 {
				break
			}
		}
	}
	if idx < 0 {
		return TimeColumn{Index: -1}, fmt.Errorf("no time column found (UCD time.epoch or a name such as mjd, jd, time, date); columns: %s",
			strings.Join(t.ColumnNames(), ", "))
	}
	return t.TimeColumnAt(idx)
}

// TimeColumnAt describes column idx as a time column (see FindTime).
func (t *Table) TimeColumnAt(idx int) (TimeColumn, error) {
	c := &t.Columns[idx]
	tc := TimeColumn{Index: idx}
	if c.Kind == KindString {
		tc.Kind = "iso"
		return tc, nil
	}
	if !c.IsNumeric() {
		return tc, fmt.Errorf("time column %q is neither numeric nor ISO-8601 text", c.Name)
	}
	name := lowerName(c.Name)
	unit := strings.ToLower(strings.TrimSpace(c.Unit))
	// TIMESYS referenced by the column
	for _, ts := range t.TimeSys {
		if c.Ref != "" && ts.ID == c.Ref {
			tc.Scale = ts.TimeScale
			switch strings.ToUpper(ts.TimeOrigin) {
			case "MJD-ORIGIN":
				tc.Kind = "mjd"
			case "JD-ORIGIN":
				tc.Kind = "jd"
			case "":
			default:
				o, err := strconv.ParseFloat(ts.TimeOrigin, 64)
				if err != nil {
					return tc, fmt.Errorf("TIMESYS %q: bad timeorigin %q", ts.ID, ts.TimeOrigin)
				}
				tc.Kind, tc.Origin = "offset", o-jdToMJD
			}
		}
	}
	if tc.Kind == "" {
		if v, ok := keywordFloat(t, "MJDREF"); ok {
			tc.Kind, tc.Origin = "offset", v
			if f, ok := keywordFloat(t, "MJDREFF"); ok {
				tc.Origin += f
			}
		} else if v, ok := keywordFloat(t, "MJDREFI"); ok {
			tc.Kind, tc.Origin = "offset", v
			if f, ok := keywordFloat(t, "MJDREFF"); ok {
				tc.Origin += f
			}
		} else if v, ok := keywordFloat(t, "JDREF"); ok {
			tc.Kind, tc.Origin = "offset", v-jdToMJD
		} else if v, ok := splitKeyword(t, "JDREFI", "JDREFF"); ok {
			tc.Kind, tc.Origin = "offset", v-jdToMJD
		} else if v, ok := splitKeyword(t, "BJDREFI", "BJDREFF"); ok {
			// Kepler/TESS: barycentric JD reference, TDB unless TIMESYS says otherwise
			tc.Kind, tc.Origin, tc.Scale = "offset", v-jdToMJD, "TDB"
		} else if origin, scale, ok := offsetUnit(c.Unit); ok {
			// a unit such as "BJD - 2457000, days" (TESS) or "MJD - 50000"
			tc.Kind, tc.Origin, tc.Scale = "offset", origin, scale
		}
		if s, ok := t.Meta["TIMESYS"]; ok {
			tc.Scale = s
		}
	}
	if tc.Kind == "offset" {
		u := unit
		if _, _, named := offsetUnit(c.Unit); u == "" || named {
			u = strings.ToLower(strings.TrimSpace(t.Meta["TIMEUNIT"]))
		}
		switch u {
		case "s", "sec":
			tc.UnitDays = 1.0 / 86400
		case "min":
			tc.UnitDays = 1.0 / 1440
		case "h":
			tc.UnitDays = 1.0 / 24
		case "a", "yr":
			tc.UnitDays = 365.25
		default:
			tc.UnitDays = 1
		}
		// FITS TIMEZERO: a zero point added to every time value, in TIMEUNIT.
		if z, ok := keywordFloat(t, "TIMEZERO"); ok {
			tc.Origin += z * tc.UnitDays
		}
	}
	if tc.Kind == "" {
		switch {
		case unit == "yr" || unit == "a" || strings.Contains(name, "year") || name == "epoch" && c.Stats().Mean < 3000:
			tc.Kind = "year"
		case strings.Contains(name, "mjd"):
			tc.Kind = "mjd"
		case strings.Contains(name, "jd"):
			tc.Kind = "jd"
		default:
			if st := c.Stats(); st.N > 0 && st.Mean > 2e6 {
				tc.Kind = "jd"
			} else {
				tc.Kind = "mjd"
			}
		}
	}
	return tc, nil
}

// splitKeyword adds an integer and a fractional keyword (e.g. BJDREFI + BJDREFF);
// either may be absent, not both.
func splitKeyword(t *Table, ki, kf string) (float64, bool) {
	vi, oki := keywordFloat(t, ki)
	vf, okf := keywordFloat(t, kf)
	return vi + vf, oki || okf
}

// offsetUnit reads a time unit that names its origin: "BJD - 2457000, days",
// "JD-2400000", "HJD - 2450000 d", "MJD - 50000". It returns the MJD of value 0 and
// the time scale the name implies (TDB for BJD).
func offsetUnit(unit string) (origin float64, scale string, ok bool) {
	u := strings.ToLower(strings.TrimSpace(unit))
	var base string
	for _, p := range []string{"bjd", "hjd", "mjd", "jd"} {
		if strings.HasPrefix(u, p) {
			base, u = p, strings.TrimSpace(u[len(p):])
			break
		}
	}
	if base == "" || !strings.HasPrefix(u, "-") {
		return 0, "", false
	}
	u = strings.TrimSpace(u[1:])
	end := 0
	for end < len(u) && (u[end] >= '0' && u[end] <= '9' || u[end] == '.') {
		end++
	}
	v, err := strconv.ParseFloat(u[:end], 64)
	if err != nil {
		return 0, "", false
	}
	switch rest := strings.Trim(u[end:], " ,"); rest {
	case "", "d", "day", "days":
	default:
		return 0, "", false
	}
	if base == "mjd" {
		return v, "", true
	}
	if base == "bjd" {
		scale = "TDB"
	}
	return v - jdToMJD, scale, true
}

func keywordFloat(t *Table, key string) (float64, bool) {
	if p := t.Param(key); p != nil && len(p.Values) == 1 {
		return p.Values[0], true
	}
	if s, ok := t.Meta[key]; ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return v, err == nil
	}
	return 0, false
}

// MJD converts the time column to MJD values (NaN for nulls and unparseable cells).
func (t *Table) MJD(tc TimeColumn) ([]float64, error) {
	if tc.Index < 0 || tc.Index >= len(t.Columns) {
		return nil, errors.New("no time column")
	}
	c := &t.Columns[tc.Index]
	n := t.NumRows()
	out := make([]float64, n)
	if tc.Kind == "iso" {
		bad := 0
		for i := 0; i < n; i++ {
			if c.IsNull(i) {
				out[i] = math.NaN()
				continue
			}
			v, err := ParseISOTime(c.Str[i])
			if err != nil {
				bad++
				if bad == 1 && i == 0 {
					return nil, fmt.Errorf("time column %q: %w", c.Name, err)
				}
			}
			out[i] = v
		}
		return out, nil
	}
	for i := 0; i < n; i++ {
		v := c.FloatAt(i)
		switch tc.Kind {
		case "jd":
			v -= jdToMJD
		case "year":
			v = 51544.5 + (v-2000)*365.25
		case "offset":
			if tc.UnitDays != 0 && tc.UnitDays != 1 {
				v *= tc.UnitDays
			}
			v += tc.Origin
		}
		out[i] = v
	}
	return out, nil
}

// SeriesColumns are the columns of a long-format time-series table (one row per
// detection); -1 marks an absent column.
type SeriesColumns struct {
	ID, RA, Dec, Band, Mag, Flux, Err int
	Time                              TimeColumn
}

// FindSeriesColumns finds the columns of a long-format detection table: object id
// (UCD meta.id;meta.main... or names object_id, objectId, source_id, id, name), RA/Dec,
// time (FindTime), band (band, filter, passband), magnitude (UCD phot.mag or names mag,
// psfMag...), flux (phot.flux, flux, psfFlux) and error (stat.error, mag_err, err, sigma).
func FindSeriesColumns(t *Table) (SeriesColumns, error) {
	sc := SeriesColumns{ID: -1, RA: -1, Dec: -1, Band: -1, Mag: -1, Flux: -1, Err: -1}
	var err error
	sc.Time, err = FindTime(t)
	if err != nil {
		return sc, err
	}
	sc.RA, sc.Dec, _ = FindRADec(t)
	byName := func(names ...string) int {
		for _, n := range names {
			for i := range t.Columns {
				if lowerName(t.Columns[i].Name) == n {
					return i
				}
			}
		}
		return -1
	}
	sc.ID = byName("object_id", "objectid", "obj_id", "diaobjectid", "source_id", "sourceid", "objid", "oid", "star_id", "id", "name")
	if sc.ID < 0 {
		for i := range t.Columns {
			if p, _ := ucdPrimary(t.Columns[i].UCD); p == "meta.id" {
				sc.ID = i
				break
			}
		}
	}
	sc.Band = byName("band", "filter", "passband", "filtername", "bandpass")
	sc.Mag = byName("mag", "magnitude", "psfmag", "mag_auto", "vmag", "gmag")
	sc.Flux = byName("flux", "psfflux", "flux_auto", "sap_flux", "pdcsap_flux")
	sc.Err = byName("mag_err", "magerr", "e_mag", "err", "error", "sigma", "flux_err", "fluxerr", "psffluxerr", "psfmagerr", "e_flux")
	for i := range t.Columns {
		p, _ := ucdPrimary(t.Columns[i].UCD)
		u := strings.ToLower(t.Columns[i].UCD)
		if sc.Mag < 0 && p == "phot.mag" {
			sc.Mag = i
		}
		if sc.Flux < 0 && strings.HasPrefix(p, "phot.flux") {
			sc.Flux = i
		}
		if sc.Err < 0 && p == "stat.error" && (strings.Contains(u, "phot.mag") || strings.Contains(u, "phot.flux")) {
			sc.Err = i
		}
	}
	if sc.Mag < 0 && sc.Flux < 0 {
		return sc, fmt.Errorf("no magnitude or flux column found; columns: %s", strings.Join(t.ColumnNames(), ", "))
	}
	return sc, nil
}

// Object is one source formed by grouping detections on the id column.
type Object struct {
	ID       string  // id as text
	RA, Dec  float64 // mean position (mean unit vector), NaN without positions
	N        int     // number of detections
	TMin     float64 // MJD range
	TMax     float64
	MeanMag  float64 // mean of the non-null magnitudes (or fluxes when there is no magnitude)
	Rows     []int32 // detection rows, in time order
	firstRow int
}

// Series is a long-format detection table grouped into objects.
type Series struct {
	Table   *Table
	Cols    SeriesColumns
	MJD     []float64 // time of every detection as MJD
	Objects []Object  // in order of first appearance
	index   map[string]int
}

// GroupSeries groups the detections of t into objects on cols.ID (every row is its own
// object when there is no id column): count, time range, mean magnitude and mean position.
func GroupSeries(t *Table, cols SeriesColumns) (*Series, error) {
	mjd, err := t.MJD(cols.Time)
	if err != nil {
		return nil, err
	}
	n := t.NumRows()
	s := &Series{Table: t, Cols: cols, MJD: mjd}
	objOf := make([]int32, n)
	var idCol *Column
	if cols.ID >= 0 {
		idCol = &t.Columns[cols.ID]
	}
	if idCol != nil && idCol.Kind == KindInt {
		m := make(map[int64]int32, 1024)
		for i := 0; i < n; i++ {
			k := idCol.Int[i]
			if idCol.IsNull(i) {
				k = math.MinInt64
			}
			o, ok := m[k]
			if !ok {
				o = int32(len(s.Objects))
				m[k] = o
				id := strconv.FormatInt(k, 10)
				if idCol.IsNull(i) {
					id = ""
				}
				s.Objects = append(s.Objects, Object{ID: id, firstRow: i})
			}
			objOf[i] = o
		}
	} else {
		m := make(map[string]int32, 1024)
		for i := 0; i < n; i++ {
			k := strconv.Itoa(i)
			if idCol != nil {
				k = idCol.StringAt(i)
			}
			o, ok := m[k]
			if !ok {
				o = int32(len(s.Objects))
				m[k] = o
				s.Objects = append(s.Objects, Object{ID: k, firstRow: i})
			}
			objOf[i] = o
		}
	}
	// counts, then row lists in one backing array
	counts := make([]int32, len(s.Objects))
	for _, o := range objOf {
		counts[o]++
	}
	backing := make([]int32, n)
	off := 0
	for i := range s.Objects {
		s.Objects[i].Rows = backing[off : off : off+int(counts[i])]
		off += int(counts[i])
	}
	for i, o := range objOf {
		s.Objects[o].Rows = append(s.Objects[o].Rows, int32(i))
	}
	magCol := cols.Mag
	if magCol < 0 {
		magCol = cols.Flux
	}
	s.index = make(map[string]int, len(s.Objects))
	for oi := range s.Objects {
		o := &s.Objects[oi]
		s.index[o.ID] = oi
		rows := o.Rows
		sort.SliceStable(rows, func(a, b int) bool { return mjd[rows[a]] < mjd[rows[b]] })
		o.N = len(rows)
		o.TMin, o.TMax = math.Inf(1), math.Inf(-1)
		var sum, comp float64
		nm := 0
		var x, y, z float64
		np := 0
		for _, r := range rows {
			if tv := mjd[r]; !math.IsNaN(tv) {
				o.TMin = math.Min(o.TMin, tv)
				o.TMax = math.Max(o.TMax, tv)
			}
			if magCol >= 0 {
				if v := t.Columns[magCol].FloatAt(int(r)); !math.IsNaN(v) && !math.IsInf(v, 0) {
					tt := sum + v
					if math.Abs(sum) >= math.Abs(v) {
						comp += (sum - tt) + v
					} else {
						comp += (v - tt) + sum
					}
					sum = tt
					nm++
				}
			}
			if cols.RA >= 0 && cols.Dec >= 0 {
				ra := t.Columns[cols.RA].FloatAt(int(r)) * math.Pi / 180
				de := t.Columns[cols.Dec].FloatAt(int(r)) * math.Pi / 180
				if !math.IsNaN(ra) && !math.IsNaN(de) {
					cd := math.Cos(de)
					x += cd * math.Cos(ra)
					y += cd * math.Sin(ra)
					z += math.Sin(de)
					np++
				}
			}
		}
		o.MeanMag = math.NaN()
		if nm > 0 {
			o.MeanMag = (sum + comp) / float64(nm)
		}
		o.RA, o.Dec = math.NaN(), math.NaN()
		if np > 0 {
			o.RA = math.Mod(math.Atan2(y, x)*180/math.Pi+360, 360)
			o.Dec = math.Atan2(z, math.Hypot(x, y)) * 180 / math.Pi
		}
	}
	return s, nil
}

// Lookup returns the index of the object with the given id, or -1.
func (s *Series) Lookup(id string) int {
	if i, ok := s.index[id]; ok {
		return i
	}
	return -1
}

// LightCurve returns the detections of object i in time order: MJD, magnitude (or flux),
// error (nil without an error column) and band (nil without a band column).
func (s *Series) LightCurve(i int) (t, y, dy []float64, band []string) {
	o := &s.Objects[i]
	t = make([]float64, len(o.Rows))
	y = make([]float64, len(o.Rows))
	magCol := s.Cols.Mag
	if magCol < 0 {
		magCol = s.Cols.Flux
	}
	if s.Cols.Err >= 0 {
		dy = make([]float64, len(o.Rows))
	}
	if s.Cols.Band >= 0 {
		band = make([]string, len(o.Rows))
	}
	for k, r := range o.Rows {
		t[k] = s.MJD[r]
		y[k] = s.Table.Columns[magCol].FloatAt(int(r))
		if dy != nil {
			dy[k] = s.Table.Columns[s.Cols.Err].FloatAt(int(r))
		}
		if band != nil {
			band[k] = s.Table.Columns[s.Cols.Band].StringAt(int(r))
		}
	}
	return t, y, dy, band
}

// InWindow returns the detection rows with t0 ≤ MJD ≤ t1.
func (s *Series) InWindow(t0, t1 float64) []int32 {
	var out []int32
	for i, v := range s.MJD {
		if v >= t0 && v <= t1 {
			out = append(out, int32(i))
		}
	}
	return out
}

// JoinObjects maps every object of s to the row of the object-level table objects whose
// column idCol holds the same id (-1 when absent).
func (s *Series) JoinObjects(objects *Table, idCol int) ([]int, error) {
	if idCol < 0 || idCol >= len(objects.Columns) {
		return nil, fmt.Errorf("join: bad id column %d", idCol)
	}
	c := &objects.Columns[idCol]
	m := make(map[string]int, objects.NumRows())
	for r := 0; r < objects.NumRows(); r++ {
		if !c.IsNull(r) {
			if _, dup := m[c.StringAt(r)]; !dup {
				m[c.StringAt(r)] = r
			}
		}
	}
	out := make([]int, len(s.Objects))
	for i := range s.Objects {
		r, ok := m[s.Objects[i].ID]
		if !ok {
			r = -1
		}
		out[i] = r
	}
	return out, nil
}

// WindowWeights writes into w (len(mjd) values) the display weight of every
// detection for the time window [t0, t1]: 0 outside the window (and for
// detections without a time), and inside it a weight that rises from
// minWeight at the window's edges to 1 at fade days from them (a smooth
// step), so that markers fade in and out as an animated window slides
// instead of blinking. fade ≤ 0 gives weight 1 everywhere inside. It returns
// the number of detections inside the window.
func WindowWeights(mjd []float64, t0, t1, fade, minWeight float64, w []float32) int {
	n := 0
	minWeight = math.Max(0, math.Min(1, minWeight))
	for i, t := range mjd {
		if !(t >= t0 && t <= t1) {
			w[i] = 0
			continue
		}
		n++
		if !(fade > 0) {
			w[i] = 1
			continue
		}
		e := math.Min(t-t0, t1-t) / fade
		if e >= 1 {
			w[i] = 1
			continue
		}
		s := e * e * (3 - 2*e)
		w[i] = float32(minWeight + (1-minWeight)*s)
	}
	return n
}

// ObjectOfRows returns, for every detection row, the index of its object.
func (s *Series) ObjectOfRows() []int32 {
	out := make([]int32, s.Table.NumRows())
	for oi := range s.Objects {
		for _, r := range s.Objects[oi].Rows {
			out[r] = int32(oi)
		}
	}
	return out
}
