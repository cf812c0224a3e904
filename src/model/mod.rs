//! Pure analytics: no browser in sight, host-tested.
