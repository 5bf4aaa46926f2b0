package sky

import "math"

// mat3 is a 3×3 rotation matrix acting on column vectors.
type mat3 [3][3]float64

var ident = mat3{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

// rotX, rotY, rotZ return the matrices that rotate the coordinate frame (not
// the vector) by angle a (radians) about the x, y or z axis: the "passive"
// convention of ERFA's eraRx/eraRy/eraRz and astropy's rotation_matrix.
func rotX(a float64) mat3 {
	s, c := math.Sincos(a)
	return mat3{{1, 0, 0}, {0, c, s}, {0, -s, c}}
}

func rotY(a float64) mat3 {
	s, c := math.Sincos(a)
	return mat3{{c, 0, -s}, {0, 1, 0}, {s, 0, c}}
}

func rotZ(a float64) mat3 {
	s, c := math.Sincos(a)
	return mat3{{c, s, 0}, {-s, c, 0}, {0, 0, 1}}
}

// mul returns a·b.
func (a mat3) mul(b mat3) mat3 {
	var r mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r[i][j] = a[i][0]*b[0][j] + a[i][1]*b[1][j] + a[i][2]*b[2][j]
		}
	}
	return r
}

// t returns the transpose.
func (a mat3) t() mat3 {
	var r mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r[i][j] = a[j][i]
		}
	}
	return r
}

// apply returns a·v.
func (a mat3) apply(v [3]float64) [3]float64 {
	return [3]float64{
		a[0][0]*v[0] + a[0][1]*v[1] + a[0][2]*v[2],
		a[1][0]*v[0] + a[1][1]*v[1] + a[1][2]*v[2],
		a[2][0]*v[0] + a[2][1]*v[1] + a[2][2]*v[2],
	}
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func norm(a [3]float64) float64 { return math.Sqrt(dot(a, a)) }

func scale(a [3]float64, s float64) [3]float64 { return [3]float64{a[0] * s, a[1] * s, a[2] * s} }

func add(a, b [3]float64) [3]float64 { return [3]float64{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// unit returns a scaled to unit length (the zero vector stays zero).
func unit(a [3]float64) [3]float64 {
	n := norm(a)
	if n == 0 {
		return a
	}
	return scale(a, 1/n)
}
