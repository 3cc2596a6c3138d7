//! The customer's ending: a case reference of their own beside the fault's
//! code, what to do next, where the report is and how to send it, and a
//! promise of contact only once the report has reached support.

#![allow(clippy::unwrap_used)]

use chrono::{Duration, TimeZone, Utc};
use pawdiag::flow::session::{OutcomeKind, OutcomeRecord, RunMode, Session, Tier};
use pawdiag::interface::Model;
use pawdiag::interface::methods::DeviceInfo;
use pawdiag::report::ending::{self, Handover};
use pawdiag::report::{self, BuildOptions, CustomerInfo, DeviceData, Inputs, model::Report};
use std::path::PathBuf;

fn replace_report(serial: &str, minute: i64) -> Report {
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap() + Duration::minutes(minute);
    let mut s = Session::new(
        "pettracker/gps-not-working",
        "GPS not working",
        Model::PetTracker,
        RunMode::Interactive,
        t,
    );
    s.ended_at = Some(t);
    s.outcome = Some(OutcomeRecord {
        node_id: "replace".into(),
        kind: OutcomeKind::Replace,
        code: "PT-GPS-ANT".into(),
        tier: Some(Tier::Two),
        criterion: None,
        summary: "The antenna is broken.".into(),
        tech: None,
        next_steps: vec![],
        safety: false,
        escalate_within_min: None,
        pet_health: false,
    });
    let device = DeviceData {
        info: Some(DeviceInfo {
            model: "pettracker".into(),
            serial: serial.into(),
            hw_rev: None,
            fw_version: "2.4.1".into(),
            interface: 1,
            uptime_s: None,
            boot_count: None,
            last_reset: None,
        }),
        ..DeviceData::default()
    };
    report::build(Inputs {
        session: &s,
        device: &device,
        transcript: &[],
        transcript_dropped: 0,
        customer: &CustomerInfo::default(),
        options: BuildOptions {
            include_personal_data: false,
            now: t,
        },
    })
    .unwrap()
}

#[test]
fn every_customer_gets_their_own_case_reference_beside_the_shared_code() {
    let a = replace_report("PT-24A0-0001", 0);
    let b = replace_report("PT-24A0-0002", 0);
    let c = replace_report("PT-24A0-0001", 1);
    let refs: Vec<&str> = [&a, &b, &c]
        .iter()
        .map(|r| r.case_ref.as_deref().unwrap())
        .collect();
    assert_ne!(refs[0], refs[1]);
    assert_ne!(refs[0], refs[2]);
    assert_eq!(a.outcome.code, b.outcome.code);
    assert_eq!(refs[0], report::case_reference(&a.report_id));
    let text = report::summary(&a, report::Audience::Customer, None);
    assert!(
        text.contains(&format!("Your case reference: {} (PT-GPS-ANT)", refs[0])),
        "{text}"
    );
    // Shown in the report itself, so support finds it there too.
    let md = report::render(&a, report::Format::Markdown);
    assert!(md.contains(&format!("**Case reference:** {}", refs[0])));
}

#[test]
fn before_the_report_is_sent_nothing_is_promised_and_it_says_how_to_send_it() {
    let r = replace_report("PT-24A0-0001", 0);
    let case = r.case_ref.clone().unwrap();
    let text = ending::customer(
        &r,
        &Handover {
            saved: vec![PathBuf::from("/r/x.html"), PathBuf::from("/r/x.json")],
            sent: None,
        },
    );
    for promise in [
        "we will",
        "We will",
        "will get in touch",
        "If you have not heard",
    ] {
        assert!(!text.contains(promise), "promises `{promise}`:\n{text}");
    }
    assert!(text.contains("Nothing has been sent yet"), "{text}");
    assert!(
        text.contains(&format!(
            "e-mail support@pawcore.com with \"{case}\" in the subject and attach the file /r/x.json"
        )),
        "{text}"
    );
    assert!(
        text.contains("Your report: /r/x.html (open it in your web browser to read it); the file to send is /r/x.json."),
        "{text}"
    );
}

#[test]
fn once_sent_it_says_where_and_that_support_will_get_in_touch() {
    let r = replace_report("PT-24A0-0001", 0);
    let text = ending::customer(
        &r,
        &Handover {
            saved: vec![PathBuf::from("/r/x.json")],
            sent: Some("ticket #1042".into()),
        },
    );
    assert!(
        text.contains("has been sent to PawCore support (ticket #1042)"),
        "{text}"
    );
    assert!(
        text.contains("will get in touch; we aim to have it sorted by"),
        "{text}"
    );
    assert!(!text.contains("Nothing has been sent yet"), "{text}");
    assert!(!text.contains("attach the file"), "{text}");
}
