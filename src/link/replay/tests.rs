//! The replayed device on hand-made recordings: matching by method and
//! params, ids rewritten, repeats, retries, busy answers, link drops and
//! requests that were never recorded. (Recordings of the simulator are
//! replayed in `tests/replay.rs`.)

use super::*;
use crate::interface::frame::encode_line;
use crate::link::recording::Frame;
use serde_json::json;

fn line(v: Value) -> String {
    String::from_utf8(encode_line(&v.to_string()).unwrap())
        .unwrap()
        .trim_end()
        .to_string()
}

fn frame(kind: FrameKind) -> Frame {
    Frame {
        t_ms: 0.0,
        kind,
        altered: false,
    }
}

fn tx(id: u32, method: &str, params: Option<Value>) -> Frame {
    let mut v = json!({"id": id, "method": method});
    if let Some(p) = params {
        v["params"] = p;
    }
    frame(FrameKind::Tx(line(v)))
}

fn rx(v: Value) -> Frame {
    frame(FrameKind::Rx(line(v)))
}

async fn ask(t: &mut ReplayTransport, id: u32, method: &str, params: Option<Value>) -> Vec<Value> {
    let mut v = json!({"id": id, "method": method});
    if let Some(p) = params {
        v["params"] = p;
    }
    t.write(&encode_line(&v.to_string()).unwrap())
        .await
        .unwrap();
    drain(t).await
}

async fn drain(t: &mut ReplayTransport) -> Vec<Value> {
    let mut got = Vec::new();
    while !t.quiet_until_written() {
        match t.read().await {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).unwrap();
                let l = text.trim_end();
                got.push(match decode_line(l.as_bytes()) {
                    Ok(json) => serde_json::from_str(json).unwrap(),
                    Err(_) => json!({"log": l}),
                });
            }
            Err(e) => got.push(json!({"down": e.to_string()})),
        }
    }
    got
}

fn recording(frames: Vec<Frame>) -> Recording {
    Recording {
        address: "sim:pettracker".into(),
        frames,
        ..Recording::default()
    }
}

#[tokio::test]
async fn answers_by_method_and_params_with_the_new_id() {
    let rec = recording(vec![
        frame(FrameKind::Rx("[boot] PawCore PT fw 2.4.1".into())),
        tx(100, "battery.status", None),
        tx(101, "log.read", Some(json!({"max": 30}))),
        rx(json!({"id": 101, "result": {"entries": []}})),
        rx(json!({"id": 100, "result": {"level_pct": 78}})),
        rx(json!({"id": 999, "result": {"stale": true}})),
    ]);
    let mut t = ReplayTransport::new(&rec, "replay:x");
    assert!(t.expects_banner());
    assert_eq!(
        drain(&mut t).await,
        vec![json!({"log": "[boot] PawCore PT fw 2.4.1"})]
    );
    assert_eq!(
        ask(&mut t, 7, "log.read", Some(json!({"max": 30}))).await,
        vec![json!({"id": 7, "result": {"entries": []}})]
    );
    assert_eq!(
        ask(&mut t, 8, "battery.status", Some(json!({}))).await,
        vec![json!({"id": 8, "result": {"level_pct": 78}})]
    );
    // Other params were never recorded: an error, never an invented answer.
    let got = ask(&mut t, 9, "log.read", Some(json!({"max": 5}))).await;
    assert_eq!(got[0]["error"]["code"], NOT_RECORDED);
    assert!(
        got[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not in the recording: log.read")
    );
    assert_eq!(t.not_recorded(), ["log.read {\"max\":5}"]);
}

#[tokio::test]
async fn repeated_requests_follow_the_recording_then_keep_the_last_answer() {
    let rec = recording(vec![
        tx(1, "gps.status", None),
        rx(json!({"id": 1, "result": {"satellites": 2}})),
        tx(2, "gps.status", None),
        rx(json!({"id": 2, "result": {"satellites": 9}})),
    ]);
    let mut t = ReplayTransport::new(&rec, "replay:x");
    let sats = |v: Vec<Value>| v[0]["result"]["satellites"].clone();
    assert_eq!(sats(ask(&mut t, 50, "gps.status", None).await), 2);
    assert_eq!(sats(ask(&mut t, 51, "gps.status", None).await), 9);
    assert_eq!(sats(ask(&mut t, 52, "gps.status", None).await), 9);
    assert!(t.not_recorded().is_empty());
}

#[tokio::test]
async fn busy_then_result_and_a_resent_id_gets_the_same_answer() {
    let rec = recording(vec![
        tx(1, "selftest.run", None),
        rx(json!({"id": 1, "error": {"code": -32000, "message": "busy", "data": {"retry_ms": 5}}})),
        tx(1, "selftest.run", None),
        rx(json!({"event": "selftest.progress", "data": {"done": 1, "total": 1}})),
        rx(json!({"id": 1, "result": {"results": []}})),
    ]);
    let mut t = ReplayTransport::new(&rec, "replay:x");
    let first = ask(&mut t, 40, "selftest.run", None).await;
    assert_eq!(
        first,
        vec![
            json!({"id": 40, "error": {"code": -32000, "message": "busy", "data": {"retry_ms": 5}}})
        ]
    );
    let second = ask(&mut t, 40, "selftest.run", None).await;
    assert_eq!(second[0]["event"], "selftest.progress");
    assert_eq!(second[1], json!({"id": 40, "result": {"results": []}}));
    // The device's replay cache: the same id, the same (last) answer.
    assert_eq!(
        ask(&mut t, 40, "selftest.run", None).await,
        vec![second[1].clone()]
    );
}

#[tokio::test]
async fn a_reboot_drops_the_link_and_it_comes_back_only_if_it_did() {
    let rec = recording(vec![
        tx(1, "device.reboot", Some(json!({"mode": "soft"}))),
        rx(json!({"id": 1, "result": {"ok": true}})),
        frame(FrameKind::Down("restart".into())),
        frame(FrameKind::Up),
        frame(FrameKind::Rx("[boot] again".into())),
        tx(2, "device.info", None),
        frame(FrameKind::Down("unplugged".into())),
        frame(FrameKind::Gone("no device".into())),
    ]);
    let mut t = ReplayTransport::new(&rec, "replay:x");
    let got = ask(&mut t, 9, "device.reboot", Some(json!({"mode": "soft"}))).await;
    assert_eq!(got[0], json!({"id": 9, "result": {"ok": true}}));
    assert!(got[1]["down"].as_str().unwrap().contains("restart"));
    assert!(t.reconnect(Duration::from_secs(1)).await.is_ok());
    assert_eq!(got[2], json!({"log": "[boot] again"}));
    let got = ask(&mut t, 10, "device.info", None).await;
    assert!(got[0]["down"].is_string());
    assert!(t.reconnect(Duration::from_secs(1)).await.is_err());
}

#[tokio::test]
async fn a_redacted_line_is_replayed_as_written_with_a_fresh_checksum() {
    let mut answer = frame(FrameKind::Rx(
        r#"{"id":3,"result":{"fix":"3d","lat":52.52,"geofences":[{"name":"(hidden)"}]}}*1A2B"#
            .into(),
    ));
    answer.altered = true;
    let corrupt = frame(FrameKind::Rx(
        r#"{"id":3,"result":{"fix":"none"}}*1A2B"#.into(),
    ));
    let rec = recording(vec![tx(3, "gps.status", None), corrupt, answer]);
    let mut t = ReplayTransport::new(&rec, "replay:x");
    let got = ask(&mut t, 77, "gps.status", None).await;
    assert_eq!(got.len(), 1, "the corrupt line is not replayed: {got:?}");
    assert_eq!(got[0]["result"]["lat"], json!(52.52));
    assert_eq!(got[0]["id"], 77);
}

#[tokio::test]
async fn a_garbled_request_gets_a_frame_error_and_closing_ends_it() {
    let mut t = ReplayTransport::new(&recording(vec![]), "replay:x");
    t.write(b"{\"id\":1}*0000\n").await.unwrap();
    let got = drain(&mut t).await;
    assert_eq!(got[0]["error"]["code"], FRAME_ERROR);
    t.close().await;
    assert!(t.read().await.is_err());
    assert!(t.write(b"x\n").await.is_err());
}
