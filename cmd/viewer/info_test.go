package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestInfo(t *testing.T) {
	tests := []struct {
		file string
		json bool
		want []string
		code int
	}{
		{"astroscrappy_gmos.fits", false, []string{"HDU 1 IMAGE \"SCI\"", "image: 200 x 150, BITPIX -32", "stats: 30000 pixels"}, 0},
		{"ccdproc_a8280271_gzip2.fits.fz", false, []string{"COMPRESSED_IMAGE", "compression: GZIP_2, tiles [536 1] (520)", "BZERO 32768", "min 187 max 1715"}, 0},
		{"astropy_dss_14.29.56-62.41.05.fits.gz", false, []string{"(gzip)", "BINTABLE", "15 rows", "wcs:", "celestial: RA---TAN/DEC--TAN, centre (217.48"}, 0},
		{"sha_img_rice_q4.fits.fz", true, []string{`"zquantiz": "SUBTRACTIVE_DITHER_1"`, `"n_nan": 4068`, `"ctype": [`, `"RA---TAN-SIP"`}, 0},
		{"astropy_blank.fits", true, []string{`"blank": 2`, `"n_nan": 1`, `"min": null`}, 0},
		{"does-not-exist.fits", false, nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := []string{"../../testdata/fits/" + tc.file}
			if tc.json {
				args = append([]string{"--json"}, args...)
			}
			code := run(append([]string{"info"}, args...), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errb.String())
			}
			if tc.json {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Fatalf("bad JSON: %v", err)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
