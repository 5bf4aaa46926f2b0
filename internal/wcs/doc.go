// Package wcs implements the FITS World Coordinate System for celestial axes:
// Papers I and II (Greisen & Calabretta 2002; Calabretta & Greisen 2002) with
// every projection of Paper II (AZP SZP TAN STG SIN ARC ZPN ZEA AIR CYP CEA
// CAR MER SFL PAR MOL AIT COP COE COD COO BON PCO TSC CSC QSC HPX XPH), the
// SIP, TPV and DSS distortions, and the header repairs astropy applies by
// default.
//
// The algorithms are ported from WCSLIB (prj.c, cel.c, sph.c, lin.c, dis.c,
// wcs.c), the library astropy, DS9 and Montage use, so that results agree
// with astropy.wcs to ~1e-13 deg: the same validity domains (a point outside a
// projection's domain is reported as not ok, never as a wrong number, and a
// point WCSLIB rejects is rejected here), the same LONPOLE/LATPOLE solution
// (celset), the same RADESYS/EQUINOX defaults, and the same special cases
// (CSC is evaluated in single precision, as WCSLIB does). TAN and SIN use a
// faster but equivalent vector formulation.
//
// Header interpretation (New), as astropy.wcs.WCS(header) with its default
// fixes: the first longitude/latitude CTYPE pair (RA/DEC, xLON/xLAT, xyLN/xyLT)
// of any number of axes, other pixel axes held at 1; PCi_j over CDi_j over
// CROTA2 (translated as WCSLIB does), also the old PC00i00j/CD00i00j forms;
// CUNIT deg/arcmin/arcsec/mas/rad (and spellings such as 'degree' or 'DEG');
// PVi_m (PROJPn) with PVi_0..4 on the longitude axis for fiducial offsets and
// LONPOLE/LATPOLE; NCP -> SIN, GLS -> SFL; duplicated keywords: the last one
// wins. Distortions: SIP (A/B, used when A_ORDER > 1, as astropy does; its
// inverse follows astropy's all_world2pix fixed-point iteration, and AP/BP
// are kept for export only), TPV (TAN plus the PVi_0..39 polynomial applied
// between PC and CDELT, inverted with WCSLIB's disx2p scheme), pre-2012 SCAMP
// headers (-TAN with PVi_m, m >= 5, read as TPV with SIP dropped), both SIP and
// TPV in one header, and DSS plate solutions (AMDX/AMDY), which replace the
// approximate CRVAL/CD cards as in WCSLIB. Headers no reference accepts
// return an error naming the keyword.
//
// Pixel coordinates are FITS 1-based (the centre of the first pixel is 1.0);
// angles are degrees; longitudes are returned in [0, 360).
//
// Dependencies: this package belongs to the "math" layer, which imports nothing
// else of Skyglass, with one exception fixed by the design (DESIGN.md §3,
// New(*fits.Header)): it imports internal/fits only for the Header type.
//
// The viewer's camera is a WCS too: see NewCamera and NewCameraIn, and Header
// to write any WCS back as FITS cards.
package wcs
