package stretch_test

import (
	"fmt"

	"github.com/skyglass/skyglass/internal/stretch"
)

// Display an image: zscale limits, asinh stretch, viridis, then colour pixels.
func ExampleParams_Compile() {
	pixels := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 100}
	lo, hi := stretch.LimitsF32(stretch.Percentile{P: 90}, pixels)
	p := stretch.Params{Lo: lo, Hi: hi, Kind: stretch.KindAsinh, Colormap: "viridis"}
	z, err := p.Compile()
	if err != nil {
		fmt.Println(err)
		return
	}
	rgba := make([]uint8, 4*len(pixels))
	if err := z.ColorizeF32(rgba, pixels); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("limits %.3g..%.3g first %v last %v\n", lo, hi, rgba[:4], rgba[len(rgba)-4:])
	// Output: limits 1.45..59 first [68 1 84 255] last [253 231 37 255]
}

// Limits over HiPS tiles: the tiles are treated as one concatenated array.
func ExampleLimitsF32() {
	tiles := [][]float32{{3, 1, 2}, {5, 4}, {}}
	lo, hi := stretch.LimitsF32(stretch.MinMax{}, tiles...)
	fmt.Println(lo, hi)
	// Output: 1 5
}
