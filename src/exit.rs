//! Exit codes and the process-wide hooks: what a run's outcome means to a shell
//! or a CI job, and how failures are shown.

use std::process::ExitCode;

/// 0 clean, 1 findings at or above the bar (or a failed check), 2 bad usage,
/// unreadable input or configuration error. Documented in README.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Clean = 0,
    Findings = 1,
    Error = 2,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(o as u8)
    }
}

/// Installs miette's report handler and a panic hook that keeps quiet about
/// panics caught inside a file reader (those become diagnostics).
pub fn install_hooks() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crate::source::open::in_guarded_read() {
            default(info);
        }
    }));
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .wrap_lines(false)
                .build(),
        )
    }));
}

/// Writing to a closed pipe (`offsheet scan . | head`) is a normal end, not an error.
pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}
