//! The flow loader and lint: any text as a flow file, beside the built-in
//! playbook and safety rules, compiles or yields diagnostics; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pawdiag::flow::load::{FileSet, Origin, SourceFile, compile_set};
use std::sync::{Arc, OnceLock};

fn base() -> &'static FileSet {
    static BASE: OnceLock<FileSet> = OnceLock::new();
    BASE.get_or_init(|| {
        let all = FileSet::embedded();
        let mut keep = FileSet::default();
        for name in ["playbook.toml", "safety.toml"] {
            if let Some(f) = all.files.get(name) {
                keep.files.insert(name.to_string(), f.clone());
            }
        }
        keep
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut set = base().clone();
    let rel = "pettracker/fuzzed.toml".to_string();
    set.files.insert(
        rel.clone(),
        SourceFile {
            rel,
            text: Arc::from(text),
            origin: Origin::Embedded,
        },
    );
    let (_, diags) = compile_set(&set);
    for d in diags {
        let _ = d.to_string();
    }
});
