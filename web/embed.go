// Package web holds the browser side of Skyglass, embedded into the `viewer`
// binary: the page, the JavaScript API, wasm_exec.js (copied from the Go
// toolchain by the build), the compiled wasm under dist/ (built by `make`) and
// the default sky, a copy of the Mellinger all-sky HiPS under hips/mellinger.
package web

import "embed"

// Files is the embedded UI tree, served at the root of `viewer serve`.
//
//go:embed index.html embed.html embed.js skyglass.js skyglass.mjs skyglass.d.ts skyglass.d.mts skyglass.css wasm_exec.js dist hips demo
var Files embed.FS
