//! The browser entry point: installs the panic banner and mounts the app.

fn main() {
    pulse::app::start();
}
