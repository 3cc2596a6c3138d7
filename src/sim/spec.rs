//! What a simulated device is: its model, identity, device faults and link
//! faults, parsed from `sim:MODEL?fault=a,b&link=c&serial=…&fw=…`.

use super::faults::{LINK_FAULTS, faults_for};
use crate::interface::Model;
use std::fmt;

/// A simulated device.
#[derive(Debug, Clone, PartialEq)]
pub struct SimSpec {
    /// Which product.
    pub model: Model,
    /// Device faults, by name from [`FAULTS`](super::faults::FAULTS).
    pub faults: Vec<String>,
    /// Link faults, by name from [`LINK_FAULTS`].
    pub link_faults: Vec<String>,
    /// Serial number; a default per model when absent.
    pub serial: Option<String>,
    /// Firmware version; the current release (or an older one with
    /// `firmware-outdated`) when absent.
    pub fw_version: Option<String>,
}

/// A malformed simulator address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimSpecError {
    /// The model is not one of the three.
    #[error("unknown simulated model `{0}`")]
    UnknownModel(String),
    /// A fault that does not exist, or not for this model.
    #[error("unknown fault `{name}` for the simulated {model}")]
    UnknownFault {
        /// The name given.
        name: String,
        /// The model.
        model: Model,
    },
    /// A link fault that does not exist.
    #[error("unknown link fault `{0}`")]
    UnknownLinkFault(String),
    /// An option after `?` that is not known.
    #[error("unknown simulator option `{0}`")]
    UnknownOption(String),
    /// An option with nothing after `=` (or no `=`), or an empty list item.
    #[error("the simulator option `{0}` has no value")]
    EmptyValue(String),
    /// `?` with nothing after it.
    #[error("`?` is not followed by any option")]
    EmptyQuery,
    /// The same option twice.
    #[error("the simulator option `{0}` is given twice")]
    Repeated(String),
    /// A serial number with characters a serial cannot have, or too long.
    #[error("`{0}` is not a serial number")]
    BadSerial(String),
    /// A firmware version that is not `MAJOR.MINOR.PATCH`.
    #[error("`{0}` is not a firmware version")]
    BadVersion(String),
}

impl SimSpecError {
    /// What to type instead.
    pub fn hint(&self) -> String {
        match self {
            SimSpecError::UnknownModel(_) => {
                "use sim:pettracker, sim:healthmonitor or sim:smartcollar".into()
            }
            SimSpecError::UnknownFault { model, .. } => format!(
                "faults for the {model}: {} (see `pawdiag sim faults`)",
                faults_for(*model)
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            SimSpecError::UnknownLinkFault(_) => format!(
                "link faults: {}",
                LINK_FAULTS
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            SimSpecError::UnknownOption(_)
            | SimSpecError::EmptyValue(_)
            | SimSpecError::EmptyQuery
            | SimSpecError::Repeated(_) => {
                "options are fault=, link=, serial= and fw=, each once, joined with &, e.g. sim:pettracker?fault=gps-indoors&serial=PT-24A0-0009".into()
            }
            SimSpecError::BadSerial(_) => format!(
                "a serial is letters, digits and dashes, up to {MAX_SERIAL} characters, e.g. PT-24A0-0009"
            ),
            SimSpecError::BadVersion(_) => {
                "a firmware version is three numbers joined with dots, e.g. fw=2.4.1".into()
            }
        }
    }
}

/// Longest simulated serial number.
pub const MAX_SERIAL: usize = 32;

/// A serial number for a simulated device: letters, digits and dashes.
pub fn check_serial(s: &str) -> Result<String, SimSpecError> {
    let t = s.trim();
    if t.is_empty()
        || t.len() > MAX_SERIAL
        || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(SimSpecError::BadSerial(s.chars().take(40).collect()));
    }
    Ok(t.to_string())
}

/// A firmware version: `MAJOR.MINOR.PATCH`, each a number.
pub fn check_version(s: &str) -> Result<String, SimSpecError> {
    let t = s.trim();
    let parts: Vec<&str> = t.split('.').collect();
    let ok = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(t.to_string())
    } else {
        Err(SimSpecError::BadVersion(s.chars().take(40).collect()))
    }
}

impl SimSpec {
    /// A healthy device of this model.
    pub fn new(model: Model) -> Self {
        Self {
            model,
            faults: Vec::new(),
            link_faults: Vec::new(),
            serial: None,
            fw_version: None,
        }
    }

    /// Adds device faults, checking their names.
    pub fn with_faults<S: AsRef<str>>(mut self, names: &[S]) -> Result<Self, SimSpecError> {
        for n in names {
            let n = n.as_ref().trim();
            if n.is_empty() {
                continue;
            }
            if !faults_for(self.model).any(|f| f.name == n) {
                return Err(SimSpecError::UnknownFault {
                    name: n.into(),
                    model: self.model,
                });
            }
            if !self.faults.iter().any(|f| f == n) {
                self.faults.push(n.into());
            }
        }
        Ok(self)
    }

    /// Adds link faults, checking their names.
    pub fn with_link_faults<S: AsRef<str>>(mut self, names: &[S]) -> Result<Self, SimSpecError> {
        for n in names {
            let n = n.as_ref().trim();
            if n.is_empty() {
                continue;
            }
            if !LINK_FAULTS.iter().any(|f| f.name == n) {
                return Err(SimSpecError::UnknownLinkFault(n.into()));
            }
            if !self.link_faults.iter().any(|f| f == n) {
                self.link_faults.push(n.into());
            }
        }
        Ok(self)
    }

    /// Whether a device fault is set.
    pub fn has(&self, fault: &str) -> bool {
        self.faults.iter().any(|f| f == fault)
    }

    /// Whether a link fault is set.
    pub fn has_link(&self, fault: &str) -> bool {
        self.link_faults.iter().any(|f| f == fault)
    }

    /// Parses what follows `sim:`. Strict: an empty `?`, an option without
    /// a value, an empty list item, an option given twice, a malformed
    /// serial or firmware version are all refused.
    pub fn from_address(rest: &str) -> Result<Self, SimSpecError> {
        let (model, query) = match rest.split_once('?') {
            Some((_, "")) => return Err(SimSpecError::EmptyQuery),
            Some((m, q)) => (m, Some(q)),
            None => (rest, None),
        };
        let model = Model::parse(model).ok_or_else(|| SimSpecError::UnknownModel(model.into()))?;
        let mut spec = SimSpec::new(model);
        let mut seen: Vec<&str> = Vec::new();
        for pair in query.map(|q| q.split('&')).into_iter().flatten() {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = if key == "faults" { "fault" } else { key };
            if !matches!(name, "fault" | "link" | "serial" | "fw") {
                return Err(SimSpecError::UnknownOption(key.into()));
            }
            if seen.contains(&name) {
                return Err(SimSpecError::Repeated(name.into()));
            }
            seen.push(name);
            let list: Vec<&str> = value.split(',').map(str::trim).collect();
            if value.trim().is_empty() || list.iter().any(|v| v.is_empty()) {
                return Err(SimSpecError::EmptyValue(key.into()));
            }
            spec = match name {
                "fault" => spec.with_faults(&list)?,
                "link" => spec.with_link_faults(&list)?,
                "serial" => SimSpec {
                    serial: Some(check_serial(value)?),
                    ..spec
                },
                _ => SimSpec {
                    fw_version: Some(check_version(value)?),
                    ..spec
                },
            };
        }
        Ok(spec)
    }

    /// The text after `sim:` that gives this spec back.
    pub fn to_address(&self) -> String {
        let mut parts = Vec::new();
        if !self.faults.is_empty() {
            parts.push(format!("fault={}", self.faults.join(",")));
        }
        if !self.link_faults.is_empty() {
            parts.push(format!("link={}", self.link_faults.join(",")));
        }
        if let Some(s) = &self.serial {
            parts.push(format!("serial={s}"));
        }
        if let Some(v) = &self.fw_version {
            parts.push(format!("fw={v}"));
        }
        if parts.is_empty() {
            self.model.id().to_string()
        } else {
            format!("{}?{}", self.model.id(), parts.join("&"))
        }
    }
}

impl fmt::Display for SimSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sim:{}", self.to_address())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::faults::FAULTS;

    #[test]
    fn parses_faults_and_round_trips() {
        let s = SimSpec::from_address(
            "pettracker?fault=gps-antenna-open,battery-degraded&link=busy&serial=PT-24A0-0009",
        )
        .unwrap();
        assert_eq!(s.model, Model::PetTracker);
        assert_eq!(s.faults, vec!["gps-antenna-open", "battery-degraded"]);
        assert!(s.has_link("busy"));
        assert_eq!(SimSpec::from_address(&s.to_address()).unwrap(), s);
    }

    #[test]
    fn refuses_empty_and_malformed_options() {
        for (text, want) in [
            ("pettracker?", SimSpecError::EmptyQuery),
            (
                "pettracker?fault=",
                SimSpecError::EmptyValue("fault".into()),
            ),
            ("pettracker?fault", SimSpecError::EmptyValue("fault".into())),
            (
                "pettracker?fault=gps-indoors,",
                SimSpecError::EmptyValue("fault".into()),
            ),
            (
                "pettracker?serial=",
                SimSpecError::EmptyValue("serial".into()),
            ),
            (
                "pettracker?fw=notaversion",
                SimSpecError::BadVersion("notaversion".into()),
            ),
            ("pettracker?fw=2.4", SimSpecError::BadVersion("2.4".into())),
            (
                "pettracker?serial=PT 1",
                SimSpecError::BadSerial("PT 1".into()),
            ),
            (
                "pettracker?serial=a&serial=b",
                SimSpecError::Repeated("serial".into()),
            ),
            ("pettracker?&", SimSpecError::UnknownOption("".into())),
        ] {
            assert_eq!(SimSpec::from_address(text), Err(want), "{text}");
        }
        let ok = SimSpec::from_address("pettracker?fw=2.3.0&serial=PT-24A0-0009").unwrap();
        assert_eq!(ok.fw_version.as_deref(), Some("2.3.0"));
    }

    #[test]
    fn rejects_fault_of_another_model() {
        let e = SimSpec::from_address("smartcollar?fault=gps-antenna-open").unwrap_err();
        assert!(matches!(e, SimSpecError::UnknownFault { .. }));
        assert!(e.hint().contains("led-channel-open"));
    }

    #[test]
    fn every_self_test_code_has_a_fault() {
        for model in Model::ALL {
            for comp in model.components() {
                for code in Model::failure_codes(comp) {
                    assert!(
                        FAULTS.iter().any(|f| f.about.contains(code)),
                        "no simulator fault produces {code}"
                    );
                }
            }
        }
    }
}
