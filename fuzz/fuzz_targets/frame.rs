//! The line codec and message parser: arbitrary bytes from a device, cut
//! into arbitrary chunks, never panic, never grow the buffer past a line,
//! and every decoded line parses or is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pawdiag::interface::frame::{LineBuffer, MAX_LINE, RawLine, decode_line, encode_line};
use pawdiag::interface::message::parse_incoming;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the chunk size, as reads of any size arrive.
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(cut).max(1);
    let mut buf = LineBuffer::new();
    for piece in rest.chunks(chunk) {
        for line in buf.push(piece) {
            let RawLine::Line(line) = line else { continue };
            assert!(line.len() < MAX_LINE);
            if let Ok(json) = decode_line(&line) {
                // A line that decodes re-encodes to a line that decodes the same.
                if let Ok(again) = encode_line(&json) {
                    assert_eq!(decode_line(&again[..again.len() - 1]).ok(), Some(json));
                }
                let _ = parse_incoming(json);
            }
        }
        assert!(buf.pending() < MAX_LINE);
    }
});
