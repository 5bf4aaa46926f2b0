package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/skyglass/skyglass/internal/fits"
	"github.com/skyglass/skyglass/internal/hips"
	"github.com/skyglass/skyglass/internal/raster"
	"github.com/skyglass/skyglass/internal/sky"
	"github.com/skyglass/skyglass/internal/stretch"
	"github.com/skyglass/skyglass/internal/wcs"
)

const renderUsage = `usage: viewer render (--hips DIR|URL [--hips DIR|URL]... | --fits FILE [--hdu N])
         (--wcs HEADER.hdr|FILE.fits | --center RA,DEC --fov DEG [--proj TAN] [--rotation DEG])
         [--size WxH] [--frame icrs|galactic|ecliptic] [--order N] [--cube FRAME] [--sampling bilinear|nearest]
         [--format fits|png|jpeg|webp] [--stretch linear|sqrt|log|asinh|power|sinh|squared]
         [--min V --max V] [--cmap NAME] [--opacity A[,A...]] [--quality Q] -o OUT.fits|png|jpg

Renders HiPS surveys, or reprojects a FITS image, into any WCS on the CPU
(like the hips2fits service).
FITS output holds the WCS header and the physical values of a FITS-tile HiPS
(NaN where there is no data), or the R, G, B planes of a colour HiPS; PNG and
JPEG hold the colours (FITS tiles through the stretch, by default the HiPS's
hips_pixel_cut, linear; a FITS image by default through zscale limits).
Several --hips are blended bottom first.
`

// renderArgs are the parsed command-line options of `viewer render`.
type renderArgs struct {
	hips       []string
	fitsFile   string
	hdu        int
	wcsFile    string
	center     string
	fov        float64
	proj       string
	rotation   float64
	size       string
	frame      string
	order      int
	cube       int
	sampling   string
	format     string
	stretch    string
	min, max   float64
	cmap       string
	opacity    string
	quality    int
	out        string
	timeout    time.Duration
	hipsSet    hipsList
	minSet     bool
	maxSet     bool
	progressTo io.Writer
}

// hipsList collects repeated --hips flags.
type hipsList []string

// String joins the values (flag.Value).
func (m *hipsList) String() string { return strings.Join(*m, ",") }

// Set appends a value (flag.Value).
func (m *hipsList) Set(s string) error { *m = append(*m, s); return nil }

// runRender implements `viewer render`; it returns the exit code.
func runRender(args []string, stdout, stderr io.Writer) int {
	var a renderArgs
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, renderUsage) }
	fs.Var(&a.hipsSet, "hips", "HiPS folder or URL (repeatable: layers, bottom first)")
	fs.StringVar(&a.fitsFile, "fits", "", "FITS image to reproject instead of a HiPS")
	fs.IntVar(&a.hdu, "hdu", -1, "HDU of --fits (default: the first image HDU with a celestial WCS)")
	fs.StringVar(&a.wcsFile, "wcs", "", "output WCS: a header file (.hdr, one card per line or 80-char cards) or a FITS file")
	fs.StringVar(&a.center, "center", "", "view centre \"RA,DEC\" (degrees or sexagesimal) in --frame")
	fs.Float64Var(&a.fov, "fov", 0, "field of view along the width, degrees")
	fs.StringVar(&a.proj, "proj", "TAN", "projection code (TAN, SIN, AIT, CAR, ZEA, STG, ARC, MOL, ...)")
	fs.Float64Var(&a.rotation, "rotation", 0, "rotation of the sky, degrees (like CROTA2)")
	fs.StringVar(&a.size, "size", "", "output size WxH pixels (default: NAXIS of --wcs)")
	fs.StringVar(&a.frame, "frame", "icrs", "frame of --center and of the output WCS: icrs, galactic or ecliptic")
	fs.IntVar(&a.cube, "cube", 0, "frame of a HiPS cube (hips_cube_depth > 1) to render")
	fs.IntVar(&a.order, "order", raster.AutoOrder, "HiPS tile order (default: tile pixel ≤ output pixel)")
	fs.StringVar(&a.sampling, "sampling", "bilinear", "bilinear or nearest")
	fs.StringVar(&a.format, "format", "", "tile format to read (default: fits for FITS output when available, else the HiPS's first)")
	fs.StringVar(&a.stretch, "stretch", "", "stretch for FITS tiles in PNG/JPEG output (default: from hips_pixel_cut, else linear)")
	fs.Float64Var(&a.min, "min", math.NaN(), "lower display limit (physical value)")
	fs.Float64Var(&a.max, "max", math.NaN(), "upper display limit (physical value)")
	fs.StringVar(&a.cmap, "cmap", "", "colormap for FITS tiles (default grey)")
	fs.StringVar(&a.opacity, "opacity", "", "opacity of each layer, comma separated (default 1)")
	fs.IntVar(&a.quality, "quality", 92, "JPEG quality")
	fs.StringVar(&a.out, "o", "", "output file: .fits, .png or .jpg")
	fs.DurationVar(&a.timeout, "timeout", 10*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "viewer render: unexpected argument %q\n%s", fs.Arg(0), renderUsage)
		return 2
	}
	fs.Visit(func(f *flag.Flag) {
		a.minSet = a.minSet || f.Name == "min"
		a.maxSet = a.maxSet || f.Name == "max"
	})
	a.hips = a.hipsSet
	a.progressTo = stderr
	if err := doRender(a, stdout); err != nil {
		fmt.Fprintf(stderr, "viewer render: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprint(stderr, renderUsage)
			return 2
		}
		return 1
	}
	return 0
}

type usageError struct{ msg string }

// Error returns the message.
func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func parseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, 0, usagef("--size %q: want WxH", s)
	}
	w, err1 := strconv.Atoi(strings.TrimSpace(ws))
	h, err2 := strconv.Atoi(strings.TrimSpace(hs))
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 || int64(w)*int64(h) > raster.MaxPixels {
		return 0, 0, usagef("--size %q: want positive WxH with at most %d pixels", s, raster.MaxPixels)
	}
	return w, h, nil
}

// outputGrid builds the output WCS from --wcs or --center/--fov/--proj.
func outputGrid(a renderArgs) (raster.Grid, error) {
	var g raster.Grid
	if a.wcsFile != "" {
		if a.center != "" {
			return g, usagef("give either --wcs or --center, not both")
		}
		h, err := readWCSHeader(a.wcsFile)
		if err != nil {
			return g, err
		}
		w, err := wcs.New(h)
		if err != nil {
			return g, fmt.Errorf("%s: %w", a.wcsFile, err)
		}
		g.WCS, g.Width, g.Height = w, w.Width, w.Height
		if zw, ok := h.Int("ZNAXIS1"); ok { // tile-compressed image
			zh, _ := h.Int("ZNAXIS2")
			g.Width, g.Height = int(zw), int(zh)
		}
		if a.size != "" {
			if g.Width, g.Height, err = parseSize(a.size); err != nil {
				return g, err
			}
		}
		if g.Width <= 0 || g.Height <= 0 {
			return g, usagef("%s has no NAXIS1/NAXIS2: give --size", a.wcsFile)
		}
		return g, nil
	}
	if a.center == "" {
		return g, usagef("give --wcs or --center with --fov")
	}
	if !(a.fov > 0 && a.fov <= 360) {
		return g, usagef("--fov must be in (0, 360] degrees")
	}
	if a.size == "" {
		return g, usagef("--center needs --size WxH")
	}
	w, h, err := parseSize(a.size)
	if err != nil {
		return g, err
	}
	lon, lat, err := sky.ParseCoords(a.center)
	if err != nil {
		return g, usagef("--center %q: %v", a.center, err)
	}
	var kind wcs.FrameKind
	switch strings.ToLower(a.frame) {
	case "icrs", "equatorial", "fk5", "j2000":
		kind = wcs.FrameEquatorial
	case "galactic", "gal":
		kind = wcs.FrameGalactic
	case "ecliptic", "ecl":
		kind = wcs.FrameEcliptic
	default:
		return g, usagef("--frame %q: want icrs, galactic or ecliptic", a.frame)
	}
	cam, err := wcs.NewCameraIn(kind, strings.ToUpper(a.proj), lon, lat, a.fov, w, h, a.rotation)
	if err != nil {
		return g, fmt.Errorf("--proj %s: %w", a.proj, err)
	}
	return raster.Grid{WCS: cam, Width: w, Height: h}, nil
}

// readWCSHeader reads a header file: a FITS file (the first HDU whose header
// has a celestial CTYPE1) or a text header.
func readWCSHeader(path string) (*fits.Header, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, []byte("SIMPLE  =")) && len(b) >= fits.BlockSize && !bytes.Contains(b[:min(len(b), 2880)], []byte("\n")) {
		f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, h := range f.HDUs {
			if _, err := wcs.New(h.Header()); err == nil {
				return h.Header(), nil
			}
		}
		return nil, fmt.Errorf("%s: no HDU with a celestial WCS", path)
	}
	h, err := fits.ParseHeader(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

func openHiPS(ctx context.Context, loc string, opt hips.SurveyOptions) (*hips.Survey, error) {
	var f hips.Fetcher
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		hf, err := hips.NewHTTPFetcher(loc, nil)
		if err != nil {
			return nil, err
		}
		f = hf
	} else {
		st, err := os.Stat(loc)
		if err != nil {
			return nil, fmt.Errorf("HiPS %s: %w", loc, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("HiPS %s: not a folder", loc)
		}
		f = &hips.FSFetcher{FS: os.DirFS(loc)}
	}
	s, err := hips.OpenSurvey(ctx, f, opt)
	if err != nil {
		return nil, fmt.Errorf("HiPS %s: %w", loc, err)
	}
	// An Allsky of full-width tiles (small-tile HiPS such as dirbe60) stands
	// for every tile of its order: one file instead of up to 768.
	if o, err := s.Props.Order(); err == nil {
		s.LoadAllsky(ctx, min(3, o)) // optional: a missing Allsky is not an error
	}
	return s, nil
}

func doRender(a renderArgs, stdout io.Writer) error {
	if len(a.hips) == 0 && a.fitsFile == "" {
		return usagef("--hips (or --fits) is required")
	}
	if len(a.hips) > 0 && a.fitsFile != "" {
		return usagef("give --hips or --fits, not both")
	}
	if a.out == "" {
		return usagef("-o OUT.fits|png|jpg is required")
	}
	ext := strings.ToLower(filepath.Ext(a.out))
	switch ext {
	case ".fits", ".fit", ".fts", ".png", ".jpg", ".jpeg":
	default:
		return usagef("-o %s: the extension must be .fits, .png or .jpg", a.out)
	}
	toFITS := ext == ".fits" || ext == ".fit" || ext == ".fts"
	if toFITS && len(a.hips) > 1 {
		return usagef("FITS output takes one --hips (physical values); blend layers into PNG or JPEG")
	}
	var smp raster.Sampling
	switch a.sampling {
	case "bilinear":
		smp = raster.Bilinear
	case "nearest":
		smp = raster.Nearest
	default:
		return usagef("--sampling %q: want bilinear or nearest", a.sampling)
	}
	opac, err := parseOpacities(a.opacity, len(a.hips))
	if err != nil {
		return err
	}
	g, err := outputGrid(a)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	if a.fitsFile != "" {
		return renderFITSImage(ctx, a, g, smp, toFITS, ext, stdout)
	}
	var layers []raster.Layer
	for i, loc := range a.hips {
		opt := hips.SurveyOptions{Format: hips.Format(strings.ToLower(a.format)), WantData: toFITS || a.format == ""}
		if opt.Format == "jpg" {
			opt.Format = hips.FormatJPEG
		}
		s, err := openHiPS(ctx, loc, opt)
		if err != nil {
			return err
		}
		if d, _ := s.Props.CubeDepth(); a.cube < 0 || a.cube >= d {
			return usagef("--cube %d: %s has %d frame(s)", a.cube, loc, d)
		}
		l := raster.Layer{Survey: s, Order: a.order, Sampling: smp, Opacity: opac[i], CubeFrame: a.cube}
		if s.Format == hips.FormatFITS {
			sp, err := stretchFor(a, s)
			if err != nil {
				return err
			}
			l.Stretch = sp
		}
		layers = append(layers, l)
	}
	start := time.Now()
	lastReport := time.Time{}
	ropt := raster.Options{Progress: func(stage string, done, total int) {
		if time.Since(lastReport) < 500*time.Millisecond && done != total {
			return
		}
		lastReport = time.Now()
		fmt.Fprintf(a.progressTo, "\rrender: %-9s %3d%%", stage, 100*done/max(total, 1))
		if done == total && stage == "sampling" {
			fmt.Fprintln(a.progressTo)
		}
	}}
	outF, err := os.Create(a.out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(outF)
	fail := func(err error) error {
		outF.Close()
		os.Remove(a.out)
		return err
	}
	var warn error
	if toFITS {
		r, err := raster.RenderLayer(ctx, g, layers[0], ropt)
		if err != nil {
			return fail(err)
		}
		warn = r.Warnings
		if err := writeFITSResult(bw, g, r, layers[0].Survey); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "%s: %dx%d, order %d, %d tiles, %.2fs\n", a.out, g.Width, g.Height, r.Order, r.Tiles, time.Since(start).Seconds())
	} else {
		rgba, results, w := raster.Render(ctx, g, layers, ropt)
		if rgba == nil {
			return fail(w)
		}
		warn = w
		img := raster.ToImage(rgba, g.Width, g.Height)
		if ext == ".png" {
			err = png.Encode(bw, img)
		} else {
			err = jpeg.Encode(bw, img, &jpeg.Options{Quality: min(max(a.quality, 1), 100)})
		}
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "%s: %dx%d, order %d, %d tiles, %.2fs\n", a.out, g.Width, g.Height, results[0].Order, results[0].Tiles, time.Since(start).Seconds())
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := outF.Close(); err != nil {
		return err
	}
	if warn != nil {
		fmt.Fprintf(a.progressTo, "viewer render: warning: some tiles were drawn blank:\n%v\n", warn)
	}
	return nil
}

func parseOpacities(s string, n int) ([]float64, error) {
	out := make([]float64, n)
	for i := range out {
		out[i] = 1
	}
	if s == "" {
		return out, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, usagef("--opacity: %d values for %d layers", len(parts), n)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v < 0 || v > 1 {
			return nil, usagef("--opacity %q: values in [0, 1]", p)
		}
		out[i] = v
	}
	return out, nil
}

// stretchFor builds the colour transfer of a FITS layer from the flags and
// the HiPS's hips_pixel_cut.
func stretchFor(a renderArgs, s *hips.Survey) (*stretch.Params, error) {
	sp, ok := raster.DefaultStretch(s.Props)
	if !ok {
		sp = stretch.Params{Lo: math.NaN(), Hi: math.NaN()}
	}
	if a.stretch != "" {
		k, err := stretch.ParseKind(a.stretch)
		if err != nil || k == stretch.KindHistEq {
			return nil, usagef("--stretch %q: want linear, sqrt, log, asinh, power, sinh or squared", a.stretch)
		}
		sp.Kind = k
	}
	if a.minSet {
		sp.Lo = a.min
	}
	if a.maxSet {
		sp.Hi = a.max
	}
	if math.IsNaN(sp.Lo) || math.IsNaN(sp.Hi) {
		return nil, usagef("%s has no hips_pixel_cut or hips_data_range: give --min and --max", s.Props.Title())
	}
	sp.Colormap = a.cmap
	if err := sp.Validate(); err != nil {
		return nil, usagef("stretch: %v", err)
	}
	return &sp, nil
}

// writeFITSResult writes a rendered layer (s is nil for a reprojected FITS
// image) as a FITS primary HDU with the output WCS: BITPIX -32 physical values (NaN blank) for FITS tiles, or
// three BITPIX 8 planes R, G, B for colour tiles.
func writeFITSResult(w io.Writer, g raster.Grid, r *raster.Result, s *hips.Survey) error {
	h := &fits.Header{}
	color := r.Values == nil
	for _, c := range g.WCS.Header().Cards {
		if c.Key == "NAXIS1" || c.Key == "NAXIS2" || c.Key == "WCSAXES" {
			continue
		}
		h.Append(c)
	}
	if color {
		h.Set("WCSAXES", 2, "")
	}
	h.Set("ORIGIN", "Skyglass viewer render", "")
	if s != nil {
		if bunit := s.Props.String("hips_bunit"); bunit != "" && !color {
			h.Set("BUNIT", bunit, "")
		}
		h.Set("HIPS", s.Props.CreatorDID(), "HiPS creator_did")
		h.Set("HIPSORD", r.Order, "HiPS tile order sampled")
		for _, c := range s.Props.Credits() {
			h.Append(fits.Card{Key: "COMMENT", Comment: " " + clipCard(c)})
		}
	}
	if !color {
		return fits.WritePrimary(w, -32, []int{g.Width, g.Height}, h, fits.Float32Bytes(r.Values))
	}
	// Three BITPIX 8 planes: R, G, B.
	n := g.Width * g.Height
	data := make([]byte, 3*n)
	for c := 0; c < 3; c++ {
		for p := 0; p < n; p++ {
			data[c*n+p] = r.RGBA[4*p+c]
		}
	}
	return fits.WritePrimary(w, 8, []int{g.Width, g.Height, 3}, h, data)
}

func clipCard(s string) string {
	if len(s) > 70 {
		return s[:70]
	}
	return s
}

// loadSource reads the image HDU to reproject: --hdu, or the first image
// HDU with a celestial WCS.
func loadSource(path string, hdu int) (raster.Source, error) {
	var src raster.Source
	b, err := os.ReadFile(path)
	if err != nil {
		return src, err
	}
	f, err := fits.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return src, fmt.Errorf("%s: %w", path, err)
	}
	for i, h := range f.HDUs {
		if hdu >= 0 && i != hdu {
			continue
		}
		info, err := h.ImageInfo()
		if err != nil || len(info.Axes) < 2 || info.Empty() {
			if hdu >= 0 {
				return src, fmt.Errorf("%s: HDU %d is not an image", path, i)
			}
			continue
		}
		w, err := wcs.New(h.Header())
		if err != nil {
			if hdu >= 0 {
				return src, fmt.Errorf("%s: HDU %d: %w", path, i, err)
			}
			continue
		}
		img, err := h.Plane()
		if err != nil {
			img, err = h.Image()
		}
		if err != nil {
			return src, fmt.Errorf("%s: HDU %d: %w", path, i, err)
		}
		data := img.Float32()
		nx, ny := info.Axes[0], info.Axes[1]
		if len(data) < nx*ny {
			return src, fmt.Errorf("%s: HDU %d: %d values for %dx%d pixels", path, i, len(data), nx, ny)
		}
		return raster.Source{WCS: w, Width: nx, Height: ny, Data: data[:nx*ny]}, nil
	}
	if hdu >= 0 {
		return src, fmt.Errorf("%s: no HDU %d", path, hdu)
	}
	return src, fmt.Errorf("%s: no image HDU with a celestial WCS", path)
}

// renderFITSImage reprojects --fits into the output grid.
func renderFITSImage(ctx context.Context, a renderArgs, g raster.Grid, smp raster.Sampling, toFITS bool, ext string, stdout io.Writer) error {
	src, err := loadSource(a.fitsFile, a.hdu)
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := raster.RenderImage(ctx, g, src, smp, raster.Options{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if toFITS {
		if err := writeFITSResult(&buf, g, r, nil); err != nil {
			return err
		}
	} else {
		sp := stretch.Params{Lo: math.NaN(), Hi: math.NaN(), Colormap: a.cmap}
		if a.stretch != "" {
			k, err := stretch.ParseKind(a.stretch)
			if err != nil || k == stretch.KindHistEq {
				return usagef("--stretch %q: want linear, sqrt, log, asinh, power, sinh or squared", a.stretch)
			}
			sp.Kind = k
		}
		if !a.minSet || !a.maxSet {
			lo, hi := stretch.LimitsF32(stretch.ZScale{}, r.Values)
			if !a.minSet {
				sp.Lo = lo
			}
			if !a.maxSet {
				sp.Hi = hi
			}
		}
		if a.minSet {
			sp.Lo = a.min
		}
		if a.maxSet {
			sp.Hi = a.max
		}
		if math.IsNaN(sp.Lo) || math.IsNaN(sp.Hi) {
			return fmt.Errorf("%s: no pixel of the image falls in the output field", a.fitsFile)
		}
		img, err := r.Image(&sp)
		if err != nil {
			return err
		}
		if ext == ".png" {
			err = png.Encode(&buf, img)
		} else {
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: min(max(a.quality, 1), 100)})
		}
		if err != nil {
			return err
		}
	}
	if err := os.WriteFile(a.out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %dx%d from %s, %.2fs\n", a.out, g.Width, g.Height, a.fitsFile, time.Since(start).Seconds())
	return nil
}
