package fits

import (
	"fmt"
	"io"
)

// OwnedBytes is an in-memory FITS file whose bytes its owner has given up
// (a download buffer, a decompressed stream): a Lender, so that a plane
// taken with HDU.TakePlane keeps its pixels where they are instead of
// copying them. A byte is lent once: reading or lending it again is an
// error, since the image that holds it may have changed it.
type OwnedBytes struct {
	b    []byte
	lent [][2]int64 // [start, end) ranges lent
}

// NewOwnedBytes makes an OwnedBytes of b; the caller no longer uses b.
func NewOwnedBytes(b []byte) *OwnedBytes { return &OwnedBytes{b: b} }

// ReadAt copies the bytes at off into p (io.ReaderAt).
func (o *OwnedBytes) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("fits: read at negative offset %d", off)
	}
	if off >= int64(len(o.b)) {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), int64(len(o.b)))
	if err := o.check(off, end); err != nil {
		return 0, err
	}
	n := copy(p, o.b[off:end])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Lend returns the n bytes at off in place, or false when they are not all
// there, some were lent already, or they are less than half of the bytes (a
// small part lent would keep all of them in memory).
func (o *OwnedBytes) Lend(off, n int64) ([]byte, bool) {
	if off < 0 || n < 0 || off > int64(len(o.b))-n || 2*n < int64(len(o.b)) || o.check(off, off+n) != nil {
		return nil, false
	}
	o.lent = append(o.lent, [2]int64{off, off + n})
	return o.b[off : off+n : off+n], true
}

// check reports an error when [start, end) overlaps bytes lent before.
func (o *OwnedBytes) check(start, end int64) error {
	for _, r := range o.lent {
		if start < r[1] && r[0] < end {
			return fmt.Errorf("fits: bytes %d to %d were handed to an image and may have changed", r[0], r[1])
		}
	}
	return nil
}
