//! Accessibility: axe-core (npm, a dev tool in `.tools/`, never part of
//! `dist/`) checks every view, the Queue's grid, the delivery comparison
//! and an embedded panel of each view, in both themes, at a desktop's and
//! a phone's width, and finds nothing.

use super::pages::{self, PAGES, THEMES};
use super::*;
use serde_json::Value;
use std::path::PathBuf;

/// axe-core's script: `$PULSE_AXE`, or the copy `scripts/setup.sh`
/// installs into `.tools/`.
fn axe_source() -> String {
    let path = std::env::var_os("PULSE_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../.tools/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): run scripts/setup.sh, or set PULSE_AXE",
            path.display()
        )
    })
}

/// Runs axe on the page (injected once per page) and returns its
/// violations, each as `rule (impact): help — first nodes`.
async fn violations(b: &Browser, axe: &str) -> Vec<String> {
    b.js(
        "if (!window.axe) { (0, eval)(arguments[0]); }",
        vec![Value::from(axe)],
    )
    .await;
    let found = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.length + ' nodes: '
                   + v.nodes.slice(0, 3).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ') + ']' : '')).join('; '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[test]
fn axe_finds_nothing_on_any_page_in_either_theme() {
    let axe = axe_source();
    run_alongside(|server, b| async move {
        let mut all = Vec::new();
        // A desktop's window and a phone's, where the wide tables scroll
        // sideways and the bars wrap.
        for (width, height) in [(1280, 900), (390, 844)] {
            b.client.set_window_size(width, height).await.unwrap();
            for theme in THEMES {
                for page in &PAGES {
                    pages::open(&b, &server, page, theme).await;
                    for v in violations(&b, &axe).await {
                        all.push(format!("{} ({theme}, {width} px): {v}", page.name));
                    }
                }
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(all.is_empty(), "axe-core found:\n{}", all.join("\n"));
        b
    });
}
