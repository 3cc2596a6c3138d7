//! Asking a person at a terminal, for `diagnose` (and any interactive walk):
//! dialoguer prompts on stderr, a spinner while the device is polled, and
//! Ctrl-C turned into a clean stop so the session and its report are kept.
//! At a prompt the terminal is raw and Ctrl-C arrives as a key, not a
//! signal: the asker trips the run's stop token itself, as the signal would.

use super::ui;
use futures_util::future::BoxFuture;
use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::flow::engine::{ActionReply, Answer, AskError, Asker, PollControl, Prompt};
use pawdiag::flow::session::{RunMode, Session};
use std::time::Duration;

/// Asks on the terminal.
pub struct TerminalAsker {
    technician: bool,
    cancel: Cancel,
    spinner: Option<indicatif::ProgressBar>,
}

impl TerminalAsker {
    /// An asker for a customer (plain words) or a technician (labels too).
    pub fn new(technician: bool, cancel: Cancel) -> Self {
        Self {
            technician,
            cancel,
            spinner: None,
        }
    }

    fn clear_spinner(&mut self) {
        if let Some(s) = self.spinner.take() {
            s.finish_and_clear();
        }
    }

    fn check(&self) -> Result<(), AskError> {
        if self.cancel.is_requested() {
            Err(AskError::Interrupted)
        } else {
            Ok(())
        }
    }

    fn header(&self, prompt: &Prompt<'_>) {
        eprintln!();
        eprintln!("{}", ui::clean(prompt.text));
        if let Some(help) = prompt.help {
            eprintln!("  {}", ui::clean(help));
        }
        if let Some(tech) = prompt.tech.filter(|_| self.technician) {
            eprintln!("  [{}: {}]", prompt.node_id, ui::clean(tech));
        }
    }

    /// Runs a blocking dialoguer prompt off the async runtime.
    async fn select(&self, items: Vec<String>) -> Result<Option<usize>, AskError> {
        let res = tokio::task::spawn_blocking(move || {
            dialoguer::Select::with_theme(&dialoguer::theme::ColorfulTheme::default())
                .items(&items)
                .default(0)
                .interact_opt()
        })
        .await
        .map_err(|_| AskError::Interrupted)?;
        // dialoguer reports Ctrl-C (and a closed terminal) as an error:
        // the same stop as the signal would have been.
        let choice = res.map_err(|_| {
            self.cancel.request(StopSignal::Interrupt);
            AskError::Interrupted
        })?;
        self.check()?;
        Ok(choice)
    }
}

impl Asker for TerminalAsker {
    fn mode(&self) -> RunMode {
        RunMode::Interactive
    }

    fn say<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.clear_spinner();
            let tech = if self.technician {
                prompt
                    .tech
                    .map(|t| format!("  [{}]", ui::clean(t)))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            eprintln!("• {}{tech}", ui::clean(prompt.text));
        })
    }

    fn ask<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            self.clear_spinner();
            self.check()?;
            self.header(prompt);
            let mut items: Vec<String> =
                prompt.choices.iter().map(|c| ui::clean(&c.label)).collect();
            // The flow may already offer its own "not sure"; don't offer two.
            if !items.iter().any(|l| l.to_lowercase().contains("not sure")) {
                items.push("I'm not sure".into());
            }
            let choice = self.select(items.clone()).await?;
            if let Some(label) = choice.and_then(|i| items.get(i)) {
                eprintln!("  → {label}");
            }
            // "I'm not sure" (or Esc) is the person's answer: the flow's
            // unknown branch.
            Ok(match choice {
                Some(i) if i < prompt.choices.len() => {
                    Answer::Value(prompt.choices[i].value.clone())
                }
                _ => Answer::NotSure,
            })
        })
    }

    fn consent<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
    ) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            self.clear_spinner();
            self.check()?;
            self.header(prompt);
            let items = vec!["Yes, go ahead".to_string(), "No, not now".to_string()];
            let choice = self.select(items.clone()).await?;
            if let Some(label) = choice.and_then(|i| items.get(i)) {
                eprintln!("  → {label}");
            }
            // Esc is no permission.
            Ok(match choice {
                Some(0) => Answer::Value("yes".into()),
                _ => Answer::Value("no".into()),
            })
        })
    }

    fn action<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        Box::pin(async move {
            self.clear_spinner();
            self.check()?;
            self.header(prompt);
            let items: Vec<String> = if verified {
                vec![
                    "Done — please check now".into(),
                    "I can't do this right now".into(),
                ]
            } else {
                vec![
                    "Done, and it worked".into(),
                    "Done, but it didn't help".into(),
                    "I can't do this right now".into(),
                ]
            };
            // Esc: the person did not do it.
            Ok(match self.select(items).await? {
                Some(0) => ActionReply::Done,
                _ => ActionReply::Failed,
            })
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
            self.check()?;
            let spinner = self.spinner.get_or_insert_with(|| ui::spinner("")).clone();
            spinner.set_message(format!(
                "{} ({}s of up to {}s)",
                ui::clean(text),
                elapsed.as_secs(),
                limit.as_secs()
            ));
            Ok(PollControl::Continue)
        })
    }

    fn finished<'a>(&'a mut self, _session: &'a Session) -> BoxFuture<'a, ()> {
        Box::pin(async move { self.clear_spinner() })
    }
}

/// An asker that needs no person (answers file, batch), narrated on
/// stderr at `-v`: each step's words as it starts and each poll's progress,
/// so a technician (or a test) can follow a long session as it happens.
/// Several devices at once prefix each line with the device's label.
pub struct Narrated(pub Box<dyn Asker>, pub String);

impl Narrated {
    fn line(&self, node: &str, text: &str) {
        let label = if self.1.is_empty() {
            String::new()
        } else {
            format!("{}: ", ui::clean(&self.1))
        };
        ui::note(&format!("{label}[{node}] {text}"));
    }
}

impl Asker for Narrated {
    fn mode(&self) -> RunMode {
        self.0.mode()
    }

    fn say<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.line(prompt.node_id, &ui::clean(prompt.text));
            self.0.say(prompt).await
        })
    }

    fn ask<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            let a = self.0.ask(prompt).await;
            if let Ok(answer) = &a {
                let shown = match answer {
                    Answer::Value(v) => ui::clean(v),
                    Answer::NotSure => "not sure".into(),
                    Answer::Missing => "(no answer)".into(),
                };
                self.line(prompt.node_id, &format!("answer: {shown}"));
            }
            a
        })
    }

    fn consent<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
    ) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            let a = self.0.consent(prompt).await;
            if let Ok(Answer::Value(v)) = &a {
                self.line(prompt.node_id, &format!("consent: {}", ui::clean(v)));
            }
            a
        })
    }

    fn action<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        Box::pin(async move {
            self.line(prompt.node_id, &ui::clean(prompt.text));
            self.0.action(prompt, verified).await
        })
    }

    fn progress<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        text: &'a str,
        elapsed: Duration,
        limit: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        Box::pin(async move {
            self.line(
                prompt.node_id,
                &format!(
                    "{} ({}s of up to {}s)",
                    ui::clean(text),
                    elapsed.as_secs(),
                    limit.as_secs()
                ),
            );
            self.0.progress(prompt, text, elapsed, limit).await
        })
    }

    fn finished<'a>(&'a mut self, session: &'a Session) -> BoxFuture<'a, ()> {
        self.0.finished(session)
    }
}
