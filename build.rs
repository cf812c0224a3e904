//! Build script. For the browser build of the `pulse` binary it asks the
//! linker for a map of the module (`pulse.map` beside `pulse.wasm`): where
//! each static lives in memory. The release build's split
//! (`scripts/split/data.mjs`) reads it to move the data only the second
//! module uses into that module.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        return;
    };
    // OUT_DIR is <target dir>/<target>/<profile>/build/pulse-<hash>/out.
    let Some(profile_dir) = Path::new(&out_dir).ancestors().nth(3) else {
        return;
    };
    let map = profile_dir.join("pulse.map");
    println!("cargo::rustc-link-arg-bin=pulse=-Map={}", map.display());
}
