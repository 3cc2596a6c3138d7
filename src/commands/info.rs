//! `pawdiag info DEVICE`.
use super::Exit;
use crate::cli::InfoArgs;

/// Runs `info`.
pub async fn run(_args: InfoArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("info: under construction")
}
