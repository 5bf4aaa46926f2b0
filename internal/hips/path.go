package hips

import (
	"fmt"
	"strconv"
	"strings"
)

// TileID names one tile: HEALPix order, nested index, and the cube frame
// (0 for images and for the first frame of a HiPS 1.0 cube).
type TileID struct {
	Order int
	Pix   int64
	Frame int
}

// String formats the ID as "order/pix" (or "order/pix_frame").
func (t TileID) String() string {
	if t.Frame != 0 {
		return fmt.Sprintf("%d/%d_%d", t.Order, t.Pix, t.Frame)
	}
	return fmt.Sprintf("%d/%d", t.Order, t.Pix)
}

// Valid says whether the order and index are within HEALPix limits.
func (t TileID) Valid() bool {
	return t.Order >= 0 && t.Order <= MaxOrder && t.Pix >= 0 && t.Pix < NPix(t.Order) && t.Frame >= 0
}

// NPix returns the number of tiles at an order, 12·4^order.
func NPix(order int) int64 { return 12 << (2 * uint(order)) }

// DirOf returns D of the DirD folder holding tile pix: (pix/10000)*10000.
func DirOf(pix int64) int64 { return pix / 10000 * 10000 }

// Path returns the tile's path relative to the HiPS root:
// "Norder{k}/Dir{D}/Npix{n}.{ext}", with "_{frame}" after the index for the
// frames of a HiPS 1.0 cube other than frame 0 (Aladin's convention: frame 0
// is the plain image tile).
func (t TileID) Path(f Format) string {
	var b strings.Builder
	b.Grow(40)
	b.WriteString("Norder")
	b.WriteString(strconv.Itoa(t.Order))
	b.WriteString("/Dir")
	b.WriteString(strconv.FormatInt(DirOf(t.Pix), 10))
	b.WriteString("/Npix")
	b.WriteString(strconv.FormatInt(t.Pix, 10))
	if t.Frame != 0 {
		b.WriteByte('_')
		b.WriteString(strconv.Itoa(t.Frame))
	}
	b.WriteByte('.')
	b.WriteString(f.Ext())
	return b.String()
}

// TilePath is Path for an image tile: TileID{order, pix, 0}.Path(f).
func TilePath(order int, pix int64, f Format) string {
	return TileID{Order: order, Pix: pix}.Path(f)
}

// AllskyPath returns the path of the Allsky file of an order
// ("Norder3/Allsky.jpg"); cube frames other than 0 get "_{frame}".
func AllskyPath(order, frame int, f Format) string {
	s := "Norder" + strconv.Itoa(order) + "/Allsky"
	if frame != 0 {
		s += "_" + strconv.Itoa(frame)
	}
	return s + "." + f.Ext()
}

// ParseTilePath is the inverse of Path: it reads
// "[prefix/]Norder{k}/Dir{D}/Npix{n}[_{z}].{ext}" and checks that D matches n.
func ParseTilePath(p string) (TileID, Format, error) {
	bad := func(msg string) (TileID, Format, error) {
		return TileID{}, "", fmt.Errorf("hips tile path %q: %s", clip(p, 80), msg)
	}
	parts := strings.Split(p, "/")
	if len(parts) < 3 {
		return bad("want Norder{k}/Dir{D}/Npix{n}.{ext}")
	}
	parts = parts[len(parts)-3:]
	if !strings.HasPrefix(parts[0], "Norder") || !strings.HasPrefix(parts[1], "Dir") || !strings.HasPrefix(parts[2], "Npix") {
		return bad("want Norder{k}/Dir{D}/Npix{n}.{ext}")
	}
	order, err := strconv.Atoi(parts[0][len("Norder"):])
	if err != nil || order < 0 || order > MaxOrder {
		return bad("bad order")
	}
	dir, err := strconv.ParseInt(parts[1][len("Dir"):], 10, 64)
	if err != nil {
		return bad("bad Dir number")
	}
	name := parts[2][len("Npix"):]
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return bad("no extension")
	}
	ext := name[dot+1:]
	name = name[:dot]
	frame := 0
	if us := strings.IndexByte(name, '_'); us >= 0 {
		frame, err = strconv.Atoi(name[us+1:])
		if err != nil || frame < 0 {
			return bad("bad cube frame")
		}
		name = name[:us]
	}
	pix, err := strconv.ParseInt(name, 10, 64)
	if err != nil {
		return bad("bad Npix number")
	}
	t := TileID{Order: order, Pix: pix, Frame: frame}
	if !t.Valid() {
		return bad(fmt.Sprintf("index %d outside order %d", pix, order))
	}
	if DirOf(pix) != dir {
		return bad(fmt.Sprintf("tile %d belongs in Dir%d, not Dir%d", pix, DirOf(pix), dir))
	}
	var f Format
	switch ext {
	case "jpg", "jpeg":
		f = FormatJPEG
	case "png":
		f = FormatPNG
	case "webp":
		f = FormatWebP
	case "fits":
		f = FormatFITS
	case "tsv":
		f = FormatTSV
	default:
		return bad("unknown extension ." + ext)
	}
	return t, f, nil
}
