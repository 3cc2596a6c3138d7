//! `pawdiag scan`.
use super::Exit;
use crate::cli::ScanArgs;

/// Runs `scan`.
pub async fn run(_args: ScanArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("scan: under construction")
}
