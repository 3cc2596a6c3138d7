//! Line framing: `<JSON object>*<CRC>\n`, at most 1024 bytes per line.
//!
//! [`LineBuffer`] turns an arbitrary byte stream (serial reads, BLE
//! notifications) into whole lines with a bounded buffer; [`encode_line`] and
//! [`decode_line`] convert between a JSON text and one framed line.

use super::crc::crc16_ccitt_false;

/// The longest line either side may send, including the trailing `\n`.
pub const MAX_LINE: usize = 1024;

/// What the line buffer yields for each `\n`-terminated piece of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawLine {
    /// A complete line without its `\n` (and without a trailing `\r`).
    Line(Vec<u8>),
    /// A line longer than [`MAX_LINE`]; its bytes were discarded up to the
    /// next `\n`. Carries how many bytes were dropped.
    TooLong(usize),
}

/// Reassembles lines from chunks of bytes, never holding more than
/// [`MAX_LINE`] bytes.
#[derive(Debug, Default)]
pub struct LineBuffer {
    buf: Vec<u8>,
    /// Bytes thrown away so far in an overlong line, `Some` while discarding.
    discarding: Option<usize>,
}

impl LineBuffer {
    /// A new, empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds a chunk and returns every line it completed, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<RawLine> {
        let mut out = Vec::new();
        for &b in chunk {
            if let Some(dropped) = self.discarding.as_mut() {
                *dropped += 1;
                if b == b'\n' {
                    out.push(RawLine::TooLong(*dropped));
                    self.discarding = None;
                }
                continue;
            }
            if b == b'\n' {
                let mut line = std::mem::take(&mut self.buf);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                out.push(RawLine::Line(line));
                continue;
            }
            // The `\n` itself counts towards the limit, hence `MAX_LINE - 1`.
            if self.buf.len() >= MAX_LINE - 1 {
                self.discarding = Some(self.buf.len() + 1);
                self.buf.clear();
                continue;
            }
            self.buf.push(b);
        }
        out
    }

    /// Bytes of an unfinished line currently held.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Forgets any partial line, e.g. after the link was re-opened.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.discarding = None;
    }
}

/// Why a line could not be decoded into a JSON text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The line does not start with `{`: a banner or log line, not an error.
    #[error("not a protocol line")]
    NotProtocol,
    /// No `*XXXX` checksum at the end.
    #[error("missing checksum")]
    MissingCrc,
    /// The checksum is not four uppercase hex digits.
    #[error("malformed checksum")]
    MalformedCrc,
    /// The checksum does not match the JSON text.
    #[error("checksum mismatch (line says {found:04X}, content gives {computed:04X})")]
    CrcMismatch {
        /// What the line carried.
        found: u16,
        /// What the content hashes to.
        computed: u16,
    },
    /// The JSON text is not valid UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
    /// The whole line would exceed [`MAX_LINE`].
    #[error("line longer than {MAX_LINE} bytes")]
    TooLong,
}

/// Frames a JSON text as `<json>*<CRC>\n`. Fails when the result would be
/// longer than [`MAX_LINE`].
pub fn encode_line(json: &str) -> Result<Vec<u8>, FrameError> {
    let len = json.len() + 6; // "*XXXX\n"
    if len > MAX_LINE {
        return Err(FrameError::TooLong);
    }
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(format!("*{:04X}\n", crc16_ccitt_false(json.as_bytes())).as_bytes());
    Ok(out)
}

/// Checks a line (without `\n`) and returns its JSON text.
pub fn decode_line(line: &[u8]) -> Result<&str, FrameError> {
    if line.first() != Some(&b'{') {
        return Err(FrameError::NotProtocol);
    }
    if line.len() + 1 > MAX_LINE {
        return Err(FrameError::TooLong);
    }
    let star = line
        .iter()
        .rposition(|&b| b == b'*')
        .ok_or(FrameError::MissingCrc)?;
    let (json, crc) = (&line[..star], &line[star + 1..]);
    if crc.len() != 4
        || !crc
            .iter()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
    {
        return Err(FrameError::MalformedCrc);
    }
    let crc_text = std::str::from_utf8(crc).map_err(|_| FrameError::MalformedCrc)?;
    let found = u16::from_str_radix(crc_text, 16).map_err(|_| FrameError::MalformedCrc)?;
    let computed = crc16_ccitt_false(json);
    if found != computed {
        return Err(FrameError::CrcMismatch { found, computed });
    }
    std::str::from_utf8(json).map_err(|_| FrameError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let line = encode_line(r#"{"id":1,"method":"device.info"}"#).unwrap();
        assert!(line.ends_with(b"\n"));
        let text = decode_line(&line[..line.len() - 1]).unwrap();
        assert_eq!(text, r#"{"id":1,"method":"device.info"}"#);
    }

    #[test]
    fn flipped_byte_is_caught() {
        let mut line = encode_line(r#"{"id":1,"method":"device.info"}"#).unwrap();
        line[8] ^= 0x01;
        assert!(matches!(
            decode_line(&line[..line.len() - 1]),
            Err(FrameError::CrcMismatch { .. })
        ));
    }

    #[test]
    fn lowercase_crc_is_rejected() {
        assert_eq!(decode_line(b"{}*abcd"), Err(FrameError::MalformedCrc));
        assert_eq!(decode_line(b"{}"), Err(FrameError::MissingCrc));
        assert_eq!(decode_line(b"{}*12"), Err(FrameError::MalformedCrc));
    }

    #[test]
    fn banner_is_not_protocol() {
        assert_eq!(
            decode_line(b"[boot] PawCore PT fw 2.4.1"),
            Err(FrameError::NotProtocol)
        );
    }

    #[test]
    fn longest_allowed_line_encodes_and_one_more_fails() {
        let json = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_LINE - 6 - 8));
        assert_eq!(json.len() + 6, MAX_LINE);
        let line = encode_line(&json).unwrap();
        assert_eq!(line.len(), MAX_LINE);
        let mut buf = LineBuffer::new();
        let lines = buf.push(&line);
        assert_eq!(lines.len(), 1);
        assert!(matches!(&lines[0], RawLine::Line(l) if l.len() == MAX_LINE - 1));
        let json = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_LINE - 6 - 7));
        assert_eq!(encode_line(&json), Err(FrameError::TooLong));
    }

    #[test]
    fn overlong_line_is_discarded_up_to_newline() {
        let mut buf = LineBuffer::new();
        let mut input = vec![b'{'; 2000];
        input.push(b'\n');
        input.extend_from_slice(b"ok\n");
        let lines = buf.push(&input);
        assert_eq!(
            lines,
            vec![RawLine::TooLong(2001), RawLine::Line(b"ok".to_vec())]
        );
        assert_eq!(buf.pending(), 0);
    }

    #[test]
    fn split_lines_reassemble_across_chunks() {
        let line = encode_line(r#"{"event":"heartbeat","data":{"uptime_s":5}}"#).unwrap();
        let mut buf = LineBuffer::new();
        let mut got = Vec::new();
        for chunk in line.chunks(3) {
            got.extend(buf.push(chunk));
        }
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn crlf_is_tolerated() {
        let mut buf = LineBuffer::new();
        assert_eq!(buf.push(b"abc\r\n"), vec![RawLine::Line(b"abc".to_vec())]);
    }
}
