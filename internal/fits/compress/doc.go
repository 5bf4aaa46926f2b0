// Package compress implements the bit-level decompressors of the FITS tiled
// image compression convention (W. Pence, R. Seaman, R. L. White, "Tiled
// Image Convention for Storing Compressed Images in FITS Binary Tables",
// FITS registered convention v2.3,
// https://fits.gsfc.nasa.gov/registry/tilecompression.html):
//
//   - [Rice]: RICE_1 (alias RICE_ONE), the adaptive Rice code (Rice, Yeh &
//     Miller 1993, as implemented by R. White for fpack) for 8-, 16- and
//     32-bit pixel differences;
//   - [HCompress]: HCOMPRESS_1, R. White's H-transform with quadtree-coded
//     bit planes (White, Postman & Lattanzi 1992), including the optional
//     smoothing during the inverse transform;
//   - [PLIO]: PLIO_1, the IRAF pixel-list ("line list") run-length code.
//
// Each function decodes one tile: the bytes of one row of the COMPRESSED_DATA
// column (a variable-length array in the heap of the compressed BINTABLE).
// The behaviour follows CFITSIO's reference decoders (ricecomp.c,
// fits_hdecompress.c, pliocomp.c); the code here is an independent port
// of the published algorithms, written for Go and WebAssembly (no cgo).
//
// Everything else about tile-compressed HDUs (locating tiles, GZIP_1/2,
// ZBLANK, ZSCALE/ZZERO, dithering) lives in the parent package fits.
//
// The decoders never panic on malformed input and never allocate more than
// a small fraction of the output tile: every failure is an error wrapping
// [ErrCorrupt] (bad stream) or [ErrArgument] (bad call parameters) that
// says what was wrong and where. Where CFITSIO would read past the end of
// a truncated stream (it does not bound its reads), these decoders return
// an error; well-formed streams decode bit-exactly as CFITSIO decodes them.
package compress

import "errors"

// ErrCorrupt is wrapped by every error caused by a malformed or truncated
// compressed stream.
var ErrCorrupt = errors.New("corrupt compressed tile")

// ErrArgument is wrapped by errors caused by invalid parameters (bad
// BYTEPIX or BLOCKSIZE, output buffer too small, ...), as opposed to bad data.
var ErrArgument = errors.New("invalid decompression parameter")
