package fits

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Report describes a FITS file for `viewer info`: every HDU with its type,
// shape, scaling, compression, WCS cards and pixel statistics.
type Report struct {
	Size     int64       `json:"bytes"`
	Gzip     bool        `json:"gzip"`
	HDUs     []HDUReport `json:"hdus"`
	Warnings []string    `json:"warnings,omitempty"`
}

// HDUReport describes one HDU.
type HDUReport struct {
	Index        int          `json:"index"`
	Type         HDUType      `json:"type"`
	Name         string       `json:"extname,omitempty"`
	HeaderOffset int64        `json:"header_offset"`
	DataOffset   int64        `json:"data_offset"`
	DataSize     int64        `json:"data_bytes"`
	Truncated    bool         `json:"truncated,omitempty"`
	Cards        int          `json:"cards"`
	Bitpix       int          `json:"bitpix,omitempty"`
	Axes         []int        `json:"naxis,omitempty"`
	BScale       *float64     `json:"bscale,omitempty"`
	BZero        *float64     `json:"bzero,omitempty"`
	Blank        *int64       `json:"blank,omitempty"`
	Compression  *Compression `json:"compression,omitempty"`
	Table        *TableInfo   `json:"table,omitempty"`
	WCS          []WCSCard    `json:"wcs,omitempty"`
	Celestial    *Celestial   `json:"celestial,omitempty"`
	Stats        *StatsReport `json:"stats,omitempty"`
	Error        string       `json:"error,omitempty"`
}

// Celestial summarises an image's celestial WCS. Describe leaves it nil (this
// package does not interpret WCS); callers that can, such as `viewer info`
// with internal/wcs, fill it in.
type Celestial struct {
	CType       [2]string `json:"ctype"`      // CTYPE of the longitude and latitude axes
	CenterLon   float64   `json:"center_lon"` // world coordinates of the image centre, degrees
	CenterLat   float64   `json:"center_lat"`
	ScaleArcsec float64   `json:"pixel_scale_arcsec"` // geometric mean of the two axes at the centre
	Error       string    `json:"error,omitempty"`
}

// WCSCard is one WCS keyword and its value as written.
type WCSCard struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// StatsReport is Stats with JSON-safe values (null for NaN).
type StatsReport struct {
	N      int64    `json:"n_pixels"`
	NaN    int64    `json:"n_nan"`
	Inf    int64    `json:"n_inf"`
	Finite int64    `json:"n_finite"`
	Min    *float64 `json:"min"`
	Max    *float64 `json:"max"`
	Mean   *float64 `json:"mean"`
	NBlank int64    `json:"n_blank,omitempty"`
	Undef  int64    `json:"n_undefined,omitempty"`
}

func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// wcsKeys are the WCS keywords summarised per axis (the full WCS is
// internal/wcs's job).
var wcsKeys = []string{"CTYPE", "CUNIT", "CRVAL", "CRPIX", "CDELT"}

// Describe reads every HDU of f (images are decoded one at a time, for their
// statistics) and reports what it finds. Problems with one HDU are recorded in
// its Error field and do not stop the report.
func Describe(f *File) Report {
	r := Report{Size: f.Size, Gzip: f.Gzip}
	for _, h := range f.HDUs {
		r.HDUs = append(r.HDUs, describeHDU(h))
	}
	for _, w := range f.Warnings {
		r.Warnings = append(r.Warnings, w.Error())
	}
	return r
}

func describeHDU(h *HDU) HDUReport {
	hr := HDUReport{Index: h.Index, Type: h.Type(), Name: h.Name(), HeaderOffset: h.HeaderOffset,
		DataOffset: h.DataOffset, DataSize: h.DataSize, Truncated: h.Truncated(), Cards: len(h.Header().Cards)}
	switch h.Type() {
	case TypeBinTable, TypeTable:
		ti, err := h.TableInfo()
		if err != nil {
			hr.Error = err.Error()
		} else {
			hr.Table = &ti
		}
		return hr
	case TypePrimary, TypeImage, TypeCompressedImage:
	default:
		return hr
	}
	info, err := h.ImageInfo()
	if err != nil {
		hr.Error = err.Error()
		return hr
	}
	hr.Bitpix, hr.Axes, hr.Compression = info.Bitpix, info.Axes, info.Compression
	if info.BScale != 1 || info.BZero != 0 {
		bs, bz := info.BScale, info.BZero
		hr.BScale, hr.BZero = &bs, &bz
	}
	if info.HasBlank {
		b := info.Blank
		hr.Blank = &b
	}
	hd := h.ImageHeader()
	for i := 1; i <= len(info.Axes); i++ {
		for _, k := range wcsKeys {
			key := fmt.Sprintf("%s%d", k, i)
			if c, ok := hd.Card(key); ok {
				hr.WCS = append(hr.WCS, WCSCard{Key: key, Value: cardValue(c)})
			}
		}
	}
	for _, key := range []string{"RADESYS", "EQUINOX", "LONPOLE", "LATPOLE", "CROTA2", "CD1_1", "CD1_2", "CD2_1", "CD2_2", "PC1_1", "PC1_2", "PC2_1", "PC2_2"} {
		if c, ok := hd.Card(key); ok {
			hr.WCS = append(hr.WCS, WCSCard{Key: key, Value: cardValue(c)})
		}
	}
	if info.Empty() {
		return hr
	}
	img, err := h.Image()
	if err != nil {
		hr.Error = err.Error()
		var tr *TruncatedError
		if img == nil || (!errors.As(err, &tr) && !img.HasNulls()) {
			return hr
		}
	}
	st := img.Stats()
	hr.Stats = &StatsReport{N: st.N, NaN: st.NaN, Inf: st.Inf, Finite: st.Finite,
		Min: finitePtr(st.Min), Max: finitePtr(st.Max), Mean: finitePtr(st.Mean), NBlank: st.NBlank, Undef: st.NullPix}
	return hr
}

func cardValue(c Card) any {
	switch c.Kind {
	case KindString:
		return c.Str
	case KindBool:
		return c.Bool
	case KindInt:
		return c.Int
	case KindFloat:
		if math.IsInf(c.Float, 0) || math.IsNaN(c.Float) {
			return nil
		}
		return c.Float
	case KindComplex:
		return fmt.Sprint(c.Complex)
	}
	return nil
}

// WriteText writes the report as human-readable text.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	gz := ""
	if r.Gzip {
		gz = " (gzip)"
	}
	fmt.Fprintf(&b, "%d bytes%s, %d HDUs\n", r.Size, gz, len(r.HDUs))
	for _, h := range r.HDUs {
		name := ""
		if h.Name != "" {
			name = fmt.Sprintf(" %q", h.Name)
		}
		fmt.Fprintf(&b, "HDU %d %s%s: header at %d (%d cards), data at %d (%d bytes)", h.Index, h.Type, name, h.HeaderOffset, h.Cards, h.DataOffset, h.DataSize)
		if h.Truncated {
			b.WriteString(" TRUNCATED")
		}
		b.WriteByte('\n')
		if h.Table != nil {
			fmt.Fprintf(&b, "  table: %d rows x %d bytes, %d fields, heap %d bytes\n", h.Table.Rows, h.Table.RowLen, h.Table.Fields, h.Table.PCount)
		}
		if h.Bitpix != 0 {
			shape := make([]string, len(h.Axes))
			for i, a := range h.Axes {
				shape[i] = fmt.Sprint(a)
			}
			s := strings.Join(shape, " x ")
			if s == "" {
				s = "empty"
			}
			fmt.Fprintf(&b, "  image: %s, BITPIX %d", s, h.Bitpix)
			if h.BScale != nil {
				fmt.Fprintf(&b, ", BSCALE %g BZERO %g", *h.BScale, *h.BZero)
			}
			if h.Blank != nil {
				fmt.Fprintf(&b, ", BLANK %d", *h.Blank)
			}
			b.WriteByte('\n')
		}
		if c := h.Compression; c != nil {
			fmt.Fprintf(&b, "  compression: %s, tiles %v (%d)", c.Type, c.Tile, c.Tiles)
			if c.Quantize != "" {
				fmt.Fprintf(&b, ", ZQUANTIZ %s", c.Quantize)
			}
			if c.Quantized && c.Quantize != "NO_DITHER" && c.Quantize != "" {
				fmt.Fprintf(&b, " ZDITHER0 %d", c.Dither0)
			}
			if c.Lossy {
				b.WriteString(", lossy")
			}
			b.WriteByte('\n')
		}
		if c := h.Celestial; c != nil {
			if c.Error != "" {
				fmt.Fprintf(&b, "  celestial: %s\n", c.Error)
			} else {
				fmt.Fprintf(&b, "  celestial: %s/%s, centre (%.6f, %.6f) deg, %.4g arcsec/pixel\n", c.CType[0], c.CType[1], c.CenterLon, c.CenterLat, c.ScaleArcsec)
			}
		}
		if len(h.WCS) > 0 {
			b.WriteString("  wcs:")
			for _, c := range h.WCS {
				fmt.Fprintf(&b, " %s=%v", c.Key, c.Value)
			}
			b.WriteByte('\n')
		}
		if s := h.Stats; s != nil {
			fmt.Fprintf(&b, "  stats: %d pixels, %d NaN, %d Inf", s.N, s.NaN, s.Inf)
			if s.Min != nil {
				fmt.Fprintf(&b, ", min %.10g max %.10g mean %.10g", *s.Min, *s.Max, *s.Mean)
			}
			if s.NBlank > 0 {
				fmt.Fprintf(&b, ", %d BLANK", s.NBlank)
			}
			if s.Undef > 0 {
				fmt.Fprintf(&b, ", %d undefined", s.Undef)
			}
			b.WriteByte('\n')
		}
		if h.Error != "" {
			fmt.Fprintf(&b, "  error: %s\n", h.Error)
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
