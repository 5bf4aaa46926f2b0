//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/skyglass/skyglass/internal/catalog"
)

// tsEntry is the time-series side of a catalogue layer made from a
// long-format detection table (one row per detection): the detections
// grouped into objects, and the current time window.
type tsEntry struct {
	s       *catalog.Series
	obj     []int32   // object index of every detection row
	w       []float32 // display weights of the rows for the window
	window  bool      // a window is set
	t0, t1  float64   // the window (MJD)
	fade    float64   // fade ramp inside the window's edges (days)
	objects *catalog.Table
	objRow  []int // row of every object in objects (-1: absent); nil without objects
	// positions of the objects table's rows (read once), or why it has none
	objRA, objDec []float64
	objPosErr     error
	groupMs       float64 // time taken to group the detections into objects
}

// seriesOptionKeys are the addCatalog options that make a catalogue a time series.
var seriesOptionKeys = []string{"time", "mag", "flux", "err", "band", "objects"}

// isSeries reports whether addCatalog's options ask for a time series.
func isSeries(opts js.Value) bool {
	if opts.IsUndefined() || opts.IsNull() {
		return false
	}
	if b := opts.Get("timeSeries"); b.Type() == js.TypeBoolean {
		return b.Bool()
	}
	for _, k := range seriesOptionKeys {
		if v := opts.Get(k); !v.IsUndefined() && !v.IsNull() {
			return true
		}
	}
	return false
}

// newSeries groups a detection table into objects. Column names given in
// opts (id, time, mag, flux, err, band) override the ones found by UCD and
// name; opts.objectsBytes, when given, is an object-level table joined on
// opts.objectsId (default: the detection id column's name).
func newSeries(t *catalog.Table, opts js.Value) (*tsEntry, error) {
	named := func(key string) (int, error) {
		name := str(opts, key, "")
		if name == "" {
			return -1, nil
		}
		i := columnIndex(t, name)
		if i < 0 {
			return -1, fmt.Errorf("no %s column %q (columns: %s)", key, name, columnNames(t))
		}
		return i, nil
	}
	cols, ferr := catalog.FindSeriesColumns(t)
	// Columns named by the host win over the ones found.
	for _, o := range []struct {
		key string
		dst *int
	}{{"id", &cols.ID}, {"mag", &cols.Mag}, {"flux", &cols.Flux}, {"err", &cols.Err}, {"band", &cols.Band}} {
		i, err := named(o.key)
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			*o.dst = i
			if o.key == "flux" && str(opts, "mag", "") == "" {
				cols.Mag = -1 // flux asked for: plot fluxes
			}
		}
	}
	ti, err := named("time")
	if err != nil {
		return nil, err
	}
	if ti >= 0 {
		tc, err := t.TimeColumnAt(ti)
		if err != nil {
			return nil, fmt.Errorf("time column %q: %w", t.Columns[ti].Name, err)
		}
		cols.Time = tc
	}
	if ferr != nil && (ti < 0 || (cols.Mag < 0 && cols.Flux < 0)) {
		return nil, fmt.Errorf("time series: %w", ferr)
	}
	start := time.Now()
	s, err := catalog.GroupSeries(t, cols)
	if err != nil {
		return nil, fmt.Errorf("time series: %w", err)
	}
	e := &tsEntry{s: s, obj: s.ObjectOfRows(), t0: math.NaN(), t1: math.NaN()}
	e.groupMs = float64(time.Since(start).Microseconds()) / 1000
	if ob := opts.Get("objectsBytes"); ob.Type() == js.TypeObject {
		b := make([]byte, ob.Get("length").Int())
		js.CopyBytesToGo(b, ob)
		tabs, err := catalog.ReadBytes(b, str(opts, "objectsName", ""))
		if err != nil {
			return nil, fmt.Errorf("objects table: %w", err)
		}
		if len(tabs) == 0 {
			return nil, errors.New("objects table: no table")
		}
		e.objects = tabs[0]
		key := str(opts, "objectsId", "")
		if key == "" && cols.ID >= 0 {
			key = t.Columns[cols.ID].Name
		}
		ki := columnIndex(e.objects, key)
		if ki < 0 {
			return nil, fmt.Errorf("objects table: no id column %q to join on (columns: %s)", key, columnNames(e.objects))
		}
		if e.objRow, err = s.JoinObjects(e.objects, ki); err != nil {
			return nil, fmt.Errorf("objects table: %w", err)
		}
		e.objRA, e.objDec, _, e.objPosErr = catalog.PositionsICRS(e.objects)
	}
	return e, nil
}

// positions returns the position of every detection: the table's own, or,
// when it has none, its object's from the joined object-level table.
func (e *tsEntry) positions(t *catalog.Table) (ra, dec []float64, err error) {
	ra, dec, _, err = catalog.PositionsICRS(t)
	if err == nil || e.objects == nil {
		return ra, dec, err
	}
	if e.objPosErr != nil {
		return nil, nil, fmt.Errorf("%w; objects table: %w", err, e.objPosErr)
	}
	n := t.NumRows()
	ra, dec = make([]float64, n), make([]float64, n)
	for r := range n {
		ra[r], dec[r] = math.NaN(), math.NaN()
		if or := e.objRow[e.obj[r]]; or >= 0 {
			ra[r], dec[r] = e.objRA[or], e.objDec[or]
		}
	}
	return ra, dec, nil
}

// timeRange returns the span of the detections' times (MJD).
func (e *tsEntry) timeRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, o := range e.s.Objects {
		lo, hi = math.Min(lo, o.TMin), math.Max(hi, o.TMax)
	}
	return lo, hi
}

// object returns the index of the object with a given id (text or number).
func (e *tsEntry) object(key js.Value) (int, error) {
	i := e.s.Lookup(jsText(key))
	if i < 0 {
		return -1, fmt.Errorf("no object %s", jsText(key))
	}
	return i, nil
}

// valueKind says whether the light curves are magnitudes or fluxes, and their unit.
func (e *tsEntry) valueKind() (kind, unit, name string) {
	c := e.s.Cols.Mag
	kind = "mag"
	if c < 0 {
		c, kind = e.s.Cols.Flux, "flux"
	}
	col := &e.s.Table.Columns[c]
	return kind, col.Unit, col.Name
}

// seriesMethods: time windows, light curves and periodograms of time-series catalogues.
func (vw *viewer) seriesMethods() {
	// series returns the time series of catalogue a[0].
	series := func(a []js.Value) (*tsEntry, error) {
		id := int(arg(a, 0))
		c, ok := vw.cats[id]
		if !ok {
			return nil, fmt.Errorf("no catalogue %d", id)
		}
		if c.ts == nil {
			return nil, fmt.Errorf("catalogue %d is not a time series (add it with the time/mag/flux options)", id)
		}
		return c.ts, nil
	}
	// seriesObject returns the time series of catalogue a[0] and the index of its object a[1];
	// errors start with the name of the JS method, what.
	seriesObject := func(a []js.Value, what string) (*tsEntry, int, error) {
		e, err := series(a)
		if err != nil {
			return nil, -1, err
		}
		if len(a) < 2 {
			return nil, -1, fmt.Errorf("%s(id): give an object id", what)
		}
		oi, err := e.object(a[1])
		if err != nil {
			return nil, -1, fmt.Errorf("%s: %w", what, err)
		}
		return e, oi, nil
	}
	vw.def("seriesInfo", func(a []js.Value) any {
		e, err := series(a)
		if err != nil {
			return errObj(err)
		}
		lo, hi := e.timeRange()
		kind, unit, name := e.valueKind()
		o := js.Global().Get("Object").New()
		o.Set("tmin", lo)
		o.Set("tmax", hi)
		o.Set("objects", len(e.s.Objects))
		o.Set("detections", len(e.obj))
		o.Set("kind", kind)
		o.Set("unit", unit)
		o.Set("column", name)
		o.Set("timeColumn", e.s.Table.Columns[e.s.Cols.Time.Index].Name)
		o.Set("groupMs", e.groupMs)
		if e.window {
			o.Set("window", js.ValueOf([]any{e.t0, e.t1}))
		} else {
			o.Set("window", js.Null())
		}
		return o
	})
	// seriesWindow(id, t0, t1, fade): sets the time window (NaN t0 or t1 clears it);
	// returns the number of detections in the window.
	vw.def("seriesWindow", func(a []js.Value) any {
		e, err := series(a)
		if err != nil {
			return errObj(err)
		}
		t0, t1, fade := arg(a, 1), arg(a, 2), arg(a, 3)
		id := int(arg(a, 0))
		if math.IsNaN(t0) || math.IsNaN(t1) {
			e.window, e.t0, e.t1 = false, math.NaN(), math.NaN()
			if err := vw.v.SetCatalogRowWeights(id, nil); err != nil {
				return errObj(err)
			}
			vw.schedule()
			return len(e.obj)
		}
		if t1 < t0 {
			return errObj(fmt.Errorf("setTimeWindow: the window ends (%v) before it starts (%v)", t1, t0))
		}
		if math.IsNaN(fade) || fade < 0 {
			fade = 0
		}
		if e.w == nil {
			e.w = make([]float32, len(e.obj))
		}
		n := catalog.WindowWeights(e.s.MJD, t0, t1, fade, 0.25, e.w)
		e.window, e.t0, e.t1, e.fade = true, t0, t1, fade
		if err := vw.v.SetCatalogRowWeights(id, e.w); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return n
	})
	// seriesCount(id, t0, t1): the detections and objects with a detection in [t0, t1].
	vw.def("seriesCount", func(a []js.Value) any {
		e, err := series(a)
		if err != nil {
			return errObj(err)
		}
		t0, t1 := arg(a, 1), arg(a, 2)
		rows := e.s.InWindow(t0, t1)
		objs := map[int32]bool{}
		for _, r := range rows {
			objs[e.obj[r]] = true
		}
		ids := make([]any, 0, len(objs))
		for oi := range objs {
			ids = append(ids, e.s.Objects[oi].ID)
		}
		slices.SortFunc(ids, func(x, y any) int { return strings.Compare(x.(string), y.(string)) })
		o := js.Global().Get("Object").New()
		o.Set("detections", len(rows))
		o.Set("objects", js.ValueOf(ids))
		return o
	})
	// seriesObjectOf(id, row): the object id of a detection row.
	vw.def("seriesObjectOf", func(a []js.Value) any {
		e, err := series(a)
		if err != nil {
			return errObj(err)
		}
		r := int(arg(a, 1))
		if r < 0 || r >= len(e.obj) {
			return errObj(fmt.Errorf("no detection row %d", r))
		}
		return e.s.Objects[e.obj[r]].ID
	})
	vw.def("seriesLightCurve", func(a []js.Value) any {
		e, oi, err := seriesObject(a, "lightCurve")
		if err != nil {
			return errObj(err)
		}
		o := &e.s.Objects[oi]
		t, y, dy, band := e.s.LightCurve(oi)
		kind, unit, _ := e.valueKind()
		out := js.Global().Get("Object").New()
		out.Set("id", o.ID)
		ra, dec := o.RA, o.Dec
		if e.objRow != nil && e.objRow[oi] >= 0 {
			if e.objPosErr == nil {
				ra, dec = e.objRA[e.objRow[oi]], e.objDec[e.objRow[oi]]
			}
			out.Set("object", rowValues(e.objects, e.objRow[oi]))
		}
		out.Set("ra", nanNull(ra))
		out.Set("dec", nanNull(dec))
		out.Set("n", o.N)
		out.Set("tmin", o.TMin)
		out.Set("tmax", o.TMax)
		out.Set("mean", nanNull(o.MeanMag))
		out.Set("time", floatsJS(t))
		out.Set("value", floatsJS(y))
		if dy == nil {
			dy = make([]float64, len(t))
			for i := range dy {
				dy[i] = math.NaN()
			}
		}
		out.Set("error", floatsJS(dy))
		bands := make([]any, len(t))
		for i := range bands {
			bands[i] = ""
			if band != nil {
				bands[i] = band[i]
			}
		}
		out.Set("band", js.ValueOf(bands))
		rows := make([]int, len(o.Rows))
		for i, r := range o.Rows {
			rows[i] = int(r)
		}
		out.Set("rows", intsJS(rows))
		out.Set("kind", kind)
		out.Set("unit", unit)
		return out
	})
	// seriesFold(id, objectId, period, epoch): the phases of an object's detections (time
	// order) folded on period (days) from epoch (NaN: the first detection's time).
	vw.def("seriesFold", func(a []js.Value) any {
		e, oi, err := seriesObject(a, "fold")
		if err != nil {
			return errObj(err)
		}
		period, epoch := arg(a, 2), arg(a, 3)
		if !(period > 0) || math.IsInf(period, 0) {
			return errObj(fmt.Errorf("fold: the period must be a positive number of days, not %v", period))
		}
		if math.IsNaN(epoch) {
			epoch = e.s.Objects[oi].TMin
		}
		t, _, _, _ := e.s.LightCurve(oi)
		o := js.Global().Get("Object").New()
		o.Set("period", period)
		o.Set("epoch", epoch)
		o.Set("phase", floatsJS(catalog.PhaseFold(t, period, epoch)))
		return o
	})
	// seriesPeriodogram(id, objectId, fmin, fmax, samplesPerPeak): the Lomb-Scargle
	// periodogram of an object's light curve on astropy's autofrequency grid.
	vw.def("seriesPeriodogram", func(a []js.Value) any {
		e, oi, err := seriesObject(a, "periodogram")
		if err != nil {
			return errObj(err)
		}
		fmin, fmax, spp := arg(a, 2), arg(a, 3), arg(a, 4)
		if math.IsNaN(fmin) {
			fmin = 1.0 / 1000
		}
		if math.IsNaN(fmax) {
			fmax = 20
		}
		if math.IsNaN(spp) {
			spp = 10
		}
		if !(fmin > 0 && fmax > fmin) || !(spp >= 1 && spp <= 1000) {
			return errObj(fmt.Errorf("periodogram: bad limits fmin=%v fmax=%v samplesPerPeak=%v (want 0 < fmin < fmax, 1 ≤ samplesPerPeak ≤ 1000)", fmin, fmax, spp))
		}
		t, y, dy, _ := e.s.LightCurve(oi)
		freq, power := catalog.LombScargle(t, y, dy, fmin, fmax, int(spp))
		if freq == nil {
			return errObj(fmt.Errorf("periodogram: object %s has too few detections or too short a span, or the grid is too large", e.s.Objects[oi].ID))
		}
		best := 0
		for i := range power {
			if power[i] > power[best] {
				best = i
			}
		}
		o := js.Global().Get("Object").New()
		o.Set("id", e.s.Objects[oi].ID)
		o.Set("frequency", floatsJS(freq))
		o.Set("power", floatsJS(power))
		o.Set("bestFrequency", freq[best])
		o.Set("bestPeriod", 1/freq[best])
		o.Set("bestPower", power[best])
		return o
	})
}

// floatsJS copies float64s into a new Float64Array (one copy: the slice's
// memory is handed to CopyBytesToJS as bytes; wasm is little-endian like
// typed arrays on every browser).
func floatsJS(v []float64) js.Value {
	arr := js.Global().Get("Float64Array").New(len(v))
	if len(v) == 0 {
		return arr
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
	js.CopyBytesToJS(js.Global().Get("Uint8Array").New(arr.Get("buffer")), b)
	return arr
}

// nanNull maps NaN to null.
func nanNull(x float64) any {
	if math.IsNaN(x) {
		return nil
	}
	return x
}
