// Package hips is a client for Hierarchical Progressive Surveys (IVOA HiPS 1.0,
// with the common keywords of HiPS 1.4/1.5/2.0): it parses the properties file,
// addresses tiles (Norder{k}/Dir{D}/Npix{n}.{ext}, cube frames Npix{n}_{z}),
// splits Allsky mosaics, decodes tiles for the CPU path (JPEG, PNG, WebP, FITS),
// chooses the tiles a view needs, and fetches them through a bounded, cancellable
// queue into a byte-bounded LRU cache.
//
// # Pixel orientation
//
// Decoded tiles are stored in FITS row order: row 0 is the first row of a FITS
// tile, which is the bottom row of the same tile as a JPEG or PNG image (HiPS 1.0
// §4.2.1: "contrary to the FITS convention, in JPEG and PNG the lines of the pixel
// array are stored top to bottom"). Colour tiles are flipped on decoding so that
// one pixel mapping, healpix.TileSubpixel(order, ipix, width, col, row) with the
// FITS row convention, serves every format.
package hips
