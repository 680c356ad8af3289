//! A W3C WebDriver client, just what the story needs, over chromedriver: a real headless
//! Chromium driven through the protocol (navigate, find, type, click, read, screenshot, run a
//! script), no crate between the test and the browser.

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The key W3C WebDriver names an element reference by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session in it; both end when dropped.
pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    base: String,
}

/// An element of the page.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Starts chromedriver on `port` and a headless Chromium of `width`×`height`.
    pub async fn start(port: u16, width: u32, height: u32) -> Browser {
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (Debian: apt-get install chromium chromium-driver)");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            let ready = http.get(format!("{base}/status")).send().await;
            if let Ok(response) = ready
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == true
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let chrome = json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     format!("--window-size={width},{height}"), "--lang=vi-VN"],
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
        });
        let capabilities =
            json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": chrome}}});
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("session")
            .json()
            .await
            .expect("JSON");
        let session =
            created["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).to_owned();
        Browser { driver, http, session, base }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        match self.try_call(method, path, body.clone()).await {
            Ok(value) => value,
            Err(message) => {
                let asked =
                    body.as_ref().map(Value::to_string).unwrap_or_default().chars().take(120).collect::<String>();
                panic!("WebDriver {path} ({asked}): {message}")
            }
        }
    }

    /// A WebDriver call; its error's message when it fails (a script run while the page is
    /// being replaced, say).
    async fn try_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.expect("WebDriver answers").json().await.expect("JSON");
        if answer["value"].get("error").is_some() {
            return Err(answer["value"]["message"].as_str().unwrap_or_default().to_owned());
        }
        Ok(answer["value"].clone())
    }

    /// Opens `url`.
    pub async fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    /// The address of the page shown.
    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    /// The page's HTML as the browser holds it.
    pub async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None).await.as_str().unwrap_or_default().to_owned()
    }

    /// The element `css` selects; panics when there is none.
    pub async fn find(&self, css: &str) -> Element<'_> {
        let found =
            self.call(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css}))).await;
        let id = found[ELEMENT].as_str().unwrap_or_else(|| panic!("`{css}` found {found}"));
        Element { browser: self, id: id.to_owned() }
    }

    /// Runs `script` in the page (its `arguments` are `args`); what it returns.
    pub async fn run(&self, script: &str, args: Value) -> Value {
        self.call(reqwest::Method::POST, "/execute/async", Some(json!({"script": script, "args": args}))).await
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        let encoded = self.call(reqwest::Method::GET, "/screenshot", None).await;
        decode_base64(encoded.as_str().unwrap_or_default())
    }

    /// Resizes the window to `width`×`height` CSS pixels (a phone, an office screen).
    pub async fn resize(&self, width: u32, height: u32) {
        self.call(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }

    /// Clears cookies (a new visitor).
    pub async fn forget(&self) {
        self.call(reqwest::Method::DELETE, "/cookie", None).await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Element<'_> {
    async fn call(&self, path: &str, body: Value) -> Value {
        self.browser.call(reqwest::Method::POST, &format!("/element/{}{path}", self.id), Some(body)).await
    }

    /// Types `text` into it, after emptying it.
    pub async fn fill(&self, text: &str) {
        self.call("/clear", json!({})).await;
        self.call("/value", json!({"text": text})).await;
    }

    /// Clicks it.
    pub async fn click(&self) {
        self.call("/click", json!({})).await;
    }

    /// Clicks it and waits until the page it leads to has loaded: WebDriver's click does not
    /// wait for the navigation a form's submission starts.
    pub async fn click_to_page(&self) {
        let done = "arguments[arguments.length - 1]";
        self.browser.run(&format!("window.__previousPage = true; {done}(true);"), json!([])).await;
        self.click().await;
        for _ in 0..150 {
            let script = format!("{done}(window.__previousPage === undefined && document.readyState === 'complete');");
            let body = Some(json!({"script": script, "args": []}));
            // While the old page is replaced, a script may not answer: ask again.
            if self.browser.try_call(reqwest::Method::POST, "/execute/async", body).await == Ok(json!(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page after the click did not load");
    }
}

/// Standard base64 (RFC 4648) decoded; what WebDriver sends screenshots in.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk.iter().fold(0u32, |acc, d| (acc << 6) | u32::from(*d)) << (6 * (4 - chunk.len()));
            let bytes = n.to_be_bytes();
            bytes[1..chunk.len()].to_vec()
        })
        .collect()
}
