//! The guide's [`Asker`]: the person at the terminal, one plain prompt at a
//! time (dialoguer), with live progress while the device works and every
//! answer written to the journal as soon as it is given.

use super::ui;
use chrono::Utc;
use futures_util::future::BoxFuture;
use indicatif::{ProgressBar, ProgressStyle};
use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::flow::engine::{ActionReply, Answer, AskError, Asker, PollControl, Prompt};
use pawdiag::flow::session::{RunMode, Session, StepKind};
use pawdiag::handoff::journal::{Given, Journal, Replay, Replayed, write_journal};
use std::path::PathBuf;
use std::time::Duration;

pub(super) fn say(text: &str) {
    eprintln!("{text}");
}

pub(super) fn dim(text: &str) -> String {
    if ui::color() {
        format!("\x1b[2m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub(super) fn theme() -> dialoguer::theme::ColorfulTheme {
    dialoguer::theme::ColorfulTheme::default()
}

/// Turns a dialoguer error into the engine's: Ctrl-C (and a closed
/// terminal) pause the guide.
pub(super) fn prompt_err(e: dialoguer::Error) -> AskError {
    let dialoguer::Error::IO(io) = e;
    match io.kind() {
        std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof => {
            AskError::Interrupted
        }
        _ => AskError::Invalid(format!("the terminal stopped answering: {io}")),
    }
}

/// A menu; `None` when the person pressed Esc or q. It runs on a blocking
/// thread so a stop signal ends the wait for it at once (the terminal is
/// put back when the guide ends); Ctrl-C at the menu comes as a key, not a
/// signal, and stops the guide as the signal would.
pub(super) async fn choose(
    prompt: &str,
    items: &[String],
    default: usize,
    stop: &Cancel,
) -> Result<Option<usize>, AskError> {
    let prompt = prompt.to_string();
    let items = items.to_vec();
    let menu = tokio::task::spawn_blocking(move || {
        dialoguer::Select::with_theme(&theme())
            .with_prompt(prompt)
            .items(&items)
            .default(default)
            .interact_opt()
            .map_err(prompt_err)
    });
    match stop.unless_requested(menu).await {
        Some(Ok(Err(AskError::Interrupted))) | Some(Err(_)) => {
            stop.request(StopSignal::Interrupt);
            Err(AskError::Interrupted)
        }
        Some(Ok(r)) => r,
        None => Err(AskError::Interrupted),
    }
}

/// The engine's view of the person at the terminal, with a journal.
pub(super) struct GuideAsker {
    pub(super) journal: Journal,
    pub(super) path: PathBuf,
    /// The earlier run's answers, and those confirmed on this one.
    pub(super) replay: Replay,
    pub(super) stop: Cancel,
    pub(super) spinner: Option<ProgressBar>,
    /// Shown with a spinner once an answer is given (the sweep works
    /// silently after its one question).
    pub(super) after_answer: Option<String>,
}

impl GuideAsker {
    fn check_stop(&self) -> Result<(), AskError> {
        if self.stop.is_requested() {
            Err(AskError::Interrupted)
        } else {
            Ok(())
        }
    }

    pub(super) fn quiet_spinner(&mut self) {
        if let Some(s) = self.spinner.take() {
            s.finish_and_clear();
        }
    }

    fn spin(&mut self, message: &str) {
        self.quiet_spinner();
        if ui::interactive_stderr() {
            let pb = ProgressBar::new_spinner();
            pb.set_style(
                ProgressStyle::with_template("  {spinner:.cyan} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb.set_message(message.to_string());
            pb.enable_steady_tick(Duration::from_millis(120));
            self.spinner = Some(pb);
        }
    }

    /// A recorded answer for this node, if the guide is being resumed.
    /// `fades`: the step's result does not last (a verified action): after
    /// a long break it is asked again.
    fn replayed(&mut self, node_id: &str, fades: bool) -> Option<Given> {
        match self.replay.take(node_id, fades, Utc::now()) {
            Replayed::Given(g) => Some(g),
            Replayed::Faded => {
                say(&dim(
                    "It's been a while since you did this step, so let's do it again.",
                ));
                None
            }
            Replayed::Ask => None,
        }
    }

    fn record(&mut self, g: Given) {
        self.replay.record(g);
        self.step_done();
    }

    /// Writes the journal (every answer so far: [`Replay::answers`]).
    pub(super) fn step_done(&mut self) {
        self.journal.answers = self.replay.answers();
        self.journal.steps_done += 1;
        self.journal.updated_at = Utc::now();
        if let Err(e) = write_journal(&self.path, &self.journal) {
            ui::warn(&format!(
                "I couldn't save your progress ({e}); if we're interrupted we'll have to start again"
            ));
        }
    }

    fn heading(&mut self, prompt: &Prompt<'_>) {
        self.quiet_spinner();
        say("");
        say(&ui::clean(prompt.text));
        if let Some(h) = prompt.help {
            say(&dim(&ui::clean(h)));
        }
    }

    async fn pick(
        &mut self,
        prompt: &Prompt<'_>,
        kind: &str,
        labels: Vec<(String, String)>,
        fades: bool,
    ) -> Result<Answer, AskError> {
        self.check_stop()?;
        if let Some(g) = self.replayed(prompt.node_id, fades) {
            say(&dim(&format!(
                "✓ {} — {}",
                ui::clean(prompt.text),
                ui::clean(&g.label)
            )));
            return Ok(Answer::Value(g.value));
        }
        self.heading(prompt);
        let items: Vec<String> = labels.iter().map(|(_, l)| ui::clean(l)).collect();
        let choice = choose("Your answer", &items, 0, &self.stop).await?;
        match choice {
            Some(i) => {
                let (value, label) = labels[i].clone();
                self.record(Given {
                    node_id: prompt.node_id.to_string(),
                    kind: kind.into(),
                    value: value.clone(),
                    label,
                    at: Utc::now(),
                });
                if let Some(m) = self.after_answer.clone() {
                    self.spin(&m);
                }
                Ok(Answer::Value(value))
            }
            // Esc: the person would rather stop here; the journal has
            // everything so far.
            None => Err(AskError::Interrupted),
        }
    }
}

impl Asker for GuideAsker {
    fn mode(&self) -> RunMode {
        RunMode::Interactive
    }

    fn say<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.quiet_spinner();
            if prompt.kind == StepKind::Safety {
                say("");
                say(&ui::clean(prompt.text));
                return;
            }
            say(&format!("• {}", ui::clean(prompt.text)));
            self.step_done();
            self.spin("Checking…");
        })
    }

    fn ask<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            let labels = prompt
                .choices
                .iter()
                .map(|c| (c.value.clone(), c.label.clone()))
                .collect();
            self.pick(prompt, "question", labels, false).await
        })
    }

    fn consent<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
    ) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            let labels = vec![
                ("yes".to_string(), "Yes, go ahead".to_string()),
                ("no".to_string(), "No, thanks".to_string()),
            ];
            self.pick(prompt, "consent", labels, false).await
        })
    }

    fn action<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        Box::pin(async move {
            let labels = if verified {
                vec![
                    ("done".to_string(), "Done, please check".to_string()),
                    (
                        "failed".to_string(),
                        "I can't do this right now".to_string(),
                    ),
                ]
            } else {
                vec![
                    ("done".to_string(), "Done, and it worked".to_string()),
                    (
                        "failed".to_string(),
                        "It didn't work, or I can't do it".to_string(),
                    ),
                ]
            };
            match self.pick(prompt, "action", labels, verified).await? {
                Answer::Value(v) if v == "done" => Ok(ActionReply::Done),
                Answer::Value(_) | Answer::NotSure => Ok(ActionReply::Failed),
                Answer::Missing => Ok(ActionReply::Missing),
            }
        })
    }

    fn progress<'a>(
        &'a mut self,
        _prompt: &'a Prompt<'a>,
        text: &'a str,
        elapsed: Duration,
        limit: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        Box::pin(async move {
            self.check_stop()?;
            let left = limit.saturating_sub(elapsed).as_secs();
            let msg = format!("{} (up to {left} s more)", ui::clean(text));
            match &self.spinner {
                Some(s) => s.set_message(msg),
                None => self.spin(&msg),
            }
            Ok(PollControl::Continue)
        })
    }

    fn finished<'a>(&'a mut self, _session: &'a Session) -> BoxFuture<'a, ()> {
        Box::pin(async move { self.quiet_spinner() })
    }
}
