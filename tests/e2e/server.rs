//! A small static file server on 127.0.0.1 for the end-to-end tests.
//!
//! It serves `dist/` under a sub-path (as a CDN folder would), records
//! every request, and can be told to misbehave for a given path: answer
//! with another status, another body, late, or never.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How the server answers one path instead of serving the file.
#[derive(Clone, Debug)]
pub enum Fault {
    /// This status with this body and content type.
    Status(u16, String, &'static str),
    /// 200 with this JSON body.
    Body(String),
    /// The real file, after a delay.
    Delay(Duration),
    /// Accept the connection and never answer.
    Hang,
    /// Announce a body of this many bytes, send a little, then stall for
    /// 10 s or until the browser hangs up ([`Server::hung_up`]).
    Huge(u64),
    /// 200 with this JSON body and no `Content-Length`: the body ends when
    /// the connection closes, so its size is only known once it is read.
    Unsized(Arc<String>),
    /// 200 with this JSON body (its size announced), of which only the
    /// first `sent` bytes go out until `gate` opens.
    Held {
        body: Arc<String>,
        sent: usize,
        gate: Gate,
    },
}

/// Holds a [`Fault::Held`] body back until it is opened (or a minute
/// has passed).
#[derive(Clone, Debug, Default)]
pub struct Gate(Arc<std::sync::atomic::AtomicBool>);

impl Gate {
    /// Lets the rest of the body go.
    pub fn open(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn wait(&self) {
        for _ in 0..3000 {
            if self.0.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

#[derive(Default)]
struct Shared {
    faults: HashMap<String, Fault>,
    pages: HashMap<String, String>,
    requests: Vec<String>,
    headers: Vec<(String, String)>,
    hung_up: Vec<String>,
}

/// A running server; it stops with the test process.
pub struct Server {
    pub origin: String,
    pub prefix: String,
    shared: Arc<Mutex<Shared>>,
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

impl Server {
    /// Serves `root` under `prefix` (e.g. `/some/path/`).
    pub fn start(root: &Path, prefix: &str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Mutex::new(Shared::default()));
        let root = root.to_path_buf();
        let prefix_owned = prefix.to_owned();
        let state = shared.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                let prefix = prefix_owned.clone();
                let state = state.clone();
                thread::spawn(move || {
                    let _ = handle(stream, &root, &prefix, &state);
                });
            }
        });
        Server {
            origin,
            prefix: prefix.to_owned(),
            shared,
        }
    }

    /// The site's URL with a query string, e.g. `url("?view=delivery")`.
    pub fn url(&self, query: &str) -> String {
        format!("{}{}{}", self.origin, self.prefix, query)
    }

    /// Makes `path` (relative to the prefix, e.g. `api/v1/meta.json`) misbehave.
    pub fn fault(&self, path: &str, fault: Fault) {
        let key = format!("{}{}", self.prefix, path);
        self.shared.lock().unwrap().faults.insert(key, fault);
    }

    /// Serves `path` normally again.
    pub fn heal(&self, path: &str) {
        let key = format!("{}{}", self.prefix, path);
        self.shared.lock().unwrap().faults.remove(&key);
    }

    /// Adds a page at an absolute path (outside the prefix), e.g. a host page.
    pub fn page(&self, path: &str, html: &str) {
        self.shared
            .lock()
            .unwrap()
            .pages
            .insert(path.to_owned(), html.to_owned());
    }

    /// Adds a header to every answer (e.g. `Content-Security-Policy`).
    pub fn header(&self, name: &str, value: &str) {
        self.shared
            .lock()
            .unwrap()
            .headers
            .push((name.to_owned(), value.to_owned()));
    }

    /// The paths of [`Fault::Huge`] answers whose connection the browser
    /// closed while the server stalled.
    pub fn hung_up(&self) -> Vec<String> {
        self.shared.lock().unwrap().hung_up.clone()
    }

    /// Every path requested so far, with its query.
    pub fn requests(&self) -> Vec<String> {
        self.shared.lock().unwrap().requests.clone()
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    extra: &[(String, String)],
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn handle(
    mut stream: TcpStream,
    root: &Path,
    prefix: &str,
    state: &Mutex<Shared>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Drain the headers.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target.split('?').next().unwrap_or("/").to_owned();
    let (fault, page, headers) = {
        let mut s = state.lock().unwrap();
        s.requests.push(target.clone());
        (
            s.faults.get(&path).cloned(),
            s.pages.get(&path).cloned(),
            s.headers.clone(),
        )
    };
    if let Some(html) = page {
        return respond(
            &mut stream,
            200,
            "text/html; charset=utf-8",
            html.as_bytes(),
            &[],
        );
    }
    let extra = headers;
    match fault {
        Some(Fault::Status(status, body, ctype)) => {
            return respond(&mut stream, status, ctype, body.as_bytes(), &extra)
        }
        Some(Fault::Unsized(body)) => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            stream.write_all(head.as_bytes())?;
            // A browser may stop reading early; that is not an error here.
            let _ = stream.write_all(body.as_bytes());
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return Ok(());
        }
        Some(Fault::Held { body, sent, gate }) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n", body.len());
            stream.write_all(head.as_bytes())?;
            let (first, rest) = body.as_bytes().split_at(sent.min(body.len()));
            stream.write_all(first)?;
            stream.flush()?;
            gate.wait();
            stream.write_all(rest)?;
            return stream.flush();
        }
        Some(Fault::Body(body)) => {
            return respond(
                &mut stream,
                200,
                "application/json",
                body.as_bytes(),
                &extra,
            )
        }
        Some(Fault::Huge(bytes)) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n{{\"month\": \"");
            stream.write_all(head.as_bytes())?;
            stream.flush()?;
            // The browser sends nothing more: a read that ends (or fails)
            // is its side of the connection closing.
            stream.set_read_timeout(Some(Duration::from_millis(50)))?;
            let mut byte = [0u8; 1];
            for _ in 0..200 {
                match stream.read(&mut byte) {
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Ok(n) if n > 0 => {}
                    _ => {
                        state.lock().unwrap().hung_up.push(path);
                        break;
                    }
                }
            }
            return Ok(());
        }
        Some(Fault::Hang) => {
            thread::sleep(Duration::from_secs(120));
            return Ok(());
        }
        Some(Fault::Delay(d)) => thread::sleep(d),
        None => {}
    }
    let Some(rest) = path
        .strip_prefix(prefix)
        .or_else(|| (path.len() + 1 == prefix.len()).then_some(""))
    else {
        return respond(&mut stream, 404, "text/plain", b"not found", &extra);
    };
    let rest = if rest.is_empty() { "index.html" } else { rest };
    if rest.split('/').any(|seg| seg == "..") {
        return respond(&mut stream, 404, "text/plain", b"not found", &extra);
    }
    let file: PathBuf = root.join(rest);
    match std::fs::File::open(&file) {
        Ok(mut f) => {
            let mut body = Vec::new();
            f.read_to_end(&mut body)?;
            respond(&mut stream, 200, content_type(&file), &body, &extra)
        }
        Err(_) => respond(&mut stream, 404, "text/plain", b"not found", &extra),
    }
}
