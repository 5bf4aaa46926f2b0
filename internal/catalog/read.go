package catalog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unsafe"
)

// maxInput bounds the size of a table read into memory (1 GiB).
const maxInput = 1 << 30

// Read reads a table from r. name (a file name or URL, may be empty) helps choose the
// format; the content is sniffed too: VOTable (XML), IPAC (leading '\' or '|' lines),
// CDS/MRT (a ReadMe-style byte-by-byte description followed by the data), FITS binary
// and ASCII tables (recognised by the "SIMPLE  =" magic, decoded by internal/fits), else
// delimiter-separated text (CSV, TSV, semicolon, pipe or whitespace). gzip input is
// decompressed. For files with several tables (VOTable TABLEs, FITS table HDUs), Read
// returns the first table that has rows (or the first table); ReadAll returns them all,
// and ReadFITS reads a chosen FITS HDU.
func Read(r io.Reader, name string) (*Table, error) {
	ts, err := ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.NumRows() > 0 {
			return t, nil
		}
	}
	return ts[0], nil
}

// ReadAll reads every table of the input (several for multi-TABLE VOTables).
func ReadAll(r io.Reader, name string) ([]*Table, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("catalog %q: %w", name, err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("catalog %q: input larger than %d bytes", name, maxInput)
	}
	return readOwned(b, name)
}

// ReadBytes is ReadAll on an in-memory buffer (b is not retained).
func ReadBytes(b []byte, name string) ([]*Table, error) {
	return readOwned(bytes.Clone(b), name)
}

// readOwned parses b, which the caller will never modify: string cells of the result
// share its memory instead of being copied.
func readOwned(b []byte, name string) ([]*Table, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("catalog %q: gzip: %w", name, err)
		}
		d, err := io.ReadAll(io.LimitReader(zr, maxInput+1))
		if err != nil {
			return nil, fmt.Errorf("catalog %q: gzip: %w", name, err)
		}
		if len(d) > maxInput {
			return nil, fmt.Errorf("catalog %q: decompressed input larger than %d bytes", name, maxInput)
		}
		b = d
		name = strings.TrimSuffix(name, ".gz")
	}
	format := DetectFormat(b, name)
	text := unsafe.String(unsafe.SliceData(b), len(b))
	var ts []*Table
	var err error
	switch format {
	case "votable":
		ts, err = parseVOTable(text)
	case "ipac":
		var t *Table
		t, err = parseIPAC(text)
		ts = []*Table{t}
	case "cds":
		var t *Table
		t, err = parseMRT(text)
		ts = []*Table{t}
	case "fits":
		ts, err = readFITSAll(b)
	default:
		var t *Table
		t, err = ParseDelimited(text, DelimitedOptions{Delimiter: delimiterForName(name)})
		ts = []*Table{t}
	}
	if err != nil {
		return nil, fmt.Errorf("catalog %q (%s): %w", name, format, err)
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("catalog %q (%s): no table found", name, format)
	}
	return ts, nil
}

// DetectFormat guesses the format of b from its content and name: "votable", "fits",
// "ipac", "cds" or "csv" (any delimiter-separated text).
func DetectFormat(b []byte, name string) string {
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	h := strings.TrimLeft(string(head), " \t\r\n\ufeff")
	switch {
	case strings.HasPrefix(h, "SIMPLE  =") || strings.HasPrefix(h, "XTENSION="):
		return "fits"
	case strings.HasPrefix(h, "<?xml") || strings.HasPrefix(h, "<VOTABLE") || strings.Contains(h, "<VOTABLE"):
		return "votable"
	case strings.HasPrefix(h, "\\") || strings.HasPrefix(h, "|"):
		return "ipac"
	}
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".xml", ".vot", ".votable":
		return "votable"
	case ".tbl", ".ipac":
		return "ipac"
	case ".fits", ".fit", ".fts":
		return "fits"
	}
	if strings.Contains(string(b[:min(len(b), 1<<16)]), "Byte-by-byte Description") {
		return "cds"
	}
	return "csv"
}

func delimiterForName(name string) byte {
	switch strings.ToLower(path.Ext(name)) {
	case ".tsv", ".tab":
		return '\t'
	case ".csv":
		return ','
	}
	return 0
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
