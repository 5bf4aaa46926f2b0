// Package stretch turns pixel values into display colours, exactly as
// astropy.visualization does where astropy defines the step: intervals
// (MinMax, Percentile, PercentileRange, ZScale, Manual), stretches (Linear,
// Sqrt, Log, Asinh, Power, Sinh, Squared, HistEq), DS9 contrast/bias and
// invert, 256-entry colormaps (matplotlib's perceptual maps and the DS9
// classics), a colorbar helper, astropy's make_lupton_rgb and a
// hue-preserving RGB composite.
//
// Params is the single description of the whole transfer function (value →
// RGBA); its CPU implementation (Params.Color, Colorizer) is the reference
// for internal/raster and for the WebGL2 path, which runs the same formulas
// from ShaderSource with the values of Params.Uniforms. The composition order
// is documented on Params.
//
// Intervals work on []float64 (the Interval interface), on float32 data and
// on sequences of chunks such as HiPS tiles (LimitsF32, LimitsChunks) without
// concatenating them; percentiles are exact (radix selection), not sampled.
package stretch
