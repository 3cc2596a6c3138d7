//! Record and replay. Every flow scenario is run against the simulator
//! through a recording transport, exactly as `diagnose --record` does; its
//! recording and its report are then replayed with no device at all, and
//! must reach the same verdict (outcome kind and code). The scenarios
//! include link faults (drops, reboots, corruption, busy, vanishing), so
//! replays meet retries, reconnects and timeouts as recorded. Also: a
//! request never recorded is "not in the recording", never invented.

#![allow(clippy::unwrap_used)]

use pawdiag::diagnose;
use pawdiag::flow::answers::AnswersAsker;
use pawdiag::flow::load::{FileSet, FlowSet};
use pawdiag::handoff::retest::{self, Status};
use pawdiag::handoff::source::{self, Summary, Verdict};
use pawdiag::link::record::{Recorder, RecordingTransport};
use pawdiag::report::{self, BuildOptions, CustomerInfo, Format};
use pawdiag::scenario::{self, Scenario, ScenarioOptions};
use pawdiag::sim::SimTransport;
use std::path::Path;

/// Runs a scenario live with a recording; writes `<name>.jsonl` (the
/// recording) and `<name>.json` (the report, private) into `dir`.
async fn record(sc: &Scenario, set: &FlowSet, dir: &Path) -> Verdict {
    let name = sc.name.replace('/', "_");
    let rec_path = dir.join(format!("{name}.jsonl"));
    let rec = Recorder::create(&rec_path, &sc.spec.to_string()).unwrap();
    let transport = RecordingTransport::new(Box::new(SimTransport::start(&sc.spec)), rec.clone());
    let scenario = ScenarioOptions::default();
    let client = scenario.client(Box::new(transport));
    let mut asker = AnswersAsker::from_map(&sc.file, sc.answers.clone());
    let opts = scenario.run_options();
    let d = diagnose::diagnose(client, set, Some(&sc.flow), &mut asker, &opts)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", sc.name));
    let rep = d
        .report(
            &CustomerInfo::default(),
            BuildOptions {
                include_personal_data: false,
                now: d.session.started_at,
            },
        )
        .unwrap();
    rec.finish(serde_json::to_value(Summary::of_session(&d.session, &rep)).unwrap());
    assert_eq!(rec.error(), None);
    report::write_atomic(&dir.join(format!("{name}.json")), &rep, Format::Json).unwrap();
    Verdict::of(&rep)
}

fn scenarios(set: &FlowSet) -> Vec<Scenario> {
    let files = FileSet::embedded();
    files
        .scenarios()
        .map(|f| scenario::parse(f, set).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_replays_to_the_same_verdict_from_its_recording_and_its_report() {
    use futures_util::stream::{self, StreamExt};
    let set = FlowSet::load(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let all = scenarios(&set);
    assert!(all.len() > 100, "{}", all.len());
    let live: Vec<(String, Verdict)> = stream::iter(&all)
        .map(|sc| {
            let (set, dir) = (&set, dir.path());
            async move { (sc.name.replace('/', "_"), record(sc, set, dir).await) }
        })
        .buffer_unordered(8)
        .collect()
        .await;

    // No device from here on: the directory of recordings and reports.
    let results = retest::retest_dir(dir.path(), &set, 8, |_| {})
        .await
        .unwrap();
    assert_eq!(results.len(), 2 * all.len());
    let mut wrong = Vec::new();
    for r in &results {
        let stem = Path::new(&r.file).file_stem().unwrap().to_string_lossy();
        let (_, want) = live.iter().find(|(n, _)| *n == stem).unwrap();
        // A report keeps positions rounded for privacy: the safe-zone walk,
        // which decides on the position, is not compared from a report
        // (its recording is, above and below).
        let position = r.file.ends_with(".json")
            && r.status == Status::Error
            && r.problem
                .as_deref()
                .is_some_and(|p| p.contains("rests on the tracker's position"));
        if position {
            continue;
        }
        if r.status != Status::Same || r.after.as_ref() != Some(want) {
            wrong.push(format!(
                "{}: live {want}, recorded {:?}, replayed {:?} ({:?}; not in the recording: {:?})",
                r.file, r.before, r.after, r.problem, r.not_in_recording
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn a_request_never_recorded_cannot_be_checked_and_nothing_is_invented() {
    let set = FlowSet::load(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sc = scenarios(&set)
        .into_iter()
        .find(|s| s.name.ends_with("gps-not-working--antenna-open"))
        .unwrap();
    record(&sc, &set, dir.path()).await;
    // Edit the recording: drop every gps.status exchange.
    let path = dir
        .path()
        .join(format!("{}.jsonl", sc.name.replace('/', "_")));
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("gps.status") && !l.contains("\\\"satellites\\\""))
        .collect();
    std::fs::write(&path, kept.join("\n")).unwrap();
    let src = source::load(&path).unwrap();
    let r = retest::retest(&src, &set).await;
    assert_eq!(r.not_in_recording, vec!["gps.status".to_string()], "{r:?}");
    // Checks that needed the GPS status could not tell; the verdict still
    // comes from what was recorded (the self-test), or the walk says it
    // could not go on: never a made-up satellite count.
    assert!(r.after.is_some(), "{r:?}");
}
