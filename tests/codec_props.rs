//! Property tests of the line codec: whatever bytes arrive, in whatever
//! chunks, the buffer stays bounded, never panics, and frames round-trip.

use pawdiag::interface::frame::{
    FrameError, LineBuffer, MAX_LINE, RawLine, decode_line, encode_line,
};
use pawdiag::interface::message::parse_incoming;
use proptest::prelude::*;

fn lines_of(input: &[u8], cuts: &[usize]) -> Vec<RawLine> {
    let mut buf = LineBuffer::new();
    let mut out = Vec::new();
    let mut start = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    for c in cuts {
        out.extend(buf.push(&input[start..c.max(start)]));
        start = c.max(start);
        assert!(buf.pending() < MAX_LINE);
    }
    out.extend(buf.push(&input[start..]));
    assert!(buf.pending() < MAX_LINE);
    out
}

proptest! {
    #[test]
    fn chunking_never_changes_the_lines(input in proptest::collection::vec(any::<u8>(), 0..4000),
                                        cuts in proptest::collection::vec(any::<usize>(), 0..20)) {
        prop_assert_eq!(lines_of(&input, &cuts), lines_of(&input, &[]));
    }

    #[test]
    fn every_yielded_line_fits(input in proptest::collection::vec(prop_oneof![Just(b'\n'), any::<u8>()], 0..5000)) {
        for l in lines_of(&input, &[]) {
            if let RawLine::Line(l) = l {
                prop_assert!(l.len() < MAX_LINE);
                prop_assert!(!l.contains(&b'\n'));
            }
        }
    }

    #[test]
    fn decode_and_parse_never_panic(line in proptest::collection::vec(any::<u8>(), 0..1100)) {
        if let Ok(json) = decode_line(&line) {
            let _ = parse_incoming(json);
        }
    }

    #[test]
    fn encoded_json_round_trips(s in "[ -~]{0,900}") {
        let json = serde_json::json!({"id": 1, "result": {"text": s}}).to_string();
        match encode_line(&json) {
            Ok(line) => {
                prop_assert!(line.len() <= MAX_LINE);
                let mut buf = LineBuffer::new();
                let got = buf.push(&line);
                prop_assert_eq!(got.len(), 1);
                let RawLine::Line(l) = &got[0] else { return Err(TestCaseError::fail("too long")) };
                prop_assert_eq!(decode_line(l).unwrap(), json.as_str());
            }
            Err(e) => {
                prop_assert_eq!(e, FrameError::TooLong);
                prop_assert!(json.len() + 6 > MAX_LINE);
            }
        }
    }

    #[test]
    fn any_single_byte_flip_is_detected(pos in 0usize..40, bit in 0u8..8) {
        let json = r#"{"id":42,"result":{"level_pct":78,"ok":true}}"#;
        let line = encode_line(json).unwrap();
        let body = &line[..line.len() - 1];
        let pos = pos % body.len();
        let mut bad = body.to_vec();
        bad[pos] ^= 1 << bit;
        // A flip may turn the line into a non-protocol line or break the CRC,
        // but it must never decode to different content.
        if let Ok(text) = decode_line(&bad) {
            prop_assert_eq!(text, json);
        }
    }
}
