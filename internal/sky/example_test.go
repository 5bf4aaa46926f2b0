package sky_test

import (
	"fmt"

	"github.com/skyglass/skyglass/internal/sky"
)

func ExampleParseCoords() {
	ra, dec, err := sky.ParseCoords("12:30:49.42 +12:23:28.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.6f %.6f\n", ra, dec)
	_, _, err = sky.ParseCoords("12:61:00 +12:00:00")
	fmt.Println(err)
	// Output:
	// 187.705917 12.391111
	// sky.ParseCoords "12:61:00 +12:00:00": right ascension: sky.ParseRA "12:61:00 ": minutes field "61" must be less than 60
}

func ExampleFormatRA() {
	fmt.Println(sky.FormatRA(187.7059166, 2), sky.FormatDec(-0.5, 1))
	fmt.Println(sky.FormatRAStyle(187.7059166, 1, sky.Letters), sky.FormatDecStyle(12.391111, 0, sky.Symbols))
	// Output:
	// 12:30:49.42 -00:30:00.0
	// 12h30m49.4s +12°23′28″
}

func ExampleConvert() {
	// The Galactic centre, from galactic to ICRS and to FK4 B1950 (with the
	// E-terms of aberration, 0.34" here).
	ra, dec := sky.Convert(sky.FrameGalactic, sky.FrameICRS, 0, 0)
	fmt.Printf("ICRS %.5f %.5f\n", ra, dec)
	ra, dec = sky.Convert(sky.FrameGalactic, sky.FrameFK4B1950, 0, 0)
	fmt.Printf("FK4  %.5f %.5f\n", ra, dec)
	// Output:
	// ICRS 266.40499 -28.93618
	// FK4  265.61074 -28.91679
}

func ExampleNewTransform() {
	f, err := sky.ParseFrame("fk5 J1975")
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := sky.NewTransform(sky.FrameICRS, f)
	if err != nil {
		fmt.Println(err)
		return
	}
	ra, dec := t.Convert(10.68458, 41.26917) // M31
	fmt.Printf("%v %.6f %.6f\n", t.To(), ra, dec)
	// Output:
	// FK5(J1975) 10.342091 41.132321
}
