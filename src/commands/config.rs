//! `pawdiag config show|path`, and the settings every command reads: loaded
//! once at start-up from the config file and the environment, then topped
//! with each command's own flags.

use super::{Exit, Failure, ui};
use crate::cli::{Command, ConfigCommand, ConfigShowArgs, SettingsArgs};
use pawdiag::config::{self, ConfigError, Overrides, Settings};
use std::sync::OnceLock;
use tabled::settings::Style;

static SETTINGS: OnceLock<Settings> = OnceLock::new();

fn failure(e: ConfigError) -> Failure {
    let hint = e.hint();
    let s = e.to_string();
    let mut c = s.chars();
    let message = c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    });
    Failure::new(Exit::BadInput, message, Some(hint))
}

/// Loads the config file and environment once. Commands that never read
/// settings (`config path`, `completions`, `sim`) skip it, so a broken file
/// never stops a person from finding it.
pub fn init(cmd: &Command) -> anyhow::Result<()> {
    if matches!(
        cmd,
        Command::Config(ConfigCommand::Path)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Sim(_)
            | Command::Doctor(_)
    ) {
        return Ok(());
    }
    let loaded = Settings::load(&|k| std::env::var(k).ok()).map_err(failure)?;
    // A second init (tests calling run twice) keeps the first: same process, same environment.
    let _ = SETTINGS.set(loaded);
    Ok(())
}

/// The settings from the file and environment (built-in defaults if
/// [`init`] was not called).
pub fn get() -> &'static Settings {
    SETTINGS.get_or_init(Settings::defaults)
}

/// The settings with a command's flags on top. Flag values are checked like
/// file values (a technician name goes into reports).
pub fn with_flags(args: &SettingsArgs, mut extra: Overrides) -> anyhow::Result<Settings> {
    let bad = |flag: &str, m: String| Failure::new(Exit::BadInput, format!("{flag} {m}"), None);
    if let Some(a) = &args.audience {
        extra.audience = Some(a.parse().map_err(|m| bad("--audience:", m))?);
    }
    // A name on the command line: the file's advice ("leave the key out")
    // does not fit; say what a good value looks like instead.
    let bad_name = |flag: &str, example: &str, m: String| {
        let m = m.replace(" (leave the key out instead)", "");
        Failure::new(
            Exit::BadInput,
            format!("{flag} {m}"),
            Some(format!(
                "give up to {} printable characters, e.g. {flag} \"{example}\", or leave the flag out to use the config file's",
                config::MAX_NAME_LEN
            )),
        )
    };
    if let Some(t) = &args.technician {
        extra.technician =
            Some(config::check_name(t).map_err(|m| bad_name("--technician", "Sam Lee", m))?);
    }
    if let Some(s) = &args.station {
        extra.station =
            Some(config::check_name(s).map_err(|m| bad_name("--station", "bench-3", m))?);
    }
    if let Some(j) = extra.jobs {
        config::check_jobs(j as i64).map_err(|m| bad("--jobs:", m))?;
    }
    if let Some(t) = extra.timeout_ms {
        config::check_timeout(t.min(i64::MAX as u64) as i64)
            .map_err(|m| bad("--timeout-ms:", m))?;
    }
    Ok(get().with_flags(&extra))
}

/// Runs `config show` or `config path`.
pub fn run(cmd: ConfigCommand) -> anyhow::Result<Exit> {
    match cmd {
        ConfigCommand::Path => {
            let path = std::env::var_os(config::ENV_CONFIG)
                .filter(|p| !p.is_empty())
                .map(std::path::PathBuf::from)
                .or_else(config::default_path)
                .ok_or_else(|| {
                    Failure::new(
                        Exit::BadInput,
                        "No config directory is known for this user (no home directory)",
                        Some(format!("set {} to the file to use", config::ENV_CONFIG)),
                    )
                })?;
            println!("{}", path.display());
            Ok(Exit::Ok)
        }
        ConfigCommand::Show(args) => show(args),
    }
}

fn show(args: ConfigShowArgs) -> anyhow::Result<Exit> {
    let s = with_flags(
        &args.overrides,
        Overrides {
            jobs: args.jobs,
            timeout_ms: args.timeout_ms,
            report_dir: args.report_dir.clone(),
            ..Overrides::default()
        },
    )?;
    let rows = s.rows();
    let path = s.file.path.as_ref().map(|p| p.display().to_string());
    if args.json {
        let out = serde_json::json!({
            "schema": "pawdiag.config/1",
            "file": {
                "path": path,
                "exists": s.file.found,
                "from_env": s.file.from_env,
            },
            "settings": rows,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(Exit::Ok);
    }
    let file_line = match (&path, s.file.found) {
        (Some(p), true) => format!("Config file: {} ", ui::clean(p)),
        // Paths are long: the remark goes on its own line to fit 80 columns.
        (Some(p), false) => format!(
            "Config file: {}\n(not present; built-in defaults apply)",
            ui::clean(p)
        ),
        (None, _) => "Config file: none (no home directory)".to_string(),
    };
    println!("{}", file_line.trim_end());
    let mut table = vec![["Setting".to_string(), "Value".into(), "From".into()]];
    for r in rows {
        let value = match &r.value {
            serde_json::Value::Null => "—".to_string(),
            serde_json::Value::String(s) => ui::clean(s),
            other => other.to_string(),
        };
        let from = match &r.origin {
            Some(o) if r.source == "env" => format!("env {o}"),
            _ => r.source.to_string(),
        };
        table.push([r.key.to_string(), value, from]);
    }
    let mut t = tabled::builder::Builder::from_iter(table).build();
    t.with(Style::rounded());
    println!("{}", ui::fitted(t));
    Ok(Exit::Ok)
}
