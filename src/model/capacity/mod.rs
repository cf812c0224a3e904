//! The capacity planner: how many broadcaster workers would a delivery day
//! have needed to send 95 % (or 99 %) of its posts within the minute, and
//! what would growth or spreading the on-the-hour posts do?
//!
//! # The model (issue 14; it is what makes the numbers comparable)
//!
//! - Every post counted in the day's histograms for the selection (sent
//!   posts; failed and pending ones are left out) is ready at the start of
//!   its due minute ([`Workload`]).
//! - `W` identical workers serve the posts first come, first served by due
//!   minute, in a random order inside a minute ([`simulate`]).
//! - A post's service time is exponential with mean `scale × cost[media]`
//!   (`media_cost` of `config.json`); its delay is the end of its service
//!   minus the start of its due minute.
//! - The fit: `scale` is the value for which the simulated share within
//!   60 s with the current `W` equals the day's observed share (bisection;
//!   the share falls as the scale grows), each evaluation the mean of
//!   [`REPLICATIONS`] replications. When 60 s is not one of the day's
//!   bounds, the observed share is counted below the bound that stands in
//!   for it, and the fit compares it with the simulated share below that
//!   same bound ([`PlanInput::observed_edge_s`]); the sweep still counts
//!   within 60 s.
//! - The sweep: for `W` from 1 upward until the share reaches 99.9 % or `W`
//!   reaches 4 × the current count, the mean of the replications with the
//!   fitted scale.
//! - Scenarios ([`Scenario`]): `growth` multiplies every minute's volume by
//!   `1 + P/100`; `spread` deals the posts due on the hour evenly over that
//!   minute and the `M − 1` after it (their delay then counts from their new
//!   minute).
//!
//! Randomness comes from one seeded [`Rng`](super::rng::Rng): the same
//! inputs always give the same numbers. Each replication's random draws
//! (order inside a minute, unit service times) are made once and reused for
//! every scale and worker count (common random numbers), so the simulated
//! share falls monotonically as the scale grows and the bisection is exact.
//!
//! The work is split into bounded steps ([`Planner::step`]: one evaluation,
//! a few milliseconds for a day of 40,000 posts) so a page can run it across
//! turns and show [`Planner::progress`].
//!
//! # Example
//!
//! ```
//! use pulse::api::{Media, MediaCost};
//! use pulse::model::capacity::{plan, PlanInput, Scenario, Workload};
//!
//! let mut w = Workload::default();
//! for minute in 0..60 {
//!     w.add(minute, Media::Text, 20);
//! }
//! let input = PlanInput {
//!     workload: w,
//!     observed_share: 0.9,
//!     observed_edge_s: 60.0,
//!     workers: 4,
//!     cost: MediaCost::default(),
//!     scenario: Scenario::default(),
//! };
//! let p = plan(&input).unwrap();
//! assert!((p.share_at_current - 0.9).abs() < 0.005);
//! assert!(p.workers_95.count() > 4);
//! ```

mod plan;
mod sim;
mod workload;

pub use plan::{plan, Plan, PlanInput, Planner, Reach, SweepRow, REPLICATIONS};
pub use sim::{simulate, Job, Outcome};
pub use workload::{Scenario, Workload};
