//! The deterministic demo-data generator (native only): writes the demo
//! dataset into `public/` (or another folder).
//!
//! ```text
//! cargo run --release --bin demo-data [-- [OUT_DIR] [--scale N]]
//! ```
//!
//! `--scale N` multiplies the number of posts and customers, for
//! benchmarks; the published dataset is scale 1.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::path::PathBuf;
    use std::process::ExitCode;

    const USAGE: &str = "usage: demo-data [OUT_DIR] [--scale N]";
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/public"));
    let mut options = pulse::demo::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scale" => match args.next().and_then(|n| n.parse::<u32>().ok()) {
                Some(n) if n >= 1 => options.scale = n,
                _ => {
                    eprintln!("--scale needs a whole number of 1 or more\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            a if a.starts_with('-') => {
                eprintln!("unknown option {a}\n{USAGE}");
                return ExitCode::from(2);
            }
            dir => out = PathBuf::from(dir),
        }
    }
    let started = std::time::Instant::now();
    let docs = match pulse::demo::generate(&options) {
        Ok(docs) => docs,
        Err(e) => {
            eprintln!("demo-data: could not serialise the dataset: {e}");
            return ExitCode::FAILURE;
        }
    };
    match pulse::demo::write::write(&out, &docs) {
        Ok(s) => {
            println!(
                "demo-data: {} files, {:.1} MB in {} (scale {}): {} written, {} stale removed, {:.1} s",
                s.files,
                s.bytes as f64 / 1e6,
                out.display(),
                options.scale,
                s.written,
                s.removed,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("demo-data: could not write into {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
