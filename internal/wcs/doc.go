// Package wcs implements the FITS World Coordinate System for celestial axes:
// Papers I and II (Greisen & Calabretta 2002; Calabretta & Greisen 2002) with
// every projection of Paper II, the SIP and TPV distortion conventions, and
// the header repairs astropy applies by default (WCSLIB's wcsfix).
//
// The algorithms follow WCSLIB (prj.c, cel.c, sph.c, lin.c, wcs.c), the
// library astropy, DS9 and Montage use, so that results agree with it to
// ~1e-12 deg: the same validity domains (a point outside a projection's domain
// is reported as not ok, never as a wrong number), the same defaults for
// LONPOLE/LATPOLE, RADESYS and EQUINOX, and the same special cases.
//
// Pixel coordinates are FITS 1-based (the centre of the first pixel is 1.0);
// angles are degrees; longitudes are returned in [0, 360).
//
// Dependencies: this package belongs to the "math" layer, which imports nothing
// else of Skyglass, with one exception fixed by the design (DESIGN.md §3,
// New(*fits.Header)): it imports internal/fits only for the Header type.
//
// The viewer's camera is a WCS too: see NewCamera, and Header to write any WCS
// back as FITS cards.
package wcs
