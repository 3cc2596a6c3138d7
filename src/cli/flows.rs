//! Arguments of `pawdiag flows …`: list, show, graph, lint, test and probes.

use super::OutputArgs;
use std::path::PathBuf;

/// Where flows come from: the set built into pawdiag, or a directory that
/// replaces and extends it.
#[derive(Debug, Clone, clap::Args)]
pub struct FlowsSourceArgs {
    /// Use the flows in DIR (files there replace the built-in ones with the
    /// same path; others are added).
    #[arg(long, value_name = "DIR", env = "PAWDIAG_FLOWS")]
    pub flows: Option<PathBuf>,
}

/// `pawdiag flows …`.
#[derive(Debug, clap::Subcommand)]
pub enum FlowsCommand {
    /// List the troubleshooting flows.
    List(FlowsListArgs),
    /// Show a flow as a readable outline: steps, what is checked or asked,
    /// and where each answer leads.
    Show(FlowsShowArgs),
    /// Draw a flow as a Mermaid or Graphviz graph.
    Graph(FlowsGraphArgs),
    /// Check flow files for mistakes (prints file:line:col: message).
    Lint(FlowsLintArgs),
    /// Run the scenario tests against the simulator and report node coverage
    /// (or, with --recordings, replay real sessions and list changed verdicts).
    Test(FlowsTestArgs),
    /// List the facts (probes) flows can check.
    Probes(FlowsProbesArgs),
}

/// `pawdiag flows list`.
#[derive(Debug, clap::Args)]
pub struct FlowsListArgs {
    /// Only the flows of this model.
    #[arg(long)]
    pub model: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Where flows come from.
    #[command(flatten)]
    pub source: FlowsSourceArgs,
}

/// `pawdiag flows show`.
#[derive(Debug, clap::Args)]
pub struct FlowsShowArgs {
    /// Flow id, e.g. pettracker/gps-not-working.
    pub id: String,
    /// Where flows come from.
    #[command(flatten)]
    pub source: FlowsSourceArgs,
}

/// Graph formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GraphFormatArg {
    /// Mermaid flowchart (renders on GitHub and in many editors).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

/// `pawdiag flows graph`.
#[derive(Debug, clap::Args)]
pub struct FlowsGraphArgs {
    /// Flow id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormatArg,
    /// Where flows come from.
    #[command(flatten)]
    pub source: FlowsSourceArgs,
}

/// `pawdiag flows lint`.
#[derive(Debug, clap::Args)]
pub struct FlowsLintArgs {
    /// A flows directory (default: the built-in flows). Its files replace
    /// the built-in ones with the same path.
    pub dir: Option<PathBuf>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also fail (exit 2) on warnings.
    #[arg(long)]
    pub strict: bool,
}

/// `pawdiag flows test`.
#[derive(Debug, clap::Args)]
pub struct FlowsTestArgs {
    /// A flows directory with scenarios/ (default: the built-in flows).
    pub dir: Option<PathBuf>,
    /// Only scenarios whose name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Scenarios run at once.
    #[arg(long, default_value_t = 4)]
    pub jobs: usize,
    /// Instead of the scenarios: replay every recording (`--record`) and
    /// report in DIR against the flows, with their recorded replies, and
    /// list the verdicts that changed (exit 4 if any did).
    #[arg(long, value_name = "DIR")]
    pub recordings: Option<PathBuf>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `pawdiag flows probes`.
#[derive(Debug, clap::Args)]
pub struct FlowsProbesArgs {
    /// Only the probes of this model.
    #[arg(long)]
    pub model: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}
