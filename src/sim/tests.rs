//! Unit tests of the simulated firmware, driven with hand-made instants so
//! they are exact and fast: the bench they share. The protocol
//! (`tests_protocol.rs`), each device fault (`tests_faults.rs`, table-driven
//! over `FAULTS`), each link fault (`tests_links.rs`), added device states
//! (`tests_states.rs`).

use super::firmware::{Firmware, Output, REBOOT_DOWN};
use super::spec::SimSpec;
use crate::interface::Model;
use crate::interface::frame::{decode_line, encode_line};
use crate::interface::message::{self, Incoming};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A device and a clock.
pub(super) struct Bench {
    pub(super) fw: Firmware,
    pub(super) t: Instant,
    pub(super) next_id: u32,
    /// Every output so far.
    pub(super) log: Vec<Output>,
}

pub(super) fn spec(model: Model, faults: &[&str], link: &[&str]) -> SimSpec {
    SimSpec::new(model)
        .with_faults(faults)
        .unwrap()
        .with_link_faults(link)
        .unwrap()
}

/// The protocol messages among outputs (banner/log lines and corrupt lines skipped).
pub(super) fn messages(outs: &[Output]) -> Vec<Incoming> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Line { bytes, .. } => {
                let line = bytes.strip_suffix(b"\n")?;
                let json = decode_line(line).ok()?;
                message::parse_incoming(json).ok()
            }
            _ => None,
        })
        .collect()
}

pub(super) fn lines(outs: &[Output]) -> Vec<Vec<u8>> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Line { bytes, .. } => Some(bytes.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn request(id: u32, method: &str, params: Option<Value>) -> Vec<u8> {
    let req = message::Request {
        id,
        method: method.into(),
        params,
    };
    encode_line(&req.to_json()).unwrap()
}

impl Bench {
    pub(super) fn new(spec: &SimSpec) -> Self {
        let t = Instant::now();
        Self {
            fw: Firmware::new_at(spec, t),
            t,
            next_id: 1000,
            log: Vec::new(),
        }
    }

    pub(super) fn model(m: Model) -> Self {
        Self::new(&SimSpec::new(m))
    }

    pub(super) fn feed(&mut self, bytes: &[u8]) -> Vec<Output> {
        let out = self.fw.on_bytes(bytes, self.t);
        self.log.extend(out.clone());
        out
    }

    pub(super) fn advance(&mut self, d: Duration) -> Vec<Output> {
        self.t += d;
        let out = self.fw.poll(self.t);
        self.log.extend(out.clone());
        out
    }

    /// Sends a request with this id and waits (in simulated time, up to
    /// 12 s) for its answer.
    pub(super) fn call_id(
        &mut self,
        id: u32,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, message::RpcError> {
        let mut outs = self.feed(&request(id, method, params));
        for _ in 0..120 {
            for m in messages(&outs) {
                if let Incoming::Response { id: got, outcome } = m
                    && got == id
                {
                    return outcome;
                }
            }
            outs = self.advance(Duration::from_millis(100));
        }
        panic!("no answer to {method} (id {id})");
    }

    pub(super) fn call(
        &mut self,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, message::RpcError> {
        self.next_id += 1;
        self.call_id(self.next_id, method, params)
    }

    pub(super) fn ok(&mut self, method: &str, params: Option<Value>) -> Value {
        match self.call(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    pub(super) fn err(&mut self, method: &str, params: Option<Value>) -> message::RpcError {
        match self.call(method, params) {
            Ok(v) => panic!("{method} answered {v}, expected an error"),
            Err(e) => e,
        }
    }

    pub(super) fn events(&self, name: &str) -> Vec<Value> {
        messages(&self.log)
            .into_iter()
            .filter_map(|m| match m {
                Incoming::Event { name: n, data } if n == name => Some(data),
                _ => None,
            })
            .collect()
    }

    /// Lets a reboot finish.
    pub(super) fn wait_reboot(&mut self) {
        self.advance(REBOOT_DOWN + Duration::from_millis(10));
    }
}

pub(super) fn default_params(method: &str) -> Option<Value> {
    match method {
        "log.read" => Some(json!({"max": 5})),
        "settings.set" => Some(json!({})),
        "device.reboot" => Some(json!({"mode": "soft"})),
        "selftest.run" => None,
        _ => Some(json!({})),
    }
}
