//! Asking a person at a terminal, for `diagnose` (and any interactive walk):
//! dialoguer prompts on stderr, a spinner while the device is polled, and
//! Ctrl-C turned into a clean stop so the session and its report are kept.

use super::ui;
use futures_util::future::BoxFuture;
use pawdiag::flow::engine::{ActionReply, Answer, AskError, Asker, PollControl, Prompt};
use pawdiag::flow::session::{RunMode, Session};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set once the person pressed Ctrl-C; the next prompt stops the walk.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// Listens for Ctrl-C: the first sets the flag (the walk stops at its
    /// next step and the report is written); a second one exits at once.
    pub fn install() -> Self {
        let flag = Self::default();
        let inner = flag.0.clone();
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if inner.swap(true, Ordering::SeqCst) {
                    std::process::exit(130);
                }
                ui::note(
                    "\nStopping after this step; your progress is kept. Press Ctrl-C again to quit at once.",
                );
            }
        });
        flag
    }

    /// Whether Ctrl-C was pressed.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Asks on the terminal.
pub struct TerminalAsker {
    technician: bool,
    interrupt: Interrupt,
    spinner: Option<indicatif::ProgressBar>,
}

impl TerminalAsker {
    /// An asker for a customer (plain words) or a technician (labels too).
    pub fn new(technician: bool, interrupt: Interrupt) -> Self {
        Self {
            technician,
            interrupt,
            spinner: None,
        }
    }

    fn clear_spinner(&mut self) {
        if let Some(s) = self.spinner.take() {
            s.finish_and_clear();
        }
    }

    fn check(&self) -> Result<(), AskError> {
        if self.interrupt.is_set() {
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
        // dialoguer reports Ctrl-C (and a closed terminal) as an error.
        let choice = res.map_err(|_| AskError::Interrupted)?;
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
