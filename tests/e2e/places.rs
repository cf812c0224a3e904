//! Places held while the documents are slow: a view painted before its
//! documents are in (a slow network, a busy machine) holds the places its
//! content will take, at every width, so nothing moves when they come;
//! the Queue's large hour, listed while it arrives, moves nothing when it
//! is complete; no page is wider than a phone's screen (from 320 px) and
//! nothing sticks out of its panel, a table wider than its panel keeps
//! its rows' names in view as it scrolls, a panel's head is the same
//! before and after its buttons come, its title whole, and the Queue's
//! list shows its first columns uncut, whatever the delay. Also the
//! layout-shift reading the other tests of places use.

use super::*;
use crate::delivery::{BAD, GOOD};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// The widths walked, with a window height each: phones to a desktop.
const WIDTHS: [(u32, u32); 6] = [
    (320, 700),
    (360, 800),
    (390, 844),
    (600, 900),
    (1024, 768),
    (1280, 900),
];

/// `page` if it is wider than the window (the whole page scrolls
/// sideways).
async fn too_wide(b: &crate::browser::Browser, page: &str) -> Option<String> {
    let widths = b
        .js(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await;
    (widths[0].as_f64() > widths[1].as_f64())
        .then(|| format!("{page}: page and window widths {widths}"))
}

/// `page` and what sticks out of its panel there: any element outside
/// its panel's box, but within a box of its own that scrolls or clips
/// (a wide table's, the Queue's chips).
async fn sticks_out(b: &crate::browser::Browser, page: &str) -> Option<String> {
    let out = b
        .js(
            r#"const out = [];
               for (const panel of document.querySelectorAll('.panel')) {
                   const p = panel.getBoundingClientRect();
                   for (const e of panel.querySelectorAll('*')) {
                       const r = e.getBoundingClientRect();
                       if (r.width === 0 || (r.left >= p.left - 0.5 && r.right <= p.right + 0.5)) continue;
                       let clipped = false;
                       for (let a = e.parentElement; a && a !== panel; a = a.parentElement)
                           if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
                       if (!clipped && out.length < 5)
                           out.push(`${panel.dataset.panel}: ${e.className || e.nodeName} "${e.textContent.trim().slice(0, 24)}" ${Math.round(r.left - p.left)}..${Math.round(r.right - p.left)} of ${Math.round(p.width)} px`);
                   }
               }
               return out;"#,
            vec![],
        )
        .await;
    let out: Vec<&str> = out.as_array()?.iter().filter_map(Value::as_str).collect();
    (!out.is_empty()).then(|| format!("{page}: out of its panel: {}", out.join("; ")))
}

/// Records the page's layout shifts (the performance timeline's
/// `layout-shift` entries) from before its own scripts run.
pub(crate) const SHIFTS: &str = "window.__shifts = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); }).observe({ type: 'layout-shift', buffered: true });";

/// `page` and its layout shifts (recorded by [`SHIFTS`]) if they score
/// 0.05 or more together: half of what counts as good.
pub(crate) async fn shifted(b: &crate::browser::Browser, page: &str) -> Option<String> {
    let shifts = b.js("return window.__shifts", vec![]).await;
    let total: f64 = shifts
        .as_array()
        .expect("the layout-shift observer ran")
        .iter()
        .filter_map(Value::as_f64)
        .sum();
    (total >= 0.05).then(|| format!("{page}: {total:.4} {shifts}"))
}

/// Every document of the bundled data but `meta.json`, by its path on
/// the server.
fn documents() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the bundled data").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let dist = crate::dist();
    let mut files = Vec::new();
    walk(&dist.join("api/v1"), &mut files);
    let docs: Vec<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&dist).ok()?.to_str().map(str::to_owned))
        .filter(|f| f.ends_with(".json") && !f.ends_with("meta.json"))
        .collect();
    assert!(docs.len() > 10, "bundled documents: {docs:?}");
    docs
}

#[test]
fn nothing_moves_when_the_documents_come_late_at_any_width() {
    // (address, what shows while its documents load, what shows once
    // they are in)
    let pages = [
        (
            "?view=overview".to_owned(),
            "[data-panel=overview-services] .skeleton",
            "[data-panel=overview-platform] [data-kpi]",
        ),
        (
            "?view=revenue".to_owned(),
            "[data-panel=revenue-mrr] .skeleton",
            "[data-kpi=mrr_cents]",
        ),
        (
            "?view=revenue&target=1000000".to_owned(),
            "[data-panel=revenue-mrr] .skeleton",
            "[data-kpi=mrr_cents]",
        ),
        (
            format!("?view=delivery&day={BAD}"),
            "[data-panel=delivery-kpis] .skeleton",
            "[data-kpi=p99_s]",
        ),
        // The latest day: a longer title ("Wed 31 Aug, whole day"),
        // on two lines on a phone.
        (
            "?view=delivery".to_owned(),
            "[data-panel=delivery-kpis] .skeleton",
            "[data-kpi=p99_s]",
        ),
        (
            format!("?view=delivery&day={BAD}&compare={GOOD}"),
            "[data-panel=delivery-kpis] .skeleton",
            "[data-kpi='compare:p99_s']",
        ),
    ];
    run(|server, b| async move {
        for doc in documents() {
            server.fault(&doc, Fault::Delay(Duration::from_millis(1500)));
        }
        b.before_every_page(SHIFTS).await;
        let mut moved = Vec::new();
        // And a window tall enough to show every panel below the fold.
        for (width, height) in WIDTHS.into_iter().chain([(1280, 2600)]) {
            b.client.set_window_size(width, height).await.unwrap();
            for (query, loading, complete) in &pages {
                b.goto(&server.url(query)).await;
                b.wait_for(
                    &format!("{query}: the places held while it loads"),
                    &format!("return !!document.querySelector({loading:?})"),
                )
                .await;
                b.wait_for(
                    &format!("{query}: its content"),
                    &format!("return !!document.querySelector({complete:?})"),
                )
                .await;
                tokio::time::sleep(Duration::from_millis(500)).await;
                let page = format!("{query} at {width} x {height} px");
                moved.extend(shifted(&b, &page).await);
                moved.extend(too_wide(&b, &page).await);
                moved.extend(sticks_out(&b, &page).await);
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(moved.is_empty(), "layout shifts:\n{}", moved.join("\n"));
        b
    });
}

/// Where the Queue's figures, filters and list stand, with the download's
/// progress while the hour arrives: `[progress, figures, filters, list]`
/// (the tops, px) once the filters are built and rows are listed.
const QUEUE_PLACES: &str = r#"
    const panel = document.querySelector('[data-panel=queue-list]');
    const top = s => panel?.querySelector(s)?.getBoundingClientRect().top;
    const places = [top('.qkpis'), top('fieldset.qfilters'), top('.vscroll')];
    if (places.some(t => t === undefined) || !panel.querySelector('.qrow')) return null;
    return [panel.querySelector('.qarriving')?.dataset.reading ?? null, ...places];
"#;

/// The Queue panel's title where it is cut (wider than its box), else null.
const TITLE_CUT: &str = r#"
    const t = document.querySelector('.queue-panel .panel-title');
    return t && t.scrollWidth > t.clientWidth + 1 ? t.textContent : null;
"#;

/// Whether the download's bar and its figures can be seen (the point in
/// the middle of each hits it): `[bar, figures]`.
const ARRIVAL_SHOWN: &str = r#"
    const hit = (e) => {
        const r = e?.getBoundingClientRect();
        if (!r || r.width < 2 || r.height < 2) return false;
        const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return at === e || e.contains(at);
    };
    return [hit(document.querySelector('.qarriving progress')), hit(document.querySelector('.qarriving-label'))];
"#;

#[test]
fn nothing_moves_when_a_large_hour_is_complete_at_any_width() {
    let (body, _) = crate::queue::repeated_hour(30_000);
    let body = Arc::new(body);
    run(|server, b| async move {
        b.before_every_page(SHIFTS).await;
        let mut moved = Vec::new();
        for (width, height) in WIDTHS {
            b.client.set_window_size(width, height).await.unwrap();
            // A quarter of the hour comes, then the rest when let go.
            let gate = Gate::default();
            let sent = body.len() / 4;
            server.fault(
                crate::queue::HOUR_DOC,
                Fault::Held {
                    body: Arc::clone(&body),
                    sent,
                    gate: gate.clone(),
                },
            );
            let query = format!("?view=queue&day={}&hour=08", crate::queue::DAY);
            b.goto(&server.url(&query)).await;
            let page = format!("the Queue at {width} px");
            let arriving = b
                .wait_for(
                    &format!("{page}: its first posts while the hour arrives"),
                    &format!(
                        "const p = (() => {{ {QUEUE_PLACES} }})(); return p && p[0] !== null && p"
                    ),
                )
                .await;
            let mut cut = vec![b.js(TITLE_CUT, vec![]).await];
            // The bar on the head's edge; its figures beside the title
            // where there is room, read out only on a phone.
            let shown = b.js(ARRIVAL_SHOWN, vec![]).await;
            let expected = json!([true, width > 600]);
            if shown != expected {
                moved.push(format!(
                    "{page}: [bar, figures] shown {shown} while arriving, not {expected}"
                ));
            }
            gate.open();
            let complete = b
                .wait_for(
                    &format!("{page}: the whole hour"),
                    &format!(
                        "const p = (() => {{ {QUEUE_PLACES} }})(); \
                         return p && p[0] === null \
                         && document.querySelector('[data-kpi=posts_count]')?.dataset.value === '30000' && p"
                    ),
                )
                .await;
            tokio::time::sleep(Duration::from_millis(500)).await;
            cut.push(b.js(TITLE_CUT, vec![]).await);
            for (when, title) in ["while arriving", "after"].iter().zip(&cut) {
                if let Some(t) = title.as_str() {
                    moved.push(format!("{page}: the title {t:?} cut {when}"));
                }
            }
            let places = |v: &Value| -> Vec<f64> {
                v.as_array().unwrap()[1..]
                    .iter()
                    .map(|t| t.as_f64().unwrap())
                    .collect()
            };
            let (before, after) = (places(&arriving), places(&complete));
            if before.iter().zip(&after).any(|(a, b)| (a - b).abs() > 0.5) {
                moved.push(format!(
                    "{page}: figures, filters, list at {before:?} while arriving, {after:?} after"
                ));
            }
            moved.extend(shifted(&b, &page).await);
            moved.extend(too_wide(&b, &page).await);
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(moved.is_empty(), "moved, or cut:\n{}", moved.join("\n"));
        b
    });
}

/// The bars built just after a view's first paint, each with the place
/// held for it until then: (address, the bar's own nodes, the class of
/// its place, what stands below it).
const HELD_BARS: [(&str, &str, &str, &str); 5] = [
    (
        "?view=queue",
        ".qhead .toolbar > *",
        "qpickers-placeholder",
        ".queue-panel",
    ),
    (
        "?view=queue",
        "fieldset.qfilters",
        "qfilters-placeholder",
        ".queue-panel .panel-body > :last-child",
    ),
    (
        "?view=delivery",
        ".view-head .toolbar > *",
        "pickers-placeholder",
        ".delivery-grid",
    ),
    (
        "?view=delivery",
        ".dfilters",
        "dfilters-placeholder",
        ".delivery-grid",
    ),
    (
        "?view=revenue",
        ".rev-toolbar",
        "rev-pickers-placeholder",
        ".rev-grid",
    ),
];

/// Narrows the frame `f` from 1,400 px to 300 and at each width puts the
/// bar's place in its stead: the widths where what stands below it would
/// move, each run of them with the heights. A width is measured every
/// `STEP` px, and every pixel between two that differ in the place's
/// height, the bar's or the move: heights change only at the widths where
/// a rule or a line break starts, so two neighbours that agree have the
/// same heights between them (a change and its undoing within `STEP` px
/// would slip through; no rule of the style sheets is that narrow).
const WALK_WIDTHS: &str = r#"
    const [real, held, below] = arguments;
    const STEP = 8;
    const frame = document.getElementById('f');
    const doc = frame.contentDocument;
    const measure = (w) => {
        frame.style.width = w + 'px';
        const bar = [...doc.querySelectorAll(real)];
        const next = doc.querySelector(below);
        if (!bar.length || !next) return null;
        const top = next.getBoundingClientRect().top;
        const place = doc.createElement('div');
        place.className = held;
        bar[0].before(place);
        const shown = bar.map(e => e.style.display);
        bar.forEach(e => (e.style.display = 'none'));
        const shifted = next.getBoundingClientRect().top - top;
        const h = place.getBoundingClientRect().height;
        place.remove();
        bar.forEach((e, i) => (e.style.display = shown[i]));
        return { shifted: Math.abs(shifted) > 0.5 ? shifted : 0, h: +h.toFixed(1) };
    };
    const same = (a, b) => a.h === b.h && Math.abs(a.shifted - b.shifted) < 0.05;
    const at = new Map();
    for (let w = 1400; w >= 300; w = w > 300 && w - STEP < 300 ? 300 : w - STEP) {
        const m = measure(w);
        if (!m) return [`${w} px: the bar or what is below it gone`];
        at.set(w, m);
        if (w === 300) break;
    }
    const sampled = [...at.keys()];
    for (let i = 1; i < sampled.length; i++) {
        const [wide, narrow] = [sampled[i - 1], sampled[i]];
        const differ = !same(at.get(wide), at.get(narrow));
        for (let w = wide - 1; w > narrow; w--) {
            const m = differ ? measure(w) : at.get(wide);
            if (!m) return [`${w} px: the bar or what is below it gone`];
            at.set(w, m);
        }
    }
    const moved = [];
    for (let w = 1400; w >= 300; w--) {
        const { shifted, h } = at.get(w);
        if (shifted === 0) continue;
        const row = [w, w, h, +(h - shifted).toFixed(1)];
        const last = moved[moved.length - 1];
        if (last && last[1] === w + 1 && last[2] === row[2] && last[3] === row[3]) last[1] = w;
        else moved.push(row);
    }
    return moved.map(([from, to, place, bar]) => `${from}-${to} px: place ${place}, bar ${bar}`);
"#;

/// Opens a page holding the address `query` in a frame `f` 1,400 px
/// wide and `height` px tall, which the walks narrow.
async fn open_in_frame(server: &Server, b: &crate::browser::Browser, query: &str, height: u32) {
    let host = format!(
        r#"<!doctype html><html lang="en"><title>host</title><body style="margin:0"><iframe id="f" src="{PREFIX}{query}" style="width:1400px;height:{height}px;border:0"></iframe></body></html>"#
    );
    server.page("/host.html", &host);
    b.goto(&format!("{}/host.html", server.origin)).await;
}

#[test]
fn the_places_held_for_bars_fit_them_at_every_width() {
    run(|server, b| async move {
        let mut moved = Vec::new();
        // A frame taller than the page, and one the page scrolls in (its
        // scrollbar, where it takes room, narrows what is inside).
        for frame_height in [6000, 800] {
            for (query, real, held, below) in HELD_BARS {
                open_in_frame(&server, &b, query, frame_height).await;
                b.wait_for(
                    &format!("{query}: {real} built"),
                    &format!(
                        "const d = document.getElementById('f').contentDocument; \
                         return !!d?.querySelector({real:?}) && !!d.querySelector({below:?}) \
                         && !d.querySelector('[aria-busy=\"true\"]')"
                    ),
                )
                .await;
                // The later style sheets and the fonts in.
                tokio::time::sleep(Duration::from_millis(700)).await;
                let rows = b
                    .js(WALK_WIDTHS, vec![json!(real), json!(held), json!(below)])
                    .await;
                let rows: Vec<&str> = rows
                    .as_array()
                    .expect("the walk's rows")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                if !rows.is_empty() {
                    moved.push(format!(
                        "{query} in a frame {frame_height} px tall: .{held} against {real}: {}",
                        rows.join("; ")
                    ));
                }
            }
        }
        assert!(
            moved.is_empty(),
            "places that do not fit:\n{}",
            moved.join("\n")
        );
        b
    });
}

/// The tables wider than a phone's panel, with how many of their first
/// columns name a row: (address, panel, name columns).
const WIDE_TABLES: [(&str, &str, usize); 3] = [
    ("?view=delivery", "delivery-breakdown", 2),
    ("?view=revenue", "revenue-plans", 1),
    ("?view=revenue", "revenue-reconciliation", 1),
];

/// Whether a computed `box-shadow` shows (not `none`, not transparent).
const SHOWN: &str = r"const shown = (s) => s !== 'none' && !/rgba\(\d+, \d+, \d+, 0\)/.test(s);";

/// A table's shadows where it stands: `[overflows, right edge's shadow
/// shown, shadow beside the names shown]`, or null until its rows are in
/// (built once the later style sheet is).
fn shadows(panel: &str, names: usize) -> String {
    format!(
        r#"{SHOWN}
           const wrap = document.querySelector('[data-panel={panel}] .table-wrap');
           const cell = wrap?.querySelector('tbody tr > :nth-child({names})');
           if (!cell) return null;
           return [wrap.scrollWidth > wrap.clientWidth + 1, shown(getComputedStyle(wrap).boxShadow),
                   shown(getComputedStyle(cell).boxShadow)];"#
    )
}

/// Scrolls a table to its end; then, for each row whose name is in the
/// window and not under the page's own bars, where its name cells stand
/// against the table's left edge and whether each is what shows at its
/// middle (painted over the figures gone under it): `[rows checked,
/// faults]`.
fn names_in_view(panel: &str, names: usize) -> String {
    format!(
        r#"const wrap = document.querySelector('[data-panel={panel}] .table-wrap');
           wrap.scrollIntoView({{ block: 'center' }});
           wrap.scrollLeft = wrap.scrollWidth;
           if (wrap.scrollLeft < 1) return [0, ['it did not scroll']];
           const left = wrap.getBoundingClientRect().left + wrap.clientLeft;
           const faults = [];
           let checked = 0;
           for (const row of wrap.querySelectorAll('tr')) {{
               const cells = [...row.children].slice(0, {names});
               const r = cells[0].getBoundingClientRect();
               const y = r.top + r.height / 2;
               const probe = y > 0 && y < innerHeight ? document.elementFromPoint(r.left + 2, y) : null;
               if (!probe || !wrap.contains(probe)) continue;
               checked += 1;
               let x = left;
               for (const cell of cells) {{
                   const c = cell.getBoundingClientRect();
                   const name = cell.textContent.trim();
                   if (Math.abs(c.left - x) > 1) faults.push(`${{name}}: left ${{c.left}}, not ${{x}}`);
                   const top = document.elementFromPoint(c.left + c.width / 2, y);
                   if (!cell.contains(top)) faults.push(`${{name}}: under "${{top?.textContent?.trim().slice(0, 20)}}"`);
                   x = c.right;
               }}
           }}
           return [checked, faults];"#
    )
}

/// How wide the Overview's bugs table is against its place:
/// `[place, table]`, or null until it is in.
const BUGS_WIDTH: &str = "const t = document.querySelector('.data-table.bugs tbody tr') && document.querySelector('.data-table.bugs'); \
     return t ? [t.parentElement.clientWidth, t.scrollWidth] : null;";

/// What `script` returns once it returns `expected`, or its last value
/// after 3 s: a scroll timeline follows its sheet and its scroller at a
/// later frame.
async fn settled(b: &crate::browser::Browser, script: &str, expected: &Value) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let value = b.js(script, vec![]).await;
        if &value == expected || std::time::Instant::now() > deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn wide_tables_keep_their_rows_names_in_view_on_a_phone() {
    run(|server, b| async move {
        let mut faults = Vec::new();
        b.client.set_window_size(390, 844).await.unwrap();
        for (query, panel, names) in WIDE_TABLES {
            b.goto(&server.url(query)).await;
            let page = format!("{panel} at 390 px");
            b.wait_for(&page, &shadows(panel, names)).await;
            // Wider than its place: a shadow at the right edge, none
            // beside the names yet.
            let unscrolled = json!([true, true, false]);
            let start = settled(&b, &shadows(panel, names), &unscrolled).await;
            if start != unscrolled {
                faults.push(format!(
                    "{page}, unscrolled: [overflows, edge, names] {start}"
                ));
            }
            let seen = b.js(&names_in_view(panel, names), vec![]).await;
            let checked = seen[0].as_u64().unwrap_or(0);
            if checked < 4 {
                faults.push(format!("{page}: {checked} rows in view to check"));
            }
            for fault in seen[1].as_array().into_iter().flatten() {
                faults.push(format!("{page}, scrolled: {fault}"));
            }
            let scrolled = json!([true, false, true]);
            let end = settled(&b, &shadows(panel, names), &scrolled).await;
            if end != scrolled {
                faults.push(format!(
                    "{page}, scrolled to the end: [overflows, edge, names] {end}"
                ));
            }
        }
        // The Queue's list has the same edge.
        b.goto(&server.url("?view=queue")).await;
        let edge = &format!(
            r#"{SHOWN}
            const list = document.querySelector('.vscroll.qlist');
            const later = [...document.styleSheets].some((s) => s.href?.includes('later'));
            return list?.querySelector('.qrow') && later ? [shown(getComputedStyle(list).boxShadow)] : null;"#
        );
        b.wait_for("the Queue's list at 390 px", edge).await;
        // Its rows show when each post was due, how late it went and how
        // it ended, whole, before any scrolling; the header names the
        // same columns in the same order.
        let whole = b
            .js(
                r#"const list = document.querySelector('.vscroll.qlist');
                const box = list.getBoundingClientRect();
                const right = box.left + list.clientWidth;
                const inside = (c) => { const r = c.getBoundingClientRect(); return r.width > 0 && r.left >= box.left && r.right <= right + 0.5; };
                const kinds = (row) => [...row.children].map((c) => [...c.classList].find((k) => k.startsWith('c-')));
                const rows = [...list.querySelectorAll('.qrow')].filter((r) => r.getBoundingClientRect().bottom <= box.bottom);
                const faults = [];
                for (const row of rows) {
                  for (const k of ['c-due', 'c-delay', 'c-status']) {
                    if (!inside(row.querySelector('.' + k))) faults.push(row.dataset.postId + ' ' + k);
                  }
                }
                const head = kinds(list.querySelector('.qlist-head'));
                if (rows.some((r) => kinds(r).join() !== head.join())) faults.push('header ' + head.join());
                return [rows.length, faults];"#,
                vec![],
            )
            .await;
        if whole[0].as_u64().unwrap_or(0) < 4 || whole[1] != json!([]) {
            faults.push(format!(
                "the Queue's list at 390 px: [rows, cells not whole in view] {whole}"
            ));
        }
        let start = settled(&b, edge, &json!([true])).await;
        b.js(
            "const l = document.querySelector('.vscroll.qlist'); l.scrollLeft = l.scrollWidth;",
            vec![],
        )
        .await;
        let end = settled(&b, edge, &json!([false])).await;
        if (start.clone(), end.clone()) != (json!([true]), json!([false])) {
            faults.push(format!(
                "the Queue's list at 390 px: edge {start} unscrolled, {end} at its end"
            ));
        }
        // A table that fits shows no shadow.
        b.client.set_window_size(1280, 900).await.unwrap();
        b.goto(&server.url("?view=revenue")).await;
        let fits = shadows("revenue-reconciliation", 1);
        b.wait_for("revenue-reconciliation at 1280 px", &fits).await;
        // Its timeline's first frames: whatever it would show, shown.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let wide = b.js(&fits, vec![]).await;
        if wide != json!([false, false, false]) {
            faults.push(format!("revenue-reconciliation at 1280 px: {wide}"));
        }
        // The bugs table fits a phone.
        for (width, height) in [(360, 800), (390, 844)] {
            b.client.set_window_size(width, height).await.unwrap();
            b.goto(&server.url("?view=overview")).await;
            let sizes = b.wait_for("the bugs table", BUGS_WIDTH).await;
            if sizes[1].as_f64() > sizes[0].as_f64() {
                faults.push(format!("bugs at {width} px: [place, table] {sizes}"));
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(faults.is_empty(), "{}", faults.join("\n"));
        b
    });
}

#[test]
fn a_panels_one_or_two_buttons_keep_one_line_beside_its_title_on_a_phone() {
    run(|server, b| async move {
        b.client.set_window_size(390, 844).await.unwrap();
        let (mut checked, mut faults) = (0, Vec::new());
        // The latest day's longer title too ("Wed 31 Aug, whole day").
        let latest = crate::pages::Page {
            name: "delivery, latest day",
            query: "?view=delivery",
            ready: "[data-panel=delivery-breakdown] table",
        };
        for page in crate::pages::PAGES.iter().chain([&latest]) {
            crate::pages::open(&b, &server, page, "light").await;
            b.wait_for(
                &format!("{}: the panels' buttons", page.name),
                "return !document.querySelector('.panel-controls-placeholder')",
            )
            .await;
            // Each such head: [title, its buttons' tops, the head's height
            // beyond the taller of its title and its buttons].
            let heads = b
                .js(
                    r#"return [...document.querySelectorAll('.panel-head')].flatMap((head) => {
                      // (A panel's own controls, in a box of no layout of its own, by what is in it.)
                      const buttons = [...head.querySelectorAll('.panel-controls > :not(.custom), .panel-controls > .custom > *')];
                      if (buttons.length === 0 || buttons.length > 2) return [];
                      const top = (e) => Math.round(e.getBoundingClientRect().top);
                      const title = head.querySelector('.panel-title');
                      const tall = Math.max(31, title?.getBoundingClientRect().height ?? 0);
                      return [[title?.textContent ?? '', buttons.map(top), Math.round(head.getBoundingClientRect().height - tall)]];
                    });"#,
                    vec![],
                )
                .await;
            for head in heads.as_array().into_iter().flatten() {
                checked += 1;
                let tops = head[1].as_array().cloned().unwrap_or_default();
                let one_line = tops.windows(2).all(|w| w[0] == w[1]);
                // The head's padding and border around the taller of the
                // title and the buttons, and nothing more.
                if !one_line || head[2].as_i64().unwrap_or(i64::MAX) > 26 {
                    faults.push(format!("{} at 390 px: {head}", page.name));
                }
            }
        }
        assert!(checked >= 10, "{checked} panel heads checked");
        assert!(
            faults.is_empty(),
            "[title, button tops, head height beyond its content]:\n{}",
            faults.join("\n")
        );
        b
    });
}

/// Walks a page in the frame `f` from 1,400 px down to 300 px, one pixel
/// at a time, and at each width compares every panel head whose buttons
/// are the panel's own (Table, CSV, PNG) with the head as the first
/// paint has it: the buttons taken out, the place held for them
/// (`panel-controls-placeholder bN`, N their count) in; with the argument
/// `'queue'`, the Queue's head and its plain place instead. Returns each
/// difference in the head's height or in the title's, as runs of widths;
/// then the number of heads and the first titles cut (wider than their
/// box) and where.
const WALK_HEADS: &str = r#"
    const frame = document.getElementById('f');
    const doc = frame.contentDocument;
    const queue = arguments[0] === 'queue';
    const heads = [...doc.querySelectorAll(queue ? '.queue-panel .panel-head' : '.panel-head')].filter((h) => {
        const c = h.querySelector('.panel-controls');
        return c && (queue || !c.querySelector(':scope > .custom')) && c.children.length > 0;
    });
    const size = (h) => [h.getBoundingClientRect().height, h.querySelector('.panel-title').getBoundingClientRect().height]
        .map((x) => +x.toFixed(1));
    const moved = new Map();
    const cut = [];
    for (let w = 1400; w >= 300; w--) {
        frame.style.width = w + 'px';
        const real = heads.map(size);
        for (const h of heads) {
            const t = h.querySelector('.panel-title');
            if (t.scrollWidth > t.clientWidth + 1 && cut.length < 5) cut.push(`${t.textContent} at ${w} px`);
        }
        const taken = heads.map((h) => {
            const c = h.querySelector('.panel-controls');
            const buttons = [...c.children];
            const place = doc.createElement('div');
            place.className = 'panel-controls-placeholder' + (queue ? '' : ' b' + buttons.length);
            buttons.forEach((b) => b.remove());
            c.append(place);
            return [c, buttons, place];
        });
        const held = heads.map(size);
        for (const [c, buttons, place] of taken) { place.remove(); c.append(...buttons); }
        heads.forEach((h, i) => {
            if (real[i][0] === held[i][0] && real[i][1] === held[i][1]) return;
            const name = h.closest('[data-panel]').dataset.panel;
            const row = `${name}: head ${held[i][0]} -> ${real[i][0]}, title ${held[i][1]} -> ${real[i][1]}`;
            const runs = moved.get(row) ?? [];
            const last = runs[runs.length - 1];
            if (last && last[1] === w + 1) last[1] = w;
            else runs.push([w, w]);
            moved.set(row, runs);
        });
    }
    const rows = [...moved].flatMap(([row, runs]) => runs.map(([from, to]) => `${from}-${to} px: ${row}`));
    return [rows.slice(0, 20), heads.length, cut];
"#;

/// Opens `query` in the frame, waits for its heads' buttons (`ready`, a
/// selector in the frame's page, and no place held for them left), and
/// walks it with [`WALK_HEADS`] (`which`: `"own"` or `"queue"`). Returns
/// the number of heads walked and every difference and cut title found.
async fn walk_heads(
    server: &Server,
    b: &crate::browser::Browser,
    query: &str,
    ready: &str,
    which: &str,
) -> (u64, Vec<String>) {
    open_settled(server, b, query, ready).await;
    b.wait_for(
        &format!("{query}: no place held for buttons"),
        "return !document.getElementById('f').contentDocument.querySelector('.panel-controls-placeholder')",
    )
    .await;
    let walk = b.js(WALK_HEADS, vec![json!(which)]).await;
    let rows = walk[0].as_array().into_iter().flatten();
    let cut = walk[2].as_array().into_iter().flatten();
    let faults = rows
        .map(|row| format!("{query}: {}", row.as_str().unwrap_or_default()))
        .chain(cut.map(|c| format!("{query}: cut: {}", c.as_str().unwrap_or_default())))
        .collect();
    (walk[1].as_u64().unwrap_or(0), faults)
}

#[test]
fn a_panels_head_is_as_tall_at_its_first_paint_and_its_title_whole_at_every_width() {
    run(|server, b| async move {
        let mut faults = Vec::new();
        let mut heads = 0;
        for query in ["?view=overview", "?view=delivery", "?view=revenue"] {
            let (n, found) =
                walk_heads(&server, &b, query, ".panel-controls > .button", "own").await;
            heads += n;
            faults.extend(found);
        }
        assert!(heads >= 13, "{heads} heads walked");
        assert!(
            faults.is_empty(),
            "heads that move when their buttons come, or whose title is cut:\n{}",
            faults.join("\n")
        );
        b
    });
}

#[test]
fn the_queues_title_is_whole_and_its_head_as_tall_at_its_first_paint_at_every_width() {
    run(|server, b| async move {
        let csv = ".queue-panel .panel-controls [data-action=csv]";
        let (heads, faults) = walk_heads(&server, &b, "?view=queue", csv, "queue").await;
        assert_eq!(heads, 1, "the Queue's head walked");
        assert!(
            faults.is_empty(),
            "the Queue's head moves when its button comes, or its title is cut:\n{}",
            faults.join("\n")
        );
        b
    });
}

/// Opens `query` in the frame (taller than its page) and waits until
/// `ready` (a selector in the frame's page) is there and nothing loads,
/// then for the later style sheets and the fonts.
async fn open_settled(server: &Server, b: &crate::browser::Browser, query: &str, ready: &str) {
    open_in_frame(server, b, query, 6000).await;
    b.wait_for(
        &format!("{query}: {ready}"),
        &format!(
            "const d = document.getElementById('f').contentDocument; \
             return !!d?.querySelector({ready:?}) && !d.querySelector('[aria-busy=\"true\"]')"
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
}

/// The longest forms of a delay in the Queue's list
/// (`model::queue::format_delay_ms`): minutes and seconds, hours and
/// minutes.
const LONGEST_DELAYS: [&str; 2] = ["+59 m 59 s", "+23 h 59 m"];

/// Narrows the frame from 1,400 to 300 px and at each width checks the
/// first row of the list (the most late post, its delay in bold): that
/// its due time, delay and status are not cut, nor the delay in each of
/// its longest forms (`arguments[0]`), and from 360 px that the three are
/// whole in the list's view before it is scrolled sideways. Returns the
/// faults as runs of widths.
const FIRST_COLUMNS: &str = r#"
    const forms = arguments[0];
    const frame = document.getElementById('f');
    const doc = frame.contentDocument;
    const found = new Map();
    const note = (w, what) => {
        const runs = found.get(what) ?? [];
        const last = runs[runs.length - 1];
        if (last && last[1] === w + 1) last[1] = w; else runs.push([w, w]);
        found.set(what, runs);
    };
    for (let w = 1400; w >= 300; w--) {
        frame.style.width = w + 'px';
        const list = doc.querySelector('[data-panel=queue-list] .qlist');
        const row = list?.querySelector('.qrow[data-pos="0"]');
        if (!row) return [`${w} px: no first row`];
        const cells = [...row.children].slice(0, 3);
        if (!cells[1].classList.contains('late')) return [`${w} px: the first row is not late`];
        for (const c of cells) {
            if (c.scrollWidth > c.clientWidth) note(w, `${c.classList[1]} cut: ${c.textContent}`);
        }
        const shown = cells[1].textContent;
        for (const f of forms) {
            cells[1].textContent = f;
            if (cells[1].scrollWidth > cells[1].clientWidth) note(w, `delay cut: ${f}`);
        }
        cells[1].textContent = shown;
        const view = list.getBoundingClientRect().left + list.clientLeft + list.clientWidth;
        if (w >= 360 && cells[2].getBoundingClientRect().right > view + 0.5) note(w, 'status out of view');
    }
    return [...found].flatMap(([what, runs]) => runs.map(([from, to]) => `${from}-${to} px: ${what}`));
"#;

#[test]
fn the_lists_due_delay_and_status_are_whole_at_every_width_even_the_longest_delays() {
    run(|server, b| async move {
        let query = "?view=queue&sort=-delay";
        let late = "[data-panel=queue-list] .qrow[data-pos=\"0\"] .late";
        open_settled(&server, &b, query, late).await;
        let faults = b.js(FIRST_COLUMNS, vec![json!(LONGEST_DELAYS)]).await;
        assert_eq!(faults, json!([]), "{query}: the list's first columns");
        b
    });
}

/// Narrows the frame through the widths `arguments[0]`, two frames
/// apart (the grid sizes its tiles from its width), and checks every
/// tile of the Queue's grid that shows its excerpt (no image): that the
/// excerpt is whole lines and ends above its badge, or within its tile
/// when it has none. Returns the tiles checked and the faults.
const TILE_TEXT: &str = r#"
    const frame = document.getElementById('f');
    const doc = frame.contentDocument;
    const win = frame.contentWindow;
    const frames = () => new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(r)));
    return (async () => {
        const faults = [];
        let checked = 0;
        for (const w of arguments[0]) {
            frame.style.width = w + 'px';
            await frames();
            await frames();
            for (const t of doc.querySelectorAll('.qgrid .tile')) {
                if (t.querySelector('img') && !t.classList.contains('broken')) continue;
                const text = t.querySelector('.tile-text');
                if (!text || !text.textContent) continue;
                checked++;
                const box = text.getBoundingClientRect();
                const lines = box.height / parseFloat(win.getComputedStyle(text).lineHeight);
                if (Math.abs(lines - Math.round(lines)) > 0.05) faults.push(`${w} px: ${t.id}: ${lines.toFixed(2)} lines`);
                const badge = t.querySelector('.tile-badge');
                const floor = badge ? badge.getBoundingClientRect().top : t.getBoundingClientRect().bottom;
                if (box.bottom > floor + 0.5) faults.push(`${w} px: ${t.id}: its text ends at ${box.bottom.toFixed(1)}, ${badge ? 'its badge' : 'its tile'} at ${floor.toFixed(1)}`);
            }
        }
        return [checked, faults.slice(0, 20)];
    })();
"#;

#[test]
fn a_grid_tiles_excerpt_is_whole_lines_above_its_badge_at_every_width() {
    run(|server, b| async move {
        let widths = [
            1400, 1280, 1024, 900, 800, 700, 601, 600, 500, 430, 390, 360, 320,
        ];
        let mut faults = Vec::new();
        // Most late first: tiles with badges; by due time: tiles without.
        for query in [
            "?view=queue&layout=grid&sort=-delay",
            "?view=queue&layout=grid",
        ] {
            open_settled(&server, &b, query, ".qgrid .tile .tile-text").await;
            let found = b.js(TILE_TEXT, vec![json!(widths)]).await;
            let checked = found[0].as_u64().unwrap_or(0);
            assert!(checked >= 50, "{query}: {checked} tiles checked");
            faults.extend(
                found[1]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| format!("{query}: {}", f.as_str().unwrap_or_default())),
            );
        }
        assert!(
            faults.is_empty(),
            "tiles whose excerpt is cut or covered:\n{}",
            faults.join("\n")
        );
        b
    });
}
