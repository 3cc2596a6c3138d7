//! What several test binaries share: the binary isolated from the real
//! user's config, devices and settings.

use assert_cmd::Command;
use std::path::Path;

/// The binary with `home` as its home, config and data directories, no
/// colour, and none of the user's `PAWDIAG_*` settings.
pub fn isolated(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pawdiag").expect("binary built");
    cmd.env_remove("PAWDIAG_DEVICE")
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("PAWDIAG_CONFIG", home.join("pawdiag.toml"));
    for v in [
        "PAWDIAG_AUDIENCE",
        "PAWDIAG_REPORT_DIR",
        "PAWDIAG_TECHNICIAN",
        "PAWDIAG_STATION",
        "PAWDIAG_JOBS",
        "PAWDIAG_TIMEOUT_MS",
    ] {
        cmd.env_remove(v);
    }
    cmd
}
