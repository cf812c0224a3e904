//! Component tests in headless Chromium (wasm-bindgen-test): widgets are
//! mounted into the real DOM and the DOM is asserted on.
#![cfg(target_arch = "wasm32")]
// Test support code: a panic here is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use pulse::api::{DocError, LoadError};
use pulse::load::CoreDocs;
use pulse::route::Route;
use pulse::state::AppState;
use pulse::ui::{Delta, Kpi, Panel, PanelState, Table, Tone};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn app_state(route: Route) -> AppState {
    AppState {
        route: RwSignal::new(route),
        notices: RwSignal::new(Vec::new()),
        docs: CoreDocs::load(),
        system_dark: RwSignal::new(false),
    }
}

#[wasm_bindgen_test]
async fn kpi_carries_hooks_and_change() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        view! {
            <Kpi
                name="requests:buffer.com"
                raw="68300000"
                label="Requests"
                text="68.3m"
                delta=Delta { text: "+5.1 %".into(), tone: Tone::Good, against: "vs Jul 2016".into() }
            />
        }
    });
    let kpi = root
        .query_selector("[data-kpi='requests:buffer.com']")
        .unwrap()
        .unwrap();
    assert_eq!(kpi.get_attribute("data-value").as_deref(), Some("68300000"));
    assert_eq!(
        kpi.query_selector(".kpi-value")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("68.3m")
    );
    let delta = kpi.query_selector(".delta.good").unwrap().unwrap();
    assert!(delta.text_content().unwrap().starts_with("+5.1 %"));
}

#[wasm_bindgen_test]
async fn panel_shows_loading_error_with_retry_and_table() {
    let root = container();
    let state = RwSignal::new(PanelState::Loading);
    let retries = RwSignal::new(0);
    let mut table = Table::new("Bugs by severity", &["severity", "opened"]);
    table.push(vec!["S1".into(), "<b>2</b>".into()]);
    let table = Signal::derive(move || Some(table.clone()));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(app_state(Route::default()));
        view! {
            <Panel id="overview-bugs" title="Bugs" state=state on_retry=Callback::new(move |_| retries.update(|n| *n += 1)) table=table>
                <p class="content">"the numbers"</p>
            </Panel>
        }
    });
    let panel = root
        .query_selector("[data-panel=overview-bugs]")
        .unwrap()
        .unwrap();
    assert!(panel.query_selector(".skeleton").unwrap().is_some());
    assert!(panel.query_selector(".content").unwrap().is_none());

    state.set(PanelState::Failed(LoadError::Invalid(DocError::new(
        "reports/2016-08.json",
        "bugs[0].opened",
        "invalid value: integer `-2`, expected u64",
    ))));
    tick().await;
    let alert = panel.query_selector("[role=alert]").unwrap().unwrap();
    let text = alert.text_content().unwrap();
    assert!(text.contains("reports/2016-08.json"), "{text}");
    assert!(text.contains("bugs[0].opened"), "{text}");
    let retry: web_sys::HtmlElement = alert
        .query_selector("[data-action=retry]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    retry.click();
    assert_eq!(retries.get_untracked(), 1);

    state.set(PanelState::Ready);
    tick().await;
    assert!(panel.query_selector("[role=alert]").unwrap().is_none());
    assert!(panel.query_selector(".content").unwrap().is_some());
    // The buttons are built after the next paint (a hidden page paints
    // no frames: at most 100 ms later).
    for _ in 0..25 {
        if panel
            .query_selector("[data-action=table]")
            .unwrap()
            .is_some()
        {
            break;
        }
        tick().await;
    }
    let toggle: web_sys::HtmlElement = panel
        .query_selector("[data-action=table]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    toggle.click();
    tick().await;
    let caption = panel.query_selector("table caption").unwrap().unwrap();
    assert_eq!(caption.text_content().as_deref(), Some("Bugs by severity"));
    // Cells are text: the markup in the data is not parsed.
    let cell = panel
        .query_selector("tbody td:nth-child(2)")
        .unwrap()
        .unwrap();
    assert_eq!(cell.text_content().as_deref(), Some("<b>2</b>"));
    assert!(cell.query_selector("b").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn embed_mode_renders_only_the_named_panel() {
    let root = container();
    pulse::views::announce();
    let (route, _) = Route::parse("embed=overview-bugs");
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(app_state(route));
        view! {
            <Panel id="overview-services" title="Services" state=PanelState::Ready><p>"s"</p></Panel>
            <Panel id="overview-bugs" title="Bugs" state=PanelState::Ready><p>"b"</p></Panel>
        }
    });
    let ids: Vec<String> = {
        let list = root.query_selector_all("[data-panel]").unwrap();
        (0..list.length())
            .map(|i| {
                list.item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::Element>()
                    .get_attribute("data-panel")
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(ids, ["overview-bugs"]);
}

/// A posts hour above the size read whole: read in steps, each followed
/// by a turn of the page (the progress shows between them), and the hour
/// read is exactly the whole parse's.
#[wasm_bindgen_test]
async fn a_large_hour_is_read_in_steps_as_a_whole_parse_reads_it() {
    use pulse::api::{Day, PostHour, PostsReader};
    use pulse::load::{read_in_steps, Steps};
    let steps = Steps {
        from_bytes: 1_000_000,
        per_step: 100,
    };
    let post = |i: usize| {
        format!(
            r#"{{"id":"p{i}","profile":"Acme","network":"twitter","media":"text","text":"post number {i} of a long hour","due_at":"2016-08-03T08:{:02}:00Z","status":"pending"}}"#,
            i % 60
        )
    };
    let posts: Vec<String> = (0..12_000).map(post).collect();
    let body = format!(
        r#"{{"date":"2016-08-03","hour":8,"posts":[{}]}}"#,
        posts.join(",")
    );
    assert!(body.len() > steps.from_bytes, "{} bytes", body.len());
    let day = Day::parse("2016-08-03").unwrap();
    let whole = PostHour::parse(&body, day, 8).unwrap();

    let reading = RwSignal::new(None::<(usize, usize)>);
    // The progress as the page sees it: an effect runs after each step,
    // before the next one (a step ends with a turn of the page).
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let watcher = std::rc::Rc::clone(&seen);
    let owner = Owner::new();
    owner.set();
    Effect::new(move |_| watcher.borrow_mut().push(reading.get()));
    let read = read_in_steps(
        body,
        reading,
        steps,
        |b| PostHour::parse(b, day, 8),
        |b| PostsReader::new(b, day, 8),
    )
    .await
    .unwrap();
    assert_eq!(read, whole);
    assert_eq!(reading.get_untracked(), None);
    // The count went up from step to step, short of the whole hour.
    let during: Vec<usize> = seen
        .borrow()
        .iter()
        .filter_map(|r| r.map(|(read, _)| read))
        .filter(|&read| read > 0 && read < 12_000)
        .collect();
    assert!(
        during.windows(2).any(|w| w.first() < w.last()),
        "progress seen between steps: {:?}",
        seen.borrow()
    );
    drop(owner);
}

/// What a long task shows of its progress keeps to its pace: due at
/// once, not again until the pace's time has passed, then due again.
#[wasm_bindgen_test]
async fn progress_keeps_to_its_pace() {
    use pulse::turn::Pace;
    let mut pace = Pace::new(60.0);
    assert!(pace.due(), "the first progress shows at once");
    assert!(!pace.due(), "nor again at once");
    tick().await;
    assert!(!pace.due(), "nor 20 ms later");
    for _ in 0..3 {
        tick().await;
    }
    assert!(pace.due(), "but once 60 ms have passed");
    assert!(!pace.due(), "counted from then");
}
