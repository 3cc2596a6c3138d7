//! Unit tests of `batch`: exit ranking over device lines and job
//! expansion into lines (the rules themselves: `pawdiag::batch`).
use super::*;
use pawdiag::interface::Model;

fn result(exit: Exit) -> DeviceResult {
    DeviceResult {
        line: 2,
        device: "sim:pettracker".into(),
        exit: exit as u8,
        ..super::super::batch_resume::blank_line()
    }
}

#[test]
fn exit_code_orders_safety_then_failure_then_fault() {
    let e = |xs: &[Exit]| batch_exit(&xs.iter().map(|&x| result(x)).collect::<Vec<_>>());
    assert_eq!(e(&[]), Exit::Ok);
    assert_eq!(e(&[Exit::Ok, Exit::Ok]), Exit::Ok);
    assert_eq!(e(&[Exit::Ok, Exit::Fault]), Exit::Fault);
    assert_eq!(e(&[Exit::Fault, Exit::Unreachable]), Exit::Unreachable);
    assert_eq!(
        e(&[Exit::Unreachable, Exit::Safety, Exit::Fault]),
        Exit::Safety
    );
    assert_eq!(e(&[Exit::Internal, Exit::Fault]), Exit::Unreachable);
    assert_eq!(e(&[Exit::Fault, Exit::Incomplete]), Exit::Incomplete);
    assert_eq!(e(&[Exit::Incomplete, Exit::Unreachable]), Exit::Unreachable);
    assert_eq!(e(&[Exit::Incomplete, Exit::Safety]), Exit::Safety);
}

#[test]
fn auto_all_expands_to_unnamed_devices_and_names_are_stable() {
    let text = "device,ticket,flow\nserial:/dev/ttyACM1,T-1,\nauto-all,,pettracker/gps-not-working\nsim:pettracker,,\nsim:pettracker,,\n";
    let m = pawdiag::manifest::parse_csv(text, Path::new("/m/x.csv")).unwrap();
    let cands = || {
        ["/dev/ttyACM0", "/dev/ttyACM1"]
            .iter()
            .enumerate()
            .map(|(i, p)| connect::Candidate {
                address: format!("serial:{p}"),
                model: Model::PetTracker,
                serial: Some(format!("PT-24A0-000{i}")),
                serial_hint: None,
                via: "usb",
            })
            .collect()
    };
    let (jobs, unrun) = expand(&m, Path::new("/out"), cands);
    assert!(unrun.is_empty());
    let names: Vec<String> = jobs
        .iter()
        .map(|j| format!("{} {}", j.address, j.report.display()))
        .collect();
    assert_eq!(
        names,
        [
            "serial:/dev/ttyACM1 /out/T-1_PT-24A0-0001_sweep.json",
            "serial:/dev/ttyACM0 /out/PT-24A0-0000_pettracker-gps-not-working.json",
            "sim:pettracker /out/sim-pettracker_sweep_L4.json",
            "sim:pettracker /out/sim-pettracker_sweep_L5.json",
        ]
    );
    let (again, _) = expand(&m, Path::new("/out"), cands);
    assert_eq!(
        jobs.iter().map(|j| &j.report).collect::<Vec<_>>(),
        again.iter().map(|j| &j.report).collect::<Vec<_>>()
    );
    let (jobs, unrun) = expand(&m, Path::new("/out"), Vec::new);
    assert_eq!(jobs.len(), 3);
    assert_eq!(unrun.len(), 1);
    assert_eq!((unrun[0].line, unrun[0].exit), (3, 3));
}
