//! Lets the binary and its tests find the shared `libduckdb` where they
//! were linked against it (`DUCKDB_LIB_DIR`, set by `scripts/env.sh`),
//! without `LD_LIBRARY_PATH`.

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    if let Ok(dir) = std::env::var("DUCKDB_LIB_DIR") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
