//! Stop signals, for the commands that run sessions (`diagnose`, `guide`,
//! `batch`, `watch`): SIGINT, SIGTERM and SIGHUP trip the run's
//! [`Cancel`] token instead of killing the process, so the session stops
//! at its next safe point and its report is still written. A second
//! signal hurries the stop. The exit code then says which signal it was
//! (130, 143, 129). On Windows, Ctrl-C and Ctrl-Break count as SIGINT and
//! closing the console window as SIGHUP.
//!
//! The library never installs handlers (it only observes the token); this
//! is the one place that does.

use super::{Exit, ui};
use pawdiag::cancel::{Cancel, StopSignal};

/// What to tell the person when a stop signal arrives.
#[derive(Debug, Clone, Copy)]
pub struct Messages {
    /// After the first signal.
    pub first: &'static str,
    /// After the second.
    pub again: &'static str,
}

/// For technicians and scripts.
pub const BENCH: Messages = Messages {
    first: "Stopping: the session so far is being saved to the report (press Ctrl-C again to hurry).",
    again: "Stopping now; writing the report.",
};

/// For `watch`, which has no report.
pub const WATCH: Messages = Messages {
    first: "Stopping.",
    again: "Stopping.",
};

/// Listens for SIGINT, SIGTERM and SIGHUP for the rest of the process and
/// turns each into a request on the returned token. Must be called inside
/// the runtime, before the work that should survive a signal starts.
pub fn install(messages: Messages) -> anyhow::Result<Cancel> {
    let cancel = Cancel::new();
    save_terminal();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            (SignalKind::interrupt(), StopSignal::Interrupt),
            (SignalKind::terminate(), StopSignal::Terminate),
            (SignalKind::hangup(), StopSignal::Hangup),
        ];
        for (kind, which) in kinds {
            let mut stream = signal(kind)?;
            let cancel = cancel.clone();
            tokio::spawn(async move {
                while stream.recv().await.is_some() {
                    let n = cancel.request(which);
                    if which == StopSignal::Hangup {
                        detach_from_terminal();
                    } else {
                        ui::note(if n == 1 {
                            messages.first
                        } else {
                            messages.again
                        });
                    }
                }
            });
        }
    }
    // Windows has console events instead: Ctrl-C and Ctrl-Break stop as
    // SIGINT does; closing the console window is the hang-up (Windows ends
    // the process a few seconds later; tokio's handler holds it open until
    // then, so the report is written, and nothing is said to a console
    // that is gone).
    #[cfg(windows)]
    {
        use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close};
        let (mut c, mut b, mut close) = (ctrl_c()?, ctrl_break()?, ctrl_close()?);
        let cancel = cancel.clone();
        tokio::spawn(async move {
            loop {
                let which = tokio::select! {
                    Some(()) = c.recv() => StopSignal::Interrupt,
                    Some(()) = b.recv() => StopSignal::Interrupt,
                    Some(()) = close.recv() => StopSignal::Hangup,
                    else => return,
                };
                let n = cancel.request(which);
                if which != StopSignal::Hangup {
                    ui::note(if n == 1 {
                        messages.first
                    } else {
                        messages.again
                    });
                }
            }
        });
    }
    Ok(cancel)
}

/// After a hang-up the terminal is gone: writing to it fails (EIO), and
/// Rust's print macros panic on a failed write. Standard streams that are
/// that terminal are pointed at /dev/null, so the session still ends
/// cleanly and writes its report; pipes and files are left alone.
#[cfg(unix)]
fn detach_from_terminal() {
    // SAFETY: open and dup2 on descriptors we own; dup2 replaces atomically,
    // and a failure leaves the descriptor as it was.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null < 0 {
            return;
        }
        for fd in [libc::STDIN_FILENO, libc::STDOUT_FILENO, libc::STDERR_FILENO] {
            if libc::isatty(fd) == 1 {
                libc::dup2(null, fd);
            }
        }
        libc::close(null);
    }
}

/// The exit code for a run that a signal stopped.
pub fn exit_for(signal: StopSignal) -> Exit {
    pawdiag::exit::of_signal(signal)
}

/// `exit`, unless a signal stopped the run: then the signal's code, except
/// for the two codes that matter more than how the run ended (a safety
/// outcome, a report that could not be saved).
pub fn overrule(exit: Exit, cancel: &Cancel) -> Exit {
    match cancel.signal() {
        Some(s) if !matches!(exit, Exit::Safety | Exit::ReportLost) => exit_for(s),
        _ => exit,
    }
}

#[cfg(unix)]
static SAVED_TERMINAL: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();

/// Remembers the terminal's settings, so a prompt cut short by a signal
/// (it leaves the terminal raw, without a cursor) can be undone.
fn save_terminal() {
    #[cfg(unix)]
    // SAFETY: tcgetattr only writes into the zeroed struct we own; fd 0 may
    // be anything, and a failure (not a terminal) is checked.
    unsafe {
        if libc::isatty(libc::STDIN_FILENO) == 1 {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0 {
                let _ = SAVED_TERMINAL.set(t);
            }
        }
    }
}

/// Puts the terminal back as it was when the signals were installed, and
/// shows the cursor. Harmless when nothing was saved.
pub fn restore_terminal() {
    #[cfg(unix)]
    if let Some(t) = SAVED_TERMINAL.get() {
        // SAFETY: `t` is a termios read from this same descriptor.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
        }
        if ui::interactive_stderr() {
            eprint!("\x1b[?25h");
        }
    }
}
