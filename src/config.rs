//! Settings a person sets once instead of on every command line: default
//! audience, report directory, technician name, station id, `--jobs`, the
//! answer timeout, and the helpdesk reports are sent to (its credentials
//! come from the environment only, and are never shown). They come from a TOML file in the platform's config
//! directory (or the file named by `PAWDIAG_CONFIG`), from `PAWDIAG_*`
//! environment variables, and from command-line flags, in rising order of
//! precedence. Every effective value remembers where it came from so
//! `pawdiag config show` can explain it.
//!
//! Nothing here prints; errors carry the file, line and column and a hint.

use serde::{Deserialize, Deserializer, Serialize};
use std::path::{Path, PathBuf};

/// Environment variable naming the config file (tests, several stations on
/// one machine).
pub const ENV_CONFIG: &str = "PAWDIAG_CONFIG";
/// Environment variable for the audience.
pub const ENV_AUDIENCE: &str = "PAWDIAG_AUDIENCE";
/// Environment variable for the report directory.
pub const ENV_REPORT_DIR: &str = "PAWDIAG_REPORT_DIR";
/// Environment variable for the technician's name.
pub const ENV_TECHNICIAN: &str = "PAWDIAG_TECHNICIAN";
/// Environment variable for the station id.
pub const ENV_STATION: &str = "PAWDIAG_STATION";
/// Environment variable for the default number of devices run at once.
pub const ENV_JOBS: &str = "PAWDIAG_JOBS";
/// Environment variable for the default answer timeout slack.
pub const ENV_TIMEOUT_MS: &str = "PAWDIAG_TIMEOUT_MS";

use crate::helpdesk::auth::AuthPresence;
pub use crate::helpdesk::auth::{
    ENV_PASSWORD as ENV_HELPDESK_PASSWORD, ENV_QUEUE as ENV_HELPDESK_QUEUE,
    ENV_TOKEN as ENV_HELPDESK_TOKEN, ENV_URL as ENV_HELPDESK_URL, ENV_USER as ENV_HELPDESK_USER,
};
use crate::helpdesk::url::DEFAULT_QUEUE;
pub use crate::helpdesk::url::{check_helpdesk_url, check_queue};
pub use crate::report::Audience;

/// Built-in number of devices `batch` runs at once.
pub const DEFAULT_JOBS: usize = 8;
/// Most devices run at once; more would only exhaust file descriptors.
pub const MAX_JOBS: usize = 256;
/// Built-in slack added to every answer time, in milliseconds (as `--timeout-ms`).
pub const DEFAULT_TIMEOUT_MS: u64 = 250;
/// Largest accepted answer-time slack: a minute is already far beyond any
/// answer time in the interface.
pub const MAX_TIMEOUT_MS: u64 = 60_000;
/// Longest technician name or station id; they are printed in reports.
pub const MAX_NAME_LEN: usize = 100;

/// The config file as written: every key optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// `customer` or `technician`.
    #[serde(default)]
    pub audience: Option<Audience>,
    /// Where reports go; relative paths are taken from the config file's directory.
    #[serde(default)]
    pub report_dir: Option<PathBuf>,
    /// The technician's name, written into reports.
    #[serde(default, deserialize_with = "name")]
    pub technician: Option<String>,
    /// The station id, written into reports.
    #[serde(default, deserialize_with = "name")]
    pub station: Option<String>,
    /// Devices run at once by `batch` (and multi-device `diagnose`).
    #[serde(default, deserialize_with = "jobs")]
    pub jobs: Option<usize>,
    /// Slack added to every answer time, in milliseconds.
    #[serde(default, deserialize_with = "timeout_ms")]
    pub timeout_ms: Option<u64>,
    /// The helpdesk reports are sent to (Request Tracker's web address).
    #[serde(default, deserialize_with = "crate::helpdesk::url::de_url")]
    pub helpdesk_url: Option<String>,
    /// The helpdesk queue new tickets go to.
    #[serde(default, deserialize_with = "crate::helpdesk::url::de_queue")]
    pub helpdesk_queue: Option<String>,
    /// Never accepted: a credential in the file is an error that names the
    /// environment variables to use instead.
    #[serde(
        default,
        deserialize_with = "crate::helpdesk::url::de_no_credentials",
        alias = "helpdesk_user",
        alias = "helpdesk_password"
    )]
    pub helpdesk_token: Option<()>,
}

fn name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_name(&s).map(Some).map_err(serde::de::Error::custom)
}

fn jobs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let n = i64::deserialize(d)?;
    check_jobs(n).map(Some).map_err(serde::de::Error::custom)
}

fn timeout_ms<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let n = i64::deserialize(d)?;
    check_timeout(n).map(Some).map_err(serde::de::Error::custom)
}

/// A technician name or station id: printable, not empty, bounded, because
/// it is written into reports that others read.
pub fn check_name(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("must not be empty (leave the key out instead)".into());
    }
    if t.chars().count() > MAX_NAME_LEN {
        return Err(format!("is longer than {MAX_NAME_LEN} characters"));
    }
    if t.chars().any(char::is_control) {
        return Err("contains control characters".into());
    }
    Ok(t.to_string())
}

/// A `jobs` value: 1 to [`MAX_JOBS`].
pub fn check_jobs(n: i64) -> Result<usize, String> {
    if (1..=MAX_JOBS as i64).contains(&n) {
        Ok(n as usize)
    } else {
        Err(format!("jobs must be between 1 and {MAX_JOBS}, not {n}"))
    }
}

/// A `timeout_ms` value: 0 to [`MAX_TIMEOUT_MS`].
pub fn check_timeout(n: i64) -> Result<u64, String> {
    if (0..=MAX_TIMEOUT_MS as i64).contains(&n) {
        Ok(n as u64)
    } else {
        Err(format!(
            "timeout_ms must be between 0 and {MAX_TIMEOUT_MS}, not {n}"
        ))
    }
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("cannot read the config file {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has a bad value.
    #[error("the config file {}:{line}:{col} is malformed: {message}", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// An environment variable has a bad value.
    #[error("the environment variable {var} has a bad value: {message}")]
    Env {
        /// The variable.
        var: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl ConfigError {
    /// What a person can do about it.
    pub fn hint(&self) -> String {
        match self {
            ConfigError::Read { .. } => format!(
                "check the file's permissions, or point {ENV_CONFIG} at another file"
            ),
            ConfigError::Parse { .. } => "keys are audience, report_dir, technician, station, jobs, timeout_ms, helpdesk_url and helpdesk_queue, e.g. `jobs = 8`; fix the line or move the file aside (`pawdiag config path` prints where it is)".into(),
            ConfigError::Env { var, .. } => format!("unset {var} or give it a valid value"),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// Parses config text; `path` is only used in errors.
pub fn parse(text: &str, path: &Path) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            col,
            message: e.message().trim().to_string(),
        }
    })
}

/// Where the config file is by default (`…/pawdiag/config.toml` in the
/// platform's config directory).
pub fn default_path() -> Option<PathBuf> {
    crate::platform::project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Where pawdiag keeps its own data (guide journals, default reports).
pub fn data_dir() -> PathBuf {
    crate::platform::project_dirs()
        .map_or_else(|| PathBuf::from(".pawdiag"), |d| d.data_dir().to_path_buf())
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Built in.
    Default,
    /// The config file.
    File,
    /// An environment variable.
    Env(&'static str),
    /// A command-line flag.
    Flag,
}

impl Source {
    /// `default`, `file`, `env` or `flag`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::File => "file",
            Source::Env(_) => "env",
            Source::Flag => "flag",
        }
    }
}

/// An effective value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

impl<T> Setting<T> {
    fn new(value: T, source: Source) -> Self {
        Self { value, source }
    }

    fn apply(&mut self, value: Option<T>, source: Source) {
        if let Some(v) = value {
            self.value = v;
            self.source = source;
        }
    }
}

/// Values given on the command line; `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--audience`.
    pub audience: Option<Audience>,
    /// `--report-dir` / `--out`.
    pub report_dir: Option<PathBuf>,
    /// `--technician`.
    pub technician: Option<String>,
    /// `--station`.
    pub station: Option<String>,
    /// `--jobs`.
    pub jobs: Option<usize>,
    /// `--timeout-ms`.
    pub timeout_ms: Option<u64>,
    /// `--helpdesk` (already checked with [`check_helpdesk_url`]).
    pub helpdesk_url: Option<String>,
    /// `--queue` (already checked with [`check_queue`]).
    pub helpdesk_queue: Option<String>,
}

/// Where the config file is and how it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct FileLocation {
    /// The path (may not exist).
    pub path: Option<PathBuf>,
    /// True when `PAWDIAG_CONFIG` chose it.
    pub from_env: bool,
    /// True when the file exists and was read.
    pub found: bool,
}

/// The effective settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The config file consulted.
    pub file: FileLocation,
    /// Default audience.
    pub audience: Setting<Audience>,
    /// Report directory.
    pub report_dir: Setting<PathBuf>,
    /// Technician name.
    pub technician: Setting<Option<String>>,
    /// Station id.
    pub station: Setting<Option<String>>,
    /// Devices at once.
    pub jobs: Setting<usize>,
    /// Answer-time slack in milliseconds.
    pub timeout_ms: Setting<u64>,
    /// The helpdesk's address, normalised.
    pub helpdesk_url: Setting<Option<String>>,
    /// The queue new tickets go to.
    pub helpdesk_queue: Setting<String>,
    /// Which helpdesk credentials the environment holds (never their values).
    pub helpdesk_credentials: Setting<AuthPresence>,
}

impl Settings {
    /// Built-in values only.
    pub fn defaults() -> Self {
        Self {
            file: FileLocation {
                path: default_path(),
                from_env: false,
                found: false,
            },
            audience: Setting::new(Audience::Technician, Source::Default),
            report_dir: Setting::new(data_dir().join("reports"), Source::Default),
            technician: Setting::new(None, Source::Default),
            station: Setting::new(None, Source::Default),
            jobs: Setting::new(DEFAULT_JOBS, Source::Default),
            timeout_ms: Setting::new(DEFAULT_TIMEOUT_MS, Source::Default),
            helpdesk_url: Setting::new(None, Source::Default),
            helpdesk_queue: Setting::new(DEFAULT_QUEUE.to_string(), Source::Default),
            helpdesk_credentials: Setting::new(AuthPresence::None, Source::Default),
        }
    }

    /// Reads the file (if any) and the environment through `env`, a lookup
    /// function so tests need not touch the process environment.
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut s = Self::defaults();
        if let Some(p) = env(ENV_CONFIG).filter(|p| !p.trim().is_empty()) {
            s.file.path = Some(PathBuf::from(p));
            s.file.from_env = true;
        }
        if let Some(path) = s.file.path.clone() {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let file = parse(&text, &path)?;
                    s.file.found = true;
                    s.apply_file(file, &path);
                }
                // A missing file is normal: most people never write one.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(ConfigError::Read { path, source }),
            }
        }
        s.apply_env(env)?;
        Ok(s)
    }

    fn apply_file(&mut self, f: FileConfig, path: &Path) {
        let base = path.parent().unwrap_or(Path::new("."));
        self.audience.apply(f.audience, Source::File);
        self.report_dir
            .apply(f.report_dir.map(|d| base.join(d)), Source::File);
        self.technician.apply(f.technician.map(Some), Source::File);
        self.station.apply(f.station.map(Some), Source::File);
        self.jobs.apply(f.jobs, Source::File);
        self.timeout_ms.apply(f.timeout_ms, Source::File);
        self.helpdesk_url
            .apply(f.helpdesk_url.map(Some), Source::File);
        self.helpdesk_queue.apply(f.helpdesk_queue, Source::File);
    }

    fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        // Empty variables count as unset, as shells often leave them so.
        let get = |var: &str| env(var).filter(|v| !v.trim().is_empty());
        let bad = |var: &'static str, message: String| ConfigError::Env { var, message };
        if let Some(v) = get(ENV_AUDIENCE) {
            let a = v.parse().map_err(|m| bad(ENV_AUDIENCE, m))?;
            self.audience.apply(Some(a), Source::Env(ENV_AUDIENCE));
        }
        if let Some(v) = get(ENV_REPORT_DIR) {
            self.report_dir
                .apply(Some(PathBuf::from(v)), Source::Env(ENV_REPORT_DIR));
        }
        if let Some(v) = get(ENV_TECHNICIAN) {
            let n = check_name(&v).map_err(|m| bad(ENV_TECHNICIAN, format!("the name {m}")))?;
            self.technician
                .apply(Some(Some(n)), Source::Env(ENV_TECHNICIAN));
        }
        if let Some(v) = get(ENV_STATION) {
            let n = check_name(&v).map_err(|m| bad(ENV_STATION, format!("the id {m}")))?;
            self.station.apply(Some(Some(n)), Source::Env(ENV_STATION));
        }
        if let Some(v) = get(ENV_JOBS) {
            let n = v
                .trim()
                .parse::<i64>()
                .map_err(|_| bad(ENV_JOBS, format!("`{v}` is not a whole number")))
                .and_then(|n| check_jobs(n).map_err(|m| bad(ENV_JOBS, m)))?;
            self.jobs.apply(Some(n), Source::Env(ENV_JOBS));
        }
        if let Some(v) = get(ENV_TIMEOUT_MS) {
            let n = v
                .trim()
                .parse::<i64>()
                .map_err(|_| bad(ENV_TIMEOUT_MS, format!("`{v}` is not a whole number")))
                .and_then(|n| check_timeout(n).map_err(|m| bad(ENV_TIMEOUT_MS, m)))?;
            self.timeout_ms.apply(Some(n), Source::Env(ENV_TIMEOUT_MS));
        }
        if let Some(v) = get(ENV_HELPDESK_URL) {
            let u = check_helpdesk_url(&v).map_err(|m| bad(ENV_HELPDESK_URL, m))?;
            self.helpdesk_url
                .apply(Some(Some(u)), Source::Env(ENV_HELPDESK_URL));
        }
        if let Some(v) = get(ENV_HELPDESK_QUEUE) {
            let q = check_queue(&v).map_err(|m| bad(ENV_HELPDESK_QUEUE, m))?;
            self.helpdesk_queue
                .apply(Some(q), Source::Env(ENV_HELPDESK_QUEUE));
        }
        let presence = AuthPresence::from_env(env);
        let var = match presence {
            AuthPresence::None => None,
            AuthPresence::Token => Some(ENV_HELPDESK_TOKEN),
            AuthPresence::UserPassword | AuthPresence::Incomplete => Some(ENV_HELPDESK_USER),
        };
        if let Some(var) = var {
            self.helpdesk_credentials
                .apply(Some(presence), Source::Env(var));
        }
        Ok(())
    }

    /// These settings with command-line values on top.
    pub fn with_flags(&self, o: &Overrides) -> Self {
        let mut s = self.clone();
        s.audience.apply(o.audience, Source::Flag);
        s.report_dir.apply(o.report_dir.clone(), Source::Flag);
        s.technician
            .apply(o.technician.clone().map(Some), Source::Flag);
        s.station.apply(o.station.clone().map(Some), Source::Flag);
        s.jobs.apply(o.jobs, Source::Flag);
        s.timeout_ms.apply(o.timeout_ms, Source::Flag);
        s.helpdesk_url
            .apply(o.helpdesk_url.clone().map(Some), Source::Flag);
        s.helpdesk_queue
            .apply(o.helpdesk_queue.clone(), Source::Flag);
        s
    }

    /// Every setting as (key, value shown, source, origin) rows, in file order.
    pub fn rows(&self) -> Vec<SettingRow> {
        let origin = |src: &Source| match src {
            Source::File => self.file.path.as_ref().map(|p| p.display().to_string()),
            Source::Env(v) => Some((*v).to_string()),
            Source::Default | Source::Flag => None,
        };
        let row = |key: &'static str, value: serde_json::Value, src: &Source| SettingRow {
            key,
            value,
            source: src.kind(),
            origin: origin(src),
        };
        vec![
            row(
                "audience",
                self.audience.value.as_str().into(),
                &self.audience.source,
            ),
            row(
                "report_dir",
                self.report_dir.value.display().to_string().into(),
                &self.report_dir.source,
            ),
            row(
                "technician",
                self.technician.value.clone().into(),
                &self.technician.source,
            ),
            row(
                "station",
                self.station.value.clone().into(),
                &self.station.source,
            ),
            row("jobs", self.jobs.value.into(), &self.jobs.source),
            row(
                "timeout_ms",
                self.timeout_ms.value.into(),
                &self.timeout_ms.source,
            ),
            row(
                "helpdesk_url",
                self.helpdesk_url.value.clone().into(),
                &self.helpdesk_url.source,
            ),
            row(
                "helpdesk_queue",
                self.helpdesk_queue.value.clone().into(),
                &self.helpdesk_queue.source,
            ),
            // Whether they are set, never what they are.
            row(
                "helpdesk_credentials",
                self.helpdesk_credentials.value.describe().into(),
                &self.helpdesk_credentials.source,
            ),
        ]
    }
}

/// One line of `config show`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingRow {
    /// The key, as in the file.
    pub key: &'static str,
    /// The effective value (`null` when unset).
    pub value: serde_json::Value,
    /// `default`, `file`, `env` or `flag`.
    pub source: &'static str,
    /// The file path or variable name it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// An environment for tests: a lookup over `pairs` (tests must not touch
/// the process's own environment).
#[cfg(test)]
pub(crate) fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let m: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| m.get(k).cloned()
}

#[cfg(test)]
mod tests;
