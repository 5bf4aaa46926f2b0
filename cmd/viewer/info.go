package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/skyglass/skyglass/internal/fits"
)

// runInfo implements `viewer info [--json] [--max-bytes N] FILE`: HDUs, types,
// shapes, BITPIX, scaling, compression, WCS cards and statistics of a FITS
// file (plain, .fits.gz or tile-compressed).
func runInfo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	maxBytes := fs.Int64("max-bytes", fits.DefaultMaxBytes, "memory cap for decompressed data and one decoded image")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: viewer info [--json] [--max-bytes N] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	fh, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "viewer info: %v\n", err)
		return 1
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		fmt.Fprintf(stderr, "viewer info: %v\n", err)
		return 1
	}
	f, err := fits.OpenWithOptions(fh, st.Size(), fits.OpenOptions{MaxBytes: *maxBytes})
	if err != nil {
		fmt.Fprintf(stderr, "viewer info: %s: %v\n", path, err)
		return 1
	}
	rep := fits.Describe(f)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "viewer info: %v\n", err)
			return 1
		}
	} else if err := rep.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "viewer info: %v\n", err)
		return 1
	}
	for _, h := range rep.HDUs {
		if h.Error != "" {
			return 1
		}
	}
	return 0
}
