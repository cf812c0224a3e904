//! The application shell.

/// Mounts Pulse on the page.
pub fn start() {}
