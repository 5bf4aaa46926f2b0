package view

import (
	"math"
	"strconv"
)

// Time is in milliseconds (the DOM's performance.now / requestAnimationFrame
// timestamps); the view never reads a clock itself, so it stays testable.

// inertia continues a drag after the pointer is released: the grabbed sky
// point keeps moving with the release velocity, decaying exponentially.
type inertia struct {
	grab   [3]float64
	x, y   float64 // where the grabbed point is now on the canvas
	vx, vy float64 // px/ms at t0
	t0     float64 // time of release
	last   float64 // time of the last step
}

// inertiaTau is the decay time of the fling, in ms.
const inertiaTau = 325

// flight animates the camera to a target: great-circle interpolation of the
// centre, with a zoom out and in when the target is far compared with the field.
type flight struct {
	from, to       [3]float64
	fov0, fov1     float64
	fovMid         float64 // peak field of view (≥ both ends) for long flights
	t0, dur        float64
	started        bool
	angle          float64
	lonEnd, latEnd float64
}

type sample struct{ x, y, t float64 }

// PointerMoveAt is PointerMove with the event time, which lets a release
// fling the view (inertia).
func (v *View) PointerMoveAt(x, y, t float64) {
	v.PointerMove(x, y)
	if v.drag == nil {
		return
	}
	v.samples = append(v.samples, sample{x, y, t})
	if len(v.samples) > 8 {
		v.samples = v.samples[len(v.samples)-8:]
	}
}

// PointerUpAt ends a drag at time t, starting inertia if the pointer was
// moving (samples from the last 80 ms).
func (v *View) PointerUpAt(t float64) {
	d := v.drag
	v.drag = nil
	s := v.samples
	v.samples = nil
	if d == nil || !d.ok || len(s) < 2 {
		return
	}
	last := s[len(s)-1]
	if t-last.t > 50 {
		return // the pointer stopped before the release
	}
	i := len(s) - 2
	for i > 0 && last.t-s[i-1].t <= 80 {
		i--
	}
	first := s[i]
	dt := last.t - first.t
	if dt <= 0 {
		return
	}
	vx, vy := (last.x-first.x)/dt, (last.y-first.y)/dt
	if math.Hypot(vx, vy) < 0.05 { // under 50 px/s: no fling
		return
	}
	v.inertia = &inertia{grab: d.grab, x: last.x, y: last.y, vx: vx, vy: vy, t0: t, last: t}
	v.flight = nil
	v.dirty = true
}

// StopMotion stops inertia and animations (e.g. on a new pointer press).
func (v *View) StopMotion() {
	v.inertia = nil
	v.flight = nil
}

// Animating reports whether the camera is moving by itself.
func (v *View) Animating() bool { return v.inertia != nil || v.flight != nil }

// FlyTo animates the camera to (lon, lat) and field of view fov (≤ 0 keeps
// the current one) over about durMs milliseconds, starting at the next Tick.
func (v *View) FlyTo(lon, lat, fov, durMs float64) {
	if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
		return
	}
	if !(fov > 0) {
		fov = v.cam.Fov
	}
	lat = math.Max(-90, math.Min(90, lat))
	lon, lat = v.toViewFrame(lon, lat)
	from := toVec(v.cam.Lon, v.cam.Lat)
	to := toVec(lon, lat)
	angle := math.Acos(math.Max(-1, math.Min(1, dot(from, to)))) * 180 / math.Pi
	f := &flight{from: from, to: to, fov0: v.cam.Fov, fov1: fov, dur: durMs, angle: angle, lonEnd: lon, latEnd: lat}
	// Far targets: zoom out so that both ends fit in the view midway.
	f.fovMid = math.Max(math.Max(f.fov0, f.fov1), math.Min(angle*1.5, fovLimits[v.cam.Proj]))
	if !(durMs > 0) {
		v.cam.Lon, v.cam.Lat, v.cam.Fov = lon, lat, fov
		v.update()
		return
	}
	v.inertia = nil
	v.flight = f
	v.dirty = true
}

// Tick advances animations to time t (ms) and reports whether any is still running.
func (v *View) Tick(t float64) bool {
	if in := v.inertia; in != nil {
		// Position of the virtual pointer: x(t) = x0 + v·τ·(1 − e^{−Δt/τ}).
		step := func(tt float64) (float64, float64) {
			k := inertiaTau * (1 - math.Exp(-(tt-in.t0)/inertiaTau))
			return in.vx * k, in.vy * k
		}
		ax, ay := step(in.last)
		bx, by := step(t)
		in.last = t
		in.x += bx - ax
		in.y += by - ay
		v.moveGrabbed(in.grab, in.x, in.y)
		speed := math.Hypot(in.vx, in.vy) * math.Exp(-(t-in.t0)/inertiaTau)
		if speed < 0.01 || t-in.t0 > 4*inertiaTau {
			v.inertia = nil
		}
	}
	if f := v.flight; f != nil {
		if !f.started {
			f.started = true
			f.t0 = t
		}
		u := 1.0
		if f.dur > 0 {
			u = math.Min(1, (t-f.t0)/f.dur)
		}
		e := u * u * (3 - 2*u) // smoothstep
		c := slerp(f.from, f.to, e)
		fov := f.fov0 * math.Pow(f.fov1/f.fov0, e)
		if f.fovMid > math.Max(f.fov0, f.fov1)*1.01 {
			// Go up to fovMid and back down: a log-space parabola through the three values.
			l0, l1, lm := math.Log(f.fov0), math.Log(f.fov1), math.Log(f.fovMid)
			a := 2*l0 + 2*l1 - 4*lm
			b := 4*lm - 3*l0 - l1
			fov = math.Exp(a*e*e + b*e + l0)
		}
		v.cam.Lon, v.cam.Lat = fromVec(c)
		v.cam.Fov = fov
		if u >= 1 {
			v.cam.Lon, v.cam.Lat, v.cam.Fov = f.lonEnd, f.latEnd, f.fov1
			v.flight = nil
		}
		v.update()
	}
	return v.Animating()
}

// slerp interpolates between unit vectors along the great circle.
func slerp(a, b [3]float64, t float64) [3]float64 {
	d := math.Max(-1, math.Min(1, dot(a, b)))
	om := math.Acos(d)
	if om < 1e-12 {
		return b
	}
	if math.Pi-om < 1e-9 {
		// Antipodes: go through any perpendicular (via the pole unless a is a pole).
		p := cross(a, [3]float64{0, 0, 1})
		if n := math.Sqrt(dot(p, p)); n > 1e-9 {
			p = [3]float64{p[0] / n, p[1] / n, p[2] / n}
		} else {
			p = [3]float64{1, 0, 0}
		}
		s, c := math.Sincos(t * math.Pi)
		return [3]float64{a[0]*c + p[0]*s, a[1]*c + p[1]*s, a[2]*c + p[2]*s}
	}
	sa := math.Sin((1-t)*om) / math.Sin(om)
	sb := math.Sin(t*om) / math.Sin(om)
	return [3]float64{a[0]*sa + b[0]*sb, a[1]*sa + b[1]*sb, a[2]*sa + b[2]*sb}
}

// ScaleBar returns a round angular length and its length in CSS pixels at the
// centre of the view, about a fifth of the canvas width, with its label.
func (v *View) ScaleBar() (px float64, label string) {
	target := v.cam.Width / 5
	lon0, lat0, ok0 := v.proj.PixelToWorld(v.cam.Width/2-target/2, v.cam.Height/2)
	lon1, lat1, ok1 := v.proj.PixelToWorld(v.cam.Width/2+target/2, v.cam.Height/2)
	if !ok0 || !ok1 {
		return 0, ""
	}
	deg := math.Acos(math.Max(-1, math.Min(1, dot(toVec(lon0, lat0), toVec(lon1, lat1))))) * 180 / math.Pi
	if deg <= 0 {
		return 0, ""
	}
	perPx := deg / target
	nice := []float64{1, 2, 5}
	var best float64
	for e := -6.0; e <= 3; e++ {
		for _, n := range nice {
			val := n * math.Pow(10, e)
			if val <= deg {
				best = val
			}
		}
	}
	// Prefer arcsec/arcmin round numbers below a degree.
	for _, c := range []float64{30, 20, 10, 5, 2, 1} {
		if val := c / 60; val <= deg && val > best && deg < 1 {
			best = val
		}
		if val := c / 3600; val <= deg && val > best && deg < 1.0/60 {
			best = val
		}
	}
	if best == 0 {
		return 0, ""
	}
	return best / perPx, formatLength(best)
}

func formatLength(deg float64) string {
	switch {
	case deg >= 1:
		return trimFloat(deg) + "°"
	case deg >= 1.0/60:
		return trimFloat(deg*60) + "′"
	default:
		return trimFloat(deg*3600) + "″"
	}
}

func trimFloat(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e6)/1e6, 'f', -1, 64)
}
