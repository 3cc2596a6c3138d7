//! Batch manifests, CSV and TOML: any text parses or is refused with a
//! sentence; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pawdiag::manifest::{parse_csv, parse_toml};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_csv(text, Path::new("/fuzz/m.csv"));
    let _ = parse_toml(text, Path::new("/fuzz/m.toml"));
});
