//! Tests of manifests: CSV and TOML rows, every field checked, errors with
//! their line.

use super::*;

fn csv(text: &str) -> Result<Manifest, ManifestError> {
    parse_csv(text, Path::new("/m/returns.csv"))
}

#[test]
fn columns_in_any_order_with_answers_and_comments() {
    let m = csv(
        "\u{feff}Ticket, device ,flow,answer:outdoors,answers\n# a comment\nT-1,sim:pettracker,pettracker/gps-not-working,yes,a.toml\n\nT-2,auto-all,,,\n",
    )
    .unwrap();
    assert_eq!(m.rows.len(), 2);
    let r = &m.rows[0];
    assert_eq!(r.line, 3);
    assert!(matches!(r.target, Target::Address(Address::Sim(_))));
    assert_eq!(r.flow.as_deref(), Some("pettracker/gps-not-working"));
    assert_eq!(r.ticket.as_deref(), Some("T-1"));
    assert_eq!(r.answers.get("outdoors").map(String::as_str), Some("yes"));
    assert_eq!(r.answers_file.as_deref(), Some(Path::new("/m/a.toml")));
    let r = &m.rows[1];
    assert_eq!((r.line, &r.target, &r.flow), (5, &Target::AutoAll, &None));
    assert!(r.answers.is_empty());
}

#[test]
fn errors_name_the_line_and_say_what_to_do() {
    let cases = [
        ("device,flow\nsim:pettracker,x\n", 2, "not a flow id"),
        (
            "device,flow\nsim:pettracker\n",
            2,
            "1 fields but the header has 2",
        ),
        (
            "device,flow\n# c\n\nsim:pettracker\n",
            4,
            "1 fields but the header has 2",
        ),
        (
            "device,colour\nsim:pettracker,red\n",
            1,
            "unknown column `colour`",
        ),
        ("flow\npettracker/x\n", 1, "no `device` column"),
        (
            "device\nsim:pettracker\nttyACM0\n",
            3,
            "is not a device address",
        ),
        ("device\nsim:toaster\n", 2, "toaster"),
        ("device\nauto\n", 2, "never asks"),
        ("device,flow\n,pettracker/x\n", 2, "device is empty"),
        ("device\n", 1, "no devices"),
        ("", 1, "empty"),
    ];
    for (text, line, needle) in cases {
        let e = csv(text).unwrap_err();
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
        assert!(e.message.contains(needle), "{text:?}: {e}");
        assert!(!e.hint.is_empty());
        assert!(
            e.to_string()
                .starts_with(&format!("/m/returns.csv:{line}: ")),
            "{e}"
        );
    }
}

#[test]
fn quoted_fields_may_hold_commas_but_not_escape_codes() {
    let m = csv("device,ticket\n\"sim:pettracker?fault=gps-antenna-open,battery-degraded\",\"T-1, urgent\"\n").unwrap();
    assert_eq!(m.rows[0].ticket.as_deref(), Some("T-1, urgent"));
    let Target::Address(Address::Sim(spec)) = &m.rows[0].target else {
        panic!()
    };
    assert_eq!(spec.faults.len(), 2);
    let e = csv("device,ticket\nsim:pettracker,\"T\u{1b}[2J\"\n").unwrap_err();
    assert_eq!(e.line, Some(2));
}

#[test]
fn toml_manifest_with_answers_table() {
    let text = "[[device]]\ndevice = \"sim:healthmonitor\"\nticket = \"T-9\"\n\n[[device]]\ndevice = \"sim:pettracker\"\nflow = \"pettracker/gps-not-working\"\n[device.answer]\noutdoors = \"yes\"\n";
    let m = parse_toml(text, Path::new("m.toml")).unwrap();
    assert_eq!(m.rows.len(), 2);
    assert_eq!(m.rows[0].line, 1);
    assert_eq!(m.rows[1].line, 5);
    assert_eq!(m.rows[1].answers["outdoors"], "yes");
    let e = parse_toml(
        "[[device]]\ndevice = \"sim:pettracker\"\ncolour = 1\n",
        Path::new("m.toml"),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    let e = parse_toml("[[device]]\ndevice = \"nope\"\n", Path::new("m.toml")).unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
}

#[test]
fn load_reads_files_and_rejects_non_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.csv");
    std::fs::write(&p, b"device\nsim:pettracker\n\xff\n").unwrap();
    let e = Manifest::load(&p).unwrap_err();
    assert_eq!(e.line, Some(3));
    let e = Manifest::load(&dir.path().join("missing.csv")).unwrap_err();
    assert!(e.message.contains("cannot read"));
}
