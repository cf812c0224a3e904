//! The chart component and PNG export.
//!
//! Contract of [`ChartCanvas`]:
//! - Renders `div.chart[data-chart][role=application]
//!   [aria-roledescription=chart][tabindex=0][aria-label]` holding, in
//!   order: `canvas[data-layer=data]`, `canvas[data-layer=text]` (both
//!   `position:absolute; inset:0`), `div.chart-selection`,
//!   `div.chart-crosshair`, `div.chart-tooltip` (`aria-hidden`: the live
//!   region speaks for it), `div.chart-live[aria-live=polite]` and
//!   `span.chart-about[hidden]`. The wrapper takes its size from the
//!   stylesheet (give `.chart` a height); the canvases follow it
//!   (ResizeObserver) at `devicePixelRatio`. It is focusable (the
//!   stylesheet's `:focus-visible` ring) and `touch-action: pan-y`.
//! - Its accessible name is the spec's `label`; its description
//!   (`aria-describedby` → `span.chart-about`) one sentence: the view's
//!   `summary`, else [`summary`](super::summary::summary) of the spec,
//!   kept current as either changes.
//! - The role, focus, live region, description and the key and touch
//!   listeners are set up once `later` holds (at once without it): a chart
//!   of the first paint leaves them, and their code, to the page's second
//!   part. Until then the wrapper is `role=img`.
//! - Redraws both canvases when the spec (compared with `==`, so an equal
//!   spec does not redraw), the size, or the theme changes
//!   (attributes `class`, `data-theme`, `style` of `<html>`/`<body>`, or the
//!   system colour scheme). Colours are read at draw time from the CSS custom
//!   properties on the wrapper (see [`ColorRole::css_var`](super::color::ColorRole::css_var));
//!   the data layer is painted on `--chart-bg` if set, else on the first
//!   non-transparent background of the wrapper's ancestors.
//! - A chart's first draw waits for the next turn of the page when another
//!   chart has just drawn in the same task, so a page of charts shows its
//!   first one as soon as it is ready and draws the others in turn; every
//!   later redraw (data, size, theme, zoom) is immediate.
//! - The data layer is one `putImageData` per draw. Hover only moves the
//!   crosshair and tooltip with CSS transforms and fills the tooltip with
//!   text nodes (never HTML); it never redraws a canvas.
//! - Click (no drag) on the plot: `on_select(Pick)`. Drag across x (≥ 4 CSS
//!   px): `on_zoom((lo, hi))`, see [`zoom_window`]. Double-click: `on_reset`.
//! - Keyboard, on the focused chart ([`super::gesture`]): ← and → move the
//!   crosshair to the previous and next data x drawn (Shift: by ten), Home
//!   and End to the first and last; the tooltip shows beside it and its
//!   text goes to the live region. `+` and `-` call `on_zoom` with the x
//!   domain halved or doubled around the crosshair (kept in the day on a
//!   minutes axis, else in the data's extent); `0` calls `on_reset`; Enter
//!   calls `on_select` with the crosshair's point. After a redraw the
//!   crosshair stays on its point while it is drawn. Keys with Ctrl, Alt
//!   or Meta, and keys the chart does not use, are the page's.
//! - Touch ([`TouchGesture`]): a tap shows the hover at the nearest point
//!   (and clicks nothing); a one-finger sideways move scrubs the hover
//!   along; a two-finger sideways drag, or a long press then a drag, shows
//!   the selection and zooms like a mouse drag; a double tap calls
//!   `on_reset`. A one-finger vertical swipe is never held: the page
//!   scrolls.
//! - Pointer, finger and keys show the hover through one function; a
//!   finger's or a key's point is where the keys go on from.
//! - After each draw the wrapper carries `data-draws` (a counter),
//!   `data-draw-ms` (whole draw) and `data-raster-ms` (data layer only), for
//!   tests and profiling, and `data-plot`: the plot rectangle in CSS px
//!   and the x domain drawn (`x y w h lo hi`), for what is placed over the
//!   plot ([`super::marks`]).
//!
//! [`export_png`] / [`download_png`] composite both layers on the data
//! background into a PNG.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{
    Element, HtmlCanvasElement, HtmlElement, ImageData, KeyboardEvent, MouseEvent, TouchEvent,
    Window,
};

use super::color::{parse_css_color, Palette, Rgb};
use super::gesture::{
    key_action, points, step, zoom_around, zoom_limits, KeyAction, TouchGesture, TouchStep,
};
use super::hover::{hover, hover_x, nearest_index, zoom_window, Hover};
use super::layout::Frame;
use super::raster::render;
use super::spec::ChartSpec;
use super::text::{context_2d, decor, paint};
use crate::format;
use std::cell::Cell;

/// What a click picked: the data x snapped to (a minute, a month index,
/// a category index, a number) and the row under the pointer on a
/// categorical y axis or a heatmap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pick {
    /// The x value picked, in data units.
    pub x: f64,
    /// The row picked (a heatmap's), if any.
    pub row: Option<usize>,
}

/// Drags shorter than this (CSS px) are clicks.
const DRAG_MIN_PX: f64 = 4.0;

const CANVAS_STYLE: &str = "position:absolute;inset:0;width:100%;height:100%;display:block;";
const WRAPPER_STYLE: &str =
    "position:relative;user-select:none;-webkit-user-select:none;touch-action:pan-y;";
/// The live region: read by screen readers, not shown.
const LIVE_STYLE: &str = "position:absolute;width:1px;height:1px;overflow:hidden;\
    clip-path:inset(50%);white-space:nowrap;";
const SELECTION_STYLE: &str = "position:absolute;left:0;top:0;width:0;height:0;display:none;\
    pointer-events:none;background:var(--chart-selection, rgba(128,128,128,0.22));";
const CROSSHAIR_STYLE: &str = "position:absolute;left:0;top:0;width:1px;height:0;display:none;\
    pointer-events:none;background:var(--chart-axis, #6b7280);";
const TOOLTIP_STYLE: &str = "position:absolute;left:0;top:0;display:none;pointer-events:none;\
    white-space:nowrap;z-index:2;";

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Size {
    w: f64,
    h: f64,
    dpr: f64,
}

/// A hover, the palette to colour its swatches, and where things are.
type Hovered = (Hover, Palette, Geometry);

/// The plot rectangle and the chart size, CSS px, as of the last draw (so
/// hover never has to measure the DOM).
#[derive(Clone, Copy, Debug)]
struct Geometry {
    /// `(x, y, w, h)`.
    plot: (f64, f64, f64, f64),
    width: f64,
    height: f64,
}

impl Geometry {
    fn of(frame: &Frame) -> Self {
        Self {
            plot: frame.css_plot(),
            width: f64::from(frame.canvas_width) / frame.dpr,
            height: f64::from(frame.canvas_height) / frame.dpr,
        }
    }
}

/// What the last draw used, for hover.
struct Drawn {
    frame: Frame,
    palette: Palette,
}

/// The browser observers of one chart, disconnected on cleanup.
struct Observers {
    resize: web_sys::ResizeObserver,
    mutation: Option<web_sys::MutationObserver>,
    media: Option<web_sys::MediaQueryList>,
    /// Matches the devicePixelRatio of the first draw: its `change` fires
    /// when the window moves to a screen of another density.
    density: Option<web_sys::MediaQueryList>,
    _on_resize: Closure<dyn FnMut(JsValue)>,
    on_theme: Closure<dyn FnMut(JsValue)>,
    on_density: Closure<dyn FnMut(JsValue)>,
}

impl Observers {
    fn disconnect(&self) {
        self.resize.disconnect();
        if let Some(m) = &self.mutation {
            m.disconnect();
        }
        // Removing a listener that is not there is no failure.
        if let Some(m) = &self.media {
            m.remove_event_listener_with_callback("change", self.on_theme.as_ref().unchecked_ref())
                .ok();
        }
        if let Some(m) = &self.density {
            m.remove_event_listener_with_callback(
                "change",
                self.on_density.as_ref().unchecked_ref(),
            )
            .ok();
        }
    }
}

/// The point the crosshair is on (by pointer, finger or key), for the keys
/// and Enter: its data x, the CSS height it was shown at and the row there.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Point {
    x: f64,
    y: f64,
    row: Option<usize>,
}

/// Where pointer, keys and touches are.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Keys {
    /// The point the crosshair is on, if any.
    point: Option<Point>,
    /// Whether the keyboard moved the crosshair last (it then stays on
    /// its point through a redraw).
    keyed: bool,
    /// The touch gesture under way.
    touch: TouchGesture,
}

/// What the keys and touches need of a chart, before their own state.
type Handles = (
    Memo<ChartSpec>,
    [NodeRef<html::Div>; 4],
    StoredValue<Option<Drawn>>,
    Option<Callback<Pick>>,
    Option<Callback<(f64, f64)>>,
    Option<Callback<()>>,
);

/// The handles of one chart that its event handlers share (all `Copy`).
#[derive(Clone, Copy)]
struct Parts {
    spec: Memo<ChartSpec>,
    wrapper: NodeRef<html::Div>,
    selection: NodeRef<html::Div>,
    crosshair: NodeRef<html::Div>,
    tooltip: NodeRef<html::Div>,
    drawn: StoredValue<Option<Drawn>>,
    keys: StoredValue<Keys>,
    on_select: Option<Callback<Pick>>,
    on_zoom: Option<Callback<(f64, f64)>>,
    on_reset: Option<Callback<()>>,
}

impl Parts {
    fn point(self) -> Option<Point> {
        self.keys.try_with_value(|k| k.point).flatten()
    }

    fn keyed(self) -> bool {
        self.keys.try_with_value(|k| k.keyed).unwrap_or(false)
    }

    fn set_keyed(self, keyed: bool) {
        self.keys.try_update_value(|k| k.keyed = keyed);
    }
}

/// A chart: a data canvas, a text canvas, crosshair, tooltip and drag
/// selection, by pointer, keyboard and touch (see the module contract).
///
/// ```ignore
/// view! { <ChartCanvas spec=spec name="delivery-minutes" on_zoom=Callback::new(move |(lo, hi)| set_window((lo, hi))) /> }
/// ```
#[component]
pub fn ChartCanvas(
    /// What to draw, cached (hover reads it on every mousemove); the chart
    /// redraws when it changes (compared with `==`: an equal spec does
    /// not redraw).
    spec: Memo<ChartSpec>,
    /// The `data-chart` attribute (e.g. the panel id).
    #[prop(optional, into)]
    name: String,
    /// Click on the plot (no drag), or Enter on the keyboard's point.
    #[prop(optional)]
    on_select: Option<Callback<Pick>>,
    /// Drag across x, a two-finger drag, `+` or `-`: the domain window.
    #[prop(optional)]
    on_zoom: Option<Callback<(f64, f64)>>,
    /// Double-click, double tap or `0`.
    #[prop(optional)]
    on_reset: Option<Callback<()>>,
    /// The chart in one sentence, for its accessible description (read
    /// only once it is written, see `later`); by default one computed
    /// from the spec ([`super::summary::summary`]).
    #[prop(optional, into)]
    summary: Option<Signal<String>>,
    /// The keys, touches and the description are set up once this holds:
    /// a chart of the first paint waits for the page's second part with
    /// them. By default they are set up at once.
    #[prop(optional, into)]
    later: Option<Signal<bool>>,
) -> impl IntoView {
    let wrapper = NodeRef::<html::Div>::new();
    let data_canvas = NodeRef::<html::Canvas>::new();
    let text_canvas = NodeRef::<html::Canvas>::new();
    let selection = NodeRef::<html::Div>::new();
    let crosshair = NodeRef::<html::Div>::new();
    let tooltip = NodeRef::<html::Div>::new();

    let size = RwSignal::new(Size::default());
    let theme = RwSignal::new(0u32);
    // Bumped to run a first draw that waited for its turn.
    let turn = RwSignal::new(0u32);
    let drawn = StoredValue::new(None::<Drawn>);
    let drag = StoredValue::new(None::<f64>);
    let draws = StoredValue::new(0u64);
    // A turn asked for the first draw is pending; this run is that turn.
    let (waiting, own_turn) = (StoredValue::new(false), StoredValue::new(false));
    let observers = StoredValue::new_local(None::<Observers>);

    wrapper.on_load(move |el| {
        let installed = install_observers(&el, size, theme);
        observers.try_set_value(installed);
    });
    on_cleanup(move || {
        observers.try_update_value(|o| {
            if let Some(o) = o.take() {
                o.disconnect();
            }
        });
    });

    let drawn_mark = format!("drawn {name}");
    Effect::new(move |_| {
        let size = size.get();
        theme.track();
        turn.track();
        let (Some(w), Some(dc), Some(tc)) = (wrapper.get(), data_canvas.get(), text_canvas.get())
        else {
            return;
        };
        // Not laid out yet (or hidden): the size observer calls again.
        if !(size.w > 0.0 && size.h > 0.0) {
            return;
        }
        // The first draw has a task of its own, after the one that built
        // the page around the chart, and no other chart's first draw.
        let own = own_turn.get_value();
        own_turn.set_value(false);
        if draws.get_value() == 0 && !(own && take_drawing_turn()) {
            if !waiting.get_value() {
                waiting.set_value(true);
                leptos::task::spawn_local(async move {
                    crate::turn::next_turn().await;
                    waiting.try_set_value(false);
                    own_turn.try_set_value(true);
                    turn.try_update(|n| *n += 1);
                });
            }
            return;
        }
        let result = spec.with(|s| draw(&w, &dc, &tc, s, size));
        if result.is_some() {
            let n = draws.get_value() + 1;
            draws.set_value(n);
            // A count for tests and tools; the chart is drawn either way.
            w.set_attribute("data-draws", &n.to_string()).ok();
            if n == 1 {
                crate::timing::mark(&drawn_mark);
            }
        }
        drawn.set_value(result);
        hide(&crosshair.get_untracked(), &tooltip.get_untracked());
    });

    // The layout the layers need, set through the CSSOM: a `style`
    // attribute would be refused under a strict content security policy.
    // Then, once `later` holds, the keys, touches and the description.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let styled = style_layers(&[
            (wrapper.get().map(Into::into), WRAPPER_STYLE),
            (data_canvas.get().map(Into::into), CANVAS_STYLE),
            (text_canvas.get().map(Into::into), CANVAS_STYLE),
            (selection.get().map(Into::into), SELECTION_STYLE),
            (crosshair.get().map(Into::into), CROSSHAIR_STYLE),
            (tooltip.get().map(Into::into), TOOLTIP_STYLE),
        ]);
        let ready = styled && later.is_none_or(|s| s.get());
        if ready {
            let nodes = [wrapper, selection, crosshair, tooltip];
            enhance((spec, nodes, drawn, on_select, on_zoom, on_reset), summary);
        }
        ready
    });

    // Pointer position relative to the wrapper, CSS px.
    let local = move |ev: &MouseEvent| -> Option<(f64, f64)> {
        let el = wrapper.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        Some((
            f64::from(ev.client_x()) - rect.left(),
            f64::from(ev.client_y()) - rect.top(),
        ))
    };
    let hover_at = move |x: f64, y: f64| -> Option<Hovered> {
        drawn.with_value(|d| {
            let d = d.as_ref()?;
            let h = spec.with_untracked(|s| hover(s, &d.frame, x, y))?;
            Some((h, d.palette.clone(), Geometry::of(&d.frame)))
        })
    };

    let on_move = move |ev: MouseEvent| {
        let Some((x, y)) = local(&ev) else {
            return;
        };
        if let (Some(start), Some(sel)) = (drag.get_value(), selection.get_untracked()) {
            drawn.with_value(|d| {
                if let Some(d) = d {
                    show_selection(&sel, start, x, d.frame.css_plot());
                }
            });
        }
        show(&crosshair, &tooltip, None, hover_at(x, y), (x, y), false);
    };
    let on_down = move |ev: MouseEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some((x, y)) = local(&ev) else {
            return;
        };
        let inside = drawn.with_value(|d| d.as_ref().is_some_and(|d| d.frame.contains_css(x, y)));
        if inside {
            ev.prevent_default();
            drag.set_value(Some(x));
        }
    };
    let on_up = move |ev: MouseEvent| {
        let Some(start) = drag.get_value() else {
            return;
        };
        drag.set_value(None);
        if let Some(sel) = selection.get_untracked() {
            set_style(&sel, "display", "none");
        }
        let Some((x, y)) = local(&ev) else {
            return;
        };
        if (x - start).abs() >= DRAG_MIN_PX {
            let window = drawn.with_value(|d| {
                let d = d.as_ref()?;
                spec.with_untracked(|s| zoom_window(s, &d.frame, start, x))
            });
            if let (Some(cb), Some(window)) = (on_zoom, window) {
                cb.try_run(window);
            }
        } else if let (Some(cb), Some((h, _, _))) = (on_select, hover_at(x, y)) {
            cb.try_run(Pick { x: h.x, row: h.row });
        }
    };
    let on_leave = move |_: MouseEvent| {
        drag.set_value(None);
        if let Some(sel) = selection.get_untracked() {
            set_style(&sel, "display", "none");
        }
        hide(&crosshair.get_untracked(), &tooltip.get_untracked());
    };
    let on_dblclick = move |_: MouseEvent| {
        if let Some(cb) = on_reset {
            cb.try_run(());
        }
    };

    view! {
        <div
            node_ref=wrapper
            class="chart"
            data-chart=name
            role="img"
            aria-label=move || spec.with(|s| s.label.clone())
            on:mousemove=on_move
            on:mousedown=on_down
            on:mouseup=on_up
            on:mouseleave=on_leave
            on:dblclick=on_dblclick
        >
            <canvas node_ref=data_canvas data-layer="data" aria-hidden="true"></canvas>
            <canvas node_ref=text_canvas data-layer="text" aria-hidden="true"></canvas>
            <div node_ref=selection class="chart-selection"></div>
            <div node_ref=crosshair class="chart-crosshair"></div>
            <div node_ref=tooltip class="chart-tooltip"></div>
        </div>
    }
}

/// The events the chart follows besides the mouse's.
const EVENTS: [&str; 6] = [
    "keydown",
    "blur",
    "touchstart",
    "touchmove",
    "touchend",
    "touchcancel",
];

/// Makes the chart work by keys and touch, and describes it (see the
/// module contract): a focusable `role=application`, its live region and
/// description, and the listeners, removed with the chart.
#[inline(never)]
fn enhance(handles: Handles, summary: Option<Signal<String>>) {
    let (spec, [wrapper, selection, crosshair, tooltip], drawn, on_select, on_zoom, on_reset) =
        handles;
    // The chart's owner (this runs in its layout effect): what is set up
    // here goes with the chart.
    let owner = Owner::current().and_then(|o| o.parent());
    let p = Parts {
        spec,
        wrapper,
        selection,
        crosshair,
        tooltip,
        drawn,
        keys: match &owner {
            Some(owner) => owner.with(|| StoredValue::new(Keys::default())),
            None => StoredValue::new(Keys::default()),
        },
        on_select,
        on_zoom,
        on_reset,
    };
    let Some(w) = p.wrapper.get_untracked() else {
        return;
    };
    let w: HtmlElement = w.into();
    let Some(doc) = w.owner_document() else {
        return;
    };
    // Attributes for assistive technology; the chart draws without them.
    for (name, value) in [
        ("role", "application"),
        ("aria-roledescription", "chart"),
        ("tabindex", "0"),
    ] {
        w.set_attribute(name, value).ok();
    }
    if let Some(t) = p.tooltip.get_untracked() {
        t.set_attribute("aria-hidden", "true").ok();
    }
    let add = |tag: &str, class: &str| -> Option<Element> {
        let el = doc.create_element(tag).ok()?;
        el.set_class_name(class);
        w.append_child(&el).ok()?;
        Some(el)
    };
    if let Some(live) = add("div", "chart-live") {
        live.set_attribute("aria-live", "polite").ok();
        if let Some(live) = live.dyn_ref::<HtmlElement>() {
            live.style().set_css_text(LIVE_STYLE);
        }
    }
    if let Some(about) = add("span", "chart-about") {
        about.set_attribute("hidden", "").ok();
        let n = DESCRIBED.with(|d| {
            let n = d.get().wrapping_add(1);
            d.set(n);
            n
        });
        about.set_id(&format!("chart-about-{n}"));
        w.set_attribute("aria-describedby", &about.id()).ok();
    }
    let on_event = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| on_event(p, ev));
    for name in EVENTS {
        crate::console::report(
            "following keys and touches",
            w.add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref()),
        );
    }
    // After each draw (a zoom by key, new data), the keys' point again.
    let on_draw = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        if p.keyed() {
            keep_key_point(p);
        }
    });
    let drawing = web_sys::MutationObserver::new(on_draw.as_ref().unchecked_ref()).ok();
    if let Some(mo) = &drawing {
        let init = web_sys::MutationObserverInit::new();
        init.set_attribute_filter(&js_sys::Array::of1(&"data-draws".into()));
        crate::console::report(
            "following the chart's draws",
            mo.observe_with_options(&w, &init),
        );
    }
    let set_up = move || {
        let listening = StoredValue::new_local(Some((on_event, on_draw, drawing, w)));
        on_cleanup(move || {
            listening.try_update_value(|l| {
                if let Some((f, _, drawing, w)) = l.take() {
                    for name in EVENTS {
                        // Removing a listener that is not there is no failure.
                        w.remove_event_listener_with_callback(name, f.as_ref().unchecked_ref())
                            .ok();
                    }
                    if let Some(mo) = drawing {
                        mo.disconnect();
                    }
                }
            });
        });
        Effect::new(move |_| describe(p, summary));
    };
    match owner {
        Some(owner) => owner.with(set_up),
        None => set_up(),
    }
}

/// A key, focus or touch event on the chart.
#[inline(never)]
fn on_event(p: Parts, ev: JsValue) {
    let ev: web_sys::Event = ev.unchecked_into();
    // The listener is added for these types only (`EVENTS`): a `keydown`
    // is a `KeyboardEvent`, a `touch…` a `TouchEvent`.
    let touch = |phase| on_touch(p, ev.unchecked_ref::<TouchEvent>(), phase);
    match ev.type_().as_str() {
        "keydown" => on_key(p, ev.unchecked_ref::<KeyboardEvent>()),
        "blur" => on_blur(p),
        "touchstart" => touch(TouchPhase::Start),
        "touchmove" => touch(TouchPhase::Move),
        "touchend" => touch(TouchPhase::End),
        "touchcancel" => touch(TouchPhase::Cancel),
        _ => {}
    }
}

/// Client coordinates relative to the chart, CSS px.
fn local(p: Parts, client_x: i32, client_y: i32) -> Option<(f64, f64)> {
    let el = p.wrapper.get_untracked()?;
    let rect = el.get_bounding_client_rect();
    Some((
        f64::from(client_x) - rect.left(),
        f64::from(client_y) - rect.top(),
    ))
}

/// The hover under CSS `(x, y)`, with what showing it needs.
fn hover_at(p: Parts, x: f64, y: f64) -> Option<Hovered> {
    p.drawn.with_value(|d| {
        let d = d.as_ref()?;
        let h = p.spec.with_untracked(|s| hover(s, &d.frame, x, y))?;
        Some((h, d.palette.clone(), Geometry::of(&d.frame)))
    })
}

/// Shows a hover beside CSS `at` (the one place pointer, finger and keys
/// show one), remembering its point and whether the keys put it there;
/// `None` hides it.
fn show(
    crosshair: &NodeRef<html::Div>,
    tooltip: &NodeRef<html::Div>,
    keys: Option<StoredValue<Keys>>,
    h: Option<Hovered>,
    at: (f64, f64),
    keyed: bool,
) {
    let (crosshair, tooltip) = (crosshair.get_untracked(), tooltip.get_untracked());
    let Some((h, palette, geometry)) = h else {
        hide(&crosshair, &tooltip);
        return;
    };
    let point = Point {
        x: h.x,
        y: at.1,
        row: h.row,
    };
    if let Some(keys) = keys {
        keys.try_update_value(|k| {
            k.point = Some(point);
            k.keyed = keyed;
        });
    }
    if let (Some(c), Some(t)) = (crosshair, tooltip) {
        show_hover(&c, &t, &h, &palette, geometry, at);
    }
}

/// Asks for the zoom window dragged from CSS x `a` to `b`.
fn zoom_between(p: Parts, a: f64, b: f64) {
    let window = p.drawn.with_value(|d| {
        let d = d.as_ref()?;
        p.spec.with_untracked(|s| zoom_window(s, &d.frame, a, b))
    });
    if let (Some(cb), Some(window)) = (p.on_zoom, window) {
        cb.try_run(window);
    }
}

/// Shows the hover at data x `x` as the keyboard does: the crosshair on
/// it, the tooltip beside it at the height last shown (else mid-plot),
/// its text in the live region.
fn show_point(p: Parts, x: f64) {
    let last_y = p.point().map(|q| q.y);
    let hovered = p.drawn.with_value(|d| {
        let d = d.as_ref()?;
        let (_, py, _, ph) = d.frame.css_plot();
        let y = last_y
            .filter(|y| *y >= py && *y < py + ph)
            .unwrap_or(py + ph / 2.0);
        let h = p.spec.with_untracked(|s| hover_x(s, &d.frame, x, y));
        Some(((h, d.palette.clone(), Geometry::of(&d.frame)), y))
    });
    let Some((hovered, y)) = hovered else {
        return;
    };
    let at = (hovered.0.crosshair_x, y);
    let live = p
        .wrapper
        .get_untracked()
        .and_then(|w| w.query_selector(".chart-live").ok().flatten());
    if let Some(live) = live {
        live.set_text_content(Some(&spoken(&hovered.0)));
    }
    show(
        &p.crosshair,
        &p.tooltip,
        Some(p.keys),
        Some(hovered),
        at,
        true,
    );
}

/// A hover as one line of speech: `08:01: Failed 0, ≥ 90 s late 3, …`.
fn spoken(h: &Hover) -> String {
    let rows: Vec<String> = h
        .rows
        .iter()
        .map(|r| format!("{} {}", r.label, r.value))
        .collect();
    format!("{}: {}", h.title, rows.join(", "))
}

/// After a redraw (a zoom by key, new data): the keyboard's point again,
/// while it is still drawn.
#[inline(never)]
fn keep_key_point(p: Parts) {
    let kept = p.point().filter(|q| {
        p.drawn.with_value(|d| {
            d.as_ref().is_some_and(|d| {
                let (lo, hi) = d.frame.x.domain();
                q.x >= lo && q.x < hi
            })
        })
    });
    match kept {
        Some(q) => show_point(p, q.x),
        None => p.set_keyed(false),
    }
}

/// A key on the focused chart (see the module contract).
#[inline(never)]
fn on_key(p: Parts, ev: &KeyboardEvent) {
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
        return;
    }
    let Some(action) = key_action(&ev.key(), ev.shift_key()) else {
        return;
    };
    let point = p.point();
    let handled = match action {
        KeyAction::ZoomIn | KeyAction::ZoomOut => {
            let factor = if action == KeyAction::ZoomIn {
                0.5
            } else {
                2.0
            };
            let window = p.drawn.with_value(|d| {
                let d = d.as_ref()?;
                let domain = d.frame.x.domain();
                p.spec.with_untracked(|s| {
                    let banded = s.x.kind.is_banded();
                    let mid = (domain.0 + domain.1) / 2.0;
                    let at = point
                        .map(|q| q.x)
                        .unwrap_or(if banded { mid.floor() } else { mid });
                    zoom_around(domain, at, factor, zoom_limits(s, domain), banded)
                })
            });
            if let (Some(cb), Some(window)) = (p.on_zoom, window) {
                p.set_keyed(point.is_some());
                cb.try_run(window);
            }
            p.on_zoom.is_some()
        }
        KeyAction::Reset => p.on_reset.map(|cb| cb.try_run(())).is_some(),
        KeyAction::Select => match (p.on_select, point) {
            (Some(cb), Some(q)) => {
                cb.try_run(Pick { x: q.x, row: q.row });
                true
            }
            _ => false,
        },
        KeyAction::Step(_) | KeyAction::First | KeyAction::Last => {
            let to = p.drawn.with_value(|d| {
                let d = d.as_ref()?;
                p.spec.with_untracked(|s| {
                    let xs = points(s, d.frame.x.domain());
                    let at = point.and_then(|q| nearest_index(&xs, q.x));
                    xs.get(step(xs.len(), at, action)?).copied()
                })
            });
            if let Some(x) = to {
                show_point(p, x);
            }
            to.is_some()
        }
    };
    if handled {
        ev.prevent_default();
    }
}

/// Focus left the chart: a crosshair the keys put there goes.
#[inline(never)]
fn on_blur(p: Parts) {
    if p.keyed() {
        p.set_keyed(false);
        hide(&p.crosshair.get_untracked(), &p.tooltip.get_untracked());
    }
}

/// Which touch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TouchPhase {
    Start,
    Move,
    End,
    Cancel,
}

/// A touch event on the chart (see the module contract): fed to the
/// gesture, and what it means done. Only what the chart claims is kept
/// from the browser, so a vertical swipe scrolls the page.
#[inline(never)]
fn on_touch(p: Parts, ev: &TouchEvent, phase: TouchPhase) {
    let list = ev.touches();
    let fingers: Vec<(f64, f64)> = (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|t| local(p, t.client_x(), t.client_y()))
        .collect();
    let t = ev.time_stamp();
    let Some(mut gesture) = p.keys.try_with_value(|k| k.touch) else {
        return;
    };
    let step = match phase {
        TouchPhase::Start => gesture.start(&fingers, t),
        TouchPhase::Move => gesture.moved(&fingers, t),
        TouchPhase::End => gesture.end(fingers.len(), t, false),
        TouchPhase::Cancel => gesture.end(fingers.len(), t, true),
    };
    p.keys.try_update_value(|k| k.touch = gesture);
    let selection = p.selection.get_untracked();
    let hide_selection = || {
        if let Some(sel) = &selection {
            set_style(sel, "display", "none");
        }
    };
    match step {
        TouchStep::Nothing => {
            if matches!(phase, TouchPhase::End | TouchPhase::Cancel) {
                hide_selection();
            }
        }
        TouchStep::Hover(x, y) | TouchStep::Tap(x, y) => {
            show(
                &p.crosshair,
                &p.tooltip,
                Some(p.keys),
                hover_at(p, x, y),
                (x, y),
                false,
            );
        }
        TouchStep::Selecting(a, b) => {
            if let Some(sel) = &selection {
                p.drawn.with_value(|d| {
                    if let Some(d) = d {
                        show_selection(sel, a, b, d.frame.css_plot());
                    }
                });
            }
        }
        TouchStep::DoubleTap => {
            if let Some(cb) = p.on_reset {
                cb.try_run(());
            }
        }
        TouchStep::Zoom(a, b) => {
            hide_selection();
            zoom_between(p, a, b);
        }
    }
    if step.claims() && ev.cancelable() {
        ev.prevent_default();
    }
}

thread_local! {
    /// Charts described so far, for their descriptions' ids.
    static DESCRIBED: Cell<u32> = const { Cell::new(0) };
}

/// Writes the chart's one-sentence description into its `span.chart-about`
/// (reading the spec or the view's sentence, so the effect calling it
/// runs again when they change).
#[inline(never)]
fn describe(p: Parts, summary: Option<Signal<String>>) {
    let text = match summary {
        Some(s) => s.get(),
        None => p.spec.with(super::summary::summary),
    };
    let about = p
        .wrapper
        .get_untracked()
        .and_then(|w| w.query_selector(".chart-about").ok().flatten());
    if let Some(about) = about {
        about.set_text_content(Some(&text));
    }
}

/// Sets each layer's layout; whether all of them are there.
fn style_layers(layers: &[(Option<HtmlElement>, &str); 6]) -> bool {
    for (el, css) in layers {
        if let Some(el) = el {
            el.style().set_css_text(css);
        }
    }
    layers.iter().all(|(el, _)| el.is_some())
}

fn set_style(el: &HtmlElement, name: &str, value: &str) {
    el.style().set_property(name, value).ok();
}

fn hide(crosshair: &Option<web_sys::HtmlDivElement>, tooltip: &Option<web_sys::HtmlDivElement>) {
    for el in [crosshair, tooltip].into_iter().flatten() {
        set_style(el, "display", "none");
    }
}

fn show_selection(sel: &HtmlElement, start: f64, x: f64, (px, py, pw, ph): (f64, f64, f64, f64)) {
    let a = start.clamp(px, px + pw);
    let b = x.clamp(px, px + pw);
    let (left, width) = (a.min(b), (a - b).abs());
    set_style(sel, "transform", &format!("translate({left}px, {py}px)"));
    set_style(sel, "width", &format!("{width}px"));
    set_style(sel, "height", &format!("{ph}px"));
    set_style(sel, "display", "block");
}

/// Moves the crosshair and the tooltip. Writes styles only: no layout is
/// read, so hovering never forces a synchronous reflow. The tooltip sits
/// beside the pointer on the side with more room (`translate(-100%)`
/// flips it without measuring it).
fn show_hover(
    crosshair: &HtmlElement,
    tooltip: &HtmlElement,
    h: &Hover,
    palette: &Palette,
    g: Geometry,
    (x, y): (f64, f64),
) {
    let (_, py, _, ph) = g.plot;
    set_style(
        crosshair,
        "transform",
        &format!("translate({}px, {py}px)", format::fixed(h.crosshair_x, 1)),
    );
    set_style(crosshair, "height", &format!("{ph}px"));
    set_style(crosshair, "display", "block");

    fill_tooltip(tooltip, h, palette);
    let gap = 12.0;
    let (left, shift_x) = if x > g.width / 2.0 {
        (x - gap, "-100%")
    } else {
        (x + gap, "0")
    };
    let (top, shift_y) = if y > g.height / 2.0 {
        (y - gap, "-100%")
    } else {
        (y + gap, "0")
    };
    set_style(
        tooltip,
        "transform",
        &format!(
            "translate({}px, {}px) translate({shift_x}, {shift_y})",
            format::fixed(left, 0),
            format::fixed(top, 0)
        ),
    );
    set_style(tooltip, "display", "block");
}

/// Replaces the tooltip's children with text-only rows.
fn fill_tooltip(tooltip: &HtmlElement, h: &Hover, palette: &Palette) {
    tooltip.set_text_content(None);
    let Some(doc) = tooltip.owner_document() else {
        return;
    };
    let add = |parent: &Element, tag: &str, class: &str, text: Option<&str>| -> Option<Element> {
        let el = doc.create_element(tag).ok()?;
        el.set_class_name(class);
        if let Some(text) = text {
            el.set_text_content(Some(text));
        }
        parent.append_child(&el).ok()?;
        Some(el)
    };
    add(tooltip, "div", "chart-tooltip-title", Some(&h.title));
    for row in &h.rows {
        let Some(line) = add(tooltip, "div", "chart-tooltip-row", None) else {
            continue;
        };
        if let Some(role) = row.role {
            if let Some(swatch) = add(&line, "span", "chart-swatch", None) {
                if let Some(s) = swatch.dyn_ref::<HtmlElement>() {
                    set_style(s, "display", "inline-block");
                    set_style(s, "width", "0.7em");
                    set_style(s, "height", "0.7em");
                    set_style(s, "margin-right", "0.4em");
                    set_style(s, "background", &palette.get(role).hex());
                }
            }
        }
        add(&line, "span", "chart-tooltip-label", Some(&row.label));
        add(
            &line,
            "span",
            "chart-tooltip-value",
            Some(&format!(" {}", row.value)),
        );
    }
}

/// A media query that holds at the pixel density `dpr` (to 1/10,000 of
/// a dot per pixel) and stops holding when it changes: its bounds are
/// written with four places, so the first paint needs no shortest-float
/// printer.
fn density_query(dpr: f64) -> String {
    let at = |v: f64| crate::format::fixed(v / 10_000.0, 4);
    let scaled = dpr * 10_000.0;
    format!(
        "(min-resolution: {}dppx) and (max-resolution: {}dppx)",
        at(scaled.floor()),
        at(scaled.ceil())
    )
}

fn install_observers(
    el: &HtmlElement,
    size: RwSignal<Size>,
    theme: RwSignal<u32>,
) -> Option<Observers> {
    let window = web_sys::window()?;
    // The first size comes from the observer's first callback, which runs
    // after the page's layout and before its paint: measuring here instead
    // would force a layout in the middle of building the view.
    let on_resize = Closure::<dyn FnMut(JsValue)>::new({
        let window = window.clone();
        move |entries: JsValue| observed(&entries, &window, size)
    });
    let resize = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
    resize.observe(el);
    let on_density = Closure::<dyn FnMut(JsValue)>::new({
        let measure = measurer(el, &window, size);
        move |_: JsValue| measure()
    });
    let density = window
        .match_media(&density_query(window.device_pixel_ratio()))
        .ok()
        .flatten();
    if let Some(m) = &density {
        crate::console::report(
            "following the pixel density",
            m.add_event_listener_with_callback("change", on_density.as_ref().unchecked_ref()),
        );
    }

    let on_theme = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        theme.try_update(|t| *t = t.wrapping_add(1));
    });
    let mutation = web_sys::MutationObserver::new(on_theme.as_ref().unchecked_ref()).ok();
    if let (Some(m), Some(doc)) = (&mutation, window.document()) {
        let init = web_sys::MutationObserverInit::new();
        init.set_attributes(true);
        let filter = js_sys::Array::of3(&"class".into(), &"data-theme".into(), &"style".into());
        init.set_attribute_filter(&filter);
        if let Some(root) = doc.document_element() {
            crate::console::report("following the theme", m.observe_with_options(&root, &init));
        }
        if let Some(body) = doc.body() {
            crate::console::report("following the theme", m.observe_with_options(&body, &init));
        }
    }
    let media = window
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    if let Some(m) = &media {
        crate::console::report(
            "following the system theme",
            m.add_event_listener_with_callback("change", on_theme.as_ref().unchecked_ref()),
        );
    }
    Some(Observers {
        resize,
        mutation,
        media,
        density,
        _on_resize: on_resize,
        on_theme,
        on_density,
    })
}

/// Reads the wrapper's CSS size and the devicePixelRatio into `size` (when
/// they changed).
fn measurer(el: &HtmlElement, window: &Window, size: RwSignal<Size>) -> impl Fn() + 'static {
    let el = el.clone();
    let window = window.clone();
    move || {
        let r = el.get_bounding_client_rect();
        set_size(size, r.width(), r.height(), &window);
    }
}

/// Stores a CSS size with the current devicePixelRatio (when it changed).
fn set_size(size: RwSignal<Size>, w: f64, h: f64, window: &Window) {
    let next = Size {
        w,
        h,
        dpr: window.device_pixel_ratio(),
    };
    if size.try_get_untracked().is_some_and(|s| s != next) {
        size.try_set(next);
    }
}

/// Takes the size from the newest `ResizeObserverEntry` in `entries` (the
/// wrapper has no padding or border, so its content box is its size).
fn observed(entries: &JsValue, window: &Window, size: RwSignal<Size>) {
    let entries = js_sys::Array::from(entries);
    let Some(entry) = entries
        .iter()
        .last()
        .and_then(|e| e.dyn_into::<web_sys::ResizeObserverEntry>().ok())
    else {
        return;
    };
    let r = entry.content_rect();
    set_size(size, r.width(), r.height(), window);
}

fn now(window: &Window) -> f64 {
    window.performance().map(|p| p.now()).unwrap_or(0.0)
}

thread_local! {
    /// Whether a chart drew in the current task of the page.
    static DREW_THIS_TURN: Cell<bool> = const { Cell::new(false) };
}

/// Claims the current task for a chart's first draw: `false` if another
/// chart already drew in it (the caller then waits for another turn).
/// The claim lapses at the page's next turn.
fn take_drawing_turn() -> bool {
    if DREW_THIS_TURN.with(Cell::get) {
        return false;
    }
    DREW_THIS_TURN.with(|d| d.set(true));
    leptos::task::spawn_local(async {
        crate::turn::next_turn().await;
        DREW_THIS_TURN.with(|d| d.set(false));
    });
    true
}

/// Gives `canvas` the frame's device size; whether it had to (setting a
/// canvas's size also clears it).
fn fit(canvas: &HtmlCanvasElement, frame: &Frame) -> bool {
    let resized = canvas.width() != frame.canvas_width || canvas.height() != frame.canvas_height;
    if resized {
        canvas.set_width(frame.canvas_width);
        canvas.set_height(frame.canvas_height);
    }
    resized
}

/// Draws both layers; `None` if the canvases cannot be drawn on.
fn draw(
    wrapper: &HtmlElement,
    data: &HtmlCanvasElement,
    text: &HtmlCanvasElement,
    spec: &ChartSpec,
    size: Size,
) -> Option<Drawn> {
    let window = web_sys::window()?;
    let t0 = now(&window);
    let frame = Frame::new(spec, size.w, size.h, size.dpr);
    let data_cleared = fit(data, &frame);
    fit(text, &frame);
    let palette = read_palette(&window, wrapper);
    let t1 = now(&window);
    let raster = render(spec, &frame, &palette);
    let ctx = context_2d(data)?;
    if !data_cleared {
        ctx.clear_rect(
            0.0,
            0.0,
            f64::from(frame.canvas_width),
            f64::from(frame.canvas_height),
        );
    }
    if raster.width > 0 && raster.height > 0 {
        if let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(&raster.rgba),
            raster.width,
            raster.height,
        ) {
            crate::console::report(
                "drawing a chart",
                ctx.put_image_data(&image, f64::from(frame.plot.x), f64::from(frame.plot.y)),
            );
        }
    }
    let t2 = now(&window);
    paint(text, &decor(spec, &frame), &palette);
    let t3 = now(&window);
    // Timings for tests and tools; the chart is drawn either way.
    wrapper
        .set_attribute("data-raster-ms", &format::fixed(t2 - t1, 2))
        .ok();
    wrapper
        .set_attribute("data-draw-ms", &format::fixed(t3 - t0, 2))
        .ok();
    // Where the plot is, for what is placed over it (annotation markers).
    let (px, py, pw, ph) = frame.css_plot();
    let (lo, hi) = frame.x.domain();
    let plot = [px, py, pw, ph, lo, hi]
        .map(|v| format::fixed(v, 3))
        .join(" ");
    wrapper.set_attribute("data-plot", &plot).ok();
    Some(Drawn { frame, palette })
}

/// Reads every colour role from the computed style of `el`.
fn read_palette(window: &Window, el: &Element) -> Palette {
    let style = window.get_computed_style(el).ok().flatten();
    let lookup = |name: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .filter(|v| !v.trim().is_empty())
    };
    let background = lookup("--chart-bg")
        .and_then(|v| parse_css_color(&v))
        .filter(|(_, a)| *a > 0.0)
        .map(|(c, a)| c.over(Rgb::WHITE, a))
        .unwrap_or_else(|| effective_background(window, el));
    Palette::resolve(lookup, background)
}

/// The first non-transparent `background-color` of `el` or its ancestors
/// (white if none).
fn effective_background(window: &Window, el: &Element) -> Rgb {
    let mut node = Some(el.clone());
    while let Some(e) = node {
        let color = window
            .get_computed_style(&e)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value("background-color").ok())
            .and_then(|v| parse_css_color(&v))
            .filter(|(_, a)| *a > 0.0);
        if let Some((c, a)) = color {
            return c.over(Rgb::WHITE, a);
        }
        node = e.parent_element();
    }
    Rgb::WHITE
}

/// Both layers of the chart `wrapper` (the `[data-chart]` element)
/// composited on the data background, as a `data:image/png` URL.
pub fn export_png(wrapper: &Element) -> Option<String> {
    let layer = |name: &str| -> Option<HtmlCanvasElement> {
        wrapper
            .query_selector(&format!("canvas[data-layer={name}]"))
            .ok()
            .flatten()?
            .dyn_into()
            .ok()
    };
    let (data, text) = (layer("data")?, layer("text")?);
    let window = web_sys::window()?;
    let out: HtmlCanvasElement = window
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    out.set_width(data.width());
    out.set_height(data.height());
    let ctx = context_2d(&out)?;
    let bg = read_palette(&window, wrapper).background;
    ctx.set_fill_style_str(&bg.hex());
    ctx.fill_rect(0.0, 0.0, f64::from(out.width()), f64::from(out.height()));
    ctx.draw_image_with_html_canvas_element(&data, 0.0, 0.0)
        .ok()?;
    ctx.draw_image_with_html_canvas_element(&text, 0.0, 0.0)
        .ok()?;
    out.to_data_url_with_type("image/png").ok()
}

/// Downloads the chart `wrapper` (or the first `[data-chart]` inside it,
/// e.g. a panel) as `file_name` (`.png` added if missing). Returns whether
/// a download was started.
pub fn download_png(wrapper: &Element, file_name: &str) -> bool {
    let chart = if wrapper.has_attribute("data-chart") {
        Some(wrapper.clone())
    } else {
        wrapper.query_selector("[data-chart]").ok().flatten()
    };
    let Some(url) = chart.as_ref().and_then(export_png) else {
        return false;
    };
    let name = if file_name.to_ascii_lowercase().ends_with(".png") {
        file_name.to_string()
    } else {
        format!("{file_name}.png")
    };
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let Some(anchor) = anchor else {
        return false;
    };
    anchor.set_href(&url);
    anchor.set_download(&name);
    anchor.click();
    true
}

#[cfg(test)]
mod tests {
    use super::density_query;

    #[test]
    fn the_density_query_holds_around_the_density_only() {
        assert_eq!(
            density_query(2.0),
            "(min-resolution: 2.0000dppx) and (max-resolution: 2.0000dppx)"
        );
        assert_eq!(
            density_query(2.625),
            "(min-resolution: 2.6250dppx) and (max-resolution: 2.6250dppx)"
        );
        // A zoomed page's density (1.7647058823529411) sits inside.
        assert_eq!(
            density_query(30.0 / 17.0),
            "(min-resolution: 1.7647dppx) and (max-resolution: 1.7648dppx)"
        );
    }
}
