// Package fits reads FITS files: headers, images of every BITPIX with scaling and
// BLANK, multi-extension files, cubes, gzip streams, tile-compressed images and tables.
package fits
