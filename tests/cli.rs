//! The built binary run as a user would: help, completions, and the errors a
//! person meets before any device is involved.

mod support;
use support::pawdiag;

use predicates::prelude::*;

#[test]
fn checked_in_completions_are_current() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = pawdiag()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let path = format!("{}/completions/pawdiag.{shell}", env!("CARGO_MANIFEST_DIR"));
        let checked_in = std::fs::read(&path).unwrap_or_default();
        assert!(
            checked_in == out.stdout,
            "{path} is stale: regenerate with `cargo run -- completions {shell} > {path}`"
        );
    }
}

/// The man pages under `man/` are what `pawdiag man` writes today: one
/// per command, none left over from a removed one, each byte for byte.
#[test]
fn checked_in_man_pages_are_current() {
    let fresh = tempfile::tempdir().expect("tempdir");
    pawdiag()
        .args(["man", fresh.path().to_str().expect("utf-8 path")])
        .assert()
        .success();
    let names = |dir: &std::path::Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let man = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let regenerate = "regenerate with `rm -r man && cargo run -- man man`";
    assert_eq!(
        names(&man),
        names(fresh.path()),
        "man/ is stale: {regenerate}"
    );
    assert!(names(&man).contains("pawdiag-diagnose.1"));
    for name in names(fresh.path()) {
        let want = std::fs::read(fresh.path().join(&name)).expect("written");
        let have = std::fs::read(man.join(&name)).unwrap_or_default();
        assert!(have == want, "man/{name} is stale: {regenerate}");
    }
}

#[test]
fn help_names_the_main_commands() {
    pawdiag()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("info").and(predicate::str::contains("scan")));
}

#[test]
fn malformed_address_is_bad_input_with_a_hint() {
    pawdiag()
        .args(["info", "ttyACM0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a device address"))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn unknown_fault_lists_the_right_ones() {
    pawdiag()
        .args(["info", "sim:smartcollar?fault=gps-antenna-open"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("led-channel-open"));
}

#[test]
fn missing_port_is_unreachable_with_a_hint() {
    pawdiag()
        .args(["info", "serial:/dev/pawdiag-no-such-port"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "No serial port at /dev/pawdiag-no-such-port",
        ))
        .stderr(predicate::str::contains("pawdiag scan"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn auto_without_devices_says_so_and_suggests_the_simulator() {
    pawdiag()
        .args(["info", "auto", "--non-interactive"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("sim:pettracker"));
}
