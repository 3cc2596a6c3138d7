//! `batch --resume` and report names: finished work is keyed by the device's
//! serial number and the flow, not by the port or address it was reached
//! at, so a different device on the same port is run, and a device that
//! moved to another port is not run twice. Report names follow the serial
//! too, so one device's report is never overwritten by another's.

use super::jobs::report_stem;
use crate::client::Client;
use crate::report::model::Report;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How a flow is keyed: its id, or `sweep` for the full sweep (whose
/// reports carry `MODEL/sweep`).
pub fn flow_key(flow: Option<&str>) -> String {
    match flow {
        None => "sweep".into(),
        Some(f) if f.ends_with("/sweep") => "sweep".into(),
        Some(f) => f.to_string(),
    }
}

/// A finished report found in the output directory.
pub struct Done {
    /// Where it is.
    pub path: PathBuf,
    /// What it says.
    pub report: Report,
}

/// The finished work in an output directory, by (serial, flow). Each entry
/// is handed out once, so two rows of one simulated serial each get theirs.
#[derive(Default)]
pub struct Finished {
    by_key: Mutex<HashMap<(String, String), Vec<Done>>>,
}

impl Finished {
    /// Reads every report in `dir` that `finished` accepts (bounded: reports
    /// are small; anything else is skipped).
    pub fn scan(dir: &Path, finished: impl Fn(&Report) -> bool) -> Self {
        let mut by_key: HashMap<(String, String), Vec<Done>> = HashMap::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Self::default();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let too_big = std::fs::metadata(&path).map_or(true, |m| m.len() > 64 * 1024 * 1024);
            if too_big {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(report) = crate::report::load(&bytes) else {
                continue;
            };
            if report.device.serial.trim().is_empty() || !finished(&report) {
                continue;
            }
            let key = (
                report.device.serial.trim().to_ascii_uppercase(),
                flow_key(Some(&report.session.flow_id)),
            );
            by_key.entry(key).or_default().push(Done { path, report });
        }
        Self {
            by_key: Mutex::new(by_key),
        }
    }

    /// The finished work of `serial` for `flow`, taken out of the index.
    pub fn take(&self, serial_number: &str, flow: Option<&str>) -> Option<Done> {
        let key = (serial_number.trim().to_ascii_uppercase(), flow_key(flow));
        let mut map = self.by_key.lock().unwrap_or_else(|p| p.into_inner());
        let list = map.get_mut(&key)?;
        let done = list.pop();
        if list.is_empty() {
            map.remove(&key);
        }
        done
    }
}

impl Finished {
    /// The finished work of the device behind `client` for `flow`, by the
    /// serial number its `device.info` gives now.
    pub async fn take_asking(&self, client: &mut Client, flow: Option<&str>) -> Option<Done> {
        let info = client.call("device.info", None).await.ok()?;
        self.take(info.get("serial")?.as_str()?, flow)
    }
}

/// Report names handed out in this run, so two jobs never share one.
#[derive(Default)]
pub struct Names {
    taken: Mutex<HashSet<PathBuf>>,
}

impl Names {
    /// Names taken before the run starts (names fixed from the manifest).
    pub fn reserve(&self, path: &Path) {
        self.taken
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }

    /// The report path of a device identified as `serial_number`:
    /// `[TICKET_]SERIAL_FLOW.json` in `out`, with `_L<line>` when another job
    /// of this run has that name already.
    pub fn claim(
        &self,
        out: &Path,
        ticket: Option<&str>,
        serial_number: &str,
        flow: Option<&str>,
        line: usize,
    ) -> PathBuf {
        let stem = report_stem(ticket, &serial_number.to_ascii_uppercase(), flow);
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        let plain = out.join(format!("{stem}.json"));
        let path = if taken.contains(&plain) {
            out.join(format!("{stem}_L{line}.json"))
        } else {
            plain
        };
        taken.insert(path.clone());
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_key_the_sweep_by_name() {
        assert_eq!(flow_key(None), "sweep");
        assert_eq!(flow_key(Some("pettracker/sweep")), "sweep");
        assert_eq!(
            flow_key(Some("pettracker/gps-not-working")),
            "pettracker/gps-not-working"
        );
    }

    #[test]
    fn names_follow_the_serial_and_never_collide() {
        let names = Names::default();
        let out = Path::new("/out");
        let a = names.claim(out, Some("T 1"), "pt-24a0-0001", None, 2);
        assert_eq!(a, Path::new("/out/T-1_PT-24A0-0001_sweep.json"));
        let b = names.claim(out, Some("T 1"), "PT-24A0-0001", None, 5);
        assert_eq!(b, Path::new("/out/T-1_PT-24A0-0001_sweep_L5.json"));
        let c = names.claim(out, None, "../../x", Some("pettracker/gps"), 3);
        assert_eq!(c, Path::new("/out/X_pettracker-gps.json"));
    }
}
