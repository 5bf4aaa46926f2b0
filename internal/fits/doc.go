// Package fits reads FITS files: headers, images of every BITPIX with scaling and
// BLANK, multi-extension files, cubes, gzip streams and tile-compressed images.
//
// # What comes from where
//
// Everything in this package is written here, on the standard library only:
//
//   - Headers (ParseHeader, Header, Card): our own parser, because the viewer also
//     reads the one-card-per-line ".hdr" files that no FITS library accepts, and
//     because every error must name the HDU, keyword and byte offset.
//   - Images (Open, HDU.Image, HDU.Section, Image.Float64/Float32): our own, because
//     codeberg.org/astrogo/fitsio (v0.4.0, the new home of github.com/astrogo/fitsio,
//     upstream archived) reads every HDU eagerly, does not apply BSCALE/BZERO/BLANK
//     and has no tile compression. The viewer must open a 1 GB multi-extension
//     file through a Blob-backed io.ReaderAt and read only the HDU it shows.
//   - Tile compression (ZIMAGE binary tables): the plumbing (tile geometry, heap
//     descriptors, GZIP_1/GZIP_2/NOCOMPRESS, quantization and the FITS standard's
//     dither sequence, ZBLANK, fallback columns) is here; the RICE_1, HCOMPRESS_1
//     and PLIO_1 bit-level decoders live in internal/fits/compress.
//   - Tables (HDU.Table, Table.ReadColumn/ReadColumns): our own as well. We
//     evaluated codeberg.org/astrogo/fitsio v0.4.0 for them and did not use it:
//     its decoder reads the whole file as a stream and allocates NAXIS1×NAXIS2 +
//     PCOUNT from the header without a cap (a forged header allocates without
//     bound); missing TTYPEn/TFORMn values are type-asserted and panic; it
//     stores TSCALn/TZEROn/TNULLn but does not apply them (no nulls, no unsigned
//     conventions), so values would not be exact; and row-wise Scan through
//     reflection is 4-8× slower than a column decode (bench/fitstable.md). Our
//     decoder reads one HDU's data through the io.ReaderAt, checks sizes
//     against the file and OpenOptions.MaxBytes first, and decodes every TFORM
//     (L, X, B, I, J, K, A, E, D, C, M, P/Q heap arrays) with TSCAL/TZERO,
//     TNULL and TDIM, and ASCII tables (Aw, Iw, Fw.d, Ew.d, Dw.d, implied
//     decimal point as in CFITSIO). As astropy does, ASCII character fields are
//     not stripped and the last field runs to NAXIS1; binary strings end at a
//     NUL, trailing blanks removed.
//
// # Use
//
//	f, err := fits.Open(r, size)        // headers only; gzip detected by magic
//	h := f.HDUs[1]                      // Type(), Name(), Header(), ImageHeader()
//	info, err := h.ImageInfo()          // axes, BITPIX, scaling, compression
//	img, err := h.Image()               // this HDU's pixels only
//	px := img.Float32()                 // physical values, for display
//	cut, err := h.Section(lo, shape)    // reads only the bytes / tiles it needs
//	plane, err := h.Plane(k)            // one 2-D plane of a cube
//
// A File and its HDUs are read-only after Open and may be used from several
// goroutines if the io.ReaderAt allows it.
//
// Bytes nobody else reads (a download buffer, a gzip stream's decompressed
// data) need not be copied: opened from an OwnedBytes (a Lender), a plane taken
// with HDU.TakePlane is the file's own bytes, put in native order in place
// for BITPIX -32 (its finite values counted per FiniteBlock on the way:
// Image.FiniteCounts), and Image.TakeFloat32 turns a BITPIX 32 plane into
// float32 over its own bytes. Such an image, or those bytes, are then used by
// one owner only.
//
// # Conventions
//
// Physical pixel values follow the project's truth files: physical = BZERO +
// BSCALE*raw computed in float64 as two rounded operations (no fused multiply-add),
// integer pixels equal to BLANK become NaN, BLANK is ignored for floating-point
// BITPIX, and the unsigned 16/32/64-bit conventions fall out of BZERO. Quantized
// floating-point tiles are restored exactly as CFITSIO's funpack does.
//
// Pixel arrays are in FITS storage order (NAXIS1 fastest). Indices passed to
// Section and Plane are 0-based.
//
// # Limits
//
// Open reads header blocks only. A gzip stream (detected by its magic bytes) is
// decompressed into memory up to OpenOptions.MaxBytes. Declared sizes are checked
// against the file size and MaxBytes before anything is allocated; truncated data
// decode as far as they go, the rest is NaN and a *TruncatedError says what is
// missing.
package fits
