//! Loading flows: the set embedded in the binary at build time, optionally
//! overlaid by a directory (`--flows DIR`), so a support manager can change
//! a tree without rebuilding. Every load compiles and lints the whole set;
//! a set with errors is refused (a broken safety file must never be
//! silently skipped).
//!
//! Layout of a flows directory:
//! `safety.toml`, `playbook.toml`, `findings.toml`, `<model>/<symptom>.toml` (flows) and
//! `scenarios/<model>/<name>.toml` (scenario tests).

use super::diag::{Diagnostic, Diags, Severity};
use super::findings::Findings;
use super::format::{self, Flow};
use super::lint;
use super::playbook::Playbook;
use super::safety::Safety;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_flows.rs"));
}

/// Largest flow file read from a directory.
const MAX_FILE: u64 = 1 << 20;
/// Most files read from a directory.
const MAX_FILES: usize = 2000;

/// Where a file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into the binary.
    Embedded,
    /// Read from this path.
    File(PathBuf),
}

/// One file of a flows set.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the flows root, with `/`.
    pub rel: String,
    /// Its text.
    pub text: Arc<str>,
    /// Where it came from.
    pub origin: Origin,
}

impl SourceFile {
    /// The name used in messages: `flows/<rel>` when embedded, the real
    /// path otherwise.
    pub fn display(&self) -> String {
        match &self.origin {
            Origin::Embedded => format!("flows/{}", self.rel),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

/// The files of a flows set, by relative path.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// Files by relative path.
    pub files: BTreeMap<String, SourceFile>,
}

/// Why flows could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A directory or file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The flows have errors.
    #[error("{} in the flow files; first: {}", plural(.0.iter().filter(|d| d.severity == Severity::Error).count()), .0.iter().find(|d| d.severity == Severity::Error).map(|d| d.to_string()).unwrap_or_default())]
    Invalid(Vec<Diagnostic>),
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 error".into()
    } else {
        format!("{n} errors")
    }
}

impl LoadError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            LoadError::Io { .. } => "check the path given to --flows".into(),
            LoadError::Invalid(_) => {
                "run `pawdiag flows lint DIR` to see every problem with its line and column".into()
            }
        }
    }
}

impl FileSet {
    /// The files built into the binary.
    pub fn embedded() -> FileSet {
        let mut files = BTreeMap::new();
        for (rel, text) in embedded::EMBEDDED {
            files.insert(
                rel.to_string(),
                SourceFile {
                    rel: rel.to_string(),
                    text: Arc::from(*text),
                    origin: Origin::Embedded,
                },
            );
        }
        FileSet { files }
    }

    /// Every `.toml` file under `dir`.
    pub fn read_dir(dir: &Path) -> Result<FileSet, LoadError> {
        let meta = std::fs::metadata(dir).map_err(|source| LoadError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(LoadError::Io {
                path: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
            });
        }
        let mut set = FileSet::default();
        walk(dir, dir, 0, &mut set)?;
        Ok(set)
    }

    /// This set with `other`'s files added, replacing same-named ones.
    pub fn overlay(mut self, other: FileSet) -> FileSet {
        self.files.extend(other.files);
        self
    }

    /// The embedded set, overlaid by `dir` when given.
    pub fn standard(dir: Option<&Path>) -> Result<FileSet, LoadError> {
        let base = FileSet::embedded();
        match dir {
            Some(d) => Ok(base.overlay(FileSet::read_dir(d)?)),
            None => Ok(base),
        }
    }

    /// Scenario files (`scenarios/…`).
    pub fn scenarios(&self) -> impl Iterator<Item = &SourceFile> {
        self.files
            .values()
            .filter(|f| f.rel.starts_with("scenarios/"))
    }
}

fn walk(root: &Path, dir: &Path, depth: usize, set: &mut FileSet) -> Result<(), LoadError> {
    if depth > 4 {
        return Ok(());
    }
    let io = |source| LoadError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let ft = e.file_type().map_err(io)?;
        if ft.is_dir() {
            walk(root, &p, depth + 1, set)?;
        } else if ft.is_file() && name.ends_with(".toml") {
            if set.files.len() >= MAX_FILES {
                return Ok(());
            }
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            let text = if len > MAX_FILE {
                // Reported by compile as an error rather than read.
                String::from("# file too large\n")
            } else {
                std::fs::read_to_string(&p).map_err(|source| LoadError::Io {
                    path: p.display().to_string(),
                    source,
                })?
            };
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            set.files.insert(
                rel.clone(),
                SourceFile {
                    rel,
                    text: Arc::from(text),
                    origin: Origin::File(p),
                },
            );
        }
    }
    Ok(())
}

/// A compiled, linted set of flows.
#[derive(Debug, Clone)]
pub struct FlowSet {
    /// Flows by id.
    pub flows: BTreeMap<String, Flow>,
    /// The safety rules.
    pub safety: Safety,
    /// The playbook table.
    pub playbook: Playbook,
    /// The finding rules (`findings.toml`).
    pub findings: Findings,
}

impl FlowSet {
    /// Loads the embedded set, overlaid by `dir`; refuses a set with errors.
    pub fn load(dir: Option<&Path>) -> Result<FlowSet, LoadError> {
        let files = FileSet::standard(dir)?;
        let (set, diags) = compile_set(&files);
        match set {
            Some(s) if !diags.iter().any(|d| d.severity == Severity::Error) => Ok(s),
            _ => Err(LoadError::Invalid(diags)),
        }
    }

    /// A flow by id.
    pub fn get(&self, id: &str) -> Option<&Flow> {
        self.flows.get(id)
    }

    /// The flows of one model, in id order.
    pub fn for_model(&self, model: crate::interface::Model) -> impl Iterator<Item = &Flow> {
        self.flows.values().filter(move |f| f.model == model)
    }
}

/// What kind of file a relative path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `safety.toml`
    Safety,
    /// `playbook.toml`
    Playbook,
    /// `findings.toml`
    Findings,
    /// `scenarios/…`
    Scenario,
    /// `<model>/<symptom>.toml`
    Flow,
    /// Anything else.
    Other,
}

/// Classifies a relative path.
pub fn file_kind(rel: &str) -> FileKind {
    if rel == "safety.toml" {
        FileKind::Safety
    } else if rel == "playbook.toml" {
        FileKind::Playbook
    } else if rel == "findings.toml" {
        FileKind::Findings
    } else if rel.starts_with("scenarios/") {
        FileKind::Scenario
    } else if rel.split('/').count() == 2 {
        FileKind::Flow
    } else {
        FileKind::Other
    }
}

/// Compiles and lints every file of a set. Returns the set when the
/// safety rules, playbook and flows could all be read (it may still have
/// errors: check the diagnostics), and every diagnostic, by file, line and column.
pub fn compile_set(files: &FileSet) -> (Option<FlowSet>, Vec<Diagnostic>) {
    let mut all: Vec<Diagnostic> = Vec::new();
    let diags_for = |f: &SourceFile| Diags::new(f.display(), f.text.clone());

    let playbook = match files.files.get("playbook.toml") {
        Some(f) => {
            let mut d = diags_for(f);
            let p = Playbook::parse(&f.text, &mut d);
            all.extend(d.items);
            p
        }
        None => {
            all.push(missing("playbook.toml"));
            None
        }
    };
    let safety = match files.files.get("safety.toml") {
        Some(f) => {
            let mut d = diags_for(f);
            let s = Safety::parse(&f.text, &mut d);
            if let Some(s) = &s {
                lint::lint_safety(s, playbook.as_ref(), &mut d);
            }
            all.extend(d.items);
            s
        }
        None => {
            all.push(missing("safety.toml"));
            None
        }
    };
    let findings = match files.files.get("findings.toml") {
        Some(f) => {
            let mut d = diags_for(f);
            let parsed = Findings::parse(&f.text, playbook.as_ref(), safety.as_ref(), &mut d);
            all.extend(d.items);
            parsed
        }
        None => {
            all.push(missing("findings.toml"));
            None
        }
    };
    // Safety-class findings stop a walk at once, like safety.toml's rules
    // (which come first).
    let safety = safety.map(|mut s| {
        if let Some(f) = &findings {
            s.add_findings(f);
        }
        s
    });
    let mut flows = BTreeMap::new();
    let mut flow_diags: Vec<Diags> = Vec::new();
    for f in files.files.values() {
        match file_kind(&f.rel) {
            FileKind::Flow => {
                let mut d = diags_for(f);
                if f.text.starts_with("# file too large") {
                    d.error(
                        0,
                        format!("the file is larger than {} KiB", MAX_FILE / 1024),
                    );
                    all.extend(d.items);
                    continue;
                }
                let expected = f.rel.trim_end_matches(".toml");
                if let Some(flow) =
                    format::compile(&f.text, Some(expected), playbook.as_ref(), &mut d)
                {
                    lint::lint_flow(&flow, &mut d);
                    flows.insert(flow.id.clone(), flow);
                }
                flow_diags.push(d);
            }
            FileKind::Other => {
                let mut d = diags_for(f);
                d.warn(
                    0,
                    "ignored: flows live in <model>/<symptom>.toml, scenarios under scenarios/",
                );
                all.extend(d.items);
            }
            _ => {}
        }
    }
    lint::lint_set(&flows, safety.as_ref(), &mut flow_diags);
    for d in flow_diags {
        all.extend(d.items);
    }
    all.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    let set = match (safety, playbook, findings) {
        (Some(safety), Some(playbook), Some(findings)) => Some(FlowSet {
            flows,
            safety,
            playbook,
            findings,
        }),
        _ => None,
    };
    (set, all)
}

fn missing(name: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: format!("flows/{name}"),
        line: 1,
        col: 1,
        message: format!("{name} is missing"),
        hint: Some("every flows set needs safety.toml, playbook.toml and findings.toml (the embedded ones are used unless replaced)".into()),
    }
}
