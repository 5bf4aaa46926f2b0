package fits

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// WritePrimary writes a primary HDU: SIMPLE, BITPIX and NAXISn for axes
// (NAXIS1 first), then the cards of extra (its SIMPLE, BITPIX, NAXIS, NAXISn
// and END cards are skipped; nil for none), then data, which must already be
// the big-endian pixel values of that shape and type; header and data are
// padded to whole blocks.
func WritePrimary(w io.Writer, bitpix int, axes []int, extra *Header, data []byte) error {
	size := 1
	for _, n := range axes {
		if n < 0 {
			return fmt.Errorf("fits: write: negative axis length %d", n)
		}
		size *= n
	}
	switch bitpix {
	case 8, 16, 32, 64, -32, -64:
	default:
		return fmt.Errorf("fits: write: bad BITPIX %d", bitpix)
	}
	bytesPer := max(bitpix, -bitpix) / 8
	if len(axes) == 0 {
		size = 0
	}
	if len(data) != size*bytesPer {
		return fmt.Errorf("fits: write: %d data bytes for axes %v of BITPIX %d (want %d)", len(data), axes, bitpix, size*bytesPer)
	}
	h := &Header{}
	h.Set("SIMPLE", true, "conforms to FITS standard")
	h.Set("BITPIX", bitpix, "")
	h.Set("NAXIS", len(axes), "")
	for i, n := range axes {
		h.Set(fmt.Sprintf("NAXIS%d", i+1), n, "")
	}
	if extra != nil {
		for _, c := range extra.Cards {
			switch c.Key {
			case "SIMPLE", "BITPIX", "NAXIS", "END":
				continue
			}
			if len(c.Key) > 5 && c.Key[:5] == "NAXIS" {
				continue
			}
			h.Append(c)
		}
	}
	var hb bytes.Buffer
	for _, c := range h.Cards {
		fmt.Fprintf(&hb, "%-80.80s", c.Format())
	}
	fmt.Fprintf(&hb, "%-80s", "END")
	for hb.Len()%BlockSize != 0 {
		hb.WriteByte(' ')
	}
	if _, err := w.Write(hb.Bytes()); err != nil {
		return fmt.Errorf("fits: write header: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("fits: write data: %w", err)
	}
	if pad := (BlockSize - len(data)%BlockSize) % BlockSize; pad > 0 {
		if _, err := w.Write(make([]byte, pad)); err != nil {
			return fmt.Errorf("fits: write padding: %w", err)
		}
	}
	return nil
}

// Float32Bytes returns values as big-endian IEEE floats (BITPIX -32 data).
func Float32Bytes(values []float32) []byte {
	b := make([]byte, 4*len(values))
	for i, v := range values {
		binary.BigEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}
