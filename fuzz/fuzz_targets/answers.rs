//! Answers files, TOML and JSON: any text parses or is refused with a
//! position inside the text; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pawdiag::flow::answers::AnswersAsker;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for json in [false, true] {
        let _ = AnswersAsker::parse("fuzz", text, json);
    }
});
