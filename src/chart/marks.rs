//! Annotation markers over a chart: one HTML `button` per annotation in
//! the chart's x domain, positioned over the plot from the last draw's
//! frame (so they follow zoom, pan and resizes), with a legend entry per
//! kind shown.
//!
//! Contract of [`ChartMarks`] (put right after a
//! [`ChartCanvas`](super::ChartCanvas), as its next sibling):
//! - It reads where the chart drew its plot from the chart's `data-plot`
//!   and follows each redraw (`data-draws`); nothing in the chart waits
//!   for it, so it can be built after the first paint.
//! - `div.chart-marks` sits over the chart (beside its wrapper, not in
//!   it, so its buttons keep their own places in the tab order and to
//!   screen readers); each marker is
//!   `button.chart-mark[data-annotation=ID][data-kind=KIND]`, its
//!   accessible name the title (`aria-label`), its tooltip the title, kind,
//!   time and text (`data-tip`, shown by the stylesheet on hover and on
//!   keyboard focus). A moment is a thin line centred on its x; a range a
//!   translucent band from its start to its end, clipped to the plot.
//!   Only the handle at the top of each marker takes the pointer, so the
//!   chart under it still hovers, clicks and zooms. Titles are text,
//!   never HTML.
//! - `ul.chart-mark-legend` lists each kind shown, in the contract's
//!   order; a failed annotations document shows a quiet line there
//!   instead (`[data-failed]`). While the document is on its way
//!   ([`Marks::pending`]) the block is `.pending` and as tall as the
//!   view's `--marks-line` (0 where it sets none), so a chart's
//!   annotations do not push the page down.
//! - Colours come from the stylesheet (`--mark-incident`, …) per theme.
//! - Given `lines_to`, it writes there where its markers draw lines
//!   ([`lines`]); a view that builds its chart's spec with
//!   [`ChartSpec::keep_clear_of`](super::ChartSpec::keep_clear_of) those
//!   lines has the chart's rule labels step off them (one redraw when the
//!   annotations come).

use crate::api::AnnotationKind;
use crate::format;
use crate::model::annotations::Mark;
use leptos::prelude::*;

/// What a chart marks over its plot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// The annotations placed on the chart's x axis.
    pub items: Vec<Mark>,
    /// Why the annotations could not be loaded, if they could not.
    pub failed: Option<String>,
    /// The annotations are on their way: where the view holds their
    /// legend's line (`--marks-line`), the block keeps it meanwhile.
    pub pending: bool,
}

/// Where the last draw put the plot: its CSS rectangle `(x, y, w, h)`
/// relative to the markers' layer, and its x domain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// The plot rectangle, CSS px.
    pub plot: (f64, f64, f64, f64),
    /// The x domain drawn.
    pub domain: (f64, f64),
}

impl Placement {
    /// Reads a chart's `data-plot` (`x y w h lo hi`), shifted by the
    /// chart's offset `(dx, dy)` from the layer.
    pub fn parse(plot: &str, (dx, dy): (f64, f64)) -> Option<Self> {
        let v: Vec<f64> = plot
            .split(' ')
            .map(|p| p.parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect::<Option<_>>()?;
        let [x, y, w, h, lo, hi] = v.as_slice() else {
            return None;
        };
        Some(Self {
            plot: (x + dx, y + dy, *w, *h),
            domain: (*lo, *hi),
        })
    }
}

/// The chart just before `layer`'s block, and where its plot is.
fn locate(block: &web_sys::HtmlElement, layer: &web_sys::HtmlElement) -> Option<Placement> {
    use wasm_bindgen::JsCast;
    let chart: web_sys::HtmlElement = block.previous_element_sibling()?.dyn_into().ok()?;
    let plot = chart.get_attribute("data-plot")?;
    let dx = f64::from(chart.offset_left() - layer.offset_left());
    let dy = f64::from(chart.offset_top() - layer.offset_top());
    Placement::parse(&plot, (dx, dy))
}

/// Where the markers draw lines over the plot, in x units: a moment's
/// line, a range's two edges (its inside is only a tint).
pub fn lines(marks: &Marks) -> Vec<f64> {
    (marks.items.iter())
        .flat_map(|m| {
            let edge = m.range.then_some(m.x1);
            std::iter::once(m.x0).chain(edge)
        })
        .collect()
}

/// The markers and their legend, for the chart just before it.
#[component]
pub fn ChartMarks(
    /// The annotations to mark.
    marks: Signal<Marks>,
    /// Where to tell the chart the markers' [`lines`] are, so that its
    /// rule labels keep clear of them
    /// ([`ChartSpec::keep_clear_of`](super::ChartSpec::keep_clear_of)).
    #[prop(optional)]
    lines_to: Option<RwSignal<Vec<f64>>>,
) -> impl IntoView {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    if let Some(to) = lines_to {
        Effect::new(move |_| {
            let now = marks.with(lines);
            if to.with_untracked(|old| *old != now) {
                to.set(now);
            }
        });
    }
    let block = NodeRef::<leptos::html::Div>::new();
    let layer = NodeRef::<leptos::html::Div>::new();
    let placed = RwSignal::new(None::<Placement>);
    let observer =
        StoredValue::new_local(None::<(web_sys::MutationObserver, Closure<dyn FnMut()>)>);
    // Both run in a later frame or after a draw, when the chart may be
    // gone (the view left): then there is nothing to measure.
    let measure = move || {
        let (Some(b), Some(l)) = (
            block.try_get_untracked().flatten(),
            layer.try_get_untracked().flatten(),
        ) else {
            return;
        };
        let p = locate(&b, &l);
        if placed.try_get_untracked().is_some_and(|old| old != p) {
            placed.try_set(p);
        }
    };
    // Once the block is in the page and laid out (its load comes before
    // it is inserted): where the plot is now, and after each redraw.
    let follow = move || {
        measure();
        let Some(chart) = block
            .try_get_untracked()
            .flatten()
            .and_then(|b| b.previous_element_sibling())
        else {
            return;
        };
        let on_draw = Closure::<dyn FnMut()>::new(measure);
        let Ok(mo) = web_sys::MutationObserver::new(on_draw.as_ref().unchecked_ref()) else {
            return;
        };
        let init = web_sys::MutationObserverInit::new();
        init.set_attribute_filter(&js_sys::Array::of1(&"data-draws".into()));
        crate::console::report(
            "following the chart's draws",
            mo.observe_with_options(&chart, &init),
        );
        // `None` when the chart is gone: nothing to follow then.
        observer.try_set_value(Some((mo, on_draw)));
    };
    block.on_load(move |_| request_animation_frame(follow));
    on_cleanup(move || {
        observer.try_update_value(|o| {
            if let Some((mo, _)) = o.take() {
                mo.disconnect();
            }
        });
    });
    let placed = Signal::from(placed);
    view! {
        <div
            node_ref=block
            class="chart-marks-block"
            class:pending=move || marks.with(|m| m.pending)
        >
            <div node_ref=layer class="chart-marks">
                <MarkLayer marks=marks placed=placed />
            </div>
            <MarkLegend marks=marks placed=placed />
        </div>
    }
}

/// Half the width of a moment's marker, CSS px (its hit area; the line
/// drawn is 2 px).
const MOMENT_HALF_PX: f64 = 5.0;

/// How far down the plot the markers' handles reach, CSS px (a range's
/// bar, from 2 px above the plot's top; `.chart-mark-handle` in
/// `style/later.css`): what the chart writes at the plot's top starts
/// below them.
pub const HANDLES_PX: f64 = 10.0;

/// A marker's box, CSS px from the chart's left edge: `(left, width)`,
/// or `None` when it falls outside the plot.
pub fn mark_box(m: &Mark, p: &Placement) -> Option<(f64, f64)> {
    let (lo, hi) = p.domain;
    let (px, _, pw, _) = p.plot;
    let spans = hi > lo;
    if !spans || m.x1 < lo || m.x0 > hi || (!m.range && m.x0 >= hi) {
        return None;
    }
    let at = |x: f64| px + (x.clamp(lo, hi) - lo) / (hi - lo) * pw;
    if m.range {
        let (a, b) = (at(m.x0), at(m.x1));
        Some((a, (b - a).max(2.0)))
    } else {
        let c = at(m.x0);
        Some((c - MOMENT_HALF_PX, 2.0 * MOMENT_HALF_PX))
    }
}

/// The markers over the plot.
#[component]
fn MarkLayer(
    /// The annotations to mark.
    marks: Signal<Marks>,
    /// The last draw's placement.
    placed: Signal<Option<Placement>>,
) -> impl IntoView {
    let shown = move || {
        let p = placed.get()?;
        let boxes: Vec<(Mark, (f64, f64))> = marks.with(|m| {
            m.items
                .iter()
                .filter_map(|mark| Some((mark.clone(), mark_box(mark, &p)?)))
                .collect()
        });
        let (_, top, _, height) = p.plot;
        Some(
            boxes
                .into_iter()
                .map(|(mark, (left, width))| {
                    let class = if mark.range {
                        "chart-mark range"
                    } else {
                        "chart-mark"
                    };
                    view! {
                        <button
                            type="button"
                            class=class
                            data-annotation=mark.id
                            data-kind=mark.kind.as_str()
                            aria-label=mark.title
                            data-tip=mark.tip
                            style:left=format!("{}px", format::fixed(left, 2))
                            style:width=format!("{}px", format::fixed(width, 2))
                            style:top=format!("{}px", format::fixed(top, 2))
                            style:height=format!("{}px", format::fixed(height, 2))
                        >
                            <span class="chart-mark-handle"></span>
                        </button>
                    }
                })
                .collect_view(),
        )
    };
    shown
}

/// The kinds shown, one legend entry each; or why there are none.
#[component]
fn MarkLegend(
    /// The annotations to mark.
    marks: Signal<Marks>,
    /// The last draw's placement.
    placed: Signal<Option<Placement>>,
) -> impl IntoView {
    move || {
        if let Some(reason) = marks.with(|m| m.failed.clone()) {
            return Some(
                view! {
                    <p class="chart-mark-failed muted small" data-failed="annotations.json">
                        "Annotations could not be loaded: " {reason}
                    </p>
                }
                .into_any(),
            );
        }
        let p = placed.get()?;
        let kinds: Vec<AnnotationKind> = marks.with(|m| {
            AnnotationKind::ALL
                .into_iter()
                .filter(|k| {
                    m.items
                        .iter()
                        .any(|mark| mark.kind == *k && mark_box(mark, &p).is_some())
                })
                .collect()
        });
        (!kinds.is_empty()).then(|| {
            view! {
                <ul class="chart-mark-legend small" aria-label="Annotations">
                    {kinds
                        .into_iter()
                        .map(|k| view! {
                            <li data-kind=k.as_str()>
                                <span class="chart-mark-swatch" aria-hidden="true"></span>
                                {k.label()}
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(x0: f64, x1: f64, range: bool) -> Mark {
        Mark {
            id: "a".into(),
            kind: AnnotationKind::Deploy,
            x0,
            x1,
            range,
            title: "t".into(),
            tip: "t".into(),
        }
    }

    #[test]
    fn a_moment_draws_one_line_and_a_range_its_two_edges() {
        let marks = Marks {
            items: vec![mark(3.0, 3.0, false), mark(5.0, 7.5, true)],
            ..Marks::default()
        };
        assert_eq!(lines(&marks), [3.0, 5.0, 7.5]);
        assert!(lines(&Marks::default()).is_empty());
    }

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: crate::chart::Rgb) -> f64 {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    /// The value of `--name` in the stylesheet block starting at `block`.
    fn var(css: &str, block: &str, name: &str) -> crate::chart::Rgb {
        let start = css.find(block).unwrap();
        let body = &css[start..start + css[start..].find('}').unwrap()];
        let at = body.find(&format!("{name}:")).unwrap() + name.len() + 1;
        let value = body[at..].split(';').next().unwrap();
        crate::chart::color::parse_css_color(value).unwrap().0
    }

    #[test]
    fn marker_colours_stand_out_in_both_themes() {
        // Non-text contrast (WCAG 1.4.11): 3:1 against the panel surface.
        let css = include_str!("../../style/pulse.css");
        let marks = include_str!("../../style/later.css");
        for (theme, vars, surface) in [
            ("light", ":root {\n  --mark-incident", ":root {"),
            (
                "dark",
                ":root[data-theme=\"dark\"] {\n  --mark-incident",
                ":root[data-theme=\"dark\"] {",
            ),
        ] {
            let bg = luminance(var(css, surface, "--surface"));
            for kind in AnnotationKind::ALL {
                let c = luminance(var(marks, vars, &format!("--mark-{}", kind.as_str())));
                let ratio = (c.max(bg) + 0.05) / (c.min(bg) + 0.05);
                assert!(ratio >= 3.0, "{theme} {kind}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn reads_the_plot_a_chart_drew() {
        assert_eq!(
            Placement::parse(
                "40.000 8.000 600.000 200.000 480.000 491.000",
                (0.0, -308.0)
            ),
            Some(Placement {
                plot: (40.0, -300.0, 600.0, 200.0),
                domain: (480.0, 491.0)
            })
        );
        assert_eq!(Placement::parse("40 8 600 200 480", (0.0, 0.0)), None);
        assert_eq!(Placement::parse("40 8 600 200 480 NaN", (0.0, 0.0)), None);
        assert_eq!(Placement::parse("", (0.0, 0.0)), None);
    }

    #[test]
    fn boxes_follow_the_domain_and_clip_to_the_plot() {
        let p = Placement {
            plot: (40.0, 8.0, 600.0, 200.0),
            domain: (0.0, 1440.0),
        };
        // 12:00 is half way across the plot.
        assert_eq!(
            mark_box(&mark(720.0, 720.0, false), &p),
            Some((335.0, 10.0))
        );
        assert_eq!(
            mark_box(&mark(720.0, 1080.0, true), &p),
            Some((340.0, 150.0))
        );
        // Zoomed to 12:00–13:00: the range runs off the right edge.
        let zoomed = Placement {
            domain: (720.0, 780.0),
            ..p
        };
        assert_eq!(
            mark_box(&mark(750.0, 1080.0, true), &zoomed),
            Some((340.0, 300.0))
        );
        assert_eq!(mark_box(&mark(700.0, 700.0, false), &zoomed), None);
        assert_eq!(mark_box(&mark(780.0, 780.0, false), &zoomed), None);
        assert_eq!(mark_box(&mark(600.0, 700.0, true), &zoomed), None);
        let empty = Placement {
            domain: (5.0, 5.0),
            ..p
        };
        assert_eq!(mark_box(&mark(5.0, 5.0, false), &empty), None);
    }
}
