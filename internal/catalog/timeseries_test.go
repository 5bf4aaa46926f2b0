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
