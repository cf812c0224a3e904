//! The pages the audits walk (content security policy, accessibility,
//! synchronous loading): every view, the Queue's grid, the delivery
//! comparison and an embedded panel of each view, each opened by its
//! address as a new visitor would, and the wait until it has settled.

use super::*;

/// One address and what shows it is complete.
pub struct Page {
    /// A short name for messages.
    pub name: &'static str,
    /// The query string (without `theme`).
    pub query: &'static str,
    /// A CSS selector that matches once the page's content is in.
    pub ready: &'static str,
}

/// Every view, the grid, the comparison and one embedded panel per view.
pub const PAGES: [Page; 10] = [
    Page {
        name: "overview",
        query: "?view=overview",
        ready: "[data-kpi='requests:buffer.com']",
    },
    Page {
        name: "delivery",
        query: "?view=delivery&day=2016-08-03",
        ready: "[data-panel=delivery-breakdown] table",
    },
    Page {
        name: "delivery comparison",
        query: "?view=delivery&day=2016-08-03&compare=2016-08-29",
        ready: "[data-kpi='compare:p50_s']",
    },
    Page {
        name: "revenue",
        query: "?view=revenue",
        ready: ".rev-recon-table table",
    },
    Page {
        name: "queue list",
        query: "?view=queue&day=2016-08-03&hour=08",
        ready: "[data-panel=queue-list] .qrow",
    },
    Page {
        name: "queue grid",
        query: "?view=queue&day=2016-08-03&hour=08&layout=grid",
        ready: "[data-panel=queue-grid] .tile",
    },
    Page {
        name: "embedded overview-bugs",
        query: "?view=overview&embed=overview-bugs",
        ready: "[data-kpi='bugs_opened:S1']",
    },
    Page {
        name: "embedded delivery-minutes",
        query: "?view=delivery&day=2016-08-03&embed=delivery-minutes",
        ready: "[data-panel=delivery-minutes] canvas",
    },
    Page {
        name: "embedded revenue-reconciliation",
        query: "?view=revenue&embed=revenue-reconciliation",
        ready: ".rev-recon-table table",
    },
    Page {
        name: "embedded queue-grid",
        query: "?view=queue&day=2016-08-03&hour=08&layout=grid&embed=queue-grid",
        ready: "[data-panel=queue-grid] .tile",
    },
];

/// Both themes, as the address sets them.
pub const THEMES: [&str; 2] = ["light", "dark"];

/// The address of `page` in `theme`.
pub fn address(server: &Server, page: &Page, theme: &str) -> String {
    server.url(&format!("{}&theme={theme}", page.query))
}

/// Opens `page` in `theme` and waits until its content is in: the
/// `ready` selector matches, no panel shows a skeleton or a progress bar,
/// the theme is applied, and then a moment for the panels built after the
/// first paint.
pub async fn open(b: &Browser, server: &Server, page: &Page, theme: &str) {
    b.goto(&address(server, page, theme)).await;
    settle(b, page, theme).await;
}

/// Waits until `page`, already opened, has settled (see [`open`]).
pub async fn settle(b: &Browser, page: &Page, theme: &str) {
    let script = format!(
        "return document.documentElement.dataset.theme === {theme:?} && !!document.querySelector({ready:?}) && !document.querySelector('.skeleton, .reading, .later-panels-placeholder')",
        ready = page.ready,
    );
    b.wait_for_within(
        &format!("{} ({theme}) to settle", page.name),
        &script,
        std::time::Duration::from_secs(40),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
}
