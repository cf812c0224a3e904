//! The queue simulator: identical workers serving jobs first come, first
//! served.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One post to send: when it is ready and its unit of work (the service
/// time is `scale × work`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Job {
    /// Seconds from the start of the day at which the post may be sent
    /// (the start of its due minute); its delay counts from here.
    pub ready_s: f64,
    /// Service time per unit of scale: the media's cost times an
    /// exponential draw of mean 1.
    pub work: f64,
}

/// Runs `jobs` (in the order given, which must be by `ready_s`) through
/// `workers` identical workers: each job goes to the worker free first and
/// starts when both it and the worker are ready. Calls `each(wait, delay)`
/// for every job, where `wait` is the time before its service started and
/// `delay` the end of its service minus `ready_s`. No workers (0) is read
/// as one.
pub fn simulate(jobs: &[Job], scale: f64, workers: u32, mut each: impl FnMut(f64, f64)) {
    // Free times as bit patterns: for non-negative floats the order of the
    // bits is the order of the numbers, and integers are `Ord`.
    let mut free: BinaryHeap<Reverse<u64>> = (0..workers.max(1)).map(|_| Reverse(0)).collect();
    for job in jobs {
        let Some(mut first) = free.peek_mut() else {
            return;
        };
        let start = f64::from_bits(first.0).max(job.ready_s);
        let end = start + scale * job.work;
        first.0 = end.to_bits();
        each(start - job.ready_s, end - job.ready_s);
    }
}

/// The share of `jobs` (a fraction; 0 for none) sent with a delay under
/// `edge_s` when run as [`simulate`] does: what the fit compares with the
/// day's observed share.
pub fn share_below(jobs: &[Job], scale: f64, workers: u32, edge_s: f64) -> f64 {
    let mut below = 0usize;
    simulate(jobs, scale, workers, |_, delay| {
        below += usize::from(delay < edge_s)
    });
    if jobs.is_empty() {
        0.0
    } else {
        below as f64 / jobs.len() as f64
    }
}

/// The nearest-rank 95th percentile: the smallest delay with at least
/// 95 % of the posts at or below it (0 for none). Reorders `delays` and
/// may drop some.
///
/// A full selection over every delay is the sweep's largest cost after
/// the simulation itself, so the delays are first counted in buckets by
/// the top bits of their representation (for positive floats their order
/// is the numbers' order), and only the bucket holding the rank is
/// searched.
fn p95(delays: &mut Vec<f64>) -> f64 {
    /// Bits below the bucket: 13 bits (sign, exponent, two of mantissa)
    /// remain, so a bucket spans a quarter of a power of two.
    const SHIFT: u32 = 50;
    let bucket = |v: f64| {
        if v > 0.0 {
            (v.to_bits() >> SHIFT) as usize
        } else {
            0
        }
    };
    let n = delays.len();
    if n == 0 {
        return 0.0;
    }
    let rank = (n * 95).div_ceil(100).clamp(1, n) - 1;
    let mut counts = vec![0usize; 1 << (64 - SHIFT)];
    for &v in delays.iter() {
        if let Some(c) = counts.get_mut(bucket(v)) {
            *c += 1;
        }
    }
    let mut below = 0;
    let mut at = 0;
    for (b, &c) in counts.iter().enumerate() {
        if below + c > rank {
            at = b;
            break;
        }
        below += c;
    }
    delays.retain(|&v| bucket(v) == at);
    let rank = rank - below;
    if rank >= delays.len() {
        return 0.0;
    }
    let (_, v, _) = delays.select_nth_unstable_by(rank, f64::total_cmp);
    *v
}

/// What one simulated run (or the mean of several) gives.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Share of the posts sent within 60 s (`delay < 60`), as a fraction.
    pub share_within_60s: f64,
    /// Posts sent 90 s or more late.
    pub count_ge_90s: f64,
    /// The 95th percentile of the delays, in seconds.
    pub p95_s: f64,
    /// The mean wait before service, in seconds.
    pub mean_wait_s: f64,
}

impl Outcome {
    /// Simulates `jobs` once. With `delays` (scratch space reused between
    /// runs) the 95th percentile is computed too; without it `p95_s` is
    /// NaN (the fit needs only the share). An empty run is all zeros.
    pub fn of(jobs: &[Job], scale: f64, workers: u32, mut delays: Option<&mut Vec<f64>>) -> Self {
        if let Some(d) = delays.as_deref_mut() {
            d.clear();
        }
        let mut n = 0usize;
        let mut within = 0usize;
        let mut late = 0usize;
        let mut wait_sum = 0.0;
        simulate(jobs, scale, workers, |wait, delay| {
            n += 1;
            within += usize::from(delay < 60.0);
            late += usize::from(delay >= 90.0);
            wait_sum += wait;
            if let Some(d) = delays.as_deref_mut() {
                d.push(delay);
            }
        });
        if n == 0 {
            return Self::default();
        }
        Self {
            share_within_60s: within as f64 / n as f64,
            count_ge_90s: late as f64,
            p95_s: delays.map_or(f64::NAN, p95),
            mean_wait_s: wait_sum / n as f64,
        }
    }

    /// The mean of several outcomes (all zeros for none).
    pub fn mean(outcomes: &[Outcome]) -> Self {
        let n = outcomes.len().max(1) as f64;
        let sum = |f: fn(&Outcome) -> f64| outcomes.iter().map(f).sum::<f64>() / n;
        Self {
            share_within_60s: sum(|o| o.share_within_60s),
            count_ge_90s: sum(|o| o.count_ge_90s),
            p95_s: sum(|o| o.p95_s),
            mean_wait_s: sum(|o| o.mean_wait_s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rng::Rng;

    fn exp1(rng: &mut Rng) -> f64 {
        -(1.0 - rng.unit()).ln()
    }

    /// The Erlang C mean wait in the queue of an M/M/c queue with arrival
    /// rate `lambda` and service rate `mu` per worker.
    fn erlang_c_wait(c: u32, lambda: f64, mu: f64) -> f64 {
        let a = lambda / mu;
        let rho = a / f64::from(c);
        let mut term = 1.0;
        let mut sum = 0.0;
        for k in 0..c {
            sum += term;
            term *= a / f64::from(k + 1);
        }
        // term is now a^c / c!
        let tail = term / (1.0 - rho);
        let p_wait = tail / (sum + tail);
        p_wait / (f64::from(c) * mu - lambda)
    }

    #[test]
    fn erlang_c_formula_is_the_textbook_one() {
        // M/M/1: Wq = rho / (mu - lambda).
        assert!((erlang_c_wait(1, 0.8, 1.0) - 4.0).abs() < 1e-12);
        // M/M/2 with a = 1: P(wait) = 1/3, Wq = (1/3) / (2 - 1).
        assert!((erlang_c_wait(2, 1.0, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn mean_wait_matches_erlang_c() {
        // (workers, load per worker): light to heavy, one to many workers.
        let cases = [(1, 0.5), (2, 0.8), (5, 0.7), (10, 0.9), (24, 0.85)];
        for (i, (c, rho)) in cases.into_iter().enumerate() {
            let mu = 1.0 / 3.0; // mean service 3 s
            let lambda = rho * f64::from(c) * mu;
            let mut rng = Rng::new(1000 + i as u64);
            let mut t = 0.0;
            let jobs: Vec<Job> = (0..1_000_000)
                .map(|_| {
                    t += exp1(&mut rng) / lambda;
                    Job {
                        ready_s: t,
                        work: exp1(&mut rng),
                    }
                })
                .collect();
            let mut waits = 0.0;
            let mut n = 0usize;
            simulate(&jobs, 1.0 / mu, c, |wait, _| {
                waits += wait;
                n += 1;
            });
            let got = waits / n as f64;
            let want = erlang_c_wait(c, lambda, mu);
            let err = (got - want).abs() / want;
            assert!(
                err < 0.03,
                "c={c} rho={rho}: simulated {got:.4} s, Erlang C {want:.4} s ({:.1} %)",
                err * 100.0
            );
        }
    }

    #[test]
    fn one_worker_with_a_fixed_service_time() {
        // Work 1 each, scale 25 s: three posts at 0 s, one at 60 s, one at 120 s.
        let job = |ready_s| Job { ready_s, work: 1.0 };
        let jobs = [job(0.0), job(0.0), job(0.0), job(60.0), job(120.0)];
        let mut got = Vec::new();
        simulate(&jobs, 25.0, 1, |wait, delay| got.push((wait, delay)));
        // Ends at 25, 50, 75; the 60 s post starts at 75 and ends at 100;
        // the 120 s post finds the worker free.
        let want = [
            (0.0, 25.0),
            (25.0, 50.0),
            (50.0, 75.0),
            (15.0, 40.0),
            (0.0, 25.0),
        ];
        assert_eq!(got, want);
        let mut scratch = Vec::new();
        let o = Outcome::of(&jobs, 25.0, 1, Some(&mut scratch));
        assert_eq!(o.share_within_60s, 4.0 / 5.0);
        assert_eq!(o.count_ge_90s, 0.0);
        assert_eq!(o.p95_s, 75.0);
        assert_eq!(o.mean_wait_s, 18.0);
        // Two workers: the third post waits for the first to finish.
        let mut got = Vec::new();
        simulate(&jobs, 25.0, 2, |_, delay| got.push(delay));
        assert_eq!(got, [25.0, 25.0, 50.0, 25.0, 25.0]);
        // A slower worker: 50 s each; the fourth post (ready at 60) starts
        // at 150, ends 200: 140 s late.
        let o = Outcome::of(&jobs, 50.0, 1, Some(&mut scratch));
        assert_eq!(o.count_ge_90s, 4.0);
        assert_eq!(o.p95_s, 150.0);
        // Without scratch space, no percentile.
        assert!(Outcome::of(&jobs, 50.0, 1, None).p95_s.is_nan());
    }

    /// The plain nearest-rank selection the bucketed one must equal.
    fn p95_by_sorting(delays: &[f64]) -> f64 {
        let mut d = delays.to_vec();
        d.sort_by(f64::total_cmp);
        let rank = (d.len() * 95).div_ceil(100).clamp(1, d.len()) - 1;
        d[rank]
    }

    #[test]
    fn the_bucketed_percentile_is_the_nearest_rank_one() {
        let mut rng = Rng::new(7);
        for n in [1, 2, 19, 20, 21, 100, 1000, 40_000] {
            for spread in [1e-3, 1.0, 60.0, 1e5] {
                // Zeros, ties and a wide range of magnitudes.
                let delays: Vec<f64> = (0..n)
                    .map(|i| match i % 7 {
                        0 => 0.0,
                        1 => 30.0,
                        _ => exp1(&mut rng) * spread * (1.0 + f64::from(i % 5)),
                    })
                    .collect();
                let mut d = delays.clone();
                assert_eq!(
                    p95(&mut d),
                    p95_by_sorting(&delays),
                    "n {n}, spread {spread}"
                );
            }
        }
        assert_eq!(p95(&mut Vec::new()), 0.0);
    }

    #[test]
    fn no_jobs_give_zeros() {
        assert_eq!(Outcome::of(&[], 1.0, 3, None), Outcome::default());
        assert_eq!(Outcome::mean(&[]), Outcome::default());
    }
}
