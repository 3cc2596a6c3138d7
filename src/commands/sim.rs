//! `pawdiag sim …`.
use super::Exit;
use crate::cli::SimCommand;

/// Runs `sim faults` or `sim serve`.
pub async fn run(cmd: SimCommand) -> anyhow::Result<Exit> {
    #[cfg(target_os = "linux")]
    if let SimCommand::Serve(args) = &cmd
        && args.ble
    {
        return super::sim_ble::serve(args).await;
    }
    let _ = cmd;
    anyhow::bail!("sim: under construction")
}
