//! What a person sees on stderr: colour choice, verbosity, errors, progress.
//! Data goes to stdout from the commands; everything here is stderr.

use crate::cli::Cli;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static COLOR: AtomicBool = AtomicBool::new(false);
static COLOR_STDOUT: AtomicBool = AtomicBool::new(false);
static VERBOSE: AtomicU8 = AtomicU8::new(0);
static QUIET: AtomicBool = AtomicBool::new(false);

/// Reads the global flags and the environment once, at start-up.
pub fn init(cli: &Cli) {
    let no_color = cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // Asking console whether the terminal takes colour is also what turns
    // on escape-sequence processing in a Windows console (Windows Terminal
    // has it on; the older console host needs it asked for).
    COLOR.store(
        !no_color && std::io::stderr().is_terminal() && console_colors(&console::Term::stderr()),
        Ordering::Relaxed,
    );
    COLOR_STDOUT.store(
        !no_color && std::io::stdout().is_terminal() && console_colors(&console::Term::stdout()),
        Ordering::Relaxed,
    );
    VERBOSE.store(cli.verbose, Ordering::Relaxed);
    QUIET.store(cli.quiet, Ordering::Relaxed);
    if no_color {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
}

/// Whether stderr gets colour.
pub fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

/// Whether stdout gets colour (a terminal, and neither `NO_COLOR` nor
/// `--no-color`).
pub fn color_stdout() -> bool {
    COLOR_STDOUT.load(Ordering::Relaxed)
}

/// Whether `term` shows colour; on Windows this switches the console to
/// processing escape sequences when it can.
fn console_colors(term: &console::Term) -> bool {
    term.features().colors_supported()
}

/// The width tables on stdout fit: `COLUMNS`, else the terminal's, else
/// 100 when piped.
pub fn width() -> usize {
    term_width(&console::Term::stdout())
}

/// The width tables on stderr fit (batch's summary).
pub fn stderr_width() -> usize {
    term_width(&console::Term::stderr())
}

fn term_width(term: &console::Term) -> usize {
    let columns = std::env::var("COLUMNS").ok();
    let terminal = term
        .is_term()
        .then(|| term.size_checked().map(|(_, w)| usize::from(w)))
        .flatten();
    pawdiag::table::width_from(columns.as_deref(), terminal)
}

/// A table fitted to stdout's width, as text.
pub fn fitted(mut table: tabled::Table) -> String {
    pawdiag::table::fit(&mut table, width());
    table.to_string()
}

/// How many `-v` were given.
pub fn verbosity() -> u8 {
    VERBOSE.load(Ordering::Relaxed)
}

/// Whether `-q` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether stderr is a terminal (progress bars and pickers only then).
pub fn interactive_stderr() -> bool {
    std::io::stderr().is_terminal()
}

fn paint(text: &str, code: &str) -> String {
    if color() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Prints an error sentence and its hint.
pub fn error(message: &str, hint: Option<&str>) {
    eprintln!("{} {message}", paint("error:", "1;31"));
    if let Some(h) = hint {
        eprintln!("  {} {h}", paint("hint:", "1;36"));
    }
}

/// Prints a warning (not suppressed by `-q`: it may change how output is read).
pub fn warn(message: &str) {
    eprintln!("{} {message}", paint("warning:", "1;33"));
}

/// Prints progress or context, unless `-q`.
pub fn note(message: &str) {
    if !quiet() {
        eprintln!("{message}");
    }
}

/// Makes a spinner on a terminal, a hidden bar otherwise.
pub fn spinner(message: &str) -> indicatif::ProgressBar {
    if quiet() || !interactive_stderr() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(message.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(100));
    pb
}

/// Makes untrusted text (from a device or a file) safe for a terminal:
/// control characters, including escape sequences, become `�`.
pub fn clean(text: &str) -> String {
    pawdiag::readings::clean(text)
}

/// An outcome kind as written in files (`customer-action`) in words for a
/// table (`customer action`).
pub fn kind_words(kind: &str) -> String {
    clean(kind).replace(['-', '_'], " ")
}

/// Prints the protocol transcript on stderr (`-vv`), one line per entry,
/// private unless `include_personal_data`.
pub fn print_transcript(entries: &[pawdiag::client::Entry], include_personal_data: bool) {
    use pawdiag::privacy::{Policy, Redactor};
    let mut red = Redactor::new(Policy::from_include_flag(include_personal_data));
    for e in entries {
        let text = red.protocol_line(&e.text);
        eprintln!(
            "{:>9.1} ms {:?} {:?} {}",
            e.t_ms,
            e.dir,
            e.kind,
            clean(text.as_deref().unwrap_or(&e.text))
        );
    }
}
