use super::*;
use crate::interface::message::RpcError;

fn timeout(heard_anything: bool, heard_protocol: bool, foreign: bool, alive: bool) -> CallError {
    CallError::Timeout {
        method: "device.info".into(),
        attempts: 3,
        heard_anything,
        heard_protocol,
        foreign,
        alive,
    }
}

#[test]
fn every_class_has_an_id_a_sentence_a_hint_and_an_exit_code() {
    let mut ids = std::collections::HashSet::new();
    for c in FailureClass::ALL {
        assert!(ids.insert(c.id()), "duplicate id {}", c.id());
        assert!(
            c.id()
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
            "{}",
            c.id()
        );
        let s = c.sentence("serial:/dev/ttyACM0", "detail");
        // A sentence starts with a capital, a program's name or the path.
        assert!(
            s.chars().next().is_some_and(|ch| !ch.is_lowercase())
                || s.starts_with("pawdiag")
                || s.starts_with("serial:"),
            "{s}"
        );
        assert!(!s.ends_with('.'), "{s}");
        assert!(!c.hint().is_empty());
        assert!(matches!(c.exit_code(), 2 | 3));
        // The id is what serde writes, so JSON and README agree.
        assert_eq!(
            serde_json::to_value(c).ok(),
            Some(serde_json::Value::String(c.id().into()))
        );
    }
    // Ladder order: no class is listed before a lower rung's.
    let rungs: Vec<Rung> = FailureClass::ALL.iter().map(|c| c.rung()).collect();
    let mut sorted = rungs.clone();
    sorted.sort();
    assert_eq!(rungs, sorted);
}

#[test]
fn a_first_call_without_answer_is_told_apart_by_what_was_heard() {
    let d = "serial:/dev/ttyACM0";
    assert_eq!(
        of_call(&timeout(false, false, false, false), d).class,
        FailureClass::Silent
    );
    // Banner only, then nothing: the firmware hangs.
    assert_eq!(
        of_call(&timeout(true, false, false, false), d).class,
        FailureClass::FirmwareNotResponding
    );
    // Text in reply to our re-sent requests: another protocol.
    assert_eq!(
        of_call(&timeout(true, false, true, false), d).class,
        FailureClass::NotPawcore
    );
    // A Bluetooth link with services is there: silence is the firmware's.
    assert_eq!(
        of_call(&timeout(false, false, false, true), d).class,
        FailureClass::FirmwareNotResponding
    );
    // It answered before and then stopped.
    let c = of_call(&timeout(true, true, false, false), d);
    assert_eq!(c.class, FailureClass::FirmwareNotResponding);
    assert!(
        c.message.contains("stopped answering device.info"),
        "{}",
        c.message
    );
    let lost = of_call(
        &CallError::LinkLost {
            method: "battery.status".into(),
            reason: "the port closed".into(),
        },
        d,
    );
    assert_eq!(lost.class, FailureClass::LinkLost);
    assert_eq!(
        lost.message,
        "The connection to serial:/dev/ttyACM0 was lost (during battery.status: the port closed)"
    );
    let refused = of_call(
        &CallError::Device {
            method: "device.info".into(),
            error: RpcError {
                code: -32601,
                message: "unknown method".into(),
                data: None,
            },
        },
        d,
    );
    assert_eq!(refused.class, FailureClass::UnexpectedAnswers);
}

#[test]
fn facts_keep_the_client_error_that_explains_them() {
    let fe = FactError::from_call("device.info", &timeout(true, false, false, false));
    assert!(fe.is_link_lost(), "a session stops on it");
    assert_eq!(
        of_fact(&fe, "sim:x").class,
        FailureClass::FirmwareNotResponding
    );
    let unknown = FactError::UnknownModel {
        model: "petrock".into(),
    };
    assert_eq!(of_fact(&unknown, "sim:x").class, FailureClass::UnknownModel);
}

#[test]
fn link_errors_map_to_their_rung() {
    let d = "ble:PawCore-PT-0001";
    let cases: Vec<(LinkError, FailureClass)> = vec![
        (
            LinkError::NoSuchPort {
                path: "/dev/ttyACM9".into(),
            },
            FailureClass::PortMissing,
        ),
        (
            LinkError::NotAPort {
                path: "/tmp".into(),
                what: "a directory".into(),
            },
            FailureClass::NotAPort,
        ),
        (
            LinkError::PortBusy {
                path: "/dev/ttyACM0".into(),
            },
            FailureClass::PortBusy,
        ),
        (
            LinkError::PermissionDenied {
                path: "/dev/ttyACM0".into(),
            },
            FailureClass::PermissionDenied,
        ),
        (
            LinkError::Disconnected("gone".into()),
            FailureClass::LinkLost,
        ),
        (LinkError::NotFound(String::new()), FailureClass::NotFound),
        (
            LinkError::bluetooth(BluetoothProblem::NoSystemBus),
            FailureClass::NoSystemBus,
        ),
        (
            LinkError::bluetooth(BluetoothProblem::ServiceNotRunning),
            FailureClass::BluetoothServiceDown,
        ),
        (
            LinkError::bluetooth(BluetoothProblem::NoAdapter),
            FailureClass::NoAdapter,
        ),
        (
            LinkError::bluetooth(BluetoothProblem::AdapterOff),
            FailureClass::AdapterOff,
        ),
        (
            LinkError::bluetooth(BluetoothProblem::Blocked),
            FailureClass::RfkillBlocked,
        ),
        (
            LinkError::NotPawcore("HR Strap is not a PawCore device".into()),
            FailureClass::NotPawcore,
        ),
    ];
    for (e, class) in cases {
        assert_eq!(of_link(&e, d).class, class, "{e}");
    }
    let c = of_link(
        &LinkError::ConnectFailed {
            target: "PawCore-PT-0001".into(),
            detail: "BlueZ: le-connection-abort-by-local".into(),
            tries: 3,
        },
        d,
    );
    assert_eq!(c.class, FailureClass::CouldNotConnect);
    assert_eq!(
        c.message,
        "Could not connect to PawCore-PT-0001 over Bluetooth (BlueZ: le-connection-abort-by-local)"
    );
    assert!(c.hint.contains("close the PawCore app"), "{}", c.hint);
    assert!(!c.message.contains("lost"));
    let dir = of_link(
        &LinkError::NotAPort {
            path: "/tmp".into(),
            what: "a directory".into(),
        },
        d,
    );
    assert_eq!(dir.message, "/tmp is a directory, not a serial port");
    assert!(!dir.hint.contains("unplug"));
    assert_eq!(dir.exit_code(), 2);
    let several = of_link(
        &LinkError::Ambiguous(vec![
            "PT-…-0002 (PetTracker, ble:C0:FF:EE:00:00:02)".into(),
            "PT-24A0-0001 (PetTracker, serial:/dev/ttyACM0)".into(),
        ]),
        "auto",
    );
    assert_eq!(several.exit_code(), 2);
    assert!(
        several.hint.contains("pawdiag info PT-24A0-0001`"),
        "{}",
        several.hint
    );
    let ble_only = of_link(
        &LinkError::Ambiguous(vec![
            "PT-…-0002 (PetTracker, ble:C0:FF:EE:00:00:02, last used)".into(),
            "PT-…-0003 (PetTracker, ble:C0:FF:EE:00:00:03)".into(),
        ]),
        "auto",
    );
    assert!(
        ble_only
            .hint
            .contains("pawdiag info ble:C0:FF:EE:00:00:02`"),
        "{}",
        ble_only.hint
    );
}

#[test]
fn the_readme_table_lists_every_class_with_its_rung_and_exit_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_default();
    for c in FailureClass::ALL {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", c.id())))
            .unwrap_or_else(|| panic!("README has no row for `{}`", c.id()));
        assert!(row.contains(&format!("| {} |", c.rung().label())), "{row}");
        assert!(row.ends_with(&format!("| {} |", c.exit_code())), "{row}");
    }
}

#[test]
fn windows_and_macos_are_told_their_own_fixes_never_linux_ones() {
    let linux_only = [
        "bluez",
        "d-bus",
        "rfkill",
        "systemctl",
        "bluetoothctl",
        "dialout",
        "udev",
        "modemmanager",
        "/dev/tty",
        "sudo",
    ];
    for os in [Os::Windows, Os::MacOs] {
        for c in FailureClass::ALL {
            let text = format!("{} {}", c.sentence_on(os, "the device", ""), c.hint_on(os))
                .to_ascii_lowercase();
            for word in linux_only {
                assert!(!text.contains(word), "{os:?} {c}: {text}");
            }
        }
    }
    let windows = |c: FailureClass| c.hint_on(Os::Windows);
    let mac = |c: FailureClass| c.hint_on(Os::MacOs);
    for c in [FailureClass::AdapterOff, FailureClass::RfkillBlocked] {
        assert!(windows(c).contains("Settings › Bluetooth & devices"), "{c}");
        assert!(mac(c).contains("System Settings › Bluetooth"), "{c}");
    }
    assert!(
        mac(FailureClass::BluetoothNotAllowed)
            .contains("System Settings › Privacy & Security › Bluetooth")
    );
    assert!(mac(FailureClass::BluetoothNotAllowed).contains("terminal app"));
    assert!(windows(FailureClass::NotAPort).contains("serial:COM3"));
    assert!(mac(FailureClass::NotAPort).contains("serial:/dev/cu."));
    // Linux keeps its own, exact wording.
    assert!(
        FailureClass::RfkillBlocked
            .hint_on(Os::Linux)
            .contains("rfkill unblock bluetooth")
    );
    assert_eq!(
        FailureClass::BluetoothServiceDown.sentence_on(Os::Linux, "", ""),
        "The Bluetooth service (BlueZ) is not running"
    );
}

#[test]
fn a_bluetooth_problem_reads_as_its_class_on_every_system() {
    for (problem, class) in [
        (BluetoothProblem::AdapterOff, FailureClass::AdapterOff),
        (
            BluetoothProblem::NotAllowed,
            FailureClass::BluetoothNotAllowed,
        ),
        (BluetoothProblem::NoAdapter, FailureClass::NoAdapter),
    ] {
        let c = of_link(&LinkError::bluetooth(problem), "ble:PawCore-PT-0001");
        assert_eq!(c.class, class);
        assert_eq!(c.hint, class.hint_on(Os::current()));
    }
}
