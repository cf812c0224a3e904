//! Headless Chromium driven through chromedriver (WebDriver), with the
//! helpers the end-to-end tests share: wait for a condition, read a hook,
//! click, read canvas pixels.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A browser session and the chromedriver behind it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session.
    pub async fn start() -> Browser {
        let port = free_port();
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (scripts/setup.sh installs it)");
        let profile = std::env::temp_dir().join(format!("pulse-e2e-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).unwrap();
        let caps = json!({
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900",
                    "--force-device-scale-factor=1",
                    // Keep timers and frames running at full rate however
                    // the window is placed.
                    "--disable-background-timer-throttling",
                    "--disable-renderer-backgrounding",
                    "--disable-backgrounding-occluded-windows",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            match builder.capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("could not start a Chromium session: {e}"),
            }
        };
        // Scripts that step through a page may take a while on a busy
        // machine; a stuck one still fails, with a script timeout.
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(90)),
                Some(Duration::from_secs(60)),
                Some(Duration::ZERO),
            ))
            .await
            .unwrap();
        Browser {
            client,
            driver,
            _profile: TempDir(profile),
        }
    }

    /// Opens a URL.
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Chooses `value` in the `<select data-picker=PICKER>`, as a person
    /// would (the `change` event included).
    pub async fn pick(&self, picker: &str, value: &str) {
        // Pickers built after the first paint come a moment later.
        self.wait_for(
            &format!("the {picker} picker"),
            &format!("return !!document.querySelector('[data-picker={picker}]')"),
        )
        .await;
        self.js(
            "const s = document.querySelector('[data-picker=' + arguments[0] + ']'); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!(picker), json!(value)],
        )
        .await;
    }

    /// Runs JavaScript (a function body; `arguments` holds `args`).
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Waits until `script` returns a truthy value, and returns it.
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        self.wait_for_within(what, script, Duration::from_secs(20))
            .await
    }

    /// Like [`wait_for`] with a time limit.
    pub async fn wait_for_within(&self, what: &str, script: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let v = self.js(script, vec![]).await;
            let truthy =
                !matches!(&v, Value::Null | Value::Bool(false)) && v != json!("") && v != json!(0);
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                let body = self
                    .js(
                        "return document.body ? document.body.innerText.slice(0, 2000) : ''",
                        vec![],
                    )
                    .await;
                panic!(
                    "timed out waiting for {what}; page text:\n{}",
                    body.as_str().unwrap_or("")
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The `data-value` of the element with `data-kpi="name"`, once present.
    /// When the page set the performance mark `name` (ms from
    /// navigation), if it has.
    pub async fn mark(&self, name: &str) -> Option<f64> {
        let script = format!(
            "const m = performance.getEntriesByName({name:?}, 'mark')[0]; return m ? m.startTime : null;"
        );
        self.js(&script, vec![]).await.as_f64()
    }

    pub async fn kpi(&self, name: &str) -> String {
        let script = format!(
            "const e = document.querySelector('[data-kpi=\"' + CSS.escape({name:?}) + '\"]'); return e ? e.getAttribute('data-value') : null;"
        );
        self.wait_for(&format!("kpi {name}"), &script)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The visible text of the element with `data-kpi="name"`.
    pub async fn kpi_text(&self, name: &str) -> String {
        let script = format!(
            "const e = document.querySelector('[data-kpi=\"' + CSS.escape({name:?}) + '\"]'); return e ? e.innerText : null;"
        );
        self.wait_for(&format!("kpi {name}"), &script)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Whether each of the panel `id`'s own buttons (Table, CSV, PNG) is
    /// disabled, in order, once it has `count` of them.
    pub async fn buttons_disabled(&self, id: &str, count: usize) -> Value {
        let script = format!(
            "const d = [...document.querySelectorAll('[data-panel={id}] .panel-controls > .button')].map((e) => e.disabled); \
             return d.length === {count} && d"
        );
        self.wait_for(&format!("the buttons of {id}"), &script)
            .await
    }

    /// Clicks the first element matching a CSS selector, as a person would.
    pub async fn click(&self, css: &str) {
        self.wait_for(
            &format!("{css} to appear"),
            &format!("return !!document.querySelector({css:?})"),
        )
        .await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// The page's query string.
    pub async fn query(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        url.query().map(|q| format!("?{q}")).unwrap_or_default()
    }

    /// The page's path.
    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// Uncaught errors and panics the page logged to the console so far.
    /// Failed resource loads are left out: the fault tests cause them.
    pub async fn console_errors(&self) -> Vec<String> {
        match self.client.issue_cmd(BrowserLog).await {
            Ok(Value::Array(entries)) => entries
                .into_iter()
                .filter(|e| e["level"] == "SEVERE")
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .filter(|m| !m.contains("Failed to load resource"))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Asserts Pulse did not stop (no panic banner).
    pub async fn assert_running(&self) {
        let stopped = self.js("return document.getElementById('pulse-stopped') ? document.getElementById('pulse-stopped').innerText : null", vec![]).await;
        assert_eq!(stopped, Value::Null, "Pulse stopped");
        let errors = self.console_errors().await;
        assert!(errors.is_empty(), "errors in the console: {errors:#?}");
    }

    /// Runs `source` in every page from now on, before any of the page's
    /// own scripts (Chromium's `Page.addScriptToEvaluateOnNewDocument`).
    pub async fn before_every_page(&self, source: &str) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await;
    }

    /// Slows the page's CPU `rate` times (Chromium's
    /// `Emulation.setCPUThrottlingRate`, as a phone's audit does).
    pub async fn slow_cpu(&self, rate: f64) {
        self.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))
            .await;
    }

    /// Runs one Chrome DevTools Protocol command in the page.
    async fn cdp(&self, cmd: &'static str, params: Value) {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    }

    /// Presses and releases `key` (as `KeyboardEvent.key` names it:
    /// `ArrowRight`, `Home`, `+`, `Enter`, …), Shift held when `shift`, as
    /// a person would: trusted events to the element with the focus.
    pub async fn press(&self, key: &str, shift: bool) {
        let (code, vk, text) = match key {
            "ArrowLeft" => ("ArrowLeft", 37, ""),
            "ArrowRight" => ("ArrowRight", 39, ""),
            "Home" => ("Home", 36, ""),
            "End" => ("End", 35, ""),
            "Enter" => ("Enter", 13, "\r"),
            "+" => ("Equal", 187, "+"),
            "-" => ("Minus", 189, "-"),
            "0" => ("Digit0", 48, "0"),
            other => panic!("no key code for {other:?}"),
        };
        let mut down = json!({
            "type": if text.is_empty() { "rawKeyDown" } else { "keyDown" },
            "key": key, "code": code,
            "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk,
            "modifiers": if shift { 8 } else { 0 },
        });
        if !text.is_empty() {
            down["text"] = json!(text);
            down["unmodifiedText"] = json!(text);
        }
        let mut up = down.clone();
        up["type"] = json!("keyUp");
        if let Some(o) = up.as_object_mut() {
            o.remove("text");
            o.remove("unmodifiedText");
        }
        for params in [down, up] {
            self.cdp("Input.dispatchKeyEvent", params).await;
        }
    }

    /// Console messages of any level logged so far whose text contains
    /// `needle` (reading the log empties it).
    pub async fn console_messages_with(&self, needle: &str) -> Vec<String> {
        match self.client.issue_cmd(BrowserLog).await {
            Ok(Value::Array(entries)) => entries
                .into_iter()
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .filter(|m| m.contains(needle))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Ends the session and chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The browser's console log (chromedriver's log endpoint).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type": "browser"}"#.to_owned()),
        )
    }
}

/// A Chrome DevTools Protocol command, through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
