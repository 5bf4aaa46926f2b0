package catalog

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/skyglass/skyglass/internal/sky"
)

const tsdir = "../../testdata/timeseries/"

var tsAll = flag.Bool("ts.all", false, "check the Lomb-Scargle periodogram of every object of timeseries.json")

type tsTruth struct {
	ObjectID   int64   `json:"object_id"`
	N          int     `json:"n"`
	MJDMin     float64 `json:"mjd_min"`
	MJDMax     float64 `json:"mjd_max"`
	MagMean    float64 `json:"mag_mean"`
	BestPeriod float64 `json:"ls_best_period"`
	BestPower  float64 `json:"ls_best_power"`
}

func loadSeries(t testing.TB) *Series {
	f, err := os.Open(tsdir + "gcvs_sim_detections.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := Read(f, "gcvs_sim_detections.csv")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := FindSeriesColumns(tab)
	if err != nil {
		t.Fatal(err)
	}
	s, err := GroupSeries(tab, cols)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTimeSeriesTruth(t *testing.T) {
	b, err := os.ReadFile(tsdir + "timeseries.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Objects []tsTruth `json:"objects"`
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	s := loadSeries(t)
	if s.Table.Columns[s.Cols.ID].Name != "object_id" || s.Table.Columns[s.Cols.Mag].Name != "mag" ||
		s.Table.Columns[s.Cols.Err].Name != "mag_err" || s.Table.Columns[s.Cols.Time.Index].Name != "mjd" {
		t.Fatalf("columns: %+v", s.Cols)
	}
	if len(s.Objects) != len(truth.Objects) {
		t.Fatalf("%d objects, want %d", len(s.Objects), len(truth.Objects))
	}
	// Every object with -ts.all (about 20 s of CPU for 1200 periodograms of ~170,000
	// frequencies each); every 10th object by default, every 50th with -short.
	step := 10
	if *tsAll {
		step = 1
	} else if testing.Short() {
		step = 50
	}
	var objs []tsTruth
	for i := 0; i < len(truth.Objects); i += step {
		objs = append(objs, truth.Objects[i])
	}
	type res struct {
		i             int
		period, power float64
	}
	results := make([]res, len(objs))
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				oi := s.Lookup(formatInt(objs[i].ObjectID))
				if oi < 0 {
					results[i] = res{i: -1}
					continue
				}
				tt, y, dy, _ := s.LightCurve(oi)
				f, p := LombScargle(tt, y, dy, 1.0/1000, 20, 10)
				per, pow, _ := BestPeriod(f, p)
				results[i] = res{oi, per, pow}
			}
		}()
	}
	for i := range objs {
		work <- i
	}
	close(work)
	wg.Wait()
	var maxPer, maxPow, maxMean float64
	for i, w := range objs {
		r := results[i]
		if r.i < 0 {
			t.Errorf("object %d not found", w.ObjectID)
			continue
		}
		o := s.Objects[r.i]
		if o.N != w.N || math.Abs(o.TMin-w.MJDMin) > 1e-9 || math.Abs(o.TMax-w.MJDMax) > 1e-9 || math.Abs(o.MeanMag-w.MagMean) > 1e-9 {
			t.Errorf("object %d: n %d tmin %v tmax %v mean %v; want %d %v %v %v", w.ObjectID, o.N, o.TMin, o.TMax, o.MeanMag, w.N, w.MJDMin, w.MJDMax, w.MagMean)
		}
		dp := math.Abs(r.period-w.BestPeriod) / w.BestPeriod
		dw := math.Abs(r.power - w.BestPower)
		maxPer, maxPow = math.Max(maxPer, dp), math.Max(maxPow, dw)
		maxMean = math.Max(maxMean, math.Abs(o.MeanMag-w.MagMean))
		if dp > 1e-3 || dw > 1e-6 {
			t.Errorf("object %d: best period %v power %v; astropy %v %v", w.ObjectID, r.period, r.power, w.BestPeriod, w.BestPower)
		}
	}
	t.Logf("%d objects: max rel period diff %.3g, max power diff %.3g, max mean-mag diff %.3g", len(objs), maxPer, maxPow, maxMean)
}

func formatInt(v int64) string { return formatFloat(float64(v)) }

func TestSeriesHelpers(t *testing.T) {
	s := loadSeries(t)
	f, err := os.Open(tsdir + "gcvs_sim_objects.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	objs, err := Read(f, "gcvs_sim_objects.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.JoinObjects(objs, objs.ColumnIndex("object_id"))
	if err != nil {
		t.Fatal(err)
	}
	nc := objs.ColumnIndex("n_detections")
	for i, r := range rows {
		if r < 0 {
			t.Fatalf("object %s not joined", s.Objects[i].ID)
		}
		if int(objs.Columns[nc].Int[r]) != s.Objects[i].N {
			t.Errorf("object %s: n_detections %d, grouped %d", s.Objects[i].ID, objs.Columns[nc].Int[r], s.Objects[i].N)
		}
		// mean position within 1 arcsec of the catalogue position (20 mas scatter)
		ra, dec := objs.Columns[objs.ColumnIndex("ra")].Float[r], objs.Columns[objs.ColumnIndex("dec")].Float[r]
		if d := sky.Separation(ra, dec, s.Objects[i].RA, s.Objects[i].Dec); d > 1.0/3600 {
			t.Errorf("object %s: mean position %v %v is %.3g deg from %v %v", s.Objects[i].ID, s.Objects[i].RA, s.Objects[i].Dec, d, ra, dec)
		}
	}
	in := s.InWindow(58000, 58100)
	for _, r := range in {
		if s.MJD[r] < 58000 || s.MJD[r] > 58100 {
			t.Fatalf("row %d at %v outside the window", r, s.MJD[r])
		}
	}
	n := 0
	for _, v := range s.MJD {
		if v >= 58000 && v <= 58100 {
			n++
		}
	}
	if n != len(in) || n == 0 {
		t.Errorf("window: %d rows, want %d", len(in), n)
	}
	ph := PhaseFold([]float64{0, 0.5, 1, 2.25, -0.25}, 1, 0)
	want := []float64{0, 0.5, 0, 0.25, 0.75}
	for i := range want {
		if math.Abs(ph[i]-want[i]) > 1e-15 {
			t.Errorf("phase %v, want %v", ph, want)
		}
	}
	tt, _, _, band := s.LightCurve(0)
	for i := 1; i < len(tt); i++ {
		if tt[i] < tt[i-1] {
			t.Fatal("light curve not in time order")
		}
	}
	if band[0] != "V" {
		t.Errorf("band %q", band[0])
	}
}

func TestWindowWeights(t *testing.T) {
	mjd := []float64{0, 1, 2, 5, 9, 10, 11, math.NaN()}
	tests := []struct {
		name            string
		t0, t1, fade, m float64
		want            []float32
		n               int
	}{
		{"sharp", 1, 10, 0, 0, []float32{0, 1, 1, 1, 1, 1, 0, 0}, 5},
		{"fade", 1, 10, 2, 0.2, []float32{0, 0.2, 0.2 + 0.8*0.5, 1, 0.2 + 0.8*0.5, 0.2, 0, 0}, 5},
		{"empty", 20, 30, 1, 0.2, []float32{0, 0, 0, 0, 0, 0, 0, 0}, 0},
		{"reversed", 10, 1, 0, 0, []float32{0, 0, 0, 0, 0, 0, 0, 0}, 0},
	}
	for _, tc := range tests {
		w := make([]float32, len(mjd))
		n := WindowWeights(mjd, tc.t0, tc.t1, tc.fade, tc.m, w)
		if n != tc.n {
			t.Errorf("%s: %d inside, want %d", tc.name, n, tc.n)
		}
		for i := range w {
			if math.Abs(float64(w[i]-tc.want[i])) > 1e-6 {
				t.Errorf("%s: w[%d] = %v, want %v", tc.name, i, w[i], tc.want[i])
			}
		}
	}
}

// The window count agrees with InWindow on the real detections, and every
// row maps back to the object that lists it.
func TestWindowWeightsSeries(t *testing.T) {
	s := loadSeries(t)
	w := make([]float32, len(s.MJD))
	for _, win := range [][2]float64{{58000, 58030}, {58100, 58101}, {58300, 58460}} {
		n := WindowWeights(s.MJD, win[0], win[1], 3, 0.2, w)
		if want := len(s.InWindow(win[0], win[1])); n != want {
			t.Errorf("window %v: %d detections, InWindow says %d", win, n, want)
		}
		for i, x := range w {
			in := s.MJD[i] >= win[0] && s.MJD[i] <= win[1]
			if in != (x > 0) {
				t.Fatalf("window %v: row %d (MJD %v) has weight %v", win, i, s.MJD[i], x)
			}
		}
	}
	obj := s.ObjectOfRows()
	for oi, o := range s.Objects {
		for _, r := range o.Rows {
			if obj[r] != int32(oi) {
				t.Fatalf("row %d: object %d, want %d", r, obj[r], oi)
			}
		}
	}
}
