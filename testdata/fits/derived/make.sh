#!/bin/sh
# Regenerates the derived tile-compressed files in this folder with CFITSIO's
# fpack (libcfitsio-bin 4.2.0) from the files one level up, and funpack's
# decoding of each into $1 (default /tmp/fits-derived) for derived_truth.json:
#   sh make.sh /tmp/fits-derived && FITS_DERIVED_FUNPACK=/tmp/fits-derived go test -run TestDerivedGenerate ./internal/fits/
set -e
out=${1:-/tmp/fits-derived}
mkdir -p "$out"
cd "$(dirname "$0")"
src=..
mk() { # name fpack-args source
  name=$1; shift; srcf=$1; shift
  rm -f "$name"
  fpack "$@" -O "$name" "$src/$srcf"
  rm -f "$out/$name.fits"
  funpack -O "$out/$name.fits" "$name"
}
mk sha_gzip1_q4_dither1.fits.fz astroquery_sha_img.fits -g1 -qt 4
mk sha_gzip2_q0_nodither.fits.fz astroquery_sha_img.fits -g2 -q0 4
mk gmos_gzip2_qz_dither2.fits.fz astroscrappy_gmos.fits -g2 -qzt 8
mk azp_gzip1_qz_rows.fits.fz astropy_1904-66_AZP.fits -g1 -qz42 2 -t 192,30
# CFITSIO 4.2.0 funpack and imcopy misdecode this one (2-D tiles narrower than
# the image + NaNs); it is checked against the original instead (TestQuantizedVsOriginal).
rm -f azp_gzip1_qz_tiles2d.fits.nofunpack.fz
fpack -g1 -qz42 2 -t 50,30 -O azp_gzip1_qz_tiles2d.fits.nofunpack.fz ../astropy_1904-66_AZP.fits
mk ccd_gzip1_tiles.fits.fz ccdproc_a8280271.fits -g1 -t 50,40
mk arange_gzip2_cube.fits.fz astropy_arange.fits -g2 -t 5,4,3
mk p08_gzip2.fits.fz astrogo_bitpix_p08.fits -g2
mk p32_gzip1.fits.fz astrogo_bitpix_p32.fits -g1 -t 7,9
mk m64_gzip2_q0.fits.fz astrogo_bitpix_m64.fits -g2 -q 0
mk m64_gzip1_q4.fits.fz astrogo_bitpix_m64.fits -g1 -qt 4
mk ccd_hcomp_s4_tiles.fits.fz ccdproc_a8280271.fits -h -s 4 -t 64,64
mk ccd_rice_tiles.fits.fz ccdproc_a8280271.fits -r -t 100,30
rm -f sha_hcomp_q4_tiles2d.fits.nofunpack.fz
fpack -h -qt 4 -t 32,32 -O sha_hcomp_q4_tiles2d.fits.nofunpack.fz ../astroquery_sha_img.fits
mk gmos_hcomp_qz_s2.fits.fz astroscrappy_gmos.fits -h -s 2 -qzt 8 -t 40,30
mk p08_rice.fits.fz astrogo_bitpix_p08.fits -r
mk p08_plio_tiles.fits.fz astrogo_bitpix_p08.fits -p -t 10,10
mk sha_rice_q0_rows.fits.fz astroquery_sha_img.fits -r -q0 4 -t 128,16
