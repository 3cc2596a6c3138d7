//! One failure, one diagnosis: every serial failure class met through real
//! pseudo-terminals (and real paths) gives the same sentence, hint and exit
//! code from `info`, and the same class in `batch`'s JSON line; a device
//! that prints its banner and then never answers reads the same from
//! `info`, `diagnose`, `watch`, `batch` and `guide`.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use support::{batch_line, info, pawdiag_in, serve_pty};

/// A device that vanishes leaves its client reopening the same path for a
/// few seconds, and pseudo-terminal numbers are reused at once (the client
/// then finds another device there and gives up): the test with a
/// vanishing device runs alone (write), the others side by side (read).
static PTY_NUMBERS: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// The `error:` and `hint:` lines of stderr.
fn error_and_hint(stderr: &str) -> (String, String) {
    let pick = |prefix: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in: {stderr}"))
            .to_string()
    };
    (pick("error: "), pick("hint: "))
}

struct Case {
    class: &'static str,
    address: String,
    exit: i32,
    sentence: String,
    hint: &'static str,
}

#[test]
fn every_serial_failure_class_has_one_sentence_hint_exit_code_and_json_class() {
    let _shared = PTY_NUMBERS.read().unwrap_or_else(|p| p.into_inner());
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let silent = serve_pty(&["--link", "silent"], 1, &[]);
    let hung = serve_pty(&["--link", "hung"], 1, &[]);
    let garbage = serve_pty(&["--link", "garbage"], 1, &[]);
    let held = serve_pty(&[], 1, &[]);
    let _lock = pawdiag::link::serial::SerialTransport::open(&held.paths[0], 115_200, None)
        .expect("first open");
    let d = dir.path().display().to_string();
    let f = file.display().to_string();
    let cases = [
        Case {
            class: "port-missing",
            address: "serial:/dev/pawdiag-no-such-port".into(),
            exit: 3,
            sentence: "No serial port at /dev/pawdiag-no-such-port".into(),
            hint: "check the USB cable",
        },
        Case {
            class: "not-a-port",
            address: format!("serial:{d}"),
            exit: 2,
            sentence: format!("{d} is a directory, not a serial port"),
            hint: "name the device's serial port",
        },
        Case {
            class: "not-a-port",
            address: format!("serial:{f}"),
            exit: 2,
            sentence: format!("{f} is a regular file, not a serial port"),
            hint: "name the device's serial port",
        },
        Case {
            class: "port-busy",
            address: format!("serial:{}", held.paths[0]),
            exit: 3,
            sentence: format!(
                "Serial port {} is busy: another program has it open",
                held.paths[0]
            ),
            hint: "close the other program",
        },
        Case {
            class: "silent",
            address: format!("serial:{}", silent.paths[0]),
            exit: 3,
            sentence: format!(
                "The device at serial:{} is silent: nothing at all came back",
                silent.paths[0]
            ),
            hint: "check that the device is switched on",
        },
        Case {
            class: "firmware-not-responding",
            address: format!("serial:{}", hung.paths[0]),
            exit: 3,
            sentence: format!(
                "The device at serial:{} is there, but its firmware does not answer (its boot banner came, then no answers)",
                hung.paths[0]
            ),
            hint: "restart the device",
        },
        Case {
            class: "not-pawcore",
            address: format!("serial:{}", garbage.paths[0]),
            exit: 3,
            sentence: format!(
                "The device at serial:{} is not a PawCore device (it answers in another protocol)",
                garbage.paths[0]
            ),
            hint: "check that you picked the right port",
        },
    ];
    // A hung firmware printed its banner once, at boot: each session that
    // is to see it needs a freshly booted device.
    let hung_again = serve_pty(&["--link", "hung"], 1, &[]);
    for c in &cases {
        let (exit, stderr) = info(home.path(), &c.address);
        assert_eq!(exit, c.exit, "{}: {stderr}", c.class);
        let (sentence, hint) = error_and_hint(&stderr);
        assert_eq!(sentence, c.sentence, "{}", c.class);
        assert!(hint.starts_with(c.hint), "{}: {hint}", c.class);
        assert!(
            !hint.contains("unplug the device, plug it back in"),
            "{hint}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");

        let (address, sentence) = if c.class == "firmware-not-responding" {
            let again = format!("serial:{}", hung_again.paths[0]);
            (again.clone(), c.sentence.replace(&c.address, &again))
        } else {
            (c.address.clone(), c.sentence.clone())
        };
        let line = batch_line(home.path(), &address);
        assert_eq!(line["failure"], c.class, "{line}");
        assert_eq!(line["error"], sentence.as_str(), "{line}");
        assert_eq!(line["exit"], c.exit, "{line}");
    }
}

#[test]
fn a_link_lost_mid_session_is_link_lost_everywhere() {
    let _alone = PTY_NUMBERS.write().unwrap_or_else(|p| p.into_inner());
    let home = tempfile::tempdir().unwrap();
    // Disappears for good after its 6th answer: identity read, then gone.
    let vanish = serve_pty(&["--link", "vanish"], 1, &[]);
    let address = format!("serial:{}", vanish.paths[0]);
    let (exit, stderr) = info(home.path(), &address);
    assert_eq!(exit, 3, "{stderr}");
    let (sentence, hint) = error_and_hint(&stderr);
    assert!(
        sentence.starts_with(&format!("The connection to {address} was lost")),
        "{sentence}"
    );
    assert!(hint.starts_with("check the cable or move closer"), "{hint}");

    let vanish = serve_pty(&["--link", "vanish"], 1, &[]);
    let address = format!("serial:{}", vanish.paths[0]);
    let line = batch_line(home.path(), &address);
    assert_eq!(line["failure"], "link-lost", "{line}");
    assert_eq!(line["exit"], 3);
    assert!(
        line["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("The connection to {address} was lost")),
        "{line}"
    );
}

/// The example: a device that prints its boot banner and then never
/// answers used to be "silent" to one command, "not a PawCore device" to
/// another and "lost" to a third.
#[test]
fn a_hung_firmware_reads_the_same_from_every_command() {
    let _shared = PTY_NUMBERS.read().unwrap_or_else(|p| p.into_inner());
    let home = tempfile::tempdir().unwrap();
    // The banner comes once, at boot: one freshly booted device per command.
    let hung = serve_pty(&["--link", "hung", "--count", "5"], 5, &[]);
    let address = |n: usize| format!("serial:{}", hung.paths[n]);
    let expected = |n: usize| {
        format!(
            "The device at {} is there, but its firmware does not answer (its boot banner came, then no answers)",
            address(n)
        )
    };
    let runs: [Vec<String>; 3] = [
        vec!["info".into(), address(0), "--no-selftest".into()],
        vec!["diagnose".into(), address(1), "--non-interactive".into()],
        vec!["watch".into(), address(2), "--count".into(), "1".into()],
    ];
    let mut hints = Vec::new();
    for (n, args) in runs.iter().enumerate() {
        let out = pawdiag_in(home.path()).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        let (sentence, hint) = error_and_hint(&stderr);
        assert_eq!(sentence, expected(n), "{args:?}");
        hints.push(hint);
    }
    assert!(hints.iter().all(|h| *h == hints[0]), "{hints:?}");
    assert!(hints[0].starts_with("restart the device"), "{hints:?}");

    let line = batch_line(home.path(), &address(3));
    assert_eq!(line["failure"], "firmware-not-responding");
    assert_eq!(line["error"], expected(3).as_str());

    // The guide, in a terminal as a customer uses it.
    let mut cmd = std::process::Command::new(support::BIN);
    cmd.args(["guide", &address(4)]).env("TERM", "xterm");
    support::isolate(&mut cmd, home.path());
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
    let before_hint = p.exp_string("hint: ").unwrap();
    assert!(
        before_hint.contains(&format!("error: {}", expected(4))),
        "{before_hint}"
    );
    let rest = p.exp_eof().unwrap();
    assert!(rest.starts_with(&hints[0]), "{rest}");
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 3),
        other => panic!("{other:?}"),
    }
}

/// Not being allowed to open the port needs another user than root (root
/// opens anything): run as `nobody` when the tests run as root, otherwise
/// take the permission away from our own pseudo-terminal.
#[test]
fn permission_denied_is_its_own_class() {
    let _shared = PTY_NUMBERS.read().unwrap_or_else(|p| p.into_inner());
    let home = tempfile::tempdir().unwrap();
    let served = serve_pty(&[], 1, &[]);
    let path = served.paths[0].clone();
    let root = unsafe { libc::geteuid() } == 0;
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(support::BIN);
        cmd.args(args);
        support::isolate(&mut cmd, home.path());
        if root {
            use std::os::unix::process::CommandExt;
            std::fs::set_permissions(
                home.path(),
                std::os::unix::fs::PermissionsExt::from_mode(0o777),
            )
            .unwrap();
            cmd.uid(65534).gid(65534);
        }
        cmd.output().unwrap()
    };
    std::fs::set_permissions(
        &path,
        std::os::unix::fs::PermissionsExt::from_mode(if root { 0o600 } else { 0o000 }),
    )
    .unwrap();
    let out = run(&["info", &format!("serial:{path}")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if root && out.status.code() == Some(126) {
        eprintln!("skipped: nobody cannot execute the test binary here");
        return;
    }
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let (sentence, hint) = error_and_hint(&stderr);
    assert_eq!(sentence, format!("Permission denied opening {path}"));
    assert!(
        hint.contains("dialout") && hint.contains("udev rule"),
        "{hint}"
    );
}

/// A reconnect reopens the same path; if another device answers there now
/// (a port reused, a symlink re-pointed), the link counts as lost rather
/// than carrying on with the wrong device.
#[test]
fn after_a_reconnect_another_device_at_the_same_path_is_refused() {
    let _alone = PTY_NUMBERS.write().unwrap_or_else(|p| p.into_inner());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(another_device_after_a_reconnect());
}

async fn another_device_after_a_reconnect() {
    use pawdiag::client::{CallError, Client, ClientOptions};
    use pawdiag::interface::Model;
    use pawdiag::sim::{PtyServer, SimSpec};
    let first = PtyServer::start(
        &SimSpec::new(Model::PetTracker)
            .with_link_faults(&["vanish"])
            .unwrap(),
        None,
    )
    .unwrap();
    let second = PtyServer::start(
        &SimSpec {
            serial: Some("SC-24A0-0042".into()),
            ..SimSpec::new(Model::SmartCollar)
        },
        None,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("port");
    std::os::unix::fs::symlink(first.path(), &link).unwrap();
    let t = pawdiag::link::serial::SerialTransport::open(link.to_str().unwrap(), 115_200, None)
        .unwrap();
    let mut client = Client::new(Box::new(t), ClientOptions::default());
    let info = client.call("device.info", None).await.unwrap();
    assert_eq!(info["serial"], "PT-24A0-0001");
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(second.path(), &link).unwrap();
    // The 6th answer is the last: then the tracker is gone.
    let mut lost = None;
    for _ in 0..8 {
        if let Err(e) = client.call("battery.status", None).await {
            lost = Some(e);
            break;
        }
    }
    assert!(matches!(lost, Some(CallError::LinkLost { .. })), "{lost:?}");
    assert_eq!(client.stats().reconnects, 0);
    let notes: Vec<String> = client
        .transcript()
        .entries()
        .iter()
        .map(|e| e.text.clone())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("is not PT-24A0-0001")),
        "{notes:#?}"
    );
}
