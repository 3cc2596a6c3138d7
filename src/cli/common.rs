//! Arguments shared by several subcommands, flattened into each.

/// How to reach one device.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// The device: a serial number (PT-24A0-0001), serial:PATH, ble:ADDRESS,
    /// ble:NAME, sim:MODEL[?fault=…], replay:FILE (a recording or a report,
    /// answered as recorded) or auto.
    #[arg(value_name = "DEVICE", default_value = "auto", env = "PAWDIAG_DEVICE")]
    pub device: String,
    /// Extra time allowed per answer, in milliseconds, on top of the
    /// interface's answer times and the wire time [default: from the config
    /// file, else 250].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// Serial baud rate.
    #[arg(long, default_value_t = 115_200)]
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
