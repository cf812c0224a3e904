//! Keyboard and touch on a chart, as pure functions: which key does
//! what, the points the arrow keys step through, the window `+` and `-`
//! zoom to, and what a touch gesture is (a tap, a double tap, a zoom
//! drag, a scrub along the plot or a scroll of the page).
//!
//! Contract:
//! - [`key_action`] maps a `KeyboardEvent.key` (and Shift) to a
//!   [`KeyAction`]; keys a chart does not use give `None`, so the page
//!   keeps them (Tab, the vertical arrows, Space).
//! - [`points`] lists the data x a keyboard steps through: every x of the
//!   data layers inside the drawn domain, ascending, each once.
//!   [`step`] moves an index among them (clamped, never wrapping).
//! - [`zoom_around`] scales a domain around a point, kept inside the
//!   limits ([`zoom_limits`]); on a banded axis in whole slots, at least
//!   one. `None` when the window would not change.
//! - [`TouchGesture`] follows one gesture from its first finger down to
//!   its last finger up and says what each event means ([`TouchStep`]).
//!   It never holds on to a one-finger vertical move: the page scrolls.

use super::layout::x_domain;
use super::spec::{AxisKind, ChartSpec};

/// What a key does on a focused chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    /// Moves the crosshair by this many points (negative: to the left).
    Step(i32),
    /// To the first point.
    First,
    /// To the last point.
    Last,
    /// Halves the visible x domain around the crosshair.
    ZoomIn,
    /// Doubles it.
    ZoomOut,
    /// Back to the whole domain.
    Reset,
    /// What a click on the point does.
    Select,
}

/// How far Shift with an arrow key moves.
pub const SHIFT_STEP: i32 = 10;

/// The action of `key` (a `KeyboardEvent.key`), if the chart uses it.
pub fn key_action(key: &str, shift: bool) -> Option<KeyAction> {
    let by = if shift { SHIFT_STEP } else { 1 };
    Some(match key {
        "ArrowRight" => KeyAction::Step(by),
        "ArrowLeft" => KeyAction::Step(-by),
        "Home" => KeyAction::First,
        "End" => KeyAction::Last,
        "+" | "=" => KeyAction::ZoomIn,
        "-" | "_" => KeyAction::ZoomOut,
        "0" => KeyAction::Reset,
        "Enter" => KeyAction::Select,
        _ => return None,
    })
}

/// The data x of `spec`'s layers inside `domain`, ascending, each once
/// (on a banded axis the slots `lo ..= hi - 1`, on a linear one
/// `[lo, hi]`).
pub fn points(spec: &ChartSpec, (lo, hi): (f64, f64)) -> Vec<f64> {
    let banded = spec.x.kind.is_banded();
    let inside = |v: f64| v.is_finite() && v >= lo && if banded { v < hi } else { v <= hi };
    let mut xs: Vec<f64> = spec
        .layers
        .iter()
        .filter_map(|l| l.xs())
        .flat_map(|xs| xs.iter().copied().filter(|v| inside(*v)))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// The index `action` moves to from `current` among `len` points: a step
/// from nowhere starts at the first point (rightwards) or the last
/// (leftwards). `None` when there are no points or the action is no move.
pub fn step(len: usize, current: Option<usize>, action: KeyAction) -> Option<usize> {
    let last = len.checked_sub(1)?;
    match action {
        KeyAction::First => Some(0),
        KeyAction::Last => Some(last),
        KeyAction::Step(by) => Some(match current {
            None if by >= 0 => 0,
            None => last,
            Some(i) => {
                let i = i.min(last);
                let n = by.unsigned_abs() as usize;
                if by >= 0 {
                    i.saturating_add(n).min(last)
                } else {
                    i.saturating_sub(n)
                }
            }
        }),
        _ => None,
    }
}

/// How far a chart can zoom out: the whole day on a minutes axis, else
/// the layers' own extent; always at least the drawn `domain`.
pub fn zoom_limits(spec: &ChartSpec, domain: (f64, f64)) -> (f64, f64) {
    let full = match spec.x.kind {
        AxisKind::Minutes => (0.0, 1440.0),
        _ => {
            let mut free = spec.clone();
            free.x.domain = None;
            x_domain(&free)
        }
    };
    (full.0.min(domain.0), full.1.max(domain.1))
}

/// The domain `(lo, hi)` scaled by `factor` (½: zoom in, 2: out) around
/// data x `at`, shifted and cut to stay inside `limits`; on a banded axis
/// (`at` a slot, the window in whole slots, at least one) centred on the
/// slot. `None` if it is not a number or would not change.
pub fn zoom_around(
    (lo, hi): (f64, f64),
    at: f64,
    factor: f64,
    (min, max): (f64, f64),
    banded: bool,
) -> Option<(f64, f64)> {
    let all = [lo, hi, at, factor, min, max];
    if !all.iter().all(|v| v.is_finite()) || hi <= lo || max <= min || factor <= 0.0 {
        return None;
    }
    let mut width = ((hi - lo) * factor).min(max - min);
    let centre = if banded { at + 0.5 } else { at };
    let mut start = centre - width / 2.0;
    if banded {
        width = width.round().max(1.0);
        start = start.floor();
    }
    let start = start.min(max - width).max(min);
    let end = (start + width).min(max);
    let changed = (start - lo).abs() > 1e-9 || (end - hi).abs() > 1e-9;
    (changed && end > start).then_some((start, end))
}

/// Moves shorter than this (CSS px) leave a touch a tap.
pub const TAP_SLOP_PX: f64 = 10.0;
/// A finger held this long (ms) before it moves starts a zoom drag.
pub const LONG_PRESS_MS: f64 = 500.0;
/// A second tap within this long (ms) of the first is a double tap…
pub const DOUBLE_TAP_MS: f64 = 350.0;
/// …and within this distance (CSS px) of it.
pub const DOUBLE_TAP_PX: f64 = 30.0;
/// Zoom drags shorter than this (CSS px) select nothing.
pub const ZOOM_MIN_PX: f64 = 4.0;

/// Where a gesture is.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Phase {
    /// No finger down, or a gesture this chart leaves alone.
    #[default]
    Idle,
    /// One finger down at `(x, y)` since `t`, not moved yet.
    Pressed { x: f64, y: f64, t: f64 },
    /// Two fingers down, their midpoint at `(x, y)` when the second came.
    Pair { x: f64, y: f64 },
    /// The page is scrolling: nothing until every finger is up.
    Scroll,
    /// One finger moving along the plot: the hover follows it.
    Scrub,
    /// Selecting a zoom window from `from` (CSS x).
    Select { from: f64, to: f64 },
}

/// What a touch event means for the chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TouchStep {
    /// Nothing for the chart to do (the page may scroll).
    Nothing,
    /// Show the hover at CSS `(x, y)`.
    Hover(f64, f64),
    /// Show the zoom selection from one CSS x to another.
    Selecting(f64, f64),
    /// A tap at CSS `(x, y)`: show the hover there.
    Tap(f64, f64),
    /// A double tap: reset the zoom.
    DoubleTap,
    /// A finished zoom drag between two CSS x.
    Zoom(f64, f64),
}

impl TouchStep {
    /// Whether the browser's own handling of the event must be stopped:
    /// a zoom drag, a scrub and a tap (whose emulated mouse events would
    /// click); never a scroll.
    pub fn claims(self) -> bool {
        !matches!(self, TouchStep::Nothing)
    }
}

/// One chart's touch gesture, fed the fingers of each touch event (CSS
/// px relative to the chart) and its time (ms).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TouchGesture {
    phase: Phase,
    /// The last tap: where and when, for a double tap.
    last_tap: Option<(f64, f64, f64)>,
}

fn midpoint(fingers: &[(f64, f64)]) -> Option<(f64, f64)> {
    match fingers {
        [] => None,
        [one] => Some(*one),
        [a, b, ..] => Some(((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)),
    }
}

impl TouchGesture {
    /// A finger went down; `fingers` are all those now down.
    pub fn start(&mut self, fingers: &[(f64, f64)], t: f64) -> TouchStep {
        self.phase = match (self.phase, fingers) {
            (Phase::Idle, [(x, y)]) => Phase::Pressed { x: *x, y: *y, t },
            // A second finger before the first moved: a two-finger drag.
            (Phase::Idle | Phase::Pressed { .. } | Phase::Scrub, [_, _]) => {
                let (x, y) = midpoint(fingers).unwrap_or_default();
                Phase::Pair { x, y }
            }
            (Phase::Select { from, to }, _) => Phase::Select { from, to },
            _ => Phase::Scroll,
        };
        TouchStep::Nothing
    }

    /// The fingers moved; `fingers` are all those down.
    pub fn moved(&mut self, fingers: &[(f64, f64)], t: f64) -> TouchStep {
        let Some((x, y)) = midpoint(fingers) else {
            return TouchStep::Nothing;
        };
        match self.phase {
            Phase::Pressed {
                x: x0,
                y: y0,
                t: t0,
            } => {
                let (dx, dy) = (x - x0, y - y0);
                if dx.abs().max(dy.abs()) < TAP_SLOP_PX {
                    return TouchStep::Nothing;
                }
                if t - t0 >= LONG_PRESS_MS {
                    self.phase = Phase::Select { from: x0, to: x };
                    TouchStep::Selecting(x0, x)
                } else if dy.abs() >= dx.abs() {
                    self.phase = Phase::Scroll;
                    TouchStep::Nothing
                } else {
                    self.phase = Phase::Scrub;
                    TouchStep::Hover(x, y)
                }
            }
            Phase::Pair { x: x0, y: y0 } => {
                let (dx, dy) = (x - x0, y - y0);
                if dx.abs().max(dy.abs()) < TAP_SLOP_PX {
                    TouchStep::Nothing
                } else if dx.abs() > dy.abs() {
                    self.phase = Phase::Select { from: x0, to: x };
                    TouchStep::Selecting(x0, x)
                } else {
                    self.phase = Phase::Scroll;
                    TouchStep::Nothing
                }
            }
            Phase::Select { from, .. } => {
                self.phase = Phase::Select { from, to: x };
                TouchStep::Selecting(from, x)
            }
            Phase::Scrub => TouchStep::Hover(x, y),
            Phase::Idle | Phase::Scroll => TouchStep::Nothing,
        }
    }

    /// A finger went up (or the touch was cancelled, `cancelled`);
    /// `left` fingers are still down.
    pub fn end(&mut self, left: usize, t: f64, cancelled: bool) -> TouchStep {
        let phase = self.phase;
        if cancelled {
            self.phase = Phase::Idle;
            return TouchStep::Nothing;
        }
        match phase {
            Phase::Pressed { x, y, .. } if left == 0 => {
                self.phase = Phase::Idle;
                let double = self.last_tap.is_some_and(|(px, py, pt)| {
                    t - pt <= DOUBLE_TAP_MS && (x - px).hypot(y - py) <= DOUBLE_TAP_PX
                });
                if double {
                    self.last_tap = None;
                    TouchStep::DoubleTap
                } else {
                    self.last_tap = Some((x, y, t));
                    TouchStep::Tap(x, y)
                }
            }
            Phase::Select { from, to } => {
                // The zoom ends with the first finger up; the others
                // lifting after it do nothing.
                self.phase = if left == 0 {
                    Phase::Idle
                } else {
                    Phase::Scroll
                };
                if (to - from).abs() >= ZOOM_MIN_PX {
                    TouchStep::Zoom(from, to)
                } else {
                    TouchStep::Nothing
                }
            }
            Phase::Pair { .. } | Phase::Pressed { .. } | Phase::Scrub if left > 0 => {
                self.phase = Phase::Scroll;
                TouchStep::Nothing
            }
            _ => {
                if left == 0 {
                    self.phase = Phase::Idle;
                }
                TouchStep::Nothing
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::{Axis, Layer};
    use crate::chart::ColorRole;

    #[test]
    fn keys() {
        assert_eq!(key_action("ArrowRight", false), Some(KeyAction::Step(1)));
        assert_eq!(key_action("ArrowLeft", true), Some(KeyAction::Step(-10)));
        assert_eq!(key_action("Home", false), Some(KeyAction::First));
        assert_eq!(key_action("End", true), Some(KeyAction::Last));
        assert_eq!(key_action("+", true), Some(KeyAction::ZoomIn));
        assert_eq!(key_action("=", false), Some(KeyAction::ZoomIn));
        assert_eq!(key_action("-", false), Some(KeyAction::ZoomOut));
        assert_eq!(key_action("0", false), Some(KeyAction::Reset));
        assert_eq!(key_action("Enter", false), Some(KeyAction::Select));
        for page in ["Tab", "ArrowUp", "ArrowDown", " ", "a", "PageDown"] {
            assert_eq!(key_action(page, false), None, "{page}");
        }
    }

    #[test]
    fn steps_clamp_and_start_at_an_end() {
        assert_eq!(step(5, None, KeyAction::Step(1)), Some(0));
        assert_eq!(step(5, None, KeyAction::Step(-1)), Some(4));
        assert_eq!(step(5, Some(0), KeyAction::Step(1)), Some(1));
        assert_eq!(step(5, Some(3), KeyAction::Step(10)), Some(4));
        assert_eq!(step(50, Some(3), KeyAction::Step(10)), Some(13));
        assert_eq!(step(50, Some(3), KeyAction::Step(-10)), Some(0));
        assert_eq!(step(5, Some(2), KeyAction::First), Some(0));
        assert_eq!(step(5, None, KeyAction::Last), Some(4));
        // An index from a longer list (the data changed) is clamped.
        assert_eq!(step(5, Some(99), KeyAction::Step(-1)), Some(3));
        assert_eq!(step(0, None, KeyAction::Step(1)), None);
        assert_eq!(step(5, Some(1), KeyAction::ZoomIn), None);
    }

    #[test]
    fn points_merge_the_layers_inside_the_domain() {
        let spec = ChartSpec::new("m", Axis::minutes().domain(2.0, 6.0), Axis::linear())
            .layer(Layer::vrule(4.0, ColorRole::Grid, None))
            .layer(Layer::bars(
                "a",
                ColorRole::Ok,
                vec![1.0, 2.0, 3.0, 5.0, 6.0],
                vec![1.0; 5],
            ))
            .layer(Layer::outline(
                "b",
                ColorRole::Compare,
                vec![2.0, 4.0, f64::NAN],
                vec![1.0; 3],
            ));
        assert_eq!(points(&spec, (2.0, 6.0)), [2.0, 3.0, 4.0, 5.0]);
        let lin = ChartSpec::new("l", Axis::linear(), Axis::linear()).layer(Layer::line(
            "l",
            ColorRole::Line1,
            vec![0.0, 0.5, 1.0],
            vec![1.0; 3],
        ));
        assert_eq!(points(&lin, (0.0, 1.0)), [0.0, 0.5, 1.0]);
    }

    #[test]
    fn zoom_halves_and_doubles_around_the_point() {
        let day = (0.0, 1440.0);
        // The whole day, at 00:00: the first half of the day.
        assert_eq!(zoom_around(day, 0.0, 0.5, day, true), Some((0.0, 720.0)));
        // At 08:00: 04:00 to 12:00, the minute in the middle.
        assert_eq!(
            zoom_around(day, 480.0, 0.5, day, true),
            Some((120.0, 840.0))
        );
        // Out again from there: as wide as the day allows.
        assert_eq!(
            zoom_around((120.0, 840.0), 480.0, 2.0, day, true),
            Some((0.0, 1440.0))
        );
        assert_eq!(
            zoom_around((470.0, 500.0), 480.0, 2.0, day, true),
            Some((450.0, 510.0))
        );
        // Near the end of the day it is shifted inside it.
        assert_eq!(
            zoom_around((1400.0, 1440.0), 1439.0, 2.0, day, true),
            Some((1360.0, 1440.0))
        );
        // One minute cannot be halved; the whole day cannot grow.
        assert_eq!(zoom_around((480.0, 481.0), 480.0, 0.5, day, true), None);
        assert_eq!(zoom_around(day, 480.0, 2.0, day, true), None);
        assert_eq!(zoom_around((3.0, 2.0), 2.0, 0.5, day, true), None);
        assert_eq!(zoom_around(day, f64::NAN, 0.5, day, true), None);
        // A linear axis: exact halves.
        assert_eq!(
            zoom_around((0.0, 10.0), 4.0, 0.5, (0.0, 10.0), false),
            Some((1.5, 6.5))
        );
    }

    #[test]
    fn limits_are_the_day_or_the_data() {
        let m = ChartSpec::new("m", Axis::minutes().domain(10.0, 20.0), Axis::linear());
        assert_eq!(zoom_limits(&m, (10.0, 20.0)), (0.0, 1440.0));
        let months = ChartSpec::new("r", Axis::months().domain(5.0, 6.0), Axis::linear()).layer(
            Layer::line("l", ColorRole::Line1, vec![3.0, 8.0], vec![1.0, 2.0]),
        );
        assert_eq!(zoom_limits(&months, (5.0, 6.0)), (3.0, 9.0));
    }

    #[test]
    fn a_tap_and_a_double_tap() {
        let mut g = TouchGesture::default();
        assert_eq!(g.start(&[(100.0, 50.0)], 0.0), TouchStep::Nothing);
        assert_eq!(g.moved(&[(103.0, 52.0)], 30.0), TouchStep::Nothing);
        let tap = g.end(0, 80.0, false);
        assert_eq!(tap, TouchStep::Tap(100.0, 50.0));
        assert!(tap.claims());
        g.start(&[(110.0, 55.0)], 250.0);
        assert_eq!(g.end(0, 300.0, false), TouchStep::DoubleTap);
        // Too late for a double tap: two taps.
        g.start(&[(100.0, 50.0)], 1000.0);
        assert_eq!(g.end(0, 1050.0, false), TouchStep::Tap(100.0, 50.0));
        g.start(&[(100.0, 50.0)], 1600.0);
        assert_eq!(g.end(0, 1650.0, false), TouchStep::Tap(100.0, 50.0));
        // Too far: two taps.
        g.start(&[(300.0, 50.0)], 1800.0);
        assert_eq!(g.end(0, 1850.0, false), TouchStep::Tap(300.0, 50.0));
    }

    #[test]
    fn a_vertical_swipe_is_the_pages() {
        let mut g = TouchGesture::default();
        g.start(&[(100.0, 50.0)], 0.0);
        let s = g.moved(&[(102.0, 80.0)], 40.0);
        assert_eq!(s, TouchStep::Nothing);
        assert!(!s.claims());
        // Sideways later in the same swipe: still the page's.
        assert_eq!(g.moved(&[(200.0, 80.0)], 60.0), TouchStep::Nothing);
        assert_eq!(g.end(0, 90.0, false), TouchStep::Nothing);
        // A cancelled touch (the browser took it) ends everything.
        g.start(&[(100.0, 50.0)], 200.0);
        assert_eq!(g.end(0, 210.0, true), TouchStep::Nothing);
        assert_eq!(
            g,
            TouchGesture {
                last_tap: None,
                ..TouchGesture::default()
            }
        );
    }

    #[test]
    fn a_sideways_swipe_scrubs() {
        let mut g = TouchGesture::default();
        g.start(&[(100.0, 50.0)], 0.0);
        assert_eq!(
            g.moved(&[(130.0, 55.0)], 40.0),
            TouchStep::Hover(130.0, 55.0)
        );
        assert_eq!(
            g.moved(&[(160.0, 90.0)], 60.0),
            TouchStep::Hover(160.0, 90.0)
        );
        assert_eq!(g.end(0, 90.0, false), TouchStep::Nothing);
    }

    #[test]
    fn two_fingers_across_zoom() {
        let mut g = TouchGesture::default();
        g.start(&[(100.0, 50.0)], 0.0);
        g.start(&[(100.0, 50.0), (120.0, 70.0)], 10.0);
        assert_eq!(
            g.moved(&[(104.0, 50.0), (124.0, 70.0)], 20.0),
            TouchStep::Nothing
        );
        assert_eq!(
            g.moved(&[(200.0, 52.0), (220.0, 72.0)], 40.0),
            TouchStep::Selecting(110.0, 210.0)
        );
        assert_eq!(
            g.moved(&[(300.0, 52.0), (320.0, 72.0)], 60.0),
            TouchStep::Selecting(110.0, 310.0)
        );
        assert_eq!(g.end(1, 80.0, false), TouchStep::Zoom(110.0, 310.0));
        assert_eq!(g.end(0, 90.0, false), TouchStep::Nothing);
        // Two fingers up and down: the page's.
        g.start(&[(100.0, 50.0), (120.0, 50.0)], 200.0);
        assert_eq!(
            g.moved(&[(100.0, 150.0), (120.0, 150.0)], 220.0),
            TouchStep::Nothing
        );
        assert_eq!(g.end(0, 240.0, false), TouchStep::Nothing);
    }

    #[test]
    fn a_long_press_then_a_drag_zooms() {
        let mut g = TouchGesture::default();
        g.start(&[(100.0, 50.0)], 0.0);
        assert_eq!(g.moved(&[(101.0, 50.0)], 300.0), TouchStep::Nothing);
        assert_eq!(
            g.moved(&[(150.0, 60.0)], 700.0),
            TouchStep::Selecting(100.0, 150.0)
        );
        // Once selecting, vertical wobble does not scroll.
        assert_eq!(
            g.moved(&[(180.0, 120.0)], 750.0),
            TouchStep::Selecting(100.0, 180.0)
        );
        assert_eq!(g.end(0, 800.0, false), TouchStep::Zoom(100.0, 180.0));
        // A long press that comes back where it began zooms nowhere.
        g.start(&[(100.0, 50.0)], 1000.0);
        g.moved(&[(130.0, 50.0)], 1600.0);
        g.moved(&[(101.0, 50.0)], 1700.0);
        assert_eq!(g.end(0, 1800.0, false), TouchStep::Nothing);
    }
}
