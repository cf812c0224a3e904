//! The deterministic demo-data generator (native only).
