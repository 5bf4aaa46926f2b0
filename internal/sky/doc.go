// Package sky handles positions on the celestial sphere: celestial reference
// frames (ICRS, FK5, FK4, galactic, ecliptic) and the conversions between them
// as astropy performs them, angular distance, position angle and offsets, and
// sexagesimal parsing and formatting of right ascension and declination.
//
// Angles are in degrees at every exported boundary. Longitudes returned by the
// package are normalised to [0, 360) and latitudes lie in [-90, 90].
//
// Invalid numeric input (NaN, ±Inf) never panics: functions taking angles
// return NaN (or NaN components) for it. Parsers return a *ParseError that
// names the offending part of the input.
package sky
