//! The client under a stop request, against a device that never answers
//! (so every request stays on the wire): reads are abandoned at once, a
//! request that changes the device and is already sent is let finish, no
//! new request goes out after the stop, and a second request abandons
//! everything.

use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::client::{CallError, Client, ClientOptions, Direction};
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
