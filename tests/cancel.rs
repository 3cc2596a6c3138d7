//! The client under a stop request, against a device that never answers
//! (so every request stays on the wire): reads are abandoned at once, a
//! request that changes the device and is already sent is let finish, no
//! new request goes out after the stop, and a second request abandons
//! everything.

use futures_util::future::BoxFuture;
use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::client::{CallError, Client, ClientOptions, Direction};
use pawdiag::flow::engine::{ActionReply, Answer, AskError, PollControl, Prompt};
use pawdiag::sim::{SimSpec, SimTransport};
use std::time::Duration;

fn silent_client(cancel: &Cancel) -> Client {
    let spec = SimSpec::from_address("pettracker?link=silent").expect("spec");
    let mut c = Client::new(
        Box::new(SimTransport::start(&spec)),
        ClientOptions::default(),
    );
    c.set_cancel(cancel.clone());
    c
}

fn trip_after(cancel: &Cancel, ms: u64, times: u32) {
    let c = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        for _ in 0..times {
            c.request(StopSignal::Terminate);
        }
    });
}

fn sent(client: &Client, method: &str) -> usize {
    client
        .transcript()
        .entries()
        .iter()
        .filter(|e| e.dir == Direction::Tx && e.text.contains(method))
        .count()
}

#[tokio::test]
async fn a_read_on_the_wire_is_abandoned_at_once() {
    let cancel = Cancel::new();
    let mut c = silent_client(&cancel);
    trip_after(&cancel, 50, 1);
    let r = c.call("battery.status", None).await;
    assert!(matches!(r, Err(CallError::Cancelled { .. })), "{r:?}");
    // Sent once, never retried after the stop.
    assert_eq!(sent(&c, "battery.status"), 1);
}

#[tokio::test]
async fn a_change_on_the_wire_is_let_finish_and_nothing_new_is_sent() {
    let cancel = Cancel::new();
    let mut c = silent_client(&cancel);
    trip_after(&cancel, 50, 1);
    let r = c
        .call(
            "settings.set",
            Some(serde_json::json!({ "power_mode": "saver" })),
        )
        .await;
    // Not abandoned: it ran its course (here: the device never answered).
    assert!(matches!(r, Err(CallError::Timeout { .. })), "{r:?}");
    assert!(sent(&c, "settings.set") > 1, "retried with its id");
    // After the stop, nothing new goes out.
    let r = c.call("gps.cold_start", None).await;
    assert!(matches!(r, Err(CallError::Cancelled { .. })), "{r:?}");
    assert_eq!(sent(&c, "gps.cold_start"), 0);
}

#[tokio::test]
async fn a_second_request_abandons_even_a_change() {
    let cancel = Cancel::new();
    let mut c = silent_client(&cancel);
    trip_after(&cancel, 50, 2);
    let r = c
        .call(
            "settings.set",
            Some(serde_json::json!({ "power_mode": "saver" })),
        )
        .await;
    assert!(matches!(r, Err(CallError::Cancelled { .. })), "{r:?}");
    assert_eq!(sent(&c, "settings.set"), 1);
}

#[tokio::test]
async fn waiting_for_an_event_ends_at_once() {
    let cancel = Cancel::new();
    let mut c = silent_client(&cancel);
    trip_after(&cancel, 50, 1);
    let r = c.wait_event("gps.fix", Duration::from_secs(600)).await;
    assert!(matches!(r, Err(CallError::Cancelled { .. })), "{r:?}");
}

/// Answers from a map, and trips the stop the first time the device is
/// polled: the stop arrives in the middle of a verification, every time.
struct StopWhilePolling {
    answers: pawdiag::flow::answers::AnswersAsker,
    cancel: Cancel,
}

impl pawdiag::flow::engine::Asker for StopWhilePolling {
    fn mode(&self) -> pawdiag::flow::session::RunMode {
        self.answers.mode()
    }
    fn say<'a>(&'a mut self, p: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        self.answers.say(p)
    }
    fn ask<'a>(&'a mut self, p: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        self.answers.ask(p)
    }
    fn consent<'a>(&'a mut self, p: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        self.answers.consent(p)
    }
    fn action<'a>(
        &'a mut self,
        p: &'a Prompt<'a>,
        verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        self.answers.action(p, verified)
    }
    fn progress<'a>(
        &'a mut self,
        p: &'a Prompt<'a>,
        text: &'a str,
        elapsed: Duration,
        limit: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        self.cancel.request(StopSignal::Terminate);
        self.answers.progress(p, text, elapsed, limit)
    }
}

#[tokio::test]
async fn a_stop_during_a_poll_ends_the_diagnosis_there_with_no_fix_started() {
    use pawdiag::flow::answers::AnswersAsker;
    use pawdiag::flow::engine::RunOptions;
    use pawdiag::flow::load::FlowSet;
    use pawdiag::flow::session::StopKind;
    let flows = FlowSet::load(None).expect("flows");
    let spec = SimSpec::from_address("pettracker?fault=gps-stale-almanac").expect("spec");
    let client = Client::new(
        Box::new(SimTransport::start(&spec)),
        ClientOptions::default(),
    );
    let cancel = Cancel::new();
    let mut asker = StopWhilePolling {
        answers: AnswersAsker::from_map(
            "test",
            [
                ("safety.hazard", "no"),
                ("outdoor", "done"),
                ("cold-start", "yes"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ),
        cancel: cancel.clone(),
    };
    let opts = RunOptions {
        cancel: cancel.clone(),
        ..RunOptions::default()
    };
    let started = std::time::Instant::now();
    let d = pawdiag::diagnose::diagnose(
        client,
        &flows,
        Some("pettracker/gps-not-working"),
        &mut asker,
        &opts,
    )
    .await
    .expect("a diagnosis");
    let stopped = d.session.stopped.expect("stopped");
    assert_eq!(stopped.kind, StopKind::Interrupted);
    assert_eq!(stopped.signal.as_deref(), Some("SIGTERM"));
    assert_eq!(stopped.at_node, "outdoor");
    // The two-minute poll did not run its course.
    assert!(started.elapsed() < Duration::from_secs(60), "not at once");
    assert!(
        !d.transcript
            .iter()
            .any(|e| e.dir == Direction::Tx && e.text.contains("gps.cold_start")),
        "no fix after the stop"
    );
}
