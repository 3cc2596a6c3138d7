//! Tests of the batch rules.

#![allow(clippy::unwrap_used)]

use super::jobs::{file_part, report_stem};
use super::*;
use std::path::Path;

#[test]
fn device_codes_rank_into_the_run_code() {
    assert_eq!(rank([]), Exit::Ok);
    assert_eq!(rank([0, 4]), Exit::Fault);
    assert_eq!(rank([4, 7]), Exit::Incomplete);
    assert_eq!(rank([7, 3]), Exit::Unreachable);
    // An internal error or a stop on one device: it could not be run.
    assert_eq!(rank([1, 4]), Exit::Unreachable);
    assert_eq!(rank([130, 0]), Exit::Unreachable);
    assert_eq!(rank([3, 8]), Exit::ReportLost);
    assert_eq!(rank([8, 5, 4]), Exit::Safety);
}

#[test]
fn file_parts_never_leave_the_directory() {
    assert_eq!(file_part("../../etc/passwd"), "etc-passwd");
    assert_eq!(file_part("/dev/pts/3"), "dev-pts-3");
    assert_eq!(
        file_part("pettracker/gps-not-working"),
        "pettracker-gps-not-working"
    );
    assert_eq!(file_part("T 1001"), "T-1001");
    assert_eq!(file_part("..."), "x");
    assert!(file_part(&"a".repeat(500)).len() <= 60);
}

#[test]
fn report_names_put_ticket_device_and_flow_in_file_parts() {
    assert_eq!(report_stem(Some("T 1"), "PT-1", None), "T-1_PT-1_sweep");
    assert_eq!(
        report_stem(None, "/dev/ttyACM0", Some("pettracker/gps")),
        "dev-ttyACM0_pettracker-gps"
    );
}

#[test]
fn a_physical_device_named_twice_is_bad_input() {
    let m = crate::manifest::parse_csv(
        "device\nserial:/dev/ttyACM0\nsim:pettracker\nserial:/dev/ttyACM0\n",
        Path::new("m.csv"),
    )
    .unwrap();
    let e = check_manifest(&m).unwrap_err();
    assert_eq!(e.line, Some(4));
    assert!(e.to_string().contains("m.csv:4"), "{e}");
    assert!(e.message.contains("line 2"), "{}", e.message);
}
