//go:build !(linux || darwin)

package raster

// cpuSeconds is not measured on this platform.
func cpuSeconds() float64 { return 0 }
