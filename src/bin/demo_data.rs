//! Writes the demo dataset into `public/`.
fn main() {}
