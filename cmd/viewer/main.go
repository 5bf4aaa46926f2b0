// Command viewer is the Skyglass command line: `viewer serve` (the default)
// serves the browser viewer with its embedded default sky; `viewer info` and
// `viewer render` work on FITS files and HiPS on the CPU.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: viewer [serve] [--addr 127.0.0.1:8080] [--hips DIR]... [FILE]...
       viewer info [--json] FILE
       viewer render --hips DIR|URL (--wcs HEADER | --center RA,DEC --fov DEG --proj TAN) --size WxH -o OUT
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(args, stdout, stderr)
	case "info":
		return runInfo(args, stdout, stderr)
	case "render":
		return runRender(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		// Anything else is taken as a file to serve, so `viewer img.fits` works.
		if _, err := os.Stat(cmd); err == nil {
			return runServe(append([]string{cmd}, args...), stdout, stderr)
		}
		fmt.Fprintf(stderr, "viewer: unknown command %q\n%s", cmd, usage)
		return 2
	}
}
