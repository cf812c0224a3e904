//! No synchronous loading: no page makes a synchronous XMLHttpRequest
//! (which blocks the page while it downloads), whichever view or embedded
//! panel it opens (on its own and in another page's iframe), at desktop
//! and phone width, with the demo's `config.json`, the README's example
//! and another.
//!
//! Addresses that set the views' other parameters (which the split's
//! profile may not have seen) are walked too.
//!
//! A wrapper installed before the page's own scripts records every
//! `XMLHttpRequest.open(…, async = false)`; Chromium's deprecation warning
//! in the console is checked too.

use super::pages::{self, Page, PAGES};
use super::*;
use serde_json::Value;

/// Installed before every page: records synchronous requests, and when
/// and from where each was made (for the failure's message).
const WRAPPER: &str = r#"(() => {
  window.__syncXhr = [];
  window.__syncXhrFrom = [];
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, async) {
    if (arguments.length > 2 && !async) {
      window.__syncXhr.push(String(url));
      window.__syncXhrFrom.push(`at ${Math.round(performance.now())} ms: ${new Error().stack}`);
    }
    return open.apply(this, arguments);
  };
})();"#;

/// The bare address, beside the pages every audit walks.
const BARE: Page = Page {
    name: "bare address",
    query: "?",
    ready: "[data-kpi='requests:buffer.com']",
};

/// A quiet hour of the Queue (108 KB, read whole) beside the pages' busy
/// one (3 MB): each size takes its own way through the reading code.
const QUIET_HOUR: Page = Page {
    name: "queue, a quiet hour",
    query: "?view=queue&day=2016-08-03&hour=09",
    ready: "[data-panel=queue-list] .qrow",
};

/// `config.json` variants: the demo's own (None), the README's example
/// (with the demo's data folder) and one with other optional fields.
const CONFIGS: [(&str, Option<&str>); 3] = [
    ("demo config.json", None),
    (
        "README's config.json",
        Some(r#"{ "api_base": "api/v1", "refresh_seconds": 60, "title": "Ops console" }"#),
    ),
    (
        "varied config.json",
        Some(
            r#"{"api_base":"api/v1","refresh_seconds":0,"timeout_seconds":20,"embed_parent_origins":[],"broadcast_workers":12,"media_cost":{"video":6}}"#,
        ),
    ),
];

/// Addresses that set each parameter of each view, and values no view
/// starts with (a day, month or plan the data does not have, another
/// sort): the pages above are the ones the split is profiled on, these
/// are not all, and none may load code synchronously either.
const PARAMETERS: [Page; 22] = [
    Page {
        name: "overview, a month",
        query: "?view=overview&month=2016-07",
        ready: "[data-kpi='requests:buffer.com']",
    },
    Page {
        name: "overview, annotations hidden",
        query: "?view=overview&hide=note,incident",
        ready: "[data-kpi='requests:buffer.com']",
    },
    Page {
        name: "overview, a month with no report",
        query: "?view=overview&month=2015-01",
        ready: "[data-panel^=overview-]",
    },
    Page {
        name: "delivery, a minute",
        query: "?view=delivery&day=2016-08-03&minute=30",
        ready: "[data-kpi=posts_sent]",
    },
    Page {
        name: "delivery, a status",
        query: "?view=delivery&day=2016-08-03&status=failed",
        ready: "[data-kpi=posts_sent]",
    },
    Page {
        name: "delivery, the capacity planner",
        query: "?view=delivery&day=2016-08-03&workers=30&growth=20",
        ready: "[data-kpi=posts_sent]",
    },
    Page {
        name: "delivery, networks and media",
        query: "?view=delivery&day=2016-08-03&net=twitter,facebook&media=video,image",
        ready: "[data-kpi=posts_sent]",
    },
    Page {
        name: "delivery, annotations hidden",
        query: "?view=delivery&day=2016-08-03&hide=deploy",
        ready: "[data-kpi=posts_sent]",
    },
    Page {
        name: "delivery, a day the data does not have",
        query: "?view=delivery&day=1999-01-01",
        ready: "[data-kpi=posts_sent]",
    },
    Page {
        name: "delivery, embedded with a network",
        query: "?view=delivery&embed=delivery-minutes&day=2016-08-03&net=twitter",
        ready: "[data-chart=delivery-minutes][data-draws]",
    },
    Page {
        name: "revenue, a month",
        query: "?view=revenue&month=2016-05",
        ready: "[data-kpi=mrr_cents]",
    },
    Page {
        name: "revenue, a month after the data",
        query: "?view=revenue&month=2099-01",
        ready: "[data-kpi=mrr_cents]",
    },
    Page {
        name: "revenue, an unknown plan",
        query: "?view=revenue&plan=nope",
        ready: "[data-kpi=mrr_cents]",
    },
    Page {
        name: "revenue, annotations hidden",
        query: "?view=revenue&hide=note",
        ready: "[data-kpi=mrr_cents]",
    },
    Page {
        name: "revenue, embedded figures of a plan",
        query: "?view=revenue&embed=revenue-kpis&plan=business",
        ready: "[data-kpi=mrr_cents]",
    },
    Page {
        name: "queue, a status",
        query: "?view=queue&day=2016-08-03&hour=08&status=failed",
        ready: "[data-panel=queue-list] .qrow",
    },
    Page {
        name: "queue, a search",
        query: "?view=queue&day=2016-08-03&hour=08&q=launch",
        ready: "[data-panel=queue-list]",
    },
    Page {
        name: "queue, a network and a medium",
        query: "?view=queue&day=2016-08-03&hour=08&net=twitter&media=video",
        ready: "[data-panel=queue-list]",
    },
    Page {
        name: "queue, a minute",
        query: "?view=queue&day=2016-08-03&hour=08&minute=05",
        ready: "[data-panel=queue-list]",
    },
    Page {
        name: "queue, sorted by id",
        query: "?view=queue&day=2016-08-03&hour=08&sort=id",
        ready: "[data-panel=queue-list] .qrow",
    },
    Page {
        name: "queue, the grid sorted by due time, latest first",
        query: "?view=queue&day=2016-08-03&hour=08&layout=grid&sort=-due",
        ready: "[data-panel=queue-grid] .tile",
    },
    Page {
        name: "queue, a day the data does not have",
        query: "?view=queue&day=1999-01-01&hour=08",
        ready: "[data-panel=queue-list]",
    },
];

#[test]
fn no_address_loads_anything_synchronously() {
    run_alongside(|server, b| async move {
        b.before_every_page(WRAPPER).await;
        let mut found = Vec::new();
        for (width, height) in WIDTHS {
            b.client.set_window_size(width, height).await.unwrap();
            for page in &PARAMETERS {
                pages::open(&b, &server, page, "light").await;
                found.extend(synchronous(&b, page, width, "demo config.json").await);
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(
            found.is_empty(),
            "{} of {} addresses loaded synchronously:\n{}",
            found.len(),
            PARAMETERS.len() * WIDTHS.len(),
            found.join("\n")
        );
        b
    });
}

/// Window widths: desktop and phone.
const WIDTHS: [(u32, u32); 2] = [(1280, 900), (390, 844)];

#[test]
fn no_page_loads_anything_synchronously() {
    run_alongside(|server, b| async move {
        b.before_every_page(WRAPPER).await;
        let mut found = Vec::new();
        let mut checked = 0;
        for (config_name, config) in CONFIGS {
            match config {
                Some(body) => server.fault("config.json", Fault::Body(body.to_owned())),
                None => server.heal("config.json"),
            }
            for (width, height) in WIDTHS {
                b.client.set_window_size(width, height).await.unwrap();
                for page in [&BARE, &QUIET_HOUR].into_iter().chain(PAGES.iter()) {
                    pages::open(&b, &server, page, "light").await;
                    found.extend(synchronous(&b, page, width, config_name).await);
                    checked += 1;
                }
                // Embedded panels as a wiki shows them: in an iframe, where
                // they also tell the host page their height.
                for page in PAGES.iter().filter(|p| p.query.contains("embed=")) {
                    let host = format!(
                        r#"<!doctype html><html lang="en"><title>host</title><iframe src="{PREFIX}{}&theme=light" style="width:600px;height:480px;border:0"></iframe></html>"#,
                        page.query
                    );
                    server.page("/host.html", &host);
                    b.goto(&format!("{}/host.html", server.origin)).await;
                    b.client.enter_frame(0).await.unwrap();
                    pages::settle(&b, page, "light").await;
                    let framed = synchronous(&b, page, width, config_name).await;
                    found.extend(framed.map(|f| format!("{f} (in an iframe)")));
                    b.client.enter_parent_frame().await.unwrap();
                    checked += 1;
                }
            }
        }
        b.client.set_window_size(1280, 900).await.unwrap();
        assert!(
            found.is_empty(),
            "{} of {checked} pages loaded synchronously:\n{}",
            found.len(),
            found.join("\n")
        );
        b
    });
}

/// Whether the page is done loading: the second module is in (the last
/// code the page asks for; the release build's loader settles
/// `__pulse_rest_arrived` then) and no request has ended for [`QUIET_MS`].
const DONE: &str = r#"
if (!window.__syncXhrDone) {
  window.__syncXhrDone = { rest: !window.__pulse_rest_arrived };
  window.__pulse_rest_arrived?.then(() => { window.__syncXhrDone.rest = true; });
}
const ended = performance.getEntriesByType('resource').map(e => e.responseEnd);
const last = Math.max(0, ...ended);
return window.__syncXhrDone.rest && performance.now() - last >= QUIET_MS;
"#;

/// How long the network is quiet before a page counts as done, ms.
const QUIET_MS: u32 = 500;

/// What `page`, open and settled, loaded synchronously, if anything,
/// once it is done loading ([`DONE`]).
async fn synchronous(b: &Browser, page: &Page, width: u32, config: &str) -> Option<String> {
    b.wait_for_within(
        &format!("{} to be done loading", page.name),
        &DONE.replace("QUIET_MS", &QUIET_MS.to_string()),
        std::time::Duration::from_secs(20),
    )
    .await;
    let urls = b.js("return window.__syncXhr || null", vec![]).await;
    assert_ne!(urls, Value::Null, "the wrapper was not installed");
    let from = b.js("return window.__syncXhrFrom || []", vec![]).await;
    let warned = b.console_messages_with("Synchronous XMLHttpRequest").await;
    (urls != Value::Array(vec![]) || !warned.is_empty()).then(|| {
        format!(
            "{} at {width} px with the {config}: {urls} {warned:?} {from}",
            page.name
        )
    })
}

/// The wrapper sees a synchronous request when there is one (so the test
/// above can fail).
#[test]
fn the_wrapper_sees_a_synchronous_request() {
    run_alongside(|server, b| async move {
        b.before_every_page(WRAPPER).await;
        pages::open(&b, &server, &BARE, "light").await;
        let seen = b
            .js(
                "const x = new XMLHttpRequest(); x.open('GET', 'config.json', false); x.send(); return window.__syncXhr",
                vec![],
            )
            .await;
        // The request made here must be the last one recorded (the test
        // above reports any the page made itself).
        let seen = seen.as_array().cloned().unwrap_or_default();
        assert_eq!(
            seen.last(),
            Some(&serde_json::json!("config.json")),
            "{seen:?}"
        );
        b
    });
}
