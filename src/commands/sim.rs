//! `pawdiag sim …`.
use super::Exit;
use crate::cli::SimCommand;

/// Runs `sim faults` or `sim serve`.
pub async fn run(_cmd: SimCommand) -> anyhow::Result<Exit> {
    anyhow::bail!("sim: under construction")
}
