// Command viewer is the Skyglass command line. On this branch it only has
// `viewer info`; the full dispatcher (serve, render) is on main.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "info" {
		return runInfo(args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, "usage: viewer info [--json] FILE")
	return 2
}
