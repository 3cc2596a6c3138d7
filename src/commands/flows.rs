//! `pawdiag flows …`: list, show, graph, lint and test troubleshooting
//! flows, and list the probes they can check. Lint prints
//! `file:line:col: message` and exits 2 on errors; test exits 4 when a
//! scenario does not reach its expected ending.

use super::diagnose::load_flows;
use super::{Exit, Failure, ui};
use crate::cli::flows::{
    FlowsCommand, FlowsGraphArgs, FlowsLintArgs, FlowsListArgs, FlowsProbesArgs, FlowsShowArgs,
    FlowsTestArgs, GraphFormatArg,
};
use pawdiag::flow::diag::Severity;
use pawdiag::flow::graph::{self, GraphFormat};
use pawdiag::flow::load::{self, FileSet, FlowSet, LoadError};
use pawdiag::interface::Model;
use pawdiag::probe::catalogue;
use pawdiag::scenario::{self, ScenarioOptions};
use serde_json::json;
use tabled::settings::Style;

/// Runs a `flows` subcommand.
pub async fn run(cmd: FlowsCommand) -> anyhow::Result<Exit> {
    match cmd {
        FlowsCommand::List(a) => list(a),
        FlowsCommand::Show(a) => show(a),
        FlowsCommand::Graph(a) => graph_cmd(a),
        FlowsCommand::Lint(a) => lint(a),
        FlowsCommand::Test(a) => test(a).await,
        FlowsCommand::Probes(a) => probes(a),
    }
}

fn load_failure(e: &LoadError) -> Failure {
    let message = match e {
        LoadError::Invalid(d) => {
            for diag in d.iter().filter(|d| d.severity == Severity::Error).take(5) {
                ui::note(&ui::clean(&diag.to_string()));
            }
            let n = d.iter().filter(|d| d.severity == Severity::Error).count();
            format!(
                "The flows have {n} error{} and cannot be used",
                if n == 1 { "" } else { "s" }
            )
        }
        other => super::exit::sentence(other),
    };
    Failure::new(Exit::BadInput, ui::clean(&message), Some(e.hint()))
}

/// As [`load_failure`], for a directory named as `flows lint DIR` or
/// `flows test DIR` (the library's hint speaks of `--flows`).
fn dir_failure(e: &LoadError, command: &str) -> Failure {
    let mut f = load_failure(e);
    if let LoadError::Io { .. } = e {
        f.hint = Some(format!(
            "check the directory given to `pawdiag flows {command}` (leave it out for the built-in flows)"
        ));
    }
    f
}

fn parse_model(m: &str) -> anyhow::Result<Model> {
    Model::parse(m).ok_or_else(|| {
        bad_input(
            format!("Unknown model `{}`", ui::clean(m)),
            format!("use {}", pawdiag::interface::Model::ids_in_words()),
        )
        .into()
    })
}

fn find_flow<'a>(set: &'a FlowSet, id: &str) -> anyhow::Result<&'a pawdiag::flow::Flow> {
    set.get(id).ok_or_else(|| {
        bad_input(
            format!("There is no flow `{}`", ui::clean(id)),
            set.hint_for(id, None),
        )
        .into()
    })
}

fn list(a: FlowsListArgs) -> anyhow::Result<Exit> {
    let set = load_flows(a.source.flows.as_deref())?;
    let model = a.model.as_deref().map(parse_model).transpose()?;
    let flows: Vec<_> = set
        .flows
        .values()
        .filter(|f| model.is_none_or(|m| f.model == m))
        .collect();
    if a.output.json {
        let v: Vec<_> = flows
            .iter()
            .map(|f| {
                json!({
                    "id": f.id, "model": f.model.id(), "title": f.title, "symptom": f.symptom,
                    "playbook": f.playbook, "nodes": f.nodes.len(),
                    "outcomes": f.outcomes().map(|(_, o)| o.code.clone()).collect::<Vec<_>>(),
                })
            })
            .collect();
        emit(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        return Ok(Exit::Ok);
    }
    let mut b = tabled::builder::Builder::default();
    b.push_record(["FLOW", "TITLE", "THE CUSTOMER SAYS", "NODES"]);
    for f in &flows {
        b.push_record([
            f.id.clone(),
            f.title.clone(),
            f.symptom.clone(),
            f.nodes.len().to_string(),
        ]);
    }
    let mut t = b.build();
    t.with(Style::blank());
    emit(&format!("{}\n", ui::fitted(t)))?;
    Ok(Exit::Ok)
}

fn show(a: FlowsShowArgs) -> anyhow::Result<Exit> {
    let set = load_flows(a.source.flows.as_deref())?;
    let flow = find_flow(&set, &a.id)?;
    // Long lines (the customer's sentences) wrap under their label.
    let width = ui::width();
    let text: Vec<String> = graph::outline(flow)
        .lines()
        .map(|l| {
            if l.chars().count() <= width {
                return l.to_string();
            }
            let lead = l.len() - l.trim_start().len();
            let label = l[lead..].find(":  ").map_or(0, |i| i + 1);
            let label = label + l[lead + label..].len() - l[lead + label..].trim_start().len();
            let indent = " ".repeat((lead + label).min(width / 2).max(lead + 4));
            pawdiag::table::wrap_words(l, width, &indent)
        })
        .collect();
    emit(&format!("{}\n", text.join("\n")))?;
    Ok(Exit::Ok)
}

fn graph_cmd(a: FlowsGraphArgs) -> anyhow::Result<Exit> {
    let set = load_flows(a.source.flows.as_deref())?;
    let flow = find_flow(&set, &a.id)?;
    let format = match a.format {
        GraphFormatArg::Mermaid => GraphFormat::Mermaid,
        GraphFormatArg::Dot => GraphFormat::Dot,
    };
    emit(&graph::render(flow, format))?;
    Ok(Exit::Ok)
}

fn lint(a: FlowsLintArgs) -> anyhow::Result<Exit> {
    let files = FileSet::standard(a.dir.as_deref()).map_err(|e| dir_failure(&e, "lint"))?;
    // Lint only reports on the directory's files when one is given (the
    // built-in ones are there for context: safety rules, playbook, codes).
    let (set, diags) = load::compile_set(&files);
    let diags: Vec<_> = match &a.dir {
        Some(_) => {
            let builtin: Vec<String> = files
                .files
                .values()
                .filter(|f| f.origin == load::Origin::Embedded)
                .map(|f| f.display())
                .collect();
            diags
                .into_iter()
                .filter(|d| !builtin.contains(&d.file))
                .collect()
        }
        None => diags,
    };
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if a.output.json {
        let v = json!({ "errors": errors, "warnings": warnings, "diagnostics": diags });
        emit(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        for d in &diags {
            emit(&format!("{}\n", ui::clean(&d.to_string())))?;
        }
        let flows = set.as_ref().map_or(0, |s| s.flows.len());
        ui::note(&format!(
            "{flows} flow{} checked: {errors} error{}, {warnings} warning{}",
            if flows == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        ));
    }
    if errors > 0 || (a.strict && warnings > 0) {
        Ok(Exit::BadInput)
    } else {
        Ok(Exit::Ok)
    }
}

async fn test(a: FlowsTestArgs) -> anyhow::Result<Exit> {
    let files = FileSet::standard(a.dir.as_deref()).map_err(|e| dir_failure(&e, "test"))?;
    let set = {
        let (set, diags) = load::compile_set(&files);
        match set {
            Some(s) if !diags.iter().any(|d| d.severity == Severity::Error) => s,
            _ => return Err(load_failure(&LoadError::Invalid(diags)).into()),
        }
    };
    if let Some(dir) = &a.recordings {
        return super::flows_retest::run(dir, &set, a.jobs, a.output.json).await;
    }
    let mut scenarios = Vec::new();
    let mut bad = 0;
    for f in files.scenarios() {
        if a.filter.as_deref().is_some_and(|x| !f.rel.contains(x)) {
            continue;
        }
        match scenario::parse(f, &set) {
            Ok(s) => scenarios.push(s),
            Err(d) => {
                bad += 1;
                for diag in d {
                    emit(&format!("{}\n", ui::clean(&diag.to_string())))?;
                }
            }
        }
    }
    if bad > 0 {
        return Err(bad_input(
            format!(
                "{bad} scenario file{} cannot be read",
                if bad == 1 { "" } else { "s" }
            ),
            "fix the files above; the format is in docs/flows.md",
        )
        .into());
    }
    if scenarios.is_empty() {
        return Err(bad_input(
            "No scenarios to run",
            "scenarios live in scenarios/<model>/<name>.toml under the flows directory",
        )
        .into());
    }
    let opts = ScenarioOptions {
        parallel: a.jobs.clamp(1, 32),
        ..ScenarioOptions::default()
    };
    let bar = if a.output.json || ui::quiet() || !ui::interactive_stderr() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(scenarios.len() as u64)
    };
    let json_out = a.output.json;
    let results = scenario::run_all(&scenarios, &set, &opts, |r| {
        bar.inc(1);
        if !json_out {
            let line = if r.passed {
                format!("ok    {} ({} ms)", r.name, r.millis)
            } else {
                format!("FAIL  {}: {}", r.name, r.problems.join("; "))
            };
            bar.suspend(|| {
                let _ = emit(&format!("{}\n", ui::clean(&line)));
            });
        }
    })
    .await;
    bar.finish_and_clear();
    let cov = if a.filter.is_some() {
        // Coverage of only the flows the filtered scenarios touch.
        scenario::coverage(&set, &results)
            .into_iter()
            .filter(|c| c.scenarios > 0)
            .collect()
    } else {
        scenario::coverage(&set, &results)
    };
    let failed = results.iter().filter(|r| !r.passed).count();
    if json_out {
        let v = json!({
            "passed": results.len() - failed, "failed": failed,
            "scenarios": results, "coverage": cov,
        });
        emit(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        emit("\n")?;
        let mut b = tabled::builder::Builder::default();
        b.push_record([
            "FLOW",
            "SCENARIOS",
            "NODES VISITED",
            "COVERAGE",
            "NOT VISITED",
        ]);
        for c in &cov {
            b.push_record([
                c.flow.clone(),
                c.scenarios.to_string(),
                format!("{}/{}", c.visited, c.nodes),
                format!("{:.0}%", c.percent()),
                c.missed.join(", "),
            ]);
        }
        let mut t = b.build();
        t.with(Style::blank());
        emit(&format!("{}\n", ui::fitted(t)))?;
        for r in results.iter().filter(|r| !r.unused_answers.is_empty()) {
            if ui::verbosity() > 0 {
                ui::note(&format!(
                    "{}: answers never asked: {}",
                    r.name,
                    r.unused_answers.join(", ")
                ));
            }
        }
        ui::note(&format!(
            "{} passed, {failed} failed",
            results.len() - failed
        ));
    }
    Ok(if failed > 0 { Exit::Fault } else { Exit::Ok })
}

fn probes(a: FlowsProbesArgs) -> anyhow::Result<Exit> {
    let model = a.model.as_deref().map(parse_model).transpose()?;
    let list: Vec<_> = catalogue::all()
        .iter()
        .filter(|p| model.is_none_or(|m| p.applies_to(m)))
        .collect();
    let models = |p: &catalogue::Probe| {
        if p.models.is_empty() {
            "all".to_string()
        } else {
            p.models
                .iter()
                .map(|m| m.id())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if a.output.json {
        let v: Vec<_> = list
            .iter()
            .map(|p| {
                json!({
                    "name": p.name, "models": models(p), "method": p.method,
                    "also_reads": p.also_reads(), "values": p.kind.describe(), "unit": p.unit, "about": p.about,
                    "only_after_fix": p.active,
                })
            })
            .collect();
        emit(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        return Ok(Exit::Ok);
    }
    let mut b = tabled::builder::Builder::default();
    b.push_record(["PROBE", "MODELS", "METHOD", "VALUES", "ABOUT"]);
    for p in list {
        let values = match p.unit {
            Some(u) => format!("{} ({u})", p.kind.describe()),
            None => p.kind.describe(),
        };
        b.push_record([
            p.name.clone(),
            models(p),
            match p.also_reads() {
                Some(other) => format!("{} + {other}", p.method),
                None => p.method.to_string(),
            },
            values,
            p.about.to_string(),
        ]);
    }
    let mut table = b.build();
    table.with(Style::blank());
    emit(&format!("{}\n", ui::fitted(table)))?;
    Ok(Exit::Ok)
}

pub(super) fn bad_input(message: impl Into<String>, hint: impl Into<String>) -> Failure {
    Failure::new(Exit::BadInput, message, Some(hint.into()))
}

/// Writes data to stdout; a closed pipe (`| head`) ends output quietly.
pub(super) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
