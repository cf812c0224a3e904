//! Annotation markers over a chart: one HTML `button` per annotation in
//! the chart's x domain, positioned over the plot from the last draw's
//! frame (so they follow zoom, pan and resizes), with a legend entry per
//! kind shown.
//!
//! Contract of [`MarkLayer`] (built by [`ChartCanvas`](super::ChartCanvas)
//! when given `marks`):
//! - `div.chart-marks` sits over the chart's box (a sibling of the
//!   `role=img` wrapper, so its buttons stay reachable by keyboard and
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
//!   instead (`[data-failed]`).
//! - Colours come from the stylesheet (`--mark-incident`, …) per theme.

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
}

/// Where the last draw put the plot: its CSS rectangle `(x, y, w, h)`
/// inside the chart and its x domain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// The plot rectangle, CSS px.
    pub plot: (f64, f64, f64, f64),
    /// The x domain drawn.
    pub domain: (f64, f64),
}

/// Half the width of a moment's marker, CSS px (its hit area; the line
/// drawn is 2 px).
const MOMENT_HALF_PX: f64 = 5.0;

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
pub fn MarkLayer(
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
    view! { <div class="chart-marks">{shown}</div> }
}

/// The kinds shown, one legend entry each; or why there are none.
#[component]
pub fn MarkLegend(
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
                let c = luminance(var(css, vars, &format!("--mark-{}", kind.as_str())));
                let ratio = (c.max(bg) + 0.05) / (c.min(bg) + 0.05);
                assert!(ratio >= 3.0, "{theme} {kind}: {ratio:.2}:1");
            }
        }
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
