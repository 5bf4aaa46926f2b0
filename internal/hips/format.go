package hips

// Format is a tile format word of hips_tile_format.
type Format string

// Tile formats.
const (
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
	FormatWebP Format = "webp"
	FormatFITS Format = "fits"
	FormatTSV  Format = "tsv" // catalogue tiles (not images)
)

// Known says whether f is a tile format Skyglass can address.
func (f Format) Known() bool {
	switch f {
	case FormatJPEG, FormatPNG, FormatWebP, FormatFITS, FormatTSV:
		return true
	}
	return false
}

// Ext returns the tile file extension without the dot ("jpg" for JPEG, as
// HiPS 1.0 requires).
func (f Format) Ext() string {
	if f == FormatJPEG {
		return "jpg"
	}
	return string(f)
}

// IsImage says whether f holds image tiles.
func (f Format) IsImage() bool {
	return f == FormatJPEG || f == FormatPNG || f == FormatWebP || f == FormatFITS
}

// MIME returns the media type of the format.
func (f Format) MIME() string {
	switch f {
	case FormatJPEG:
		return "image/jpeg"
	case FormatPNG:
		return "image/png"
	case FormatWebP:
		return "image/webp"
	case FormatFITS:
		return "application/fits"
	case FormatTSV:
		return "text/tab-separated-values"
	}
	return "application/octet-stream"
}

// PreferredFormat picks the tile format a client should fetch: FITS when
// wantData is set and the HiPS has FITS tiles (physical values), otherwise the
// first listed image format (the one the HiPS suggests). ok is false when the
// HiPS lists no image format.
func PreferredFormat(formats []Format, wantData bool) (Format, bool) {
	if wantData {
		for _, f := range formats {
			if f == FormatFITS {
				return f, true
			}
		}
	}
	for _, f := range formats {
		if f.IsImage() {
			return f, true
		}
	}
	return "", false
}
