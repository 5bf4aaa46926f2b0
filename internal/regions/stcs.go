package regions

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

var stcsFrames = map[string]string{
	"ICRS": FrameICRS, "FK5": FrameFK5, "J2000": FrameFK5, "FK4": FrameFK4, "B1950": FrameFK4,
	"GALACTIC": FrameGalactic, "GALACTIC_II": FrameGalactic, "ECLIPTIC": FrameEcliptic, "UNKNOWNFRAME": FrameICRS,
}

var stcsSkip = map[string]bool{ // reference positions and flavours
	"BARYCENTER": true, "GEOCENTER": true, "TOPOCENTER": true, "HELIOCENTER": true, "LSR": true, "LSRK": true,
	"LSRD": true, "GALACTIC_CENTER": true, "LOCAL_GROUP_CENTER": true, "EMBARYCENTER": true, "UNKNOWNREFPOS": true,
	"SPHERICAL2": true, "CARTESIAN2": true, "UNITSPHERE": true,
}

// ParseSTCS parses an IVOA STC-S footprint as found in ObsCore s_region columns:
// "Circle ICRS ra dec r", "Ellipse ICRS ra dec a b pa", "Box ICRS ra dec w h",
// "Polygon ICRS ra1 dec1 ra2 dec2 …", "Position ICRS ra dec", several shapes in a row, and
// "Union ICRS ( … )" (its members are returned). Frames ICRS, FK5/J2000, FK4/B1950,
// GALACTIC, ECLIPTIC (missing or UNKNOWNFrame: ICRS); reference positions and flavours
// are skipped; an optional "unit deg" is accepted. Intersection and Not are refused.
func ParseSTCS(s string) ([]Region, error) {
	if len(s) > 1<<20 {
		return nil, fmt.Errorf("STC-S: longer than %d bytes", 1<<20)
	}
	toks := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s))
	var out []Region
	frame := FrameICRS
	i := 0
	for i < len(toks) {
		word := strings.ToUpper(toks[i])
		i++
		switch word {
		case "(", ")":
			continue
		case "UNION":
			// frame may follow; the members are parsed as the next shapes
			if i < len(toks) {
				if f, ok := stcsFrames[strings.ToUpper(toks[i])]; ok {
					frame = f
					i++
				}
			}
			continue
		case "INTERSECTION", "NOT", "DIFFERENCE":
			return out, fmt.Errorf("STC-S: %s regions are not supported", strings.ToLower(word))
		case "CIRCLE", "ELLIPSE", "BOX", "POLYGON", "POSITION":
		default:
			return out, fmt.Errorf("STC-S: unknown shape %q", toks[i-1])
		}
		// frame, refpos, flavour
		for i < len(toks) {
			u := strings.ToUpper(toks[i])
			if f, ok := stcsFrames[u]; ok {
				frame = f
				i++
				continue
			}
			if stcsSkip[u] {
				i++
				continue
			}
			break
		}
		var nums []float64
		for i < len(toks) {
			v, err := strconv.ParseFloat(toks[i], 64)
			if err != nil {
				break
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return out, fmt.Errorf("STC-S %s: non-finite number %q", strings.ToLower(word), toks[i])
			}
			nums = append(nums, v)
			i++
		}
		if i+1 < len(toks) && strings.EqualFold(toks[i], "unit") {
			if !strings.EqualFold(toks[i+1], "deg") {
				return out, fmt.Errorf("STC-S: unsupported unit %q", toks[i+1])
			}
			i += 2
		}
		r := Region{Frame: frame, Include: true, Source: true, Group: -1, Props: map[string]string{}}
		switch frame {
		case FrameFK5:
			r.Equinox = "J2000"
		case FrameFK4:
			r.Equinox = "B1950"
		}
		need := map[string]int{"CIRCLE": 3, "ELLIPSE": 5, "BOX": 4, "POSITION": 2}
		if n, ok := need[word]; ok && len(nums) != n {
			return out, fmt.Errorf("STC-S %s: %d numbers, want %d", strings.ToLower(word), len(nums), n)
		}
		switch word {
		case "CIRCLE":
			r.Shape, r.Points, r.Sizes = Circle, [][2]float64{{nums[0], nums[1]}}, []float64{nums[2]}
		case "ELLIPSE":
			// STC-S position angle is from north through east; DS9's is from the x axis
			r.Shape, r.Points, r.Sizes, r.Angle = Ellipse, [][2]float64{{nums[0], nums[1]}}, []float64{nums[2], nums[3]}, nums[4]
			r.Props["stcs_position_angle"] = strconv.FormatFloat(nums[4], 'g', -1, 64)
		case "BOX":
			r.Shape, r.Points, r.Sizes = Box, [][2]float64{{nums[0], nums[1]}}, []float64{nums[2], nums[3]}
		case "POSITION":
			r.Shape, r.Points, r.PointShape, r.PointSize = Point, [][2]float64{{nums[0], nums[1]}}, "circle", 11
		case "POLYGON":
			if len(nums) < 6 || len(nums)%2 != 0 {
				return out, fmt.Errorf("STC-S polygon: %d numbers, need an even number ≥ 6", len(nums))
			}
			r.Shape = Polygon
			for k := 0; k < len(nums); k += 2 {
				r.Points = append(r.Points, [2]float64{nums[k], nums[k+1]})
			}
		}
		for _, p := range r.Points {
			if p[1] < -90 || p[1] > 90 {
				return out, fmt.Errorf("STC-S %s: latitude %v out of range", strings.ToLower(word), p[1])
			}
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("STC-S: no shape in %q", trunc(s, 40))
	}
	return out, nil
}
