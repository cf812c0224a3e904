//! The data layer: layers drawn by plotters into an in-memory RGB buffer.
//!
//! Contract:
//! - [`render`] paints the plot rectangle of a [`Frame`] (background, grid,
//!   then every layer in spec order) with plotters' `BitMapBackend` over a
//!   plot-sized RGB buffer and returns it as RGBA ([`Raster`]), ready for one
//!   `putImageData` at `(plot.x, plot.y)`. Nothing outside the plot is
//!   touched, so nothing needs clipping later.
//! - Lines are M4-reduced to the plot's pixel columns first, bands reduced to
//!   their per-column envelope, and when several bars or heatmap columns fall
//!   in one pixel column only the tallest bar (each sign) and the highest
//!   cell per row are drawn, so the cost follows the pixels, not the data.
//! - Geometry is clipped in floating point before it is rounded to pixels,
//!   so huge or far-away values cannot overflow plotters' integer maths.
//!   NaN and infinite values are skipped. Nothing here panics on any data.
//! - Host-testable: it runs the same on the host as in the browser (no text
//!   is drawn here: plotters' bitmap text panics on wasm32).

use plotters::backend::{BitMapBackend, DrawingBackend, RGBPixel};
use plotters::style::RGBColor;

use super::color::{ColorRole, Palette, Rgb};
use super::layout::Frame;
use super::reduce::{band_envelope, m4};
use super::spec::{ChartSpec, Layer, Series};

/// An RGBA image of the plot rectangle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Raster {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// `width * height * 4` bytes, row-major, opaque.
    pub rgba: Vec<u8>,
}

impl Raster {
    /// The colour at `(x, y)`, if inside.
    pub fn pixel(&self, x: u32, y: u32) -> Option<Rgb> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        match self.rgba.get(i..i + 3) {
            Some([r, g, b]) => Some(Rgb(*r, *g, *b)),
            _ => None,
        }
    }
}

/// Paints the data layer of `spec` for `frame` with `palette`.
pub fn render(spec: &ChartSpec, frame: &Frame, palette: &Palette) -> Raster {
    let (w, h) = (frame.plot.w, frame.plot.h);
    let pixels = w as usize * h as usize;
    if pixels == 0 {
        return Raster::default();
    }
    let bg = palette.background;
    // One row, then whole-row copies: cheap even in unoptimised builds.
    let mut row = Vec::with_capacity(w as usize * 3);
    for _ in 0..w {
        row.extend_from_slice(&[bg.0, bg.1, bg.2]);
    }
    let mut rgb = Vec::with_capacity(pixels * 3);
    for _ in 0..h {
        rgb.extend_from_slice(&row);
    }
    {
        let Ok(mut back) = BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut rgb, (w, h))
        else {
            return Raster::default();
        };
        let mut p = Painter {
            back: &mut back,
            w: i32::try_from(w).unwrap_or(i32::MAX),
            h: i32::try_from(h).unwrap_or(i32::MAX),
        };
        draw_grid(&mut p, frame, palette);
        for layer in &spec.layers {
            draw_layer(&mut p, frame, palette, layer);
        }
        draw_zero_line(&mut p, frame, palette);
    }
    let mut rgba = vec![255u8; pixels * 4];
    for (dst, src) in rgba.chunks_exact_mut(4).zip(rgb.chunks_exact(3)) {
        if let ([r, g, b, _], [sr, sg, sb]) = (dst, src) {
            (*r, *g, *b) = (*sr, *sg, *sb);
        }
    }
    Raster {
        width: w,
        height: h,
        rgba,
    }
}

/// Device pixels of a CSS width (at least 1).
fn device_width(css: f64, dpr: f64) -> u32 {
    let w = (css * dpr).round();
    if w.is_finite() && w >= 1.0 {
        w.min(64.0) as u32
    } else {
        1
    }
}

/// A pixel coordinate from a position, `None` for NaN; far positions are
/// clamped (they only ever get clipped).
fn px_i(v: f64) -> Option<i32> {
    (!v.is_nan()).then(|| v.round().clamp(-1e7, 1e7) as i32)
}

/// A position kept finite and within ±1e9 (off-screen anyway).
fn sane(v: f64) -> f64 {
    if v.is_nan() {
        v
    } else {
        v.clamp(-1e9, 1e9)
    }
}

fn plotters_color(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Drawing helpers over the plotters backend, in plot-relative device
/// pixels, clipped to the buffer.
struct Painter<'a, 'b> {
    back: &'a mut BitMapBackend<'b, RGBPixel>,
    w: i32,
    h: i32,
}

impl Painter<'_, '_> {
    /// Fills `[x0, x1) × [y0, y1)` (ends in any order).
    fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, c: Rgb) {
        let (xa, xb) = (x0.min(x1).max(0), x0.max(x1).min(self.w));
        let (ya, yb) = (y0.min(y1).max(0), y0.max(y1).min(self.h));
        if xa >= xb || ya >= yb {
            return;
        }
        // The bitmap backend cannot fail on its own buffer.
        self.back
            .draw_rect((xa, ya), (xb, yb), &plotters_color(c), true)
            .ok();
    }

    /// The clip rectangle for geometry of stroke `width`.
    fn bounds(&self, width: u32) -> (f64, f64, f64, f64) {
        let m = f64::from(width) + 4.0;
        (-m, -m, f64::from(self.w) + m, f64::from(self.h) + m)
    }

    /// A straight segment of `width` device pixels with square caps.
    fn segment(&mut self, a: (f64, f64), b: (f64, f64), width: u32, c: Rgb) {
        let a = (sane(a.0), sane(a.1));
        let b = (sane(b.0), sane(b.1));
        let Some((a, b)) = clip_segment(a, b, self.bounds(width)) else {
            return;
        };
        let (Some(ax), Some(ay), Some(bx), Some(by)) = (px_i(a.0), px_i(a.1), px_i(b.0), px_i(b.1))
        else {
            return;
        };
        let wi = i32::try_from(width.max(1)).unwrap_or(1);
        let (lo, hi) = (wi / 2, wi - wi / 2);
        if ax == bx {
            self.rect(ax - lo, ay.min(by) - lo, ax + hi, ay.max(by) + hi, c);
        } else if ay == by {
            self.rect(ax.min(bx) - lo, ay - lo, ax.max(bx) + hi, ay + hi, c);
        } else if (bx - ax).abs() == 1 {
            // A step to the next pixel column (most of a dense line): two
            // vertical runs meeting half way, no polygon fill.
            let mid = ay + (by - ay) / 2;
            self.rect(ax - lo, ay.min(mid) - lo, ax + hi, ay.max(mid) + hi, c);
            self.rect(bx - lo, by.min(mid) - lo, bx + hi, by.max(mid) + hi, c);
        } else if (by - ay).abs() == 1 {
            let mid = ax + (bx - ax) / 2;
            self.rect(ax.min(mid) - lo, ay - lo, ax.max(mid) + hi, ay + hi, c);
            self.rect(bx.min(mid) - lo, by - lo, bx.max(mid) + hi, by + hi, c);
        } else if wi == 1 {
            // The bitmap backend cannot fail on its own buffer.
            self.back
                .draw_line((ax, ay), (bx, by), &plotters_color(c))
                .ok();
        } else {
            let (dx, dy) = (f64::from(bx - ax), f64::from(by - ay));
            // Pixel distances: no overflow for `hypot` to guard against
            // (and its code is not needed).
            let len = (dx * dx + dy * dy).sqrt();
            let r = f64::from(wi) / 2.0;
            let (ux, uy) = (dx / len * r, dy / len * r);
            let (nx, ny) = (-uy, ux);
            let (ax, ay, bx, by) = (f64::from(ax), f64::from(ay), f64::from(bx), f64::from(by));
            let quad = [
                (ax - ux + nx, ay - uy + ny),
                (bx + ux + nx, by + uy + ny),
                (bx + ux - nx, by + uy - ny),
                (ax - ux - nx, ay - uy - ny),
            ];
            self.fill(&quad, c);
        }
    }

    /// Fills the polygon `pts` (even-odd, finite, clipped), row by row: a
    /// pixel is inside when its centre is. The scan is written here
    /// rather than taken from the backend's polygon rasterizer, whose
    /// edge sorting brought two general sorting routines (10 KB before
    /// compression) into the first module of a view with a band or a wide
    /// line; a row crosses only a few edges, kept in order as they come.
    fn fill(&mut self, pts: &[(f64, f64)], c: Rgb) {
        let Some(&last_point) = pts.last() else {
            return;
        };
        if pts.len() < 3 {
            return;
        }
        let (top, bottom) = pts
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(t, b), p| {
                (t.min(p.1), b.max(p.1))
            });
        // Rows whose centre (row + 0.5) lies within [top, bottom].
        let first = (top - 0.5).ceil().max(0.0) as i32;
        let last = (bottom - 0.5).floor().min(f64::from(self.h) - 1.0) as i32;
        let mut crossings: Vec<f64> = Vec::new();
        for row in first..=last {
            let yc = f64::from(row) + 0.5;
            crossings.clear();
            let mut prev = last_point;
            for &p in pts {
                let ((x0, y0), (x1, y1)) = (prev, p);
                // Each edge counts once per row: half-open in y, so a
                // vertex on the row's centre is crossed once.
                if (y0 <= yc) != (y1 <= yc) {
                    let x = x0 + (yc - y0) / (y1 - y0) * (x1 - x0);
                    let at = crossings
                        .iter()
                        .position(|v| *v > x)
                        .unwrap_or(crossings.len());
                    crossings.insert(at, x);
                }
                prev = p;
            }
            for span in crossings.chunks_exact(2) {
                if let [a, b] = span {
                    // Columns whose centre (x + 0.5) lies in [a, b).
                    self.rect(
                        (a - 0.5).ceil() as i32,
                        row,
                        (b - 0.5).ceil() as i32,
                        row + 1,
                        c,
                    );
                }
            }
        }
    }

    /// Segments between consecutive points; a lone point is a dot.
    fn polyline(&mut self, pts: &[(f64, f64)], width: u32, c: Rgb) {
        if let [only] = pts {
            self.segment(*only, *only, width, c);
        }
        for pair in pts.windows(2) {
            if let [a, b] = pair {
                self.segment(*a, *b, width, c);
            }
        }
    }

    /// A filled polygon (even-odd), clipped first.
    fn polygon(&mut self, pts: &[(f64, f64)], c: Rgb) {
        let pts: Vec<(f64, f64)> = pts
            .iter()
            .filter(|(x, y)| !(x.is_nan() || y.is_nan()))
            .map(|(x, y)| (sane(*x), sane(*y)))
            .collect();
        let clipped = clip_polygon(&pts, self.bounds(1));
        self.fill(&clipped, c);
    }

    /// A dashed horizontal line at row `y`.
    fn dashed_hline(&mut self, y: i32, thickness: i32, dash: i32, gap: i32, c: Rgb) {
        let (dash, gap) = (dash.max(1), gap.max(0));
        let top = y - thickness / 2;
        let mut x = 0;
        while x < self.w {
            self.rect(x, top, x + dash, top + thickness, c);
            x += dash + gap;
        }
    }
}

/// Liang–Barsky: the part of segment `a → b` inside `(x0, y0, x1, y1)`.
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, y0, x1, y1): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    if [a.0, a.1, b.0, b.1].iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    Some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// Sutherland–Hodgman: `poly` clipped to `(x0, y0, x1, y1)`.
fn clip_polygon(poly: &[(f64, f64)], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    let mut current = poly.to_vec();
    for edge in 0..4 {
        let inside = |p: (f64, f64)| match edge {
            0 => p.0 >= x0,
            1 => p.0 <= x1,
            2 => p.1 >= y0,
            _ => p.1 <= y1,
        };
        let cross = |a: (f64, f64), b: (f64, f64)| -> (f64, f64) {
            match edge {
                0 | 1 => {
                    let x = if edge == 0 { x0 } else { x1 };
                    let t = (x - a.0) / (b.0 - a.0);
                    (x, a.1 + t * (b.1 - a.1))
                }
                _ => {
                    let y = if edge == 2 { y0 } else { y1 };
                    let t = (y - a.1) / (b.1 - a.1);
                    (a.0 + t * (b.0 - a.0), y)
                }
            }
        };
        let Some(&last) = current.last() else {
            return current;
        };
        let mut out = Vec::with_capacity(current.len() + 4);
        let mut prev = last;
        for &p in &current {
            match (inside(prev), inside(p)) {
                (true, true) => out.push(p),
                (false, true) => {
                    out.push(cross(prev, p));
                    out.push(p);
                }
                (true, false) => out.push(cross(prev, p)),
                (false, false) => {}
            }
            prev = p;
        }
        current = out;
    }
    current
}

fn draw_grid(p: &mut Painter, frame: &Frame, palette: &Palette) {
    if frame.y_banded {
        return;
    }
    let c = palette.get(ColorRole::Grid);
    let t = i32::try_from(device_width(1.0, frame.dpr)).unwrap_or(1);
    for tick in &frame.y_ticks {
        if let Some(y) = px_i(frame.px_y(tick.value)) {
            // The lowest line is the x axis, drawn by the text layer.
            if y < p.h {
                let top = (y - t / 2).clamp(0, (p.h - t).max(0));
                p.rect(0, top, p.w, top + t, c);
            }
        }
    }
}

fn draw_zero_line(p: &mut Painter, frame: &Frame, palette: &Palette) {
    let (lo, hi) = frame.y.domain();
    if frame.y_banded || !(lo < 0.0 && hi > 0.0) {
        return;
    }
    if let Some(y) = px_i(frame.px_y(0.0)) {
        let t = i32::try_from(device_width(1.0, frame.dpr)).unwrap_or(1);
        let top = y - t / 2;
        p.rect(0, top, p.w, top + t, palette.get(ColorRole::Axis));
    }
}

fn draw_layer(p: &mut Painter, frame: &Frame, palette: &Palette, layer: &Layer) {
    match layer {
        Layer::StackedBars { x, series } => draw_stacks(p, frame, palette, x, series),
        Layer::Bars {
            name,
            role,
            x,
            y,
            outline: false,
        } => {
            let one = [Series::new(name.clone(), *role, y.clone())];
            draw_stacks(p, frame, palette, x, &one);
        }
        Layer::Bars {
            role,
            x,
            y,
            outline: true,
            ..
        } => draw_outline(p, frame, palette.get(*role), x, y),
        Layer::Line {
            role, x, y, width, ..
        } => {
            let w = device_width(*width, frame.dpr);
            draw_polyline(p, frame, palette.get(*role), x, y, w);
        }
        Layer::Band {
            role,
            x,
            lower,
            upper,
            ..
        } => draw_band(p, frame, palette.get(*role), x, lower, upper),
        Layer::Heatmap {
            x,
            rows,
            values,
            range,
            ..
        } => draw_heatmap(p, frame, palette, x, *rows, values, *range),
        Layer::HRule { y, role, .. } => {
            if let Some(row) = px_i(frame.px_y(*y)) {
                let t = i32::try_from(device_width(1.0, frame.dpr)).unwrap_or(1);
                let dash = i32::try_from(device_width(6.0, frame.dpr)).unwrap_or(6);
                let gap = i32::try_from(device_width(4.0, frame.dpr)).unwrap_or(4);
                // Keep a rule on the top or bottom edge visible.
                let row = if row == p.h { row - 1 } else { row };
                p.dashed_hline(row, t.max(2), dash, gap, palette.get(*role));
            }
        }
        Layer::VRule { x, role, .. } => {
            if let Some(col) = px_i(frame.px_x(*x)) {
                let t = i32::try_from(device_width(1.0, frame.dpr)).unwrap_or(1);
                let left = col - t / 2;
                p.rect(left, 0, left + t, p.h, palette.get(*role));
            }
        }
    }
}

/// The pixel columns `[left, right)` of the bar at data x, with a gap
/// between wide bars, and the unrounded slot width.
fn bar_span(frame: &Frame, x: f64, gap: bool) -> Option<(i32, i32)> {
    let (l, r) = frame.slot(x);
    let width = r - l;
    let g = match (gap, width) {
        (false, _) => 0.0,
        (true, w) if w >= 6.0 => (w * 0.2).round(),
        (true, w) if w >= 3.0 => 1.0,
        _ => 0.0,
    };
    let left = px_i(l + g / 2.0)?;
    let right = px_i(r - g / 2.0)?;
    Some((left, right.max(left + 1)))
}

/// Positive and negative sums of the stack at index `i`.
fn stack_sums(series: &[Series], i: usize) -> (f64, f64) {
    let (mut pos, mut neg) = (0.0, 0.0);
    for s in series {
        match s.values.get(i) {
            Some(v) if v.is_finite() && *v > 0.0 => pos += v,
            Some(v) if v.is_finite() && *v < 0.0 => neg += v,
            _ => {}
        }
    }
    (pos, neg)
}

/// Bars of one pixel-column group: the tallest stack of each sign.
struct BarGroup {
    left: i32,
    right: i32,
    pos: Option<(usize, f64)>,
    neg: Option<(usize, f64)>,
}

fn draw_stacks(p: &mut Painter, frame: &Frame, palette: &Palette, x: &[f64], series: &[Series]) {
    let colors: Vec<Rgb> = series.iter().map(|s| palette.get(s.role)).collect();
    let mut group: Option<BarGroup> = None;
    for (i, xi) in x.iter().enumerate() {
        let Some((left, right)) = bar_span(frame, *xi, true) else {
            continue;
        };
        if right <= 0 || left >= p.w {
            continue;
        }
        let (pos, neg) = stack_sums(series, i);
        let g = match group.as_mut() {
            Some(g) if g.left == left => g,
            _ => {
                if let Some(done) = group.take() {
                    draw_group(p, frame, series, &colors, &done);
                }
                group.insert(BarGroup {
                    left,
                    right,
                    pos: None,
                    neg: None,
                })
            }
        };
        g.right = g.right.max(right);
        if pos > 0.0 && g.pos.is_none_or(|(_, best)| pos > best) {
            g.pos = Some((i, pos));
        }
        if neg < 0.0 && g.neg.is_none_or(|(_, best)| neg < best) {
            g.neg = Some((i, neg));
        }
    }
    if let Some(done) = group {
        draw_group(p, frame, series, &colors, &done);
    }
}

fn draw_group(p: &mut Painter, frame: &Frame, series: &[Series], colors: &[Rgb], g: &BarGroup) {
    for (pick, positive) in [(g.pos, true), (g.neg, false)] {
        let Some((i, _)) = pick else {
            continue;
        };
        let mut base = 0.0;
        for (s, c) in series.iter().zip(colors) {
            let Some(v) = s.values.get(i).copied().filter(|v| v.is_finite()) else {
                continue;
            };
            if (positive && v > 0.0) || (!positive && v < 0.0) {
                let next = base + v;
                if let (Some(ya), Some(yb)) = (px_i(frame.px_y(base)), px_i(frame.px_y(next))) {
                    p.rect(g.left, ya, g.right, yb, *c);
                }
                base = next;
            }
        }
    }
}

/// The top edge of bars as a step line; dense bars become a reduced line.
fn draw_outline(p: &mut Painter, frame: &Frame, c: Rgb, x: &[f64], y: &[f64]) {
    let width = device_width(1.5, frame.dpr);
    let slot = {
        let (l, r) = frame.slot(0.0);
        r - l
    };
    if slot.is_nan() || slot < 2.0 {
        draw_polyline(p, frame, c, x, y, width);
        return;
    }
    let mut previous: Option<(f64, f64)> = None;
    for (xi, yi) in x.iter().zip(y) {
        if !(xi.is_finite() && yi.is_finite()) {
            previous = None;
            continue;
        }
        let (l, r) = frame.slot(*xi);
        if r < -slot || l > f64::from(p.w) + slot {
            previous = None;
            continue;
        }
        let top = frame.px_y(*yi);
        if let Some((prev_r, prev_top)) = previous {
            if (prev_r - l).abs() < 0.5 {
                p.segment((l, prev_top), (l, top), width, c);
            }
        }
        p.segment((l, top), (r, top), width, c);
        previous = Some((r, top));
    }
}

fn draw_polyline(p: &mut Painter, frame: &Frame, c: Rgb, x: &[f64], y: &[f64], width: u32) {
    let (d0, d1) = frame.x.domain();
    let off = frame.x_offset;
    let points = m4(x, y, (d0 - off, d1 - off), frame.plot.w as usize);
    let mapped: Vec<(f64, f64)> = points
        .iter()
        .map(|(vx, vy)| (frame.px_x(*vx), frame.px_y(*vy)))
        .collect();
    p.polyline(&mapped, width, c);
}

fn draw_band(p: &mut Painter, frame: &Frame, c: Rgb, x: &[f64], lower: &[f64], upper: &[f64]) {
    let (d0, d1) = frame.x.domain();
    let off = frame.x_offset;
    let env = band_envelope(x, lower, upper, (d0 - off, d1 - off), frame.plot.w as usize);
    if env.len() < 2 {
        return;
    }
    let upper_edge = env
        .iter()
        .map(|(x, _, hi)| (frame.px_x(*x), frame.px_y(*hi)));
    let lower_edge = env
        .iter()
        .rev()
        .map(|(x, lo, _)| (frame.px_x(*x), frame.px_y(*lo)));
    let poly: Vec<(f64, f64)> = upper_edge.chain(lower_edge).collect();
    p.polygon(&poly, c);
}

#[allow(clippy::too_many_arguments)]
fn draw_heatmap(
    p: &mut Painter,
    frame: &Frame,
    palette: &Palette,
    x: &[f64],
    rows: usize,
    values: &[f64],
    range: Option<(f64, f64)>,
) {
    if rows == 0 {
        return;
    }
    let columns = (values.len() / rows).min(x.len());
    if columns == 0 {
        return;
    }
    let cells = values.get(..columns * rows).unwrap_or(&[]);
    let range = range
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b >= a)
        .or_else(|| {
            cells
                .iter()
                .filter(|v| v.is_finite())
                .fold(None, |acc, v| match acc {
                    None => Some((*v, *v)),
                    Some((lo, hi)) => Some((v.min(lo), v.max(hi))),
                })
        });
    let Some((lo, hi)) = range else {
        return;
    };
    let (c0, c1) = (palette.get(ColorRole::Heat0), palette.get(ColorRole::Heat1));
    let color = |v: f64| {
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
        c0.lerp(c1, t)
    };
    let row_edges: Vec<Option<(i32, i32)>> = (0..rows)
        .map(|r| {
            let r = r as f64;
            Some((px_i(frame.px_y(r))?, px_i(frame.px_y(r + 1.0))?))
        })
        .collect();
    let mut peak = vec![f64::NAN; rows];
    let mut group: Option<(i32, i32)> = None;
    let flush = |p: &mut Painter, (left, right): (i32, i32), peak: &[f64]| {
        for (v, edges) in peak.iter().zip(&row_edges) {
            if let (true, Some((top, bottom))) = (v.is_finite(), edges) {
                p.rect(left, *top, right, *bottom, color(*v));
            }
        }
    };
    for (xc, cells) in x.iter().zip(cells.chunks_exact(rows)) {
        let Some((left, right)) = bar_span(frame, *xc, false) else {
            continue;
        };
        if right <= 0 || left >= p.w {
            continue;
        }
        match group.as_mut() {
            Some(g) if g.0 == left => g.1 = g.1.max(right),
            _ => {
                if let Some(done) = group.take() {
                    flush(p, done, &peak);
                }
                peak.fill(f64::NAN);
                group = Some((left, right));
            }
        }
        for (best, v) in peak.iter_mut().zip(cells) {
            if v.is_finite() && (best.is_nan() || v > best) {
                *best = *v;
            }
        }
    }
    if let Some(done) = group {
        flush(p, done, &peak);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::{Axis, Series};

    fn palette() -> Palette {
        Palette::default()
    }

    fn at(r: &Raster, f: &Frame, x: f64, y: f64) -> Option<Rgb> {
        let (x, y) = (x.floor(), y.floor());
        if x < 0.0 || y < 0.0 {
            return None;
        }
        r.pixel(x as u32, y as u32).filter(|_| f.plot.w > 0)
    }

    #[test]
    fn bars_land_where_the_scale_says() {
        let spec = ChartSpec::new(
            "t",
            Axis::minutes().domain(0.0, 10.0),
            Axis::linear().domain(0.0, 100.0),
        )
        .layer(Layer::bars(
            "b",
            ColorRole::Ok,
            vec![2.0, 3.0],
            vec![50.0, f64::NAN],
        ));
        let f = Frame::new(&spec, 400.0, 200.0, 1.0);
        let r = render(&spec, &f, &palette());
        assert_eq!(r.rgba.len(), (f.plot.w * f.plot.h * 4) as usize);
        let ok = ColorRole::Ok.fallback();
        let (l, rr) = f.slot(2.0);
        let mid = (l + rr) / 2.0;
        // Inside the bar: below 50, above 0.
        assert_eq!(at(&r, &f, mid, f.px_y(25.0)), Some(ok));
        assert_eq!(at(&r, &f, mid, f.px_y(49.0)), Some(ok));
        // Above the bar, and in the next (NaN) slot: background.
        assert_eq!(at(&r, &f, mid, f.px_y(55.0)), Some(Rgb::WHITE));
        assert_eq!(at(&r, &f, mid + (rr - l), f.px_y(25.0)), Some(Rgb::WHITE));
        // Left of the slot: background (grid lines aside).
        assert_ne!(at(&r, &f, l - 2.0, f.px_y(25.0)), Some(ok));
    }

    #[test]
    fn stacked_and_diverging_bars() {
        let spec = ChartSpec::new(
            "t",
            Axis::categories(["a", "b"]),
            Axis::linear().domain(-50.0, 50.0),
        )
        .layer(Layer::stacked_bars(
            vec![0.0, 1.0],
            vec![
                Series::new("p", ColorRole::Positive, vec![10.0, 20.0]),
                Series::new("q", ColorRole::Warn, vec![10.0, 0.0]),
                Series::new("n", ColorRole::Negative, vec![-30.0, -10.0]),
            ],
        ));
        let f = Frame::new(&spec, 300.0, 220.0, 1.0);
        let r = render(&spec, &f, &palette());
        let x0 = f.px_x(0.0);
        assert_eq!(
            at(&r, &f, x0, f.px_y(5.0)),
            Some(ColorRole::Positive.fallback())
        );
        assert_eq!(
            at(&r, &f, x0, f.px_y(15.0)),
            Some(ColorRole::Warn.fallback())
        );
        assert_eq!(
            at(&r, &f, x0, f.px_y(-20.0)),
            Some(ColorRole::Negative.fallback())
        );
        assert_eq!(at(&r, &f, x0, f.px_y(25.0)), Some(Rgb::WHITE));
        assert_eq!(at(&r, &f, x0, f.px_y(-35.0)), Some(Rgb::WHITE));
    }

    #[test]
    fn line_passes_through_its_points() {
        let spec = ChartSpec::new(
            "t",
            Axis::linear().domain(0.0, 10.0),
            Axis::linear().domain(0.0, 10.0),
        )
        .layer(Layer::line(
            "l",
            ColorRole::Line1,
            vec![0.0, 5.0, 10.0],
            vec![2.0, 8.0, 2.0],
        ));
        let f = Frame::new(&spec, 300.0, 200.0, 1.0);
        let r = render(&spec, &f, &palette());
        let c = ColorRole::Line1.fallback();
        let near = |x: f64, y: f64| {
            (-1..=1).any(|dx| {
                (-1..=1).any(|dy| at(&r, &f, x + f64::from(dx), y + f64::from(dy)) == Some(c))
            })
        };
        assert!(near(f.px_x(5.0), f.px_y(8.0)));
        assert!(near(f.px_x(2.5), f.px_y(5.0)));
        assert!(!near(f.px_x(5.0), f.px_y(3.0)));
    }

    /// The pixels `shape` fills on a 12 × 12 white canvas, as (x, y).
    fn filled(shape: &[(f64, f64)]) -> Vec<(usize, usize)> {
        let mut rgb = vec![255u8; 12 * 12 * 3];
        {
            let mut back =
                BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut rgb, (12, 12)).unwrap();
            let mut p = Painter {
                back: &mut back,
                w: 12,
                h: 12,
            };
            p.fill(shape, Rgb(0, 0, 0));
        }
        (0..144)
            .filter(|i| rgb[i * 3] == 0)
            .map(|i| (i % 12, i / 12))
            .collect()
    }

    #[test]
    fn a_pixel_is_filled_when_its_centre_is_inside() {
        // A square on pixel edges: exactly its 4 × 4 pixels.
        let square = filled(&[(2.0, 2.0), (6.0, 2.0), (6.0, 6.0), (2.0, 6.0)]);
        let want: Vec<_> = (2..6).flat_map(|y| (2..6).map(move |x| (x, y))).collect();
        assert_eq!(square, want);
        // Shifted by less than half a pixel: the same pixels.
        assert_eq!(
            filled(&[(2.4, 1.6), (6.4, 1.6), (6.4, 5.6), (2.4, 5.6)]),
            want
        );
        // A right triangle: rows of 0, 1, 2 and 3 pixels (the centres on
        // its slanted edge are on a span's open end: outside).
        let tri = filled(&[(0.0, 0.0), (4.0, 4.0), (0.0, 4.0)]);
        let rows: Vec<usize> = (0..4)
            .map(|y| tri.iter().filter(|p| p.1 == y).count())
            .collect();
        assert_eq!(rows, [0, 1, 2, 3]);
        // Even-odd: a square inside a square (drawn as one outline) is a hole.
        let ring = filled(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
            (3.0, 3.0),
            (7.0, 3.0),
            (7.0, 7.0),
            (3.0, 7.0),
            (3.0, 3.0),
        ]);
        assert_eq!(ring.len(), 100 - 16);
        assert!(!ring.contains(&(5, 5)));
        assert!(ring.contains(&(1, 5)));
        // Beyond the canvas and degenerate shapes: clipped, or nothing.
        assert_eq!(
            filled(&[(-5.0, -5.0), (20.0, -5.0), (20.0, 20.0), (-5.0, 20.0)]).len(),
            144
        );
        assert!(filled(&[(1.0, 1.0), (5.0, 5.0)]).is_empty());
        assert!(filled(&[(1.0, 3.0), (5.0, 3.0), (9.0, 3.0)]).is_empty());
    }

    #[test]
    fn heatmap_band_and_rules() {
        let heat = ChartSpec::new(
            "t",
            Axis::minutes().domain(0.0, 4.0),
            Axis::categories(["a", "b"]),
        )
        .layer(Layer::heatmap(
            "h",
            vec![0.0, 1.0, 2.0, 3.0],
            2,
            vec![0.0, 1.0, 2.0, 3.0, f64::NAN, 7.0, 4.0, 5.0],
        ));
        let f = Frame::new(&heat, 200.0, 120.0, 1.0);
        let r = render(&heat, &f, &palette());
        assert_eq!(
            at(&r, &f, f.px_x(0.0), f.y.map(0.5)),
            Some(ColorRole::Heat0.fallback())
        );
        assert_eq!(
            at(&r, &f, f.px_x(2.0), f.y.map(1.5)),
            Some(ColorRole::Heat1.fallback())
        );
        assert_eq!(at(&r, &f, f.px_x(2.0), f.y.map(0.5)), Some(Rgb::WHITE));

        let band = ChartSpec::new(
            "t",
            Axis::linear().domain(0.0, 10.0),
            Axis::linear().domain(0.0, 100.0),
        )
        .layer(Layer::band(
            "b",
            ColorRole::Band95,
            vec![0.0, 10.0],
            vec![20.0, 30.0],
            vec![60.0, 70.0],
        ))
        .layer(Layer::hrule(90.0, ColorRole::Target, Some("target")))
        .layer(Layer::vrule(8.0, ColorRole::Compare, None));
        let f = Frame::new(&band, 300.0, 200.0, 1.0);
        let r = render(&band, &f, &palette());
        assert_eq!(
            at(&r, &f, f.px_x(5.0), f.px_y(45.0)),
            Some(ColorRole::Band95.fallback())
        );
        assert_eq!(at(&r, &f, f.px_x(5.0), f.px_y(80.0)), Some(Rgb::WHITE));
        assert_eq!(at(&r, &f, f.px_x(5.0), f.px_y(10.0)), Some(Rgb::WHITE));
        assert_eq!(
            at(&r, &f, 1.0, f.px_y(90.0)),
            Some(ColorRole::Target.fallback())
        );
        assert_eq!(
            at(&r, &f, f.px_x(8.0).round(), f.px_y(95.0)),
            Some(ColorRole::Compare.fallback())
        );
    }

    #[test]
    fn hostile_data_does_not_panic() {
        let nasty = vec![
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            1e308,
            -1e308,
            0.0,
            f64::MIN_POSITIVE,
            5.0,
        ];
        let xs = vec![0.0, 1.0, 1e300, -1e300, f64::NAN, 2.0, 3.0, 3.0];
        for x_axis in [
            Axis::linear(),
            Axis::minutes(),
            Axis::months(),
            Axis::categories(["a"]),
        ] {
            for y_axis in [
                Axis::linear(),
                Axis::linear().domain(-1.0, 1.0),
                Axis::categories(["r"]),
            ] {
                let spec = ChartSpec::new("t", x_axis.clone(), y_axis)
                    .layer(Layer::stacked_bars(
                        xs.clone(),
                        vec![Series::new("a", ColorRole::Ok, nasty.clone())],
                    ))
                    .layer(Layer::bars("b", ColorRole::Ok, xs.clone(), nasty.clone()))
                    .layer(Layer::outline(
                        "o",
                        ColorRole::Compare,
                        xs.clone(),
                        nasty.clone(),
                    ))
                    .layer(Layer::line(
                        "l",
                        ColorRole::Line1,
                        xs.clone(),
                        nasty.clone(),
                    ))
                    .layer(Layer::band(
                        "d",
                        ColorRole::Band80,
                        xs.clone(),
                        nasty.clone(),
                        nasty.iter().rev().copied().collect(),
                    ))
                    .layer(Layer::heatmap("h", xs.clone(), 3, nasty.clone()))
                    .layer(Layer::heatmap("z", xs.clone(), 0, nasty.clone()))
                    .layer(Layer::heatmap("big", vec![0.0], usize::MAX, nasty.clone()))
                    .layer(Layer::hrule(f64::NAN, ColorRole::Target, None))
                    .layer(Layer::hrule(1e308, ColorRole::Target, None))
                    .layer(Layer::vrule(f64::INFINITY, ColorRole::Target, None))
                    .layer(Layer::line("empty", ColorRole::Line2, vec![], vec![]));
                for (w, h, dpr) in [
                    (300.0, 200.0, 1.0),
                    (1.0, 1.0, 1.0),
                    (0.0, 0.0, 1.0),
                    (500.0, 300.0, 2.5),
                ] {
                    let f = Frame::new(&spec, w, h, dpr);
                    let r = render(&spec, &f, &palette());
                    assert_eq!(r.rgba.len(), (r.width * r.height * 4) as usize);
                }
            }
        }
    }

    #[test]
    fn clipping() {
        let b = (0.0, 0.0, 10.0, 10.0);
        assert_eq!(
            clip_segment((-5.0, 5.0), (15.0, 5.0), b),
            Some(((0.0, 5.0), (10.0, 5.0)))
        );
        assert_eq!(clip_segment((-5.0, -5.0), (-1.0, 20.0), b), None);
        assert_eq!(clip_segment((f64::NAN, 0.0), (1.0, 1.0), b), None);
        let square = clip_polygon(&[(-5.0, -5.0), (15.0, -5.0), (15.0, 15.0), (-5.0, 15.0)], b);
        assert_eq!(square.len(), 4);
        assert!(square
            .iter()
            .all(|(x, y)| (0.0..=10.0).contains(x) && (0.0..=10.0).contains(y)));
        assert!(clip_polygon(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], b).is_empty());
        assert!(clip_polygon(&[], b).is_empty());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod timing {
    use super::*;
    use crate::chart::spec::Axis;
    use std::time::Instant;

    /// `cargo test --lib chart::raster::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "timing report, not a check"]
    fn heatmap_timing() {
        let rows: Vec<String> = (0..12).map(|i| format!("row {i}")).collect();
        let x: Vec<f64> = (0..1440).map(f64::from).collect();
        let values: Vec<f64> = (0..1440 * 12).map(|i| f64::from(i % 97)).collect();
        let spec = ChartSpec::new(
            "h",
            Axis::minutes().domain(0.0, 1440.0),
            Axis::categories(rows),
        )
        .layer(Layer::heatmap("", x, 12, values));
        let f = Frame::new(&spec, 800.0, 300.0, 1.0);
        let p = Palette::default();
        for _ in 0..3 {
            let t = Instant::now();
            let r = render(&spec, &f, &p);
            println!(
                "heatmap render {:?} ({}x{})",
                t.elapsed(),
                r.width,
                r.height
            );
        }
        let empty = ChartSpec::new("e", Axis::minutes().domain(0.0, 1440.0), Axis::linear());
        let t = Instant::now();
        // Only the time matters here, not the drawing.
        let _ = render(&empty, &f, &p);
        println!("empty render {:?}", t.elapsed());
    }

    /// The 1,000,000-point line of the benchmark: frame, M4, whole render.
    #[test]
    #[ignore = "timing report, not a check"]
    fn line_timing() {
        let n = 1_000_000;
        let x: Vec<f64> = (0..n).map(|i| f64::from(i) * 60.0).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| (f64::from(i) / 5000.0).sin() * 100.0 + f64::from(i % 17))
            .collect();
        let spec = ChartSpec::new("l", Axis::linear().no_zero(), Axis::linear().no_zero())
            .layer(Layer::line("v", ColorRole::Line1, x.clone(), y.clone()));
        let p = Palette::default();
        for _ in 0..3 {
            let t = Instant::now();
            let f = Frame::new(&spec, 1200.0, 400.0, 1.0);
            let frame_t = t.elapsed();
            let t = Instant::now();
            let pts = m4(&x, &y, f.x.domain(), f.plot.w as usize);
            let m4_t = t.elapsed();
            let t = Instant::now();
            let r = render(&spec, &f, &p);
            println!(
                "frame {frame_t:?}, m4 {m4_t:?} ({} points), render {:?} ({}x{})",
                pts.len(),
                t.elapsed(),
                r.width,
                r.height
            );
        }
    }
}
