package hips

import "fmt"

// decodeFITSImage decodes a FITS tile or Allsky.fits.
func decodeFITSImage(b []byte) (*Image, error) {
	return nil, fmt.Errorf("%w: FITS tiles need internal/fits image decoding (not yet merged)", ErrBadTile)
}
