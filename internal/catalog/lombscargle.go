package catalog

import "math"

// MaxFrequencies bounds the frequency grid (8,388,608 points: 64 MB per output slice).
const MaxFrequencies = 1 << 23

// FrequencyGrid returns astropy's autofrequency grid for explicit limits:
// df = 1/(samplesPerPeak·(tmax−tmin)), f_k = fmin + k·df for k = 0 … round((fmax−fmin)/df).
// It returns nil when the span or limits are degenerate or the grid would exceed
// MaxFrequencies points.
func FrequencyGrid(tmin, tmax, fmin, fmax float64, samplesPerPeak int) []float64 {
	if samplesPerPeak <= 0 {
		samplesPerPeak = 5
	}
	span := tmax - tmin
	if !(span > 0) || !(fmax >= fmin) || math.IsInf(span, 0) || math.IsInf(fmax, 0) || math.IsNaN(fmin) {
		return nil
	}
	df := 1 / (float64(samplesPerPeak) * span)
	nf := math.Round((fmax-fmin)/df) + 1
	if !(nf >= 1) || nf > MaxFrequencies {
		return nil
	}
	f := make([]float64, int(nf))
	for k := range f {
		f[k] = fmin + df*float64(k)
	}
	return f
}

// LombScargle computes the Lomb-Scargle periodogram of y(t) with uncertainties dy (nil for
// equal weights) with astropy's standard normalisation and a floating mean (the
// generalised periodogram of Zechmeister & Kürster 2009, identical to astropy's
// LombScargle(t, y, dy).power(f) with fit_mean=True, center_data=True), evaluated exactly
// (no approximation) on astropy's frequency grid (see FrequencyGrid) for [fmin, fmax].
// Non-finite samples and non-positive or non-finite dy are skipped. It returns nil
// slices for fewer than 3 valid samples or an empty or too large grid (see FrequencyGrid). The sums use
// trigonometric recurrences along the evenly spaced grid, re-seeded exactly every 256
// frequencies so that rounding does not accumulate.
func LombScargle(t, y, dy []float64, fmin, fmax float64, samplesPerPeak int) (freq, power []float64) {
	tt, yy, ww := cleanSeries(t, y, dy)
	if len(tt) < 3 {
		return nil, nil
	}
	tmin, tmax := tt[0], tt[0]
	for _, v := range tt {
		tmin = math.Min(tmin, v)
		tmax = math.Max(tmax, v)
	}
	freq = FrequencyGrid(tmin, tmax, fmin, fmax, samplesPerPeak)
	if freq == nil {
		return nil, nil
	}
	power = make([]float64, len(freq))
	df := 0.0
	if len(freq) > 1 {
		df = freq[1] - freq[0]
	}
	lsEvenGrid(tt, yy, ww, tmin, freq[0], df, power)
	return freq, power
}

// LombScarglePower evaluates the same periodogram at arbitrary frequencies.
func LombScarglePower(t, y, dy, freq []float64) []float64 {
	tt, yy, ww := cleanSeries(t, y, dy)
	power := make([]float64, len(freq))
	if len(tt) < 3 {
		return power
	}
	t0 := tt[0]
	for _, v := range tt {
		t0 = math.Min(t0, v)
	}
	for i, f := range freq {
		lsEvenGrid(tt, yy, ww, t0, f, 0, power[i:i+1])
	}
	return power
}

// cleanSeries drops invalid samples, normalises the weights to sum 1 and centres y on its
// weighted mean.
func cleanSeries(t, y, dy []float64) (tt, yy, ww []float64) {
	n := min(len(t), len(y))
	tt = make([]float64, 0, n)
	yy = make([]float64, 0, n)
	ww = make([]float64, 0, n)
	for i := 0; i < n; i++ {
		if math.IsNaN(t[i]) || math.IsInf(t[i], 0) || math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			continue
		}
		w := 1.0
		if dy != nil {
			if i >= len(dy) || !(dy[i] > 0) || math.IsInf(dy[i], 0) {
				continue
			}
			w = 1 / (dy[i] * dy[i])
			if math.IsInf(w, 0) || w == 0 {
				continue // dy so small or large that its weight is not representable
			}
		}
		tt = append(tt, t[i])
		yy = append(yy, y[i])
		ww = append(ww, w)
	}
	var sw, swy float64
	for i := range ww {
		sw += ww[i]
	}
	for i := range ww {
		ww[i] /= sw
		swy += ww[i] * yy[i]
	}
	for i := range yy {
		yy[i] -= swy
	}
	return tt, yy, ww
}

// lsEvenGrid fills power[k] for f = f0 + k·df. With w normalised to Σw = 1 and y centred
// on its weighted mean, the generalised periodogram is
// p = (SS·YC² + CC·YS² − 2·CS·YC·YS) / (YY·(CC·SS − CS²)) with
// CC = Σw cos² − (Σw cos)², SS = Σw sin² − (Σw sin)², CS = Σw cos sin − Σw cos·Σw sin,
// YC = Σwy cos, YS = Σwy sin, YY = Σwy².
func lsEvenGrid(t, y, w []float64, t0, f0, df float64, power []float64) {
	n := len(t)
	var yyS float64
	for i := 0; i < n; i++ {
		yyS += w[i] * y[i] * y[i]
	}
	if !(yyS > 0) || n == 0 {
		return
	}
	// The phasor is kept premultiplied by the weight, u = w·e^{iωt} (the rotation is
	// linear), so Σw cos = Σ Re u, Σwy cos = Σ y Re u and Σw cos² = Σ (Re u)²/w. Each
	// sample's state is kept together (phasor, rotation step, 1/w, y) for locality.
	type sample struct{ ur, ui, cd, sd, iw, y float64 }
	smp := make([]sample, n)
	for i := 0; i < n; i++ {
		smp[i].iw, smp[i].y = 1/w[i], y[i]
		smp[i].sd, smp[i].cd = math.Sincos(2 * math.Pi * df * (t[i] - t0))
	}
	const reseed = 256 // even: two frequencies are summed per pass over the samples
	for k := 0; k < len(power); k += 2 {
		if k%reseed == 0 {
			f := f0 + df*float64(k)
			for i := range smp {
				s, c := math.Sincos(2 * math.Pi * f * (t[i] - t0))
				smp[i].ur, smp[i].ui = w[i]*c, w[i]*s
			}
		}
		// Frequencies k and k+1 in one pass: u at k, u2 at k+1, then u advances by two steps.
		var sC, sS, sYC, sYS, sCC, sCS float64
		var tC, tS, tYC, tYS, tCC, tCS float64
		for i := range smp {
			p := &smp[i]
			a, b, cd, sd, y, iw := p.ur, p.ui, p.cd, p.sd, p.y, p.iw
			sC += a
			sS += b
			sYC += y * a
			sYS += y * b
			r := a * iw
			sCC += r * a
			sCS += r * b
			a2 := a*cd - b*sd
			b2 := b*cd + a*sd
			tC += a2
			tS += b2
			tYC += y * a2
			tYS += y * b2
			r2 := a2 * iw
			tCC += r2 * a2
			tCS += r2 * b2
			p.ur = a2*cd - b2*sd
			p.ui = b2*cd + a2*sd
		}
		power[k] = lsPower(sC, sS, sYC, sYS, sCC, sCS, yyS)
		if k+1 < len(power) {
			power[k+1] = lsPower(tC, tS, tYC, tYS, tCC, tCS, yyS)
		}
	}
}

// lsPower combines the sums of one frequency into the normalised power.
func lsPower(sC, sS, sYC, sYS, sCC, sCS, yy float64) float64 {
	cc := sCC - sC*sC
	ss := (1 - sCC) - sS*sS
	cs := sCS - sC*sS
	d := cc*ss - cs*cs
	if !(d > 1e-300) {
		return 0
	}
	p := (ss*sYC*sYC + cc*sYS*sYS - 2*cs*sYC*sYS) / (yy * d)
	// p is a coefficient of determination, in [0, 1] mathematically; rounding in nearly
	// singular cases (3 samples fit exactly) can leave it slightly outside.
	return math.Max(0, math.Min(1, p))
}

// BestPeriod returns the period (1/f) and power of the highest periodogram peak (the
// first maximum on ties); ok is false when there is no positive frequency with finite power.
func BestPeriod(freq, power []float64) (period, best float64, ok bool) {
	bi := -1
	for i, p := range power {
		if freq[i] > 0 && !math.IsNaN(p) && (bi < 0 || p > power[bi]) {
			bi = i
		}
	}
	if bi < 0 {
		return 0, 0, false
	}
	return 1 / freq[bi], power[bi], true
}

// PhaseFold returns the phase in [0, 1) of each time for the given period and epoch:
// phase = frac((t − epoch)/period).
func PhaseFold(t []float64, period, epoch float64) []float64 {
	out := make([]float64, len(t))
	for i, v := range t {
		p := (v - epoch) / period
		p -= math.Floor(p)
		if p >= 1 {
			p = 0
		}
		out[i] = p
	}
	return out
}
