//! The helpdesk reports are uploaded to: configured, reachable, and
//! accepting the credentials; and the uploads still waiting in the outbox.
//! A helpdesk problem never blocks reaching devices (uploads wait in the
//! outbox), so the worst it says is `warn`.

use super::{Check, Context, Finding, Status};
use crate::helpdesk::Helpdesk;
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// What the settings say about the helpdesk, resolved by the caller (who
/// knows the environment and the config).
#[derive(Clone, Default)]
pub enum HelpdeskSetup {
    /// No `helpdesk_url`: reports stay on this computer.
    #[default]
    NotConfigured,
    /// Configured, but it cannot be used as it is (a bad address, missing
    /// credentials): what is wrong, and what to do.
    Unusable {
        /// One sentence.
        problem: String,
        /// What to do.
        fix: String,
    },
    /// Ready to be asked.
    Ready {
        /// The helpdesk.
        desk: Arc<dyn Helpdesk>,
        /// Its address, as shown.
        url: String,
    },
}

impl std::fmt::Debug for HelpdeskSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HelpdeskSetup::NotConfigured => f.write_str("NotConfigured"),
            HelpdeskSetup::Unusable { problem, .. } => write!(f, "Unusable({problem})"),
            HelpdeskSetup::Ready { url, .. } => write!(f, "Ready({url})"),
        }
    }
}

/// The helpdesk answers and accepts the credentials; the outbox is empty.
pub struct HelpdeskReachable;

impl Check for HelpdeskReachable {
    fn id(&self) -> &'static str {
        "helpdesk"
    }

    fn run<'a>(&'a self, ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move {
            let mut out = vec![match &ctx.helpdesk {
                HelpdeskSetup::NotConfigured => Finding::new(
                    self.id(),
                    Status::Note,
                    "No helpdesk is configured: reports are kept on this computer only",
                )
                .fix("to upload them, set helpdesk_url in the config file (`pawdiag config path` says where)"),
                HelpdeskSetup::Unusable { problem, fix } => {
                    Finding::new(self.id(), Status::Warn, problem.clone()).fix(fix.clone())
                }
                HelpdeskSetup::Ready { desk, url } => {
                    let desk = desk.clone();
                    match tokio::task::spawn_blocking(move || desk.ping()).await {
                        Ok(Ok(info)) => Finding::new(
                            self.id(),
                            Status::Ok,
                            format!(
                                "The helpdesk at {url} ({} {}) answers and accepts the credentials",
                                info.product, info.version
                            ),
                        ),
                        Ok(Err(e)) => Finding::new(
                            self.id(),
                            Status::Warn,
                            format!("Reports cannot be uploaded now: {e}"),
                        )
                        .fix(e.hint()),
                        Err(_) => Finding::new(
                            self.id(),
                            Status::Warn,
                            format!("The helpdesk at {url} could not be checked"),
                        ),
                    }
                }
            }];
            if ctx.outbox_pending > 0 {
                let n = ctx.outbox_pending;
                out.push(
                    Finding::new(
                        self.id(),
                        Status::Note,
                        format!(
                            "{n} report upload{} waiting in the outbox",
                            if n == 1 { " is" } else { "s are" }
                        ),
                    )
                    .fix("`pawdiag report upload --pending` sends them"),
                );
            }
            out
        })
    }
}
