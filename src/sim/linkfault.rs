//! Link faults (`LINK_FAULTS` in `faults.rs`) as deterministic counters, so
//! every transport gets them and tests are repeatable: no randomness, only
//! "every 3rd", "first try", "after the 6th".

use crate::sim::SimSpec;
use std::collections::VecDeque;
use std::time::Duration;

/// How late `slow` answers.
pub const SLOW_DELAY: Duration = Duration::from_millis(1500);
/// `retry_ms` of the busy answers of the `busy` link fault.
pub const BUSY_RETRY_MS: u64 = 30;
/// Answers before `reboot`/`vanish` strike.
pub const STRIKE_AFTER: u64 = 6;

/// What happens to one answer line on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fate {
    /// Not sent at all.
    pub dropped: bool,
    /// One byte flipped.
    pub corrupted: bool,
    /// The device crashes (reboots) right after this answer.
    pub crash: bool,
    /// The device disappears right after this answer.
    pub vanish: bool,
}

/// Counters of the link faults of one device. They survive reboots, so a
/// `reboot` device crashes once, not after every 6th answer of each boot.
#[derive(Debug, Default)]
pub struct LinkFaults {
    corrupt: bool,
    corrupt_rx: bool,
    drop: bool,
    slow: bool,
    busy: bool,
    /// Never sends anything.
    pub silent: bool,
    /// Prints its banner, then never answers.
    pub hung: bool,
    /// Answers like another device.
    pub garbage: bool,
    reboot: bool,
    vanish: bool,
    /// Sends log lines and unknown events around answers.
    pub noisy: bool,
    rx_lines: u64,
    answers: u64,
    executed: u64,
    garbage_lines: u64,
    noise: u64,
    busied: VecDeque<u32>,
    struck: bool,
}

impl LinkFaults {
    /// The link faults of a spec.
    pub fn new(spec: &SimSpec) -> Self {
        Self {
            corrupt: spec.has_link("corrupt"),
            corrupt_rx: spec.has_link("corrupt-rx"),
            drop: spec.has_link("drop"),
            slow: spec.has_link("slow"),
            busy: spec.has_link("busy"),
            silent: spec.has_link("silent"),
            hung: spec.has_link("hung"),
            garbage: spec.has_link("garbage"),
            reboot: spec.has_link("reboot"),
            vanish: spec.has_link("vanish"),
            noisy: spec.has_link("noisy"),
            ..Self::default()
        }
    }

    /// Whether protocol output is suppressed entirely.
    pub fn mute(&self) -> bool {
        self.silent || self.hung || self.garbage
    }

    /// Counts a received protocol line; true when `corrupt-rx` garbles it
    /// (every 3rd).
    pub fn garble_rx(&mut self) -> bool {
        if !self.corrupt_rx {
            return false;
        }
        self.rx_lines += 1;
        self.rx_lines.is_multiple_of(3)
    }

    /// True when `busy` answers this id's first try with busy.
    pub fn busy_first_try(&mut self, id: u32) -> bool {
        if !self.busy || self.busied.contains(&id) {
            return false;
        }
        if self.busied.len() >= 64 {
            self.busied.pop_front();
        }
        self.busied.push_back(id);
        true
    }

    /// Counts an executed request; `Some(delay)` when `slow` holds it back
    /// (every 4th).
    pub fn slow_down(&mut self) -> Option<Duration> {
        if !self.slow {
            return None;
        }
        self.executed += 1;
        self.executed.is_multiple_of(4).then_some(SLOW_DELAY)
    }

    /// Counts an answer line and decides its fate.
    pub fn answer(&mut self) -> Fate {
        self.answers += 1;
        let every_third = self.answers.is_multiple_of(3);
        let strike = !self.struck && self.answers >= STRIKE_AFTER && (self.reboot || self.vanish);
        if strike {
            self.struck = true;
        }
        Fate {
            dropped: self.drop && every_third,
            corrupted: self.corrupt && every_third && !self.drop,
            crash: strike && self.reboot && !self.vanish,
            vanish: strike && self.vanish,
        }
    }

    /// What a `garbage` device says to one line from the host: AT-modem
    /// style answers, every 3rd time binary junk. Never starts with `{`.
    pub fn garbage_reply(&mut self) -> Vec<u8> {
        self.garbage_lines += 1;
        match self.garbage_lines % 3 {
            1 => b"ERROR\r\n".to_vec(),
            2 => b"OK\r\n".to_vec(),
            _ => vec![0xFE, 0x00, 0x13, 0x37, 0x80, 0x7F, 0xC3, b'\r', b'\n'],
        }
    }

    /// Noise to send before an answer (`noisy`): a log line and an event no
    /// host knows.
    pub fn noise(&mut self) -> (String, String) {
        self.noise += 1;
        (
            format!(
                "[dbg] rf cal {} ok, heap 18{:03} free",
                self.noise,
                self.noise % 1000
            ),
            format!(
                r#"{{"event":"debug.trace","data":{{"seq":{},"stack_free":412}}}}"#,
                self.noise
            ),
        )
    }
}

/// Flips one bit in the middle of a line's JSON (never the `\n`), so the
/// CRC no longer matches.
pub fn corrupt_line(line: &mut [u8]) {
    if line.len() > 2 {
        let i = (line.len() - 1) / 2;
        line[i] ^= 0x01;
    }
}
