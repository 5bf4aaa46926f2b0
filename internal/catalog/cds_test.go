package catalog

import (
	"regexp"
	"testing"
)

// The regular expressions the CDS ReadMe matchers replace (cds.go): each
// matcher must agree with its expression on every line.
var (
	cdsHeaderRE = regexp.MustCompile(`^\s*Byte-by-byte Description of file:\s*(.*)$`)
	cdsEntryRE  = regexp.MustCompile(`^\s*(\d+)(?:\s*-\s*(\d+))?\s+([AIFEDaifed]\d+(?:\.\d+)?)\s+(\S+)\s+(\S+)\s*(.*)$`)
	cdsNullRE   = regexp.MustCompile(`^\?=(\S*)\s*`)
	cdsLimitsRE = regexp.MustCompile(`^\[[^\]]*\]\s*`)
)

// cdsCompare reports how the matchers and the expressions disagree on s, or
// "" when they agree.
func cdsCompare(s string) string {
	if files, ok := cdsHeader(s); ok != (cdsHeaderRE.FindStringSubmatch(s) != nil) {
		return "header: match " + map[bool]string{true: "by hand only", false: "by regexp only"}[ok]
	} else if ok && files != cdsHeaderRE.FindStringSubmatch(s)[1] {
		return "header: file list " + files
	}
	e, ok := cdsEntry(s)
	m := cdsEntryRE.FindStringSubmatch(s)
	if ok != (m != nil) {
		return "entry: match " + map[bool]string{true: "by hand only", false: "by regexp only"}[ok]
	}
	if ok {
		for k := range e {
			if e[k] != m[k+1] {
				return "entry: part " + string(rune('1'+k)) + " " + e[k] + " ≠ " + m[k+1]
			}
		}
	}
	v, n, ok := cdsNull(s)
	mn := cdsNullRE.FindStringSubmatch(s)
	if ok != (mn != nil) || ok && (v != mn[1] || n != len(mn[0])) {
		return "null marker"
	}
	if n, m := cdsLimits(s), cdsLimitsRE.FindString(s); n != len(m) {
		return "limits"
	}
	return ""
}

func TestCDSMatchers(t *testing.T) {
	for _, s := range []string{
		"Byte-by-byte Description of file: table1.dat",
		"  Byte-by-byte Description of file:\ttable[12].dat, t3.dat  ",
		"Byte-by-byte Description of file:",
		"Byte-by-byte description of file: x",
		"   1-  7  A7    ---     Name      Source name",
		"   9- 10  I2    h       RAh       Right ascension (hours)",
		"  12  F5.2  mag  Vmag  ?=99.99 [0/20] V magnitude",
		"  12 -F5.2 mag Vmag x",
		"  12- F5.2 mag Vmag x",
		"  12-13F5.2 mag Vmag x",
		"  12 -13 e10.3 --- eps",
		"  12 -13 e10. --- eps",
		"  12 -13 X10 --- eps",
		"  12 -13 A --- eps",
		"  12 -13 A1 ---",
		"  12 -13 A1 --- lbl",
		"  12 -13 A1 --- lbl \f\r ",
		"  12 -13 A1 --- lbl é? explanation",
		" -13 A1 --- lbl",
		"12 A1 \xff\xfe lbl rest",
		"",
		"?=",
		"?=-99 rest",
		"?=\t",
		"?x",
		"[0/1] rest",
		"[*] rest",
		"[0/1 no end",
		"[]\t\tx",
		"0 A0 0 0 0\n",
		"0 A0 0 0 \n 0",
		"Byte-by-byte Description of file: a\nb",
		"Byte-by-byte Description of file:\n a",
	} {
		if d := cdsCompare(s); d != "" {
			t.Errorf("%q: %s", s, d)
		}
	}
}

// A matcher that differed from its expression would make this fail: the
// check itself is checked.
func TestCDSCompareCatchesDifference(t *testing.T) {
	old := cdsNullRE
	defer func() { cdsNullRE = old }()
	cdsNullRE = regexp.MustCompile(`^\?=(\S*)`) // without the white space after
	if cdsCompare("?=1 x") == "" {
		t.Error("a different null-marker expression went unnoticed")
	}
}

// FuzzCDSMatchers compares the matchers with the expressions they replace.
func FuzzCDSMatchers(f *testing.F) {
	for _, s := range []string{
		"Byte-by-byte Description of file: table1.dat",
		"   1-  7  A7    ---     Name      Source name",
		"  12  F5.2  mag  Vmag  ?=99.99 [0/20] V magnitude",
		"?=-99 rest", "[0/1] rest",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := cdsCompare(s); d != "" {
			t.Errorf("%q: %s", s, d)
		}
	})
}
