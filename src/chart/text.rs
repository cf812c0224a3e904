//! The text layer: axis line, tick marks, tick labels, axis titles and rule
//! labels, drawn with plotters' `CanvasBackend` on the canvas stacked over
//! the data canvas.
//!
//! Contract:
//! - [`decor`] is pure (host-tested): it turns a spec and a [`Frame`] into
//!   marks and labels in canvas device pixels. Labels that would overlap the
//!   previous one, or fall outside the plot's span, are dropped; long
//!   category labels are cut with `…`. A vertical rule's label keeps
//!   clear of the lines annotation markers draw over the plot
//!   (`ChartSpec::keep_clear`), pointing back at its rule when it has
//!   to step past them.
//! - [`paint`] clears the text canvas and draws the decor through
//!   `plotters_canvas::CanvasBackend` (rectangles for marks, canvas text for
//!   labels: no text measuring through the DOM). Text is never parsed as
//!   HTML. It only runs in a browser.

use plotters::backend::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::color::{ColorRole, Palette};
use super::layout::{Frame, FONT_PX, MAX_LABEL_CHARS, TICK_PX};
use super::spec::{ChartSpec, Layer};

/// The font stack of chart text.
pub const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// Horizontal anchor of a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text starts at x.
    Left,
    /// Text is centred on x.
    Center,
    /// Text ends at x.
    Right,
}

/// Vertical anchor of a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// Text hangs below y.
    Top,
    /// Text is centred on y.
    Middle,
    /// Text sits on y.
    Bottom,
}

/// A piece of text at a canvas device-pixel position.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where, device pixels from the left.
    pub x: i32,
    /// Where, device pixels from the top.
    pub y: i32,
    /// The text.
    pub text: String,
    /// How it lines up with x.
    pub align: Align,
    /// How it lines up with y.
    pub baseline: Baseline,
    /// Whether it is bold.
    pub bold: bool,
}

/// A filled rectangle `[x0, x1) × [y0, y1)` in canvas device pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Left edge, device pixels.
    pub x0: i32,
    /// Top edge, device pixels.
    pub y0: i32,
    /// Right edge, device pixels.
    pub x1: i32,
    /// Bottom edge, device pixels.
    pub y1: i32,
}

/// Everything on the text layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decor {
    /// Axis line and tick marks (axis colour).
    pub marks: Vec<Mark>,
    /// Tick labels, titles and rule labels (text colour).
    pub labels: Vec<Label>,
    /// Boxes under the rules' labels, which lie over the data (the
    /// background's colour), a little larger than their text.
    pub boxes: Vec<Mark>,
    /// Font size, device pixels.
    pub font_px: f64,
}

fn to_i(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-1e7, 1e7) as i32
    } else {
        -1
    }
}

/// Cuts `text` to [`MAX_LABEL_CHARS`] characters with `…`.
pub fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Marks and labels of the text layer.
pub fn decor(spec: &ChartSpec, frame: &Frame) -> Decor {
    let d = frame.dpr;
    let font_px = FONT_PX * d;
    let char_px = font_px * 0.62;
    // A text's width, estimated: no text measuring through the DOM.
    let width = |t: &str| to_i(t.chars().count() as f64 * char_px);
    let plot = frame.plot;
    let (left, top) = (plot.x as i32, plot.y as i32);
    let (right, bottom) = (left + plot.w as i32, top + plot.h as i32);
    let line = to_i(d).max(1);
    let tick = to_i(TICK_PX * d).max(1);
    let mut out = Decor {
        marks: Vec::new(),
        labels: Vec::new(),
        boxes: Vec::new(),
        font_px,
    };
    if plot.w == 0 || plot.h == 0 {
        return out;
    }
    // The x axis line, just below the data.
    out.marks.push(Mark {
        x0: left,
        y0: bottom,
        x1: right,
        y1: bottom + line,
    });
    // x ticks and labels.
    let mut last_right: Option<i32> = None;
    for t in &frame.x_ticks {
        let x = to_i(f64::from(plot.x) + frame.px_x(t.value));
        if x < left || x > right {
            continue;
        }
        out.marks.push(Mark {
            x0: x - line / 2,
            y0: bottom,
            x1: x - line / 2 + line,
            y1: bottom + tick,
        });
        let text = shorten(&t.label);
        let half = to_i(text.chars().count() as f64 * char_px / 2.0);
        if last_right.is_some_and(|r| x - half <= r + to_i(4.0 * d)) {
            continue;
        }
        last_right = Some(x + half);
        out.labels.push(Label {
            x,
            y: bottom + tick + to_i(2.0 * d),
            text,
            align: Align::Center,
            baseline: Baseline::Top,
            bold: false,
        });
    }
    // y labels (categories at row centres).
    let mut last_y: Option<i32> = None;
    for t in &frame.y_ticks {
        let v = if frame.y_banded {
            t.value + 0.5
        } else {
            t.value
        };
        let y = to_i(f64::from(plot.y) + frame.px_y(v));
        if y < top - 1 || y > bottom + 1 {
            continue;
        }
        if last_y.is_some_and(|last| (y - last).abs() < to_i(font_px)) {
            continue;
        }
        last_y = Some(y);
        out.labels.push(Label {
            x: left - to_i(6.0 * d),
            y,
            text: shorten(&t.label),
            align: Align::Right,
            baseline: Baseline::Middle,
            bold: false,
        });
    }
    if let Some(title) = &spec.y.title {
        out.labels.push(Label {
            x: to_i(4.0 * d),
            y: to_i(2.0 * d),
            text: title.clone(),
            align: Align::Left,
            baseline: Baseline::Top,
            bold: true,
        });
    }
    if let Some(title) = &spec.x.title {
        out.labels.push(Label {
            x: (left + right) / 2,
            y: frame.canvas_height as i32 - to_i(2.0 * d),
            text: title.clone(),
            align: Align::Center,
            baseline: Baseline::Bottom,
            bold: true,
        });
    }
    let axis_labels = out.labels.len();
    for layer in &spec.layers {
        match layer {
            Layer::HRule {
                y,
                label: Some(text),
                ..
            } => {
                let y = to_i(f64::from(plot.y) + frame.px_y(*y));
                if (top..=bottom).contains(&y) {
                    // Above the line, or below it when it hugs the top.
                    let (y, baseline) = if y - top > to_i(font_px) + 4 {
                        (y - to_i(3.0 * d), Baseline::Bottom)
                    } else {
                        (y + to_i(3.0 * d), Baseline::Top)
                    };
                    out.labels.push(Label {
                        x: right - to_i(4.0 * d),
                        y,
                        text: text.clone(),
                        align: Align::Right,
                        baseline,
                        bold: false,
                    });
                }
            }
            Layer::VRule {
                x,
                label: Some(text),
                ..
            } => {
                let x = to_i(f64::from(plot.x) + frame.px_x(*x));
                if (left..=right).contains(&x) {
                    // At the top (below where annotation markers have
                    // their handles), or at the foot when a horizontal
                    // rule (a target line) would strike it through.
                    let below = top + to_i(super::marks::HANDLES_PX * d);
                    let band = top..=below + to_i(font_px) + 2;
                    let struck = spec.layers.iter().any(|l| match l {
                        Layer::HRule { y, .. } => {
                            band.contains(&to_i(f64::from(plot.y) + frame.px_y(*y)))
                        }
                        _ => false,
                    });
                    let (y, baseline) = if struck {
                        (bottom - to_i(2.0 * d), Baseline::Bottom)
                    } else {
                        (below, Baseline::Top)
                    };
                    // Right of the rule or left of it, clear of the
                    // markers' lines when there are any.
                    let gap = to_i(4.0 * d);
                    let moved = (!spec.keep_clear.is_empty())
                        .then(|| clear_of_marks(spec, frame, x, text, (left, right), width, gap))
                        .flatten();
                    let (x, align, text) = moved.unwrap_or_else(|| {
                        let (x, align) = beside(x, width(text), right, gap);
                        (x, align, text.clone())
                    });
                    out.labels.push(Label {
                        x,
                        y,
                        text,
                        align,
                        baseline,
                        bold: false,
                    });
                }
            }
            _ => {}
        }
    }
    let (pad, h) = (to_i(2.0 * d), to_i(font_px));
    out.boxes = (out.labels.iter().skip(axis_labels))
        .map(|l| {
            let w = width(&l.text);
            let x0 = match l.align {
                Align::Left => l.x,
                Align::Center => l.x - w / 2,
                Align::Right => l.x - w,
            };
            let y0 = match l.baseline {
                Baseline::Top => l.y,
                Baseline::Middle => l.y - h / 2,
                Baseline::Bottom => l.y - h,
            };
            Mark {
                x0: x0 - pad,
                y0: y0 - pad / 2,
                x1: x0 + w + pad,
                y1: y0 + h + pad / 2,
            }
        })
        .collect();
    out
}

/// Where a vertical rule's label goes across: `(x, align)` for a rule
/// at device x `rule`, text `w` device px wide and the plot's right edge
/// at `right`: `gap` right of the rule, or left of it when the text
/// would run past the plot's right edge.
fn beside(rule: i32, w: i32, right: i32, gap: i32) -> (i32, Align) {
    if rule + gap + w > right {
        (rule - gap, Align::Right)
    } else {
        (rule + gap, Align::Left)
    }
}

/// A rule label's place clear of the markers' lines (`spec.keep_clear`),
/// if [`beside`]'s is not: `(x, align, text)`, or `None` to keep that.
///
/// First the other side of the rule, when the text fits there; where
/// lines run through both, the label steps past them on either side,
/// the nearer place winning (the right on a tie), and points back at its
/// rule with an arrow. A line nearer the text than half the gap runs
/// through it. Out of line: no first paint has markers yet, and the
/// first view's code need not hold this.
#[inline(never)]
fn clear_of_marks(
    spec: &ChartSpec,
    frame: &Frame,
    rule: i32,
    text: &str,
    (left, right): (i32, i32),
    width: impl Fn(&str) -> i32,
    gap: i32,
) -> Option<(i32, Align, String)> {
    // Where the markers put them: on the axis itself, not at a slot's
    // centre.
    let mut lines: Vec<i32> = (spec.keep_clear.iter())
        .map(|v| to_i(f64::from(frame.plot.x) + frame.x.map(*v)))
        .collect();
    lines.sort_unstable();
    let near = |from: i32, w: i32| from - gap / 2..=from + w + gap / 2;
    let clear = |from: i32, w: i32| !lines.iter().any(|l| near(from, w).contains(l));
    let w = width(text);
    let (x, align) = beside(rule, w, right, gap);
    let from = if align == Align::Left { x } else { x - w };
    if clear(from, w) {
        return None;
    }
    if align == Align::Left && rule - gap - w >= left && clear(rule - gap - w, w) {
        return Some((rule - gap, Align::Right, text.to_owned()));
    }
    // Step past the lines: rightwards from the rule, then leftwards.
    let arrowed_right = format!("← {text}");
    let wr = width(&arrowed_right);
    let mut from = rule + gap;
    for l in &lines {
        if near(from, wr).contains(l) {
            from = l + gap;
        }
    }
    let right_place = (from + wr <= right).then_some((from - (rule + gap), from));
    let arrowed_left = format!("{text} →");
    let wl = width(&arrowed_left);
    let mut to = rule - gap;
    for l in lines.iter().rev() {
        if near(to - wl, wl).contains(l) {
            to = l - gap;
        }
    }
    let left_place = (to - wl >= left).then_some(((rule - gap) - to, to));
    match (right_place, left_place) {
        (Some((dr, x)), Some((dl, _))) if dr <= dl => Some((x, Align::Left, arrowed_right)),
        (Some((_, x)), None) => Some((x, Align::Left, arrowed_right)),
        (_, Some((_, x))) => Some((x, Align::Right, arrowed_left)),
        (None, None) => None,
    }
}

/// Clears `canvas` and draws `decor` on it with plotters' canvas backend.
/// Returns `false` if the canvas has no 2D context.
pub fn paint(canvas: &HtmlCanvasElement, decor: &Decor, palette: &Palette) -> bool {
    let Some(ctx) = context_2d(canvas) else {
        return false;
    };
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    let Some(mut back) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return false;
    };
    let axis = palette.get(ColorRole::Axis);
    let axis = RGBColor(axis.0, axis.1, axis.2);
    for m in &decor.marks {
        // Drawing errors only mean a lost mark; keep drawing.
        back.draw_rect((m.x0, m.y0), (m.x1, m.y1), &axis, true).ok();
    }
    let bg = palette.background;
    let bg = RGBColor(bg.0, bg.1, bg.2);
    for m in &decor.boxes {
        back.draw_rect((m.x0, m.y0), (m.x1, m.y1), &bg, true).ok();
    }
    let text = palette.get(ColorRole::Text);
    let text = RGBColor(text.0, text.1, text.2);
    for l in &decor.labels {
        let style = if l.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(FontFamily::Name(FONT_FAMILY), decor.font_px, style);
        let pos = Pos::new(
            match l.align {
                Align::Left => HPos::Left,
                Align::Center => HPos::Center,
                Align::Right => HPos::Right,
            },
            match l.baseline {
                Baseline::Top => VPos::Top,
                Baseline::Middle => VPos::Center,
                Baseline::Bottom => VPos::Bottom,
            },
        );
        let style = TextStyle::from(font).color(&text).pos(pos);
        // As above: a lost label, not a stopped chart.
        back.draw_text(&l.text, &style, (l.x, l.y)).ok();
    }
    true
}

/// The 2D context of a canvas.
pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::color::ColorRole;
    use crate::chart::spec::Axis;

    #[test]
    fn decor_of_a_minutes_chart() {
        let spec = ChartSpec::new(
            "t",
            Axis::minutes().domain(475.0, 491.0).title("time"),
            Axis::linear().domain(0.0, 100.0).title("posts"),
        )
        .layer(Layer::hrule(60.0, ColorRole::Target, Some("60 s")));
        let f = Frame::new(&spec, 400.0, 200.0, 1.0);
        let d = decor(&spec, &f);
        let texts: Vec<&str> = d.labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["07:55", "08:00", "08:05", "08:10", "0", "50", "100", "posts", "time", "60 s"]
        );
        // "08:00" is centred on the 08:00 slot.
        let label = d.labels.iter().find(|l| l.text == "08:00").unwrap();
        assert_eq!(
            label.x,
            (f64::from(f.plot.x) + f.px_x(480.0)).round() as i32
        );
        assert_eq!(label.align, Align::Center);
        // Axis line + one mark per x tick.
        assert_eq!(d.marks.len(), 1 + 4);
        assert_eq!(d.marks[0].y0, (f.plot.y + f.plot.h) as i32);
    }

    #[test]
    fn crowded_labels_are_dropped_and_long_ones_cut() {
        let names: Vec<String> = (0..30)
            .map(|i| format!("a very long category name {i}"))
            .collect();
        let spec = ChartSpec::new("t", Axis::categories(names), Axis::linear());
        let f = Frame::new(&spec, 300.0, 150.0, 2.0);
        let d = decor(&spec, &f);
        let xs: Vec<&Label> = d
            .labels
            .iter()
            .filter(|l| l.baseline == Baseline::Top)
            .collect();
        assert!(!xs.is_empty() && xs.len() < 30);
        assert!(xs
            .iter()
            .all(|l| l.text.chars().count() <= MAX_LABEL_CHARS && l.text.ends_with('…')));
        assert_eq!(shorten("short"), "short");
    }

    #[test]
    fn a_marker_label_steps_down_from_target_lines_at_the_top() {
        let spec = |target: f64| {
            ChartSpec::new(
                "t",
                Axis::linear().domain(0.0, 10.0),
                Axis::linear().domain(0.0, 100.0),
            )
            .layer(Layer::hrule(target, ColorRole::Target, None))
            .layer(Layer::vrule(4.0, ColorRole::Compare, Some("now: 4")))
        };
        let place = |target: f64| {
            let s = spec(target);
            let f = Frame::new(&s, 400.0, 200.0, 1.0);
            let d = decor(&s, &f);
            let l = d.labels.iter().find(|l| l.text == "now: 4").cloned();
            (l, f)
        };
        // A 99 % line runs through the top: the label goes to the foot.
        let (l, f) = place(99.0);
        let l = l.unwrap();
        assert_eq!(l.baseline, Baseline::Bottom);
        assert_eq!(l.y, (f.plot.y + f.plot.h) as i32 - 2);
        // A line lower down leaves it at the top, below the annotation
        // markers' handles.
        let (l, f) = place(50.0);
        let l = l.unwrap();
        assert_eq!(l.baseline, Baseline::Top);
        assert_eq!(l.y, f.plot.y as i32 + 10);
        // A line just under that place strikes it through too.
        let (l, _) = place(88.0);
        assert_eq!(l.unwrap().baseline, Baseline::Bottom);
    }

    #[test]
    fn a_marker_label_near_the_right_edge_goes_left_of_its_rule() {
        let spec = |at: f64| {
            ChartSpec::new(
                "t",
                Axis::linear().domain(0.0, 10.0),
                Axis::linear().domain(0.0, 100.0),
            )
            .layer(Layer::vrule(at, ColorRole::Compare, Some("now: 24")))
        };
        let label = |at: f64| {
            let s = spec(at);
            let f = Frame::new(&s, 400.0, 200.0, 1.0);
            let d = decor(&s, &f);
            let rule = (f64::from(f.plot.x) + f.px_x(at)).round() as i32;
            let l = d.labels.iter().find(|l| l.text == "now: 24").cloned();
            (l.unwrap(), rule, (f.plot.x + f.plot.w) as i32)
        };
        // Room on the right: 4 px right of the rule.
        let (l, rule, _) = label(5.0);
        assert_eq!((l.align, l.x), (Align::Left, rule + 4));
        // None: 4 px left of it, ending there, within the plot.
        let (l, rule, right) = label(9.8);
        assert_eq!((l.align, l.x), (Align::Right, rule - 4));
        assert!(l.x <= right);
    }

    #[test]
    fn a_rule_label_keeps_clear_of_the_markers_lines() {
        // The rule at 5 on a 0-10 axis; markers' lines at `lines`.
        let place = |lines: &[f64]| {
            let s = ChartSpec::new(
                "t",
                Axis::linear().domain(0.0, 10.0),
                Axis::linear().domain(0.0, 100.0),
            )
            .layer(Layer::vrule(5.0, ColorRole::Text, Some("gap opened")))
            .keep_clear_of(lines.to_vec());
            let f = Frame::new(&s, 400.0, 200.0, 1.0);
            let d = decor(&s, &f);
            let px = move |v: f64| (f64::from(f.plot.x) + f.px_x(v)).round() as i32;
            let l = (d.labels.iter())
                .find(|l| l.text.contains("gap opened"))
                .cloned()
                .unwrap();
            let w = (l.text.chars().count() as f64 * FONT_PX * 0.62).round() as i32;
            let (x0, x1) = match l.align {
                Align::Left => (l.x, l.x + w),
                _ => (l.x - w, l.x),
            };
            let crossed = lines.iter().any(|v| (x0 - 2..=x1 + 2).contains(&px(*v)));
            (l, px, crossed)
        };
        // No lines: right of the rule.
        let (l, px, _) = place(&[]);
        assert_eq!(
            (l.x, l.align, l.text.as_str()),
            (px(5.0) + 4, Align::Left, "gap opened")
        );
        // A marker at the rule's own place does not move it.
        let (l, px, crossed) = place(&[5.0]);
        assert_eq!(
            (l.x, l.align, l.text.as_str()),
            (px(5.0) + 4, Align::Left, "gap opened")
        );
        assert!(!crossed);
        // A line through it on the right: left of the rule, as it is.
        let (l, px, crossed) = place(&[6.0]);
        assert_eq!(
            (l.x, l.align, l.text.as_str()),
            (px(5.0) - 4, Align::Right, "gap opened")
        );
        assert!(!crossed);
        // Lines on both sides: past the nearer one (left, 0.5 away against
        // 1.0), pointing back at the rule.
        let (l, px, crossed) = place(&[4.5, 6.0]);
        assert_eq!(
            (l.x, l.align, l.text.as_str()),
            (px(4.5) - 4, Align::Right, "gap opened →")
        );
        assert!(!crossed);
        // No room past the left ones: past the right one instead.
        let (l, px, crossed) = place(&[2.0, 4.5, 6.0]);
        assert_eq!(
            (l.x, l.align, l.text.as_str()),
            (px(6.0) + 4, Align::Left, "← gap opened")
        );
        assert!(!crossed);
        // No clear place anywhere: beside the rule, as without markers.
        let every: Vec<f64> = (0..=40).map(|i| f64::from(i) / 4.0).collect();
        let (l, px, crossed) = place(&every);
        assert_eq!(
            (l.x, l.align, l.text.as_str()),
            (px(5.0) + 4, Align::Left, "gap opened")
        );
        assert!(crossed);
    }

    #[test]
    fn rule_labels_and_only_they_get_a_box_a_little_larger_than_their_text() {
        let spec = ChartSpec::new(
            "t",
            Axis::linear().domain(0.0, 10.0).title("x"),
            Axis::linear().domain(0.0, 100.0),
        )
        .layer(Layer::hrule(50.0, ColorRole::Target, Some("target")))
        .layer(Layer::vrule(4.0, ColorRole::Compare, Some("now: 4")));
        let f = Frame::new(&spec, 400.0, 200.0, 1.0);
        let d = decor(&spec, &f);
        assert_eq!(d.boxes.len(), 2, "{:?}", d.boxes);
        let label = |t: &str| d.labels.iter().find(|l| l.text == t).unwrap();
        // "now: 4", 6 characters from its left edge, hanging from y.
        let now = label("now: 4");
        let w = (6.0 * FONT_PX * 0.62_f64).round() as i32;
        assert_eq!(
            d.boxes[1],
            Mark {
                x0: now.x - 2,
                y0: now.y - 1,
                x1: now.x + w + 2,
                y1: now.y + FONT_PX.round() as i32 + 1,
            }
        );
        // "target" ends at its x and sits on y.
        let target = label("target");
        assert_eq!((d.boxes[0].x1, d.boxes[0].y1), (target.x + 2, target.y + 1));
    }

    #[test]
    fn empty_frame_has_no_decor() {
        let spec = ChartSpec::new("t", Axis::linear(), Axis::linear());
        let d = decor(&spec, &Frame::new(&spec, 0.0, 0.0, 1.0));
        assert!(d.marks.is_empty() && d.labels.is_empty());
    }
}
