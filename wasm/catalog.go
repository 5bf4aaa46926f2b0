//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"syscall/js"

	"github.com/skyglass/skyglass/internal/catalog"
	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/regions"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/stretch"
	"github.com/skyglass/skyglass/internal/view"
)

// catEntry is a catalogue layer's table and the columns the layer uses.
type catEntry struct {
	t          *catalog.Table
	idCol      int            // -1: ids are row indices
	ids        map[string]int // id text → row, built on first select
	footprints int            // id of the overlay of the rows' STC-S footprints, 0 if none
	ts         *tsEntry       // the time series of a detection table, nil for plain catalogues
}

// maxFootprints bounds the STC-S footprints drawn for one catalogue.
const maxFootprints = 200000

// maxCatalogBytes bounds a catalogue handed to Go.
const maxCatalogBytes = 512 << 20

// catalogMethods: catalogue and region overlays (addCatalog, addRegions),
// picking and selection.
func (vw *viewer) catalogMethods() {
	if vw.cats == nil {
		vw.cats = map[int]*catEntry{}
	}
	vw.def("addCatalog", func(a []js.Value) any {
		if len(a) < 1 || !a[0].InstanceOf(js.Global().Get("Uint8Array")) {
			return errObj(errors.New("addCatalog: the catalogue must be given as bytes (Uint8Array)"))
		}
		n := a[0].Get("length").Int()
		if n > maxCatalogBytes {
			return errObj(fmt.Errorf("addCatalog: the catalogue is %d bytes, more than the %d allowed", n, maxCatalogBytes))
		}
		b := make([]byte, n)
		js.CopyBytesToGo(b, a[0])
		name := argStr(a, 1)
		opts := js.Undefined()
		if len(a) > 2 && a[2].Type() == js.TypeObject {
			opts = a[2]
		}
		o, err := vw.addCatalog(b, name, opts)
		if err != nil {
			return errObj(err)
		}
		return o
	})
	vw.def("catalogStyle", func(a []js.Value) any {
		id := int(arg(a, 0))
		e, ok := vw.cats[id]
		if !ok || len(a) < 2 || a[1].Type() != js.TypeObject {
			return errObj(fmt.Errorf("setStyle: no catalogue %d or no style object", id))
		}
		st, err := vw.v.CatalogStyleOf(id)
		if err != nil {
			return errObj(err)
		}
		st, lg, changed, err := catalogStyleLegend(e.t, a[1], st)
		if err != nil {
			return errObj(err)
		}
		if err := vw.v.SetCatalogStyle(id, st); err != nil {
			return errObj(err)
		}
		vw.schedule()
		o := js.Global().Get("Object").New()
		o.Set("legendChanged", changed)
		o.Set("legend", lg.js())
		return o
	})
	vw.def("catalogSelect", func(a []js.Value) any {
		id := int(arg(a, 0))
		e, ok := vw.cats[id]
		if !ok {
			return errObj(fmt.Errorf("select: no catalogue %d", id))
		}
		var rows []int
		var missing []any
		if len(a) > 1 && a[1].Type() == js.TypeObject {
			for i, n := 0, a[1].Get("length").Int(); i < n; i++ {
				key := a[1].Index(i)
				r := e.lookup(key)
				if r < 0 {
					missing = append(missing, jsText(key))
					continue
				}
				rows = append(rows, r)
			}
		}
		if err := vw.v.SelectCatalog(id, rows); err != nil {
			return errObj(err)
		}
		vw.schedule()
		o := js.Global().Get("Object").New()
		o.Set("rows", intsJS(rows))
		o.Set("missing", js.ValueOf(missing))
		return o
	})
	vw.def("catalogSelectRows", func(a []js.Value) any {
		id := int(arg(a, 0))
		var rows []int
		if len(a) > 1 && a[1].Type() == js.TypeObject {
			for i, n := 0, a[1].Get("length").Int(); i < n; i++ {
				r := a[1].Index(i)
				if r.Type() != js.TypeNumber {
					return errObj(fmt.Errorf("select: row %v is not a number", jsText(r)))
				}
				rows = append(rows, r.Int())
			}
		}
		if err := vw.v.SelectCatalog(id, rows); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("catalogRect", func(a []js.Value) any {
		rows, err := vw.v.SourcesInRect(int(arg(a, 0)), arg(a, 1), arg(a, 2), arg(a, 3), arg(a, 4))
		if err != nil {
			return errObj(err)
		}
		return intsJS(rows)
	})
	vw.def("catalogPick", func(a []js.Value) any {
		radius := arg(a, 2)
		if math.IsNaN(radius) {
			radius = 4
		}
		layer, row, err := vw.v.PickSource(arg(a, 0), arg(a, 1), radius)
		if err != nil {
			return js.Null()
		}
		e := vw.cats[layer]
		if e == nil {
			return js.Null()
		}
		o := js.Global().Get("Object").New()
		o.Set("catalog", layer)
		o.Set("row", row)
		o.Set("id", e.idOf(row))
		o.Set("values", rowValues(e.t, row))
		return o
	})
	vw.def("catalogRows", func(a []js.Value) any {
		id := int(arg(a, 0))
		e, ok := vw.cats[id]
		if !ok {
			return errObj(fmt.Errorf("rows: no catalogue %d", id))
		}
		out := js.Global().Get("Array").New()
		if len(a) > 1 && a[1].Type() == js.TypeObject {
			for i, n := 0, a[1].Get("length").Int(); i < n; i++ {
				r := a[1].Index(i)
				if r.Type() != js.TypeNumber || r.Int() < 0 || r.Int() >= rowCount(e.t) {
					return errObj(fmt.Errorf("rows: no row %v in catalogue %d", jsText(r), id))
				}
				out.Call("push", rowValues(e.t, r.Int()))
			}
		}
		return out
	})
	vw.def("catalogIds", func(a []js.Value) any {
		id := int(arg(a, 0))
		e, ok := vw.cats[id]
		if !ok {
			return errObj(fmt.Errorf("ids: no catalogue %d", id))
		}
		out := js.Global().Get("Array").New()
		if len(a) > 1 && a[1].Type() == js.TypeObject {
			for i, n := 0, a[1].Get("length").Int(); i < n; i++ {
				r := a[1].Index(i)
				if r.Type() == js.TypeNumber && r.Int() >= 0 && r.Int() < rowCount(e.t) {
					out.Call("push", e.idOf(r.Int()))
				}
			}
		}
		return out
	})
	vw.def("catalogStats", func(a []js.Value) any {
		s, err := vw.v.CatalogStats(int(arg(a, 0)))
		if err != nil {
			return errObj(err)
		}
		o := js.Global().Get("Object").New()
		o.Set("visible", s.Visible)
		o.Set("markers", s.Markers)
		o.Set("aggregated", s.Aggregated)
		return o
	})
	vw.def("removeOverlay", func(a []js.Value) any {
		id := int(arg(a, 0))
		if e, ok := vw.cats[id]; ok && e.footprints != 0 {
			_ = vw.v.RemoveOverlay(e.footprints)
		}
		delete(vw.cats, id)
		if err := vw.v.RemoveOverlay(id); err != nil {
			return errObj(err)
		}
		vw.schedule()
		return nil
	})
	vw.def("setOverlayVisible", func(a []js.Value) any {
		id, show := int(arg(a, 0)), len(a) > 1 && a[1].Truthy()
		if err := vw.v.SetOverlayVisible(id, show); err != nil {
			return errObj(err)
		}
		if e, ok := vw.cats[id]; ok && e.footprints != 0 {
			_ = vw.v.SetOverlayVisible(e.footprints, show)
		}
		vw.schedule()
		return nil
	})
	vw.def("addRegions", func(a []js.Value) any {
		text := argStr(a, 0)
		if strings.TrimSpace(text) == "" {
			return errObj(errors.New("addRegions: the region file is empty"))
		}
		rs, warns := regions.ParseDS9Warnings(text)
		id, drawn, more := vw.v.AddRegions(rs)
		ws := make([]any, 0, len(warns)+len(more))
		for _, w := range warns {
			ws = append(ws, w.String())
		}
		for _, w := range more {
			ws = append(ws, w)
		}
		if drawn == 0 && len(ws) > 0 {
			_ = vw.v.RemoveOverlay(id)
			return errObj(fmt.Errorf("addRegions: no region could be drawn: %s", strings.Join(strs(ws), "; ")))
		}
		vw.schedule()
		o := js.Global().Get("Object").New()
		o.Set("id", id)
		o.Set("count", drawn)
		o.Set("warnings", js.ValueOf(ws))
		return o
	})
}

func strs(a []any) []string {
	out := make([]string, len(a))
	for i, x := range a {
		out[i] = fmt.Sprint(x)
	}
	return out
}

func intsJS(v []int) js.Value {
	a := make([]any, len(v))
	for i, x := range v {
		a[i] = x
	}
	return js.ValueOf(a)
}

// jsText formats a JS id (number or string) as the table formats cells.
func jsText(v js.Value) string {
	switch v.Type() {
	case js.TypeString:
		return v.String()
	case js.TypeNumber:
		f := v.Float()
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return fmt.Sprintf("%d", int64(f))
		}
		return fmt.Sprint(f)
	}
	return js.Global().Call("String", v).String()
}

func rowCount(t *catalog.Table) int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// idOf returns a row's id: the id column's value (a number for numeric
// columns) or the row index.
func (e *catEntry) idOf(row int) any {
	if e.idCol < 0 {
		return row
	}
	c := &e.t.Columns[e.idCol]
	if c.IsNull(row) {
		return nil
	}
	if c.Kind == catalog.KindInt {
		return float64(c.Int[row])
	}
	if c.Kind == catalog.KindFloat {
		return c.Float[row]
	}
	return c.StringAt(row)
}

// lookup finds the row of an id (or, without an id column, a row index); -1
// when there is none.
func (e *catEntry) lookup(key js.Value) int {
	n := rowCount(e.t)
	if e.idCol < 0 {
		if key.Type() == js.TypeNumber {
			if r := key.Float(); r == math.Trunc(r) && r >= 0 && r < float64(n) {
				return int(r)
			}
		}
		return -1
	}
	if e.ids == nil {
		e.ids = make(map[string]int, n)
		c := &e.t.Columns[e.idCol]
		for i := n - 1; i >= 0; i-- { // the first row wins on duplicates
			if !c.IsNull(i) {
				e.ids[c.StringAt(i)] = i
			}
		}
	}
	if r, ok := e.ids[jsText(key)]; ok {
		return r
	}
	return -1
}

// rowValues returns a row as {column: value} (numbers for numeric cells,
// text otherwise, null for nulls).
func rowValues(t *catalog.Table, row int) js.Value {
	o := js.Global().Get("Object").New()
	for i := range t.Columns {
		c := &t.Columns[i]
		switch {
		case c.IsNull(row):
			o.Set(c.Name, js.Null())
		case c.Kind == catalog.KindInt:
			o.Set(c.Name, float64(c.Int[row]))
		case c.Kind == catalog.KindFloat:
			o.Set(c.Name, c.Float[row])
		case c.Kind == catalog.KindBool:
			o.Set(c.Name, c.Bool[row])
		default:
			o.Set(c.Name, c.StringAt(row))
		}
	}
	return o
}

// formatNames maps addCatalog's format option to a file name that makes
// catalog.Read pick that format.
var formatNames = map[string]string{
	"votable": "table.xml", "vot": "table.xml", "xml": "table.xml",
	"csv": "table.csv", "tsv": "table.tsv", "ipac": "table.tbl", "cds": "table.dat",
}

func columnIndex(t *catalog.Table, name string) int {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return i
		}
	}
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

func columnNames(t *catalog.Table) string {
	names := make([]string, len(t.Columns))
	for i := range t.Columns {
		names[i] = t.Columns[i].Name
	}
	return strings.Join(names, ", ")
}

// namedPositions reads RA and Dec from the columns the host named: numbers
// in degrees, or sexagesimal text.
func namedPositions(t *catalog.Table, raName, decName string) (ra, dec []float64, err error) {
	ri, di := columnIndex(t, raName), columnIndex(t, decName)
	if ri < 0 || di < 0 {
		missing := raName
		if ri >= 0 {
			missing = decName
		}
		return nil, nil, fmt.Errorf("no column %q (columns: %s)", missing, columnNames(t))
	}
	conv := func(c *catalog.Column, parse func(string) (float64, error)) ([]float64, error) {
		if c.IsNumeric() {
			return c.Floats(), nil
		}
		if c.Kind != catalog.KindString {
			return nil, fmt.Errorf("column %q holds %s values, not positions", c.Name, c.Kind)
		}
		out := make([]float64, c.Len())
		good := 0
		for i := range out {
			v, err := parse(c.StringAt(i))
			if err != nil || c.IsNull(i) {
				out[i] = math.NaN()
				continue
			}
			out[i] = v
			good++
		}
		if good == 0 && len(out) > 0 {
			return nil, fmt.Errorf("no value of column %q reads as a coordinate", c.Name)
		}
		return out, nil
	}
	if ra, err = conv(&t.Columns[ri], sky.ParseRA); err != nil {
		return nil, nil, err
	}
	if dec, err = conv(&t.Columns[di], sky.ParseDec); err != nil {
		return nil, nil, err
	}
	return ra, dec, nil
}

func (vw *viewer) addCatalog(b []byte, name string, opts js.Value) (js.Value, error) {
	opt := func(k string) string {
		if opts.IsUndefined() {
			return ""
		}
		return str(opts, k, "")
	}
	if f := strings.ToLower(opt("format")); f != "" {
		n, ok := formatNames[f]
		if !ok {
			return js.Null(), fmt.Errorf("addCatalog: unknown format %q (votable, csv, tsv, ipac, cds)", f)
		}
		name = n
	}
	tables, err := catalog.ReadBytes(b, name)
	if err != nil {
		return js.Null(), fmt.Errorf("addCatalog: %w", err)
	}
	var t *catalog.Table
	for _, x := range tables {
		if rowCount(x) > 0 {
			t = x
			break
		}
	}
	if t == nil {
		return js.Null(), errors.New("addCatalog: the table has no rows")
	}
	var ts *tsEntry
	if isSeries(opts) {
		if ts, err = newSeries(t, opts); err != nil {
			return js.Null(), fmt.Errorf("addCatalog: %w", err)
		}
	}
	var ra, dec []float64
	raName, decName := opt("ra"), opt("dec")
	if ts != nil && raName == "" && decName == "" {
		ra, dec, err = ts.positions(t)
	} else if raName != "" || decName != "" {
		if raName == "" || decName == "" {
			return js.Null(), errors.New("addCatalog: give both ra and dec column names, or neither")
		}
		ra, dec, err = namedPositions(t, raName, decName)
	} else {
		ra, dec, _, err = catalog.PositionsICRS(t)
		if err != nil && columnIndex(t, "s_ra") >= 0 && columnIndex(t, "s_dec") >= 0 {
			ra, dec, err = namedPositions(t, "s_ra", "s_dec") // ObsCore
		}
	}
	if err != nil {
		if strings.Contains(err.Error(), "columns:") {
			return js.Null(), fmt.Errorf("addCatalog: no position columns: %w", err)
		}
		return js.Null(), fmt.Errorf("addCatalog: no position columns: %w (columns: %s)", err, columnNames(t))
	}
	e := &catEntry{t: t, idCol: -1, ts: ts}
	if ts != nil {
		e.idCol = ts.s.Cols.ID
		if !opts.IsUndefined() && opt("color") == "" && opt("colorBy") == "" {
			// Each detection coloured by its magnitude (or flux): an object's marker
			// shows its state in the time window.
			o := js.Global().Get("Object").Call("assign", js.Global().Get("Object").New(), opts)
			kind, _, col := ts.valueKind()
			o.Set("colorBy", col)
			if opt("colormap") == "" {
				cm := "plasma"
				if kind == "mag" {
					cm = "plasma_r" // brighter (smaller magnitudes) is brighter
				}
				o.Set("colormap", cm)
			}
			opts = o
		}
	} else if idName := opt("id"); idName != "" {
		if e.idCol = columnIndex(t, idName); e.idCol < 0 {
			return js.Null(), fmt.Errorf("addCatalog: no id column %q (columns: %s)", idName, columnNames(t))
		}
	}
	st := view.CatalogStyle{Shape: draw.Circle, Color: [4]float32{1, 0.3, 0.3, 1}, Size: 8, Opacity: 1}
	var lg *legend
	if !opts.IsUndefined() {
		if st, lg, _, err = catalogStyleLegend(t, opts, st); err != nil {
			return js.Null(), fmt.Errorf("addCatalog: %w", err)
		}
	}
	id, err := vw.v.AddCatalog(ra, dec, st)
	if err != nil {
		return js.Null(), fmt.Errorf("addCatalog: %w", err)
	}
	vw.cats[id] = e
	var warnings []any
	if fp := footprintColumn(t, opt("footprint")); fp >= 0 {
		rs, warns := footprints(&t.Columns[fp], st.Color)
		warnings = append(warnings, warns...)
		if len(rs) > 0 {
			fid, _, more := vw.v.AddRegions(rs)
			e.footprints = fid
			for _, w := range more {
				warnings = append(warnings, w)
			}
		}
	} else if opt("footprint") != "" {
		warnings = append(warnings, fmt.Sprintf("no footprint column %q", opt("footprint")))
	}
	vw.schedule()
	cols := make([]any, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		cols[i] = map[string]any{"name": c.Name, "unit": c.Unit, "ucd": c.UCD, "type": c.Kind.String()}
	}
	o := js.Global().Get("Object").New()
	o.Set("id", id)
	o.Set("rows", rowCount(t))
	o.Set("columns", js.ValueOf(cols))
	o.Set("footprints", e.footprints)
	o.Set("legend", lg.js())
	o.Set("warnings", js.ValueOf(warnings))
	o.Set("series", ts != nil)
	return o, nil
}

// footprintColumn finds the column of STC-S footprints: the one named by
// the host, else s_region (ObsCore) or a column with UCD pos.outline.
func footprintColumn(t *catalog.Table, name string) int {
	if name != "" {
		return columnIndex(t, name)
	}
	if i := columnIndex(t, "s_region"); i >= 0 && t.Columns[i].Kind == catalog.KindString {
		return i
	}
	for i := range t.Columns {
		if strings.HasPrefix(strings.ToLower(t.Columns[i].UCD), "pos.outline") && t.Columns[i].Kind == catalog.KindString {
			return i
		}
	}
	return -1
}

// footprints parses every row's STC-S footprint, drawn in the layer's colour;
// rows that do not parse are reported (the first few) rather than dropped silently.
func footprints(c *catalog.Column, col [4]float32) (rs []regions.Region, warnings []any) {
	hex := fmt.Sprintf("#%02x%02x%02x", int(col[0]*255+0.5), int(col[1]*255+0.5), int(col[2]*255+0.5))
	bad := 0
	for i := range c.Len() {
		if c.IsNull(i) || strings.TrimSpace(c.StringAt(i)) == "" {
			continue
		}
		r, err := regions.ParseSTCS(c.StringAt(i))
		if err != nil {
			if bad < 5 {
				warnings = append(warnings, fmt.Sprintf("row %d: footprint %s: %v", i, c.Name, err))
			}
			bad++
			continue
		}
		for k := range r {
			r[k].Color = hex
		}
		rs = append(rs, r...)
		if len(rs) > maxFootprints {
			warnings = append(warnings, fmt.Sprintf("more than %d footprints: the rest are not drawn", maxFootprints))
			break
		}
	}
	if bad > 5 {
		warnings = append(warnings, fmt.Sprintf("%d footprints could not be read", bad))
	}
	return rs, warnings
}

// catalogStyle applies the style options {shape, color, size, opacity,
// colorBy, colormap, sizeBy} to st.
// legend describes a colour-by-column mapping for the host to draw.
type legend struct {
	column, colormap string
	min, max         float64
	stops            []string // colours from min to max, #rrggbb
}

func (l *legend) js() js.Value {
	if l == nil {
		return js.Null()
	}
	stops := make([]any, len(l.stops))
	for i, c := range l.stops {
		stops[i] = c
	}
	return js.ValueOf(map[string]any{"column": l.column, "colormap": l.colormap, "min": l.min, "max": l.max, "stops": stops})
}

// catalogStyleLegend applies the style options {shape, color, size, opacity,
// colorBy, colormap, sizeBy} to st; changed reports whether the colour
// legend changed (lg is nil when colours no longer come from a column).
func catalogStyleLegend(t *catalog.Table, o js.Value, st view.CatalogStyle) (_ view.CatalogStyle, lg *legend, changed bool, err error) {
	if s := str(o, "shape", ""); s != "" {
		k := -1
		for i, n := range draw.MarkerShapes {
			if strings.EqualFold(n, s) {
				k = i
			}
		}
		if k < 0 {
			return st, nil, false, fmt.Errorf("unknown marker shape %q (one of %s)", s, strings.Join(draw.MarkerShapes, ", "))
		}
		st.Shape = draw.MarkerShape(k)
	}
	if s := str(o, "color", ""); s != "" {
		c := parseColor(s)
		if c[3] == 0 {
			if named, ok := namedColors[strings.ToLower(s)]; ok {
				c = named
			} else {
				return st, nil, false, fmt.Errorf("bad colour %q (want #rrggbb, #rgb or a basic colour name)", s)
			}
		}
		st.Color = c
		st.Colors = nil
		changed = true
	}
	if s := num(o, "size", math.NaN()); !math.IsNaN(s) {
		if !(s > 0 && s <= 200) {
			return st, nil, false, fmt.Errorf("bad marker size %v (want 0 < size ≤ 200 pixels)", s)
		}
		st.Size = s
		st.Sizes = nil
	}
	if s := num(o, "opacity", math.NaN()); !math.IsNaN(s) {
		st.Opacity = math.Max(0, math.Min(1, s))
	}
	if s := str(o, "colorBy", ""); s != "" {
		ci := columnIndex(t, s)
		if ci < 0 || !t.Columns[ci].IsNumeric() {
			return st, nil, false, fmt.Errorf("colorBy: no numeric column %q (columns: %s)", s, columnNames(t))
		}
		cmap := str(o, "colormap", "viridis")
		lut, err := stretch.LUT(cmap, false)
		if err != nil {
			return st, nil, false, fmt.Errorf("colorBy: %w", err)
		}
		c := &t.Columns[ci]
		lo, hi := valueRange(c)
		lg = &legend{column: c.Name, colormap: cmap, min: lo, max: hi}
		for k := 0; k <= 10; k++ {
			e := lut[k*255/10]
			lg.stops = append(lg.stops, fmt.Sprintf("#%02x%02x%02x", e[0], e[1], e[2]))
		}
		changed = true
		st.Colors = make([]float32, 4*c.Len())
		for i := range c.Len() {
			v := c.FloatAt(i)
			k := 0
			if hi > lo && !math.IsNaN(v) {
				k = int(math.Round((v - lo) / (hi - lo) * 255))
				k = max(0, min(255, k))
			}
			alpha := float32(1)
			if math.IsNaN(v) {
				alpha = 0.3
			}
			st.Colors[4*i], st.Colors[4*i+1], st.Colors[4*i+2], st.Colors[4*i+3] = float32(lut[k][0])/255, float32(lut[k][1])/255, float32(lut[k][2])/255, alpha
		}
	}
	if s := str(o, "sizeBy", ""); s != "" {
		ci := columnIndex(t, s)
		if ci < 0 || !t.Columns[ci].IsNumeric() {
			return st, nil, false, fmt.Errorf("sizeBy: no numeric column %q (columns: %s)", s, columnNames(t))
		}
		c := &t.Columns[ci]
		lo, hi := valueRange(c)
		// Magnitudes: brighter (smaller) is bigger.
		invert := strings.Contains(strings.ToLower(c.UCD), "phot.mag") || strings.Contains(strings.ToLower(c.Name), "mag")
		st.Sizes = make([]float32, c.Len())
		for i := range c.Len() {
			f := 0.5
			if v := c.FloatAt(i); hi > lo && !math.IsNaN(v) {
				f = math.Max(0, math.Min(1, (v-lo)/(hi-lo)))
			}
			if invert {
				f = 1 - f
			}
			st.Sizes[i] = float32(st.Size * (0.4 + 1.6*f))
		}
	}
	return st, lg, changed, nil
}

var namedColors = map[string][4]float32{
	"red": {1, 0, 0, 1}, "green": {0, 1, 0, 1}, "blue": {0, 0.4, 1, 1}, "yellow": {1, 1, 0, 1},
	"cyan": {0, 1, 1, 1}, "magenta": {1, 0, 1, 1}, "white": {1, 1, 1, 1}, "orange": {1, 0.6, 0, 1},
}

// valueRange returns the 1st and 99th percentiles of a numeric column's
// finite values: the range mapped to colours or sizes, robust to outliers.
func valueRange(c *catalog.Column) (lo, hi float64) {
	vals := make([]float64, 0, c.Len())
	for i := range c.Len() {
		if v := c.FloatAt(i); !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return 0, 0
	}
	slices.Sort(vals)
	at := func(q float64) float64 { return vals[int(math.Round(q*float64(len(vals)-1)))] }
	lo, hi = at(0.01), at(0.99)
	if hi <= lo {
		lo, hi = vals[0], vals[len(vals)-1]
	}
	return lo, hi
}
