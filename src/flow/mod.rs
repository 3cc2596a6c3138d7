//! Troubleshooting flows: the tree format (TOML, one file per symptom), the
//! expression language of its conditions, loading (embedded in the binary
//! and overridable from a directory), lint, graph export, and the engine
//! that walks a tree against [`crate::probe::Facts`] and an [`engine::Asker`].
//!
//! The engine never talks to a link or a terminal: the same flow runs
//! interactively, from an answers file and in batch.

pub mod answers;
pub mod answers_check;
pub mod answers_file;
pub mod clock;
pub mod diag;
pub mod engine;
pub mod expr;
pub mod finding;
pub mod findings;
pub mod findings_eval;
pub mod format;
pub mod graph;
pub mod lint;
pub mod load;
pub mod playbook;
pub mod safety;
pub mod session;
pub mod suggest;
pub mod verdict;

pub use format::Flow;
pub use load::{FlowSet, LoadError};

#[cfg(test)]
mod evidence_tests;
#[cfg(test)]
mod findings_tests;
#[cfg(test)]
mod lint_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_levels;
#[cfg(test)]
mod tests_stops;
#[cfg(test)]
mod tests_walk;
