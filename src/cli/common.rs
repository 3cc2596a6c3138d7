//! Arguments shared by several subcommands, flattened into each, and the
//! parsers that keep numbers within their documented ranges (the same
//! ranges as the config file and the environment), so a value that cannot
//! be right is refused with exit code 2 before anything runs.

use pawdiag::config::{MAX_JOBS, MAX_TIMEOUT_MS};
use pawdiag::link::serial::{MAX_BAUD, MIN_BAUD};

/// `--baud`: [`MIN_BAUD`] to [`MAX_BAUD`].
pub fn baud() -> clap::builder::RangedU64ValueParser<u32> {
    clap::builder::RangedU64ValueParser::<u32>::new().range(MIN_BAUD as u64..=MAX_BAUD as u64)
}

/// `--timeout-ms`: 0 to [`MAX_TIMEOUT_MS`].
pub fn timeout_ms() -> clap::builder::RangedU64ValueParser<u64> {
    clap::builder::RangedU64ValueParser::<u64>::new().range(0..=MAX_TIMEOUT_MS)
}

/// `--jobs`: 1 to [`MAX_JOBS`].
pub fn jobs() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_JOBS as u64)
}

/// Seconds as a decimal number between `min` and `max` (a `Duration` must
/// be finite and not negative).
pub fn seconds_between(text: &str, min: f64, max: f64) -> Result<f64, String> {
    let v: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if v.is_finite() && (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(format!("must be between {min} and {max} seconds"))
    }
}

/// `scan --timeout`: 0.5 to 300 seconds.
pub fn scan_seconds(text: &str) -> Result<f64, String> {
    seconds_between(text, 0.5, 300.0)
}

/// How to reach one device.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// The device: a serial number (PT-24A0-0001), serial:PATH, ble:ADDRESS,
    /// ble:NAME, sim:MODEL[?fault=…], replay:FILE (a recording or a report,
    /// answered as recorded) or auto.
    #[arg(value_name = "DEVICE", default_value = "auto", env = "PAWDIAG_DEVICE")]
    pub device: String,
    /// Extra time allowed per answer, in milliseconds (0–60000), on top of
    /// the interface's answer times and the wire time [default: from the
    /// config file, else 250].
    #[arg(long, value_name = "MS", value_parser = timeout_ms())]
    pub timeout_ms: Option<u64>,
    /// Serial baud rate (300–4000000).
    #[arg(long, default_value_t = 115_200, value_parser = baud())]
    pub baud: u32,
    /// Requests in flight at once (1–4). 1 sends strictly one at a time, for
    /// firmware that misbehaves with pipelining, and for benchmarks.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=4), hide_short_help = true)]
    pub max_in_flight: u8,
    /// Never prompt (pick no device from a list, ask nothing); several
    /// devices for `auto` is then an error listing them.
    #[arg(long, env = "PAWDIAG_NON_INTERACTIVE")]
    pub non_interactive: bool,
}

/// Machine-readable output.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct OutputArgs {
    /// Print JSON on stdout instead of tables.
    #[arg(long)]
    pub json: bool,
}
