//! `pawdiag doctor`: checks this computer (files, serial ports and their
//! permissions, the Bluetooth adapter; on Linux also ModemManager, the
//! system bus, BlueZ, rfkill and remembered devices) and the helpdesk
//! reports go to, and says what to do, one line each. Exit 0 when nothing
//! blocks pawdiag, 3 when something does.

use super::upload::Uploader;
use super::{Exit, Failure, ui};
use crate::cli::DoctorArgs;
use pawdiag::config::{self, Settings};
use pawdiag::doctor::helpdesk::HelpdeskSetup;
use pawdiag::doctor::{self, ConfigState, Context, Finding, Status};
use pawdiag::helpdesk::outbox::Outbox;
use std::time::Duration;

/// The checks this build runs: pawdiag's own, then any a later part of
/// pawdiag adds (push them here).
fn checks() -> Vec<Box<dyn doctor::Check>> {
    doctor::default_checks()
}

/// Runs `doctor`.
pub async fn run(args: DoctorArgs) -> anyhow::Result<Exit> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 60.0) {
        return Err(Failure::new(
            Exit::BadInput,
            format!(
                "--timeout {} is not a number of seconds between 0 and 60",
                args.timeout
            ),
            Some("e.g. --timeout 3".into()),
        )
        .into());
    }
    // A broken config file is a finding here, not a reason to stop.
    let env = |k: &str| std::env::var(k).ok();
    let (settings, config) = match Settings::load(&env) {
        Ok(s) => {
            let state = ConfigState {
                path: s.file.path.clone(),
                found: s.file.found,
                error: None,
            };
            (s, state)
        }
        Err(e) => {
            let defaults = Settings::defaults();
            let path = std::env::var_os(config::ENV_CONFIG)
                .filter(|p| !p.is_empty())
                .map(std::path::PathBuf::from)
                .or_else(|| defaults.file.path.clone());
            let state = ConfigState {
                found: path.as_ref().is_some_and(|p| p.exists()),
                path,
                error: Some(e.to_string()),
            };
            (defaults, state)
        }
    };
    let ctx = Context {
        report_dir: settings.report_dir.value.clone(),
        config,
        ble_listen: Duration::from_secs_f64(args.timeout),
        helpdesk: helpdesk_setup(&settings),
        outbox_pending: Outbox::new(&config::data_dir()).pending().len(),
    };
    let spinner = ui::spinner("Checking this computer…");
    let findings = doctor::run(&checks(), &ctx).await;
    spinner.finish_and_clear();
    let blocked = doctor::blocked(&findings);
    if args.output.json {
        let out = serde_json::json!({
            "schema": "pawdiag.doctor/1",
            "ok": !blocked,
            "findings": findings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for f in &findings {
            println!("{}", line(f));
        }
        println!(
            "{}",
            if blocked {
                "Something above blocks pawdiag: fix the lines marked FAIL first."
            } else {
                "Nothing blocks pawdiag from reaching devices."
            }
        );
    }
    Ok(if blocked { Exit::Unreachable } else { Exit::Ok })
}

/// The helpdesk as the settings and the environment name it, opened the
/// way `report upload` opens it, so doctor judges what an upload would use.
fn helpdesk_setup(settings: &Settings) -> HelpdeskSetup {
    let Some(url) = settings.helpdesk_url.value.clone() else {
        return HelpdeskSetup::NotConfigured;
    };
    match Uploader::open(settings) {
        Ok(u) => HelpdeskSetup::Ready {
            desk: u.desk(),
            url,
        },
        Err(e) => match e.downcast::<Failure>() {
            Ok(f) => HelpdeskSetup::Unusable {
                problem: f.message.trim_end_matches('.').to_string(),
                fix: f.hint.unwrap_or_else(|| {
                    "`pawdiag config show` says where each setting comes from".into()
                }),
            },
            Err(e) => HelpdeskSetup::Unusable {
                problem: e.to_string(),
                fix: "`pawdiag config show` says where each setting comes from".into(),
            },
        },
    }
}

/// One finding, one line: status, what was found, what to do.
fn line(f: &Finding) -> String {
    let (mark, colour) = match f.status {
        Status::Ok => ("  ok", "32"),
        Status::Note => ("note", "36"),
        Status::Warn => ("warn", "33"),
        Status::Fail => ("FAIL", "1;31"),
    };
    let mark = if ui::color_stdout() {
        format!("\x1b[{colour}m{mark}\x1b[0m")
    } else {
        mark.to_string()
    };
    let fix = f
        .fix
        .as_deref()
        .map(|x| format!(" → {}", ui::clean(x)))
        .unwrap_or_default();
    format!("{mark}  {}{fix}", ui::clean(&f.message))
}
