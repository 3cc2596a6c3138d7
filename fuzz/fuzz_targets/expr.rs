//! The flow expression language: any text either parses or is refused
//! with a span inside the text; what parses evaluates without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pawdiag::flow::expr::{self, Fact, Template};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let mut lookup = |name: &str| match name.len() % 4 {
        0 => Fact::Missing,
        1 => Fact::Value(serde_json::json!(name.len())),
        2 => Fact::Value(serde_json::json!(name)),
        _ => Fact::Value(serde_json::Value::Null),
    };
    match expr::parse(src) {
        Ok(e) => {
            for (_, span) in e.probes() {
                assert!(span.end <= src.len());
            }
            let _ = e.eval(&mut lookup);
        }
        Err(err) => assert!(err.span.start <= err.span.end && err.span.end <= src.len()),
    }
    if let Ok(t) = Template::parse(src) {
        let _ = t.render(&mut lookup);
    }
});
