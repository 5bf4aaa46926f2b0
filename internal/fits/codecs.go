package fits

import "fmt"

// The RICE_1, HCOMPRESS_1 and PLIO_1 bit-level decoders live in
// internal/fits/compress (branch fitscodec). Until that package is merged,
// these report ErrCodecUnavailable.

func riceDecode(src []byte, bytePix, blockSize int, out []int32) error {
	return fmt.Errorf("RICE_1: %w", ErrCodecUnavailable)
}

func hcompressDecode(src []byte, smooth bool, out []int64) (nx, ny int, err error) {
	return 0, 0, fmt.Errorf("HCOMPRESS_1: %w", ErrCodecUnavailable)
}

func plioDecode(src []byte, out []int32) error {
	return fmt.Errorf("PLIO_1: %w", ErrCodecUnavailable)
}
