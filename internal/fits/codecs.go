package fits

import "github.com/skyglass/skyglass/internal/fits/compress"

// The RICE_1, HCOMPRESS_1 and PLIO_1 bit-level decoders live in
// internal/fits/compress; these adapters keep the tile plumbing independent of
// their package.

func riceDecode(src []byte, bytePix, blockSize int, out []int32) error {
	return compress.Rice(src, bytePix, blockSize, out)
}

func hcompressDecode(src []byte, smooth bool, out []int64) (nx, ny int, err error) {
	return compress.HCompress(src, smooth, out)
}

func plioDecode(src []byte, out []int32) error {
	return compress.PLIO(src, out)
}
