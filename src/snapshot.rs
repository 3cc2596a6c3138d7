//! A device's state read in one pass: identity first (it proves the device
//! speaks the protocol), then everything else pipelined. `info`, the bench
//! sweep and reports use it.

use crate::client::{Call, CallError, Client};
use crate::flow::finding::Finding;
use crate::flow::findings_eval::{self, Sources};
use crate::flow::load::FlowSet;
use crate::interface::methods::{BatteryStatus, DeviceInfo, LogRead, Selftest, TestStatus};
use crate::interface::model::{FirmwareStatus, INTERFACE_VERSION, Model, firmware_status};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What to read besides identity.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotOptions {
    /// Run the self-test (up to 5 s).
    pub selftest: bool,
    /// Read the device log.
    pub log: bool,
    /// Read the model's own status methods.
    pub status: bool,
}

impl Default for SnapshotOptions {
    fn default() -> Self {
        Self {
            selftest: true,
            log: true,
            status: true,
        }
    }
}

/// Firmware against the current release.
#[derive(Debug, Clone, Serialize)]
pub struct Firmware {
    /// What the device runs.
    pub version: String,
    /// The current release for its model, when the model is known.
    pub current: Option<String>,
    /// How they compare.
    pub status: FirmwareStatus,
}

/// Everything read from one device.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// `device.info`.
    pub info: DeviceInfo,
    /// The model, when it is one of ours.
    pub model: Option<Model>,
    /// Firmware against the current release.
    pub firmware: Firmware,
    /// `battery.status`.
    pub battery: Option<BatteryStatus>,
    /// `selftest.run`.
    pub selftest: Option<Selftest>,
    /// `log.read`.
    pub log: Option<LogRead>,
    /// The model's own status methods, raw, by method.
    pub status: BTreeMap<String, Value>,
    /// Methods that failed, with the reason.
    pub errors: BTreeMap<String, String>,
    /// Methods the device answered with a hardware fault (-32020), with the
    /// fault's code: findings, like a failed self-test.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub faults: BTreeMap<String, String>,
    /// Things a reader should know (newer interface, unknown model…).
    pub warnings: Vec<String>,
    /// The link dropped (or the device fell silent) part-way: what was read
    /// before is kept, but the snapshot is incomplete.
    pub link_lost: Option<String>,
    /// The client's error behind `link_lost`, for classifying it.
    #[serde(skip)]
    pub link_error: Option<CallError>,
}

impl Snapshot {
    /// Everything read, as the finding rules see it (`None` for a model
    /// pawdiag does not know).
    pub fn sources(&self) -> Option<Sources> {
        let model = self.model?;
        let mut raw = self.status.clone();
        let typed = [
            ("device.info", serde_json::to_value(&self.info).ok()),
            (
                "battery.status",
                self.battery
                    .as_ref()
                    .and_then(|b| serde_json::to_value(b).ok()),
            ),
            (
                "selftest.run",
                self.selftest
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok()),
            ),
            (
                "log.read",
                self.log.as_ref().and_then(|l| serde_json::to_value(l).ok()),
            ),
        ];
        for (method, value) in typed {
            if let Some(v) = value {
                raw.insert(method.to_string(), v);
            }
        }
        let mut src = Sources::new(model, raw);
        src.faults = self
            .faults
            .iter()
            .map(|(m, c)| (m.clone(), c.clone()))
            .collect();
        Some(src)
    }

    /// The findings of the device as read (product safety first), by the
    /// rules of `flows`.
    pub fn findings(&self, flows: &FlowSet) -> Vec<Finding> {
        self.sources()
            .map(|src| findings_eval::evaluate(&flows.findings, &flows.safety, &src))
            .unwrap_or_default()
    }

    /// Self-test components that failed, with their codes.
    pub fn failed_components(&self) -> Vec<(&str, Option<&str>)> {
        self.selftest
            .iter()
            .flat_map(|s| s.results.iter())
            .filter(|r| r.status == TestStatus::Fail)
            .map(|r| (r.component.as_str(), r.code.as_deref()))
            .collect()
    }
}

/// Reads a snapshot. Only a failure of `device.info` is an error: anything
/// else that fails is recorded in [`Snapshot::errors`].
pub async fn read(client: &mut Client, opts: SnapshotOptions) -> Result<Snapshot, CallError> {
    let info: DeviceInfo = client.call_typed("device.info", None).await?;
    let model = Model::parse(&info.model);
    let mut warnings = Vec::new();
    if info.interface > INTERFACE_VERSION {
        warnings.push(format!(
            "the device speaks interface version {}; pawdiag knows version {INTERFACE_VERSION} and used only the methods it knows",
            info.interface
        ));
    }
    if model.is_none() {
        warnings.push(format!(
            "unknown model `{}`: only the methods every model has were read (update pawdiag to read the rest)",
            info.model.chars().take(40).collect::<String>()
        ));
    }
    let firmware = Firmware {
        version: info.fw_version.clone(),
        current: model.map(|m| m.current_firmware().to_string()),
        status: model.map_or(FirmwareStatus::Unknown, |m| {
            firmware_status(m, &info.fw_version)
        }),
    };

    let mut calls = vec![Call::new("battery.status")];
    if opts.selftest {
        calls.push(Call::new("selftest.run"));
    }
    if opts.log {
        calls.push(Call::with("log.read", serde_json::json!({ "max": 20 })));
    }
    if opts.status {
        if let Some(m) = model {
            calls.extend(m.status_methods().iter().map(|name| Call::new(name)));
        }
        calls.push(Call::new("settings.get"));
    }
    let results = client.call_many(&calls).await;

    let mut snap = Snapshot {
        info,
        model,
        firmware,
        battery: None,
        selftest: None,
        log: None,
        status: BTreeMap::new(),
        errors: BTreeMap::new(),
        faults: BTreeMap::new(),
        warnings,
        link_lost: None,
        link_error: None,
    };
    for (call, result) in calls.iter().zip(results) {
        let value = match result {
            Ok(v) => v,
            Err(e) => {
                if e.is_link() && snap.link_lost.is_none() {
                    snap.link_lost = Some(e.to_string());
                    snap.link_error = Some(e.clone());
                }
                if let CallError::Device { error, .. } = &e
                    && error.code == crate::interface::message::HARDWARE_FAULT
                    && let Some(code) = error.fault_code()
                {
                    snap.faults.insert(call.method.clone(), code.to_string());
                }
                snap.errors.insert(call.method.clone(), e.to_string());
                continue;
            }
        };
        let parsed = match call.method.as_str() {
            "battery.status" => serde_json::from_value(value).map(|v| snap.battery = Some(v)),
            "selftest.run" => serde_json::from_value(value).map(|v| snap.selftest = Some(v)),
            "log.read" => serde_json::from_value(value).map(|v| snap.log = Some(v)),
            other => {
                snap.status.insert(other.to_string(), value);
                Ok(())
            }
        };
        if let Err(e) = parsed {
            snap.errors
                .insert(call.method.clone(), format!("unreadable answer: {e}"));
        }
    }
    Ok(snap)
}
