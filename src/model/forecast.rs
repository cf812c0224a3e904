//! Forecast of a monthly series (MRR) with 80 % and 95 % prediction
//! intervals, by Holt's linear trend exponential smoothing, optionally
//! damped: ETS(A,Ad,N) in the notation of Hyndman et al., *Forecasting with
//! Exponential Smoothing* (2008).
//!
//! # Contract
//!
//! - [`forecast`] returns `horizon` steps (at most [`MAX_HORIZON`]): step
//!   `h` (index `h − 1`) is the value expected `h` periods after the last
//!   one. Nothing panics, whatever the input.
//! - **Model.** One-step errors `e_t = y_t − (l_{t−1} + φ b_{t−1})`, level
//!   `l_t = l_{t−1} + φ b_{t−1} + α e_t`, trend `b_t = φ b_{t−1} + β e_t`.
//!   Point forecast `l_n + (φ + φ² + … + φ^h) b_n`.
//! - **Fitting.** `α`, `β` (as a share of `α`, so `0 ≤ β ≤ α`) and
//!   `φ ∈ {0.8 … 0.98, 1}` (1 = no damping) are chosen by a coarse grid
//!   search (22 × 11 × 6) minimising the sum of squared one-step errors
//!   (SSE); ties go to the least damping. For each of them the initial
//!   level and trend `(l_0, b_0)` are the ones minimising that SSE, solved
//!   exactly: the errors are affine in `(l_0, b_0)`, so it is a 2 × 2
//!   least-squares problem. Series shorter than 10 values (too short to
//!   fit four parameters honestly), and degenerate systems, take
//!   `(l_0, b_0)` from a least-squares line through the first
//!   `min(n, 10)` values instead.
//! - **Intervals.** `σ² = SSE / (n − k)` with `k` the fitted parameters
//!   (two initial states, `α`, `β`, and `φ` when damped; the divisor is at
//!   least 1), and the variance of step `h` is
//!   `σ² (1 + Σ_{j=1}^{h−1} c_j²)` with `c_j = α + β (φ + … + φ^j)`
//!   (Hyndman et al., table 6.1, class 1). Bounds are `mean ± z σ_h` with
//!   `z` = 1.2816 (80 %) and 1.9600 (95 %), so the 95 % band contains the
//!   80 % band and both widen with the horizon. A perfect line has `σ = 0`
//!   and no band.
//! - **Short or bad series.** No values, or any non-finite value:
//!   [`Method::None`] and empty vectors. One or two values: [`Method::Flat`],
//!   the last value repeated with no band (`lo = hi = mean`).
//! - The bounds are not clamped: a lower bound of MRR may go below 0; see
//!   [`Forecast::floored`].
//!
//! Why not the `augurs-ets` crate (0.10.3): it does not build for
//! `wasm32-unknown-unknown` unless `getrandom` 0.2 gets its `js` feature,
//! and then adds about 250 KB to the release wasm (237 KB after
//! `wasm-bindgen`) where this module adds about 8 KB. On a noisy trend its
//! AAN forecast and this one agree within a fraction of a percent.
//!
//! # Example
//!
//! ```
//! use pulse::model::forecast::forecast;
//!
//! let line: Vec<f64> = (0..12).map(|t| 1000.0 + 50.0 * f64::from(t)).collect();
//! let f = forecast(&line, 3);
//! assert!((f.mean[0] - 1600.0).abs() < 1e-6);
//! assert!((f.mean[2] - 1700.0).abs() < 1e-6);
//! ```

/// The longest horizon computed; longer requests are cut to it.
pub const MAX_HORIZON: usize = 1200;

/// The standard normal quantile for a central 80 % interval.
pub const Z80: f64 = 1.281_551_565_544_600_5;
/// The standard normal quantile for a central 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// How many leading values the fallback initial level and trend are
/// fitted to, and the shortest series whose initial states are optimised.
const INIT_POINTS: usize = 10;
const ALPHAS: [f64; 22] = [
    0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
    0.8, 0.85, 0.9, 0.95, 0.99,
];
/// `β` as a share of `α`.
const BETA_SHARES: [f64; 11] = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];
/// Least damping first, so that ties keep the undamped model.
const PHIS: [f64; 6] = [1.0, 0.98, 0.95, 0.9, 0.85, 0.8];

/// The model behind a [`Forecast`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// No usable values: nothing is forecast.
    None,
    /// Fewer than 3 values: the last one carried forward, no band.
    Flat,
    /// Holt's linear trend, damped when `phi < 1`; `sigma` is the standard
    /// deviation of the one-step errors.
    Holt {
        /// Smoothing of the level.
        alpha: f64,
        /// Smoothing of the trend.
        beta: f64,
        /// Damping of the trend (1: none).
        phi: f64,
        /// The one-step errors' standard deviation.
        sigma: f64,
    },
}

/// Point forecasts and prediction intervals, one entry per step ahead.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    /// The expected value of each month ahead.
    pub mean: Vec<f64>,
    /// The 80 % band's low edge.
    pub lo80: Vec<f64>,
    /// The 80 % band's high edge.
    pub hi80: Vec<f64>,
    /// The 95 % band's low edge.
    pub lo95: Vec<f64>,
    /// The 95 % band's high edge.
    pub hi95: Vec<f64>,
    /// How the forecast was made.
    pub method: Method,
}

impl Forecast {
    fn empty(method: Method) -> Self {
        Self {
            mean: Vec::new(),
            lo80: Vec::new(),
            hi80: Vec::new(),
            lo95: Vec::new(),
            hi95: Vec::new(),
            method,
        }
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.mean.len()
    }

    /// No steps.
    pub fn is_empty(&self) -> bool {
        self.mean.is_empty()
    }

    /// The same forecast with every value raised to at least `min` (e.g. 0
    /// for MRR, which cannot go negative).
    pub fn floored(mut self, min: f64) -> Self {
        for v in [
            &mut self.mean,
            &mut self.lo80,
            &mut self.hi80,
            &mut self.lo95,
            &mut self.hi95,
        ] {
            v.iter_mut().for_each(|x| *x = x.max(min));
        }
        self
    }
}

/// Forecasts `horizon` steps after `values` (see the module docs).
pub fn forecast(values: &[f64], horizon: usize) -> Forecast {
    let horizon = horizon.min(MAX_HORIZON);
    if values.is_empty() || !values.iter().all(|v| v.is_finite()) {
        return Forecast::empty(Method::None);
    }
    if values.len() < 3 {
        return flat(values, horizon);
    }
    let fallback = initial_states(values);
    let optimise = values.len() >= INIT_POINTS;
    let mut best: Option<Fit> = None;
    for &phi in &PHIS {
        for &alpha in &ALPHAS {
            for &share in &BETA_SHARES {
                let beta = alpha * share;
                let (l0, b0) = optimise
                    .then(|| optimal_states(values, alpha, beta, phi))
                    .flatten()
                    .unwrap_or(fallback);
                let fit = run(values, l0, b0, alpha, beta, phi);
                if fit.sse.is_finite() && best.as_ref().is_none_or(|b| fit.sse < b.sse) {
                    best = Some(fit);
                }
            }
        }
    }
    let Some(fit) = best else {
        // Every fit overflowed (values near f64::MAX): carry the last value.
        return flat(values, horizon);
    };
    let params = if fit.phi < 1.0 { 5 } else { 4 };
    let dof = values.len().saturating_sub(params).max(1);
    let sigma2 = fit.sse / dof as f64;

    let mut out = Forecast::empty(Method::Holt {
        alpha: fit.alpha,
        beta: fit.beta,
        phi: fit.phi,
        sigma: sigma2.sqrt(),
    });
    // At step h: `phi_sum` = φ + … + φ^h, `c_sq_sum` = Σ_{j<h} c_j².
    let (mut phi_sum, mut phi_pow, mut c_sq_sum) = (0.0, 1.0, 0.0);
    for h in 1..=horizon {
        if h > 1 {
            // `phi_sum` still holds φ + … + φ^(h−1).
            let c = fit.alpha + fit.beta * phi_sum;
            c_sq_sum += c * c;
        }
        phi_pow *= fit.phi;
        phi_sum += phi_pow;
        let mean = fit.level + phi_sum * fit.trend;
        let sd = (sigma2 * (1.0 + c_sq_sum)).sqrt();
        out.mean.push(mean);
        out.lo80.push(mean - Z80 * sd);
        out.hi80.push(mean + Z80 * sd);
        out.lo95.push(mean - Z95 * sd);
        out.hi95.push(mean + Z95 * sd);
    }
    out
}

/// The last value carried forward with no band: [`Method::Flat`].
fn flat(values: &[f64], horizon: usize) -> Forecast {
    let last = values.last().copied().unwrap_or(0.0);
    let v = vec![last; horizon];
    Forecast {
        mean: v.clone(),
        lo80: v.clone(),
        hi80: v.clone(),
        lo95: v.clone(),
        hi95: v,
        method: Method::Flat,
    }
}

/// Fallback level and trend before the first value: the least-squares line
/// through the first values at `x = 1, 2, …`, taken at `x = 0`.
fn initial_states(values: &[f64]) -> (f64, f64) {
    let k = values.len().min(INIT_POINTS);
    let head = values.get(..k).unwrap_or(values);
    let n = k as f64;
    let x_mean = (n + 1.0) / 2.0;
    let y_mean = head.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in head.iter().enumerate() {
        let dx = (i + 1) as f64 - x_mean;
        sxy += dx * (y - y_mean);
        sxx += dx * dx;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (y_mean - slope * x_mean, slope)
}

/// The initial level and trend minimising the SSE for these parameters.
///
/// With `x_0 = (l_0, b_0)`, every state and one-step error is affine in
/// `x_0`: `e_t = e⁰_t − p_t · x_0`, where `e⁰` are the errors of the run
/// from `x_0 = 0` and `p_t` the one-step predictions of the runs from
/// `(1, 0)` and `(0, 1)` on an all-zero series. So the three runs go in
/// lockstep and the normal equations are solved. `None` when they are
/// (nearly) singular or not finite.
fn optimal_states(values: &[f64], alpha: f64, beta: f64, phi: f64) -> Option<(f64, f64)> {
    // (level, trend) of the data run from 0 and the two unit runs.
    let mut runs = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)];
    let (mut s11, mut s12, mut s22, mut s1e, mut s2e) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &y in values {
        let [(l0, b0), (l1, b1), (l2, b2)] = runs;
        let (p0, p1, p2) = (l0 + phi * b0, l1 + phi * b1, l2 + phi * b2);
        let e0 = y - p0;
        s11 += p1 * p1;
        s12 += p1 * p2;
        s22 += p2 * p2;
        s1e += p1 * e0;
        s2e += p2 * e0;
        // Each run's own one-step error: the unit runs see y = 0.
        let step = |l: f64, b: f64, e: f64| (l + phi * b + alpha * e, phi * b + beta * e);
        runs = [step(l0, b0, e0), step(l1, b1, -p1), step(l2, b2, -p2)];
    }
    let det = s11 * s22 - s12 * s12;
    if !(det.is_finite() && det > 1e-9 * s11 * s22) {
        return None;
    }
    let l0 = (s1e * s22 - s2e * s12) / det;
    let b0 = (s2e * s11 - s1e * s12) / det;
    (l0.is_finite() && b0.is_finite()).then_some((l0, b0))
}

/// One fitted parameter set and its final states.
struct Fit {
    alpha: f64,
    beta: f64,
    phi: f64,
    sse: f64,
    level: f64,
    trend: f64,
}

fn run(values: &[f64], l0: f64, b0: f64, alpha: f64, beta: f64, phi: f64) -> Fit {
    let (mut level, mut trend, mut sse) = (l0, b0, 0.0);
    for &y in values {
        let damped = phi * trend;
        let e = y - (level + damped);
        sse += e * e;
        level += damped + alpha * e;
        trend = damped + beta * e;
    }
    Fit {
        alpha,
        beta,
        phi,
        sse,
        level,
        trend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line with deterministic, zero-mean wiggles of size `noise`.
    fn wiggly_line(n: usize, start: f64, slope: f64, noise: f64) -> Vec<f64> {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        (0..n)
            .map(|t| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let u = (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                start + slope * t as f64 + noise * u
            })
            .collect()
    }

    #[test]
    fn a_straight_line_is_continued() {
        let line = wiggly_line(36, 1_000_000.0, 25_000.0, 0.0);
        let f = forecast(&line, 12);
        assert_eq!(f.len(), 12);
        for (h, m) in f.mean.iter().enumerate() {
            let want = 1_000_000.0 + 25_000.0 * (35 + h + 1) as f64;
            assert!((m - want).abs() < 1e-3, "step {h}: {m} vs {want}");
            assert!((f.hi95[h] - f.lo95[h]).abs() < 1e-3);
        }
        assert!(matches!(f.method, Method::Holt { phi, .. } if phi == 1.0));
    }

    #[test]
    fn a_constant_series_gives_a_flat_forecast() {
        let f = forecast(&[420_000.0; 8], 12);
        assert_eq!(f.len(), 12);
        for h in 0..12 {
            assert!((f.mean[h] - 420_000.0).abs() < 1e-6);
            assert!((f.hi95[h] - f.lo95[h]).abs() < 1e-6);
        }
    }

    #[test]
    fn intervals_widen_and_nest() {
        let series = wiggly_line(48, 500_000.0, 8_000.0, 60_000.0);
        let f = forecast(&series, 12);
        let Method::Holt { sigma, alpha, .. } = f.method else {
            panic!("{:?}", f.method)
        };
        assert!(sigma > 5_000.0 && sigma < 60_000.0, "sigma {sigma}");
        assert!(alpha > 0.0);
        let width = |h: usize| f.hi80[h] - f.lo80[h];
        for h in 0..12 {
            assert!(f.lo95[h] < f.lo80[h] && f.lo80[h] < f.mean[h]);
            assert!(f.mean[h] < f.hi80[h] && f.hi80[h] < f.hi95[h]);
            if h > 0 {
                assert!(width(h) > width(h - 1), "step {h}");
            }
            // 80 % of the band is z80/z95 of the 95 % band.
            let ratio = width(h) / (f.hi95[h] - f.lo95[h]);
            assert!((ratio - Z80 / Z95).abs() < 1e-9);
        }
        // The trend is roughly kept.
        assert!(f.mean[11] > f.mean[0]);
        assert!((f.mean[11] - f.mean[0]) / 11.0 > 4_000.0);
    }

    #[test]
    fn the_variance_formula_of_ets_aan() {
        // Undamped: 1 + (h−1)(α² + αβh + β²h(2h−1)/6).
        let series = wiggly_line(30, 100.0, 3.0, 10.0);
        let f = forecast(&series, 6);
        let Method::Holt {
            alpha,
            beta,
            phi,
            sigma,
        } = f.method
        else {
            panic!()
        };
        if phi == 1.0 {
            for h in 1..=6usize {
                let hf = h as f64;
                let want = sigma
                    * (1.0
                        + (hf - 1.0)
                            * (alpha * alpha
                                + alpha * beta * hf
                                + beta * beta * hf * (2.0 * hf - 1.0) / 6.0))
                        .sqrt();
                let got = (f.hi95[h - 1] - f.mean[h - 1]) / Z95;
                assert!((got - want).abs() < 1e-9 * want.max(1.0), "h {h}");
            }
        }
        // Damped: c_j = α + β(φ + … + φ^j), checked at h = 3.
        let damped = [
            10.0, 30.0, 45.0, 52.0, 57.0, 59.0, 61.0, 61.5, 62.0, 62.2, 62.3,
        ];
        let g = forecast(&damped, 3);
        if let Method::Holt {
            alpha,
            beta,
            phi,
            sigma,
        } = g.method
        {
            let c1 = alpha + beta * phi;
            let c2 = alpha + beta * (phi + phi * phi);
            let want = sigma * (1.0 + c1 * c1 + c2 * c2).sqrt();
            assert!(((g.hi80[2] - g.mean[2]) / Z80 - want).abs() < 1e-9);
            assert!(phi < 1.0, "a levelling series is damped");
        }
    }

    #[test]
    fn short_and_bad_series_never_panic() {
        let none = forecast(&[], 12);
        assert!(none.is_empty() && none.method == Method::None);
        assert!(forecast(&[1.0, f64::NAN, 3.0], 4).is_empty());
        assert!(forecast(&[1.0, f64::INFINITY, 3.0, 4.0], 4).is_empty());
        for values in [&[5.0][..], &[3.0, 5.0]] {
            let f = forecast(values, 4);
            assert_eq!(f.method, Method::Flat);
            assert_eq!(f.mean, vec![5.0; 4]);
            assert_eq!(
                (f.lo95.clone(), f.hi80.clone()),
                (f.mean.clone(), f.mean.clone())
            );
        }
        assert!(forecast(&[1.0, 2.0, 3.0], 0).is_empty());
        assert_eq!(forecast(&[1.0, 2.0, 3.0], usize::MAX).len(), MAX_HORIZON);
        let huge = forecast(&[f64::MAX, -f64::MAX, f64::MAX, 1.0], 3);
        assert_eq!(huge.len(), 3);
        let three = forecast(&[1.0, 2.0, 3.0], 2);
        assert!((three.mean[1] - 5.0).abs() < 1e-9);
    }

    #[test]
    fn floored_raises_the_low_bounds() {
        let f = forecast(&wiggly_line(24, 100.0, -10.0, 30.0), 12).floored(0.0);
        assert!(f.lo95.iter().chain(&f.mean).all(|&v| v >= 0.0));
        assert!(f.lo95.last() == Some(&0.0));
    }
}
