//! The post thumbnails: small square SVG images (a colourful gradient with
//! a white shape on it) so the queue's grid looks like a photo feed.
//!
//! They are plain, self-contained SVG: no script, no links, no external
//! references, integer coordinates only, each well under 1 KB.

use super::rng::Rng;

/// Number of thumbnails.
pub const COUNT: usize = 40;

/// The path of thumbnail `i` relative to the API base (`media/t07.svg`).
pub fn url(i: usize) -> String {
    format!("media/t{i:02}.svg")
}

/// Gradient colour pairs.
const PALETTE: [(&str, &str); 20] = [
    ("#ff5e62", "#ff9966"),
    ("#7f00ff", "#e100ff"),
    ("#00c6ff", "#0072ff"),
    ("#f7971e", "#ffd200"),
    ("#11998e", "#38ef7d"),
    ("#fc466b", "#3f5efb"),
    ("#c94b4b", "#4b134f"),
    ("#00b09b", "#96c93d"),
    ("#ee0979", "#ff6a00"),
    ("#2193b0", "#6dd5ed"),
    ("#834d9b", "#d04ed6"),
    ("#f953c6", "#b91d73"),
    ("#1d976c", "#93f9b9"),
    ("#e96443", "#904e95"),
    ("#3a1c71", "#ffaf7b"),
    ("#4568dc", "#b06ab3"),
    ("#ff512f", "#dd2476"),
    ("#43cea2", "#185a9d"),
    ("#fdc830", "#f37335"),
    ("#355c7d", "#c06c84"),
];

/// Gradient directions: (x1, y1, x2, y2).
const DIRECTIONS: [(u8, u8, u8, u8); 4] = [(0, 0, 1, 1), (1, 0, 0, 1), (0, 0, 0, 1), (0, 0, 1, 0)];

/// Ray ends of the sunburst around its centre (8 directions).
const RAYS: [(i32, i32); 8] = [
    (60, 0),
    (42, 42),
    (0, 60),
    (-42, 42),
    (-60, 0),
    (-42, -42),
    (0, -60),
    (42, -42),
];

fn shape(rng: &mut Rng, kind: usize) -> String {
    let w = "fill='#fff'";
    let n = |rng: &mut Rng, lo: u64, hi: u64| rng.range(lo, hi) as i32;
    match kind {
        0 => {
            let (cx, cy, r) = (n(rng, 55, 105), n(rng, 55, 105), n(rng, 28, 50));
            format!("<circle cx='{cx}' cy='{cy}' r='{r}' {w} fill-opacity='.6'/>")
        }
        1 => {
            let r = n(rng, 30, 52);
            format!(
                "<circle cx='80' cy='80' r='{r}' fill='none' stroke='#fff' stroke-width='{}' stroke-opacity='.7'/>",
                n(rng, 8, 18)
            )
        }
        2 => {
            let top = n(rng, 20, 50);
            format!("<polygon points='80,{top} 140,135 20,135' {w} fill-opacity='.55'/>")
        }
        3 => {
            let d = n(rng, 35, 60);
            format!(
                "<polygon points='80,{} {},80 80,{} {},80' {w} fill-opacity='.5'/>",
                80 - d,
                80 + d,
                80 + d,
                80 - d
            )
        }
        4 => {
            let g = n(rng, 30, 45);
            (0..3)
                .map(|i| {
                    let x = i * g * 2 - 40;
                    format!(
                        "<polygon points='{x},160 {},160 {},0 {},0' {w} fill-opacity='.25'/>",
                        x + g,
                        x + g + 80,
                        x + 80
                    )
                })
                .collect()
        }
        5 => {
            let (p1, p2) = (n(rng, 40, 70), n(rng, 90, 130));
            format!(
                "<circle cx='{}' cy='{}' r='16' {w} fill-opacity='.8'/><polygon points='0,160 {p1},{} 110,160' {w} fill-opacity='.45'/><polygon points='40,160 {p2},{} 160,160' {w} fill-opacity='.6'/>",
                n(rng, 100, 135),
                n(rng, 25, 45),
                n(rng, 60, 85),
                n(rng, 75, 100)
            )
        }
        6 => {
            let y = n(rng, 80, 110);
            format!(
                "<path d='M0 {y} Q40 {} 80 {y} T160 {y} V160 H0Z' {w} fill-opacity='.35'/><path d='M0 {} Q40 {} 80 {} T160 {} V160 H0Z' {w} fill-opacity='.5'/>",
                y - 25,
                y + 22,
                y + 5,
                y + 22,
                y + 22
            )
        }
        7 => {
            let r = n(rng, 8, 16);
            let mut s = String::new();
            for i in 0..3 {
                for j in 0..3 {
                    s.push_str(&format!(
                        "<circle cx='{}' cy='{}' r='{r}' {w} fill-opacity='.6'/>",
                        40 + i * 40,
                        40 + j * 40
                    ));
                }
            }
            s
        }
        8 => {
            let s = n(rng, 50, 80);
            let o = 80 - s / 2;
            format!(
                "<rect x='{o}' y='{o}' width='{s}' height='{s}' rx='{}' {w} fill-opacity='.5' transform='rotate({} 80 80)'/>",
                n(rng, 6, 20),
                n(rng, 10, 80)
            )
        }
        _ => {
            let mut s = String::from("<g stroke='#fff' stroke-width='6' stroke-opacity='.6'>");
            for (dx, dy) in RAYS {
                s.push_str(&format!(
                    "<line x1='80' y1='80' x2='{}' y2='{}'/>",
                    80 + dx,
                    80 + dy
                ));
            }
            s.push_str(&format!(
                "</g><circle cx='80' cy='80' r='{}' {w}/>",
                n(rng, 18, 30)
            ));
            s
        }
    }
}

/// Thumbnail `i` (0 ≤ i < [`COUNT`]) as SVG text.
pub fn svg(rng: &Rng, i: usize) -> String {
    let mut rng = rng.fork_n(i as u64);
    let (from, to) = PALETTE
        .get((i * 7) % PALETTE.len())
        .copied()
        .unwrap_or_default();
    let (x1, y1, x2, y2) = DIRECTIONS
        .get(i % DIRECTIONS.len())
        .copied()
        .unwrap_or_default();
    let body = shape(&mut rng, i % 10);
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 160 160' width='160' height='160'><defs><linearGradient id='g{i}' x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}'><stop offset='0' stop-color='{from}'/><stop offset='1' stop-color='{to}'/></linearGradient></defs><rect width='160' height='160' fill='url(#g{i})'/>{body}</svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_are_small_safe_and_distinct() {
        let rng = Rng::new(99);
        let all: Vec<String> = (0..COUNT).map(|i| svg(&rng, i)).collect();
        for s in &all {
            assert!(s.len() < 1024, "{} bytes: {s}", s.len());
            assert!(s.starts_with("<svg ") && s.ends_with("</svg>"));
            assert!(s.contains("viewBox='0 0 160 160'"));
            let lower = s.to_lowercase();
            for bad in [
                "script",
                "href",
                "<image",
                "<foreignobject",
                "javascript:",
                "data:",
            ] {
                assert!(!lower.contains(bad), "{bad} in {s}");
            }
            // The only URL is the SVG namespace; the only reference is local.
            assert_eq!(s.matches("http").count(), 1);
        }
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), COUNT);
        assert_eq!(url(7), "media/t07.svg");
    }
}
