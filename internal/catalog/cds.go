package catalog

import (
	"errors"
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// cdsField is one entry of a CDS byte-by-byte description.
type cdsField struct {
	start, end int // 1-based inclusive byte range
	format     string
	unit       string
	label      string
	expl       string
	nullable   bool
	nullValue  string
}

// cdsPatterns are the ReadMe patterns, compiled on first use (compiling them
// at package initialisation costs ~20 ms of every wasm start-up).
var cdsPatterns = sync.OnceValue(func() *cdsRegexps {
	return &cdsRegexps{
		reBBB:   regexp.MustCompile(`^\s*Byte-by-byte Description of file:\s*(.*)$`),
		reEntry: regexp.MustCompile(`^\s*(\d+)(?:\s*-\s*(\d+))?\s+([AIFEDaifed]\d+(?:\.\d+)?)\s+(\S+)\s+(\S+)\s*(.*)$`),
		reNull:  regexp.MustCompile(`^\?=(\S*)\s*`),
		reLimit: regexp.MustCompile(`^\[[^\]]*\]\s*`),
	}
})

type cdsRegexps struct {
	reBBB, reEntry, reNull, reLimit *regexp.Regexp
}

// ReadCDS reads a CDS/VizieR fixed-width data file described by a ReadMe: the
// "Byte-by-byte Description of file:" section whose file list (names or glob patterns)
// matches dataName gives each column's byte range, format (A, I, F, E), unit, label and
// explanation ("?" marks nullable columns, "?=v" a null value).
func ReadCDS(readme, data, dataName string) (*Table, error) {
	fields, err := cdsDescription(readme, path.Base(dataName))
	if err != nil {
		return nil, fmt.Errorf("cds %q: %w", dataName, err)
	}
	t, err := cdsData(fields, strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n"))
	if err != nil {
		return nil, fmt.Errorf("cds %q: %w", dataName, err)
	}
	return t, nil
}

// parseMRT reads a machine-readable table: a ReadMe-style header with one byte-by-byte
// description, followed by the data after the last separator line.
func parseMRT(s string) (*Table, error) {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	fields, err := cdsDescription(s, "")
	if err != nil {
		return nil, err
	}
	last := -1
	for i, ln := range lines {
		t := strings.TrimSpace(ln)
		if len(t) >= 10 && (strings.Trim(t, "-") == "" || strings.Trim(t, "=") == "") {
			last = i
		}
	}
	if last < 0 {
		return nil, errors.New("no separator line before the data")
	}
	return cdsData(fields, lines[last+1:])
}

func globMatch(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

func cdsDescription(readme, dataName string) ([]cdsField, error) {
	re := cdsPatterns()
	lines := strings.Split(strings.ReplaceAll(readme, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		m := re.reBBB.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		if dataName != "" {
			match := false
			for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == ',' }) {
				if globMatch(p, dataName) || p == dataName {
					match = true
				}
			}
			if !match {
				continue
			}
		}
		// skip to the entries: after the dashes line following the "Bytes Format" header
		j := i + 1
		dashes := 0
		for ; j < len(lines) && dashes < 2; j++ {
			if strings.HasPrefix(strings.TrimSpace(lines[j]), "---") {
				dashes++
			}
		}
		var fields []cdsField
		for ; j < len(lines); j++ {
			ln := lines[j]
			if strings.HasPrefix(strings.TrimSpace(ln), "---") || strings.HasPrefix(strings.TrimSpace(ln), "===") {
				break
			}
			e := re.reEntry.FindStringSubmatch(ln)
			if e == nil {
				if len(fields) > 0 && strings.TrimSpace(ln) != "" {
					continue // continuation of an explanation
				}
				continue
			}
			f := cdsField{format: strings.ToUpper(e[3]), unit: e[4], label: e[5]}
			f.start, _ = strconv.Atoi(e[1])
			f.end = f.start
			if e[2] != "" {
				f.end, _ = strconv.Atoi(e[2])
			}
			if f.start < 1 || f.end < f.start || f.end > 1<<20 {
				return nil, fmt.Errorf("ReadMe line %d: bad byte range %q", j+1, strings.TrimSpace(ln))
			}
			ex := strings.TrimSpace(e[6])
			for {
				if m := re.reLimit.FindString(ex); m != "" && !strings.HasPrefix(ex, "[*]") {
					ex = ex[len(m):]
					continue
				}
				if m := re.reNull.FindStringSubmatch(ex); m != nil {
					f.nullable, f.nullValue = true, m[1]
					ex = ex[len(m[0]):]
					continue
				}
				if strings.HasPrefix(ex, "?") {
					f.nullable = true
					ex = strings.TrimSpace(ex[1:])
					continue
				}
				break
			}
			f.expl = ex
			if f.unit == "---" {
				f.unit = ""
			}
			fields = append(fields, f)
		}
		if len(fields) == 0 {
			return nil, fmt.Errorf("ReadMe line %d: byte-by-byte description without entries", i+1)
		}
		return fields, nil
	}
	if dataName != "" {
		return nil, fmt.Errorf("no byte-by-byte description matches file %q", dataName)
	}
	return nil, errors.New("no byte-by-byte description")
}

func cdsData(fields []cdsField, lines []string) (*Table, error) {
	var data []string
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		data = append(data, strings.TrimRight(ln, "\r"))
	}
	n := len(data)
	size := 0
	for _, ln := range data {
		size += len(ln) + 1
	}
	if n*len(fields) > 2*size+1024 {
		return nil, fmt.Errorf("%d data lines × %d columns: data lines are far shorter than the description", n, len(fields))
	}
	t := &Table{Format: "cds", Meta: map[string]string{}, Columns: make([]Column, len(fields)), nrows: n}
	for c, f := range fields {
		col := &t.Columns[c]
		col.Name, col.Unit, col.Description, col.Format = f.label, f.unit, f.expl, f.format
		switch f.format[0] {
		case 'A':
			col.Kind, col.Datatype, col.Str = KindString, "char", make([]string, n)
		case 'I':
			col.Kind, col.Datatype, col.Int = KindInt, "long", make([]int64, n)
		default:
			col.Kind, col.Datatype, col.Float = KindFloat, "double", make([]float64, n)
		}
		for r, ln := range data {
			v := ""
			if f.start-1 < len(ln) {
				v = strings.TrimSpace(ln[f.start-1 : min(f.end, len(ln))])
			}
			null := (f.nullValue != "" && v == f.nullValue) || (v == "" && col.Kind != KindString)
			if v == "" && col.Kind == KindString && f.nullable {
				null = true
			}
			if null {
				if col.Null == nil {
					col.Null = make([]bool, n)
				}
				col.Null[r] = true
			}
			switch col.Kind {
			case KindString:
				if !null {
					col.Str[r] = v
				}
			case KindInt:
				if null {
					continue
				}
				x, ok := parseIntText(v)
				if !ok {
					// Fortran I formats may hold blanks inside; fall back to a float column
					if fv, ok2 := parseFloatText(v); ok2 {
						x = int64(fv)
					} else {
						return nil, fmt.Errorf("data line %d column %q (bytes %d-%d): %q is not an integer", r+1, col.Name, f.start, f.end, v)
					}
				}
				col.Int[r] = x
			default:
				if null {
					col.Float[r] = math.NaN()
					continue
				}
				x, ok := parseFloatText(v)
				if !ok {
					return nil, fmt.Errorf("data line %d column %q (bytes %d-%d): %q is not a number", r+1, col.Name, f.start, f.end, v)
				}
				col.Float[r] = x
			}
		}
	}
	return t, nil
}
