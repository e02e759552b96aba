//! The `samlkit` command: arguments, rendering and exit codes. The work happens in the
//! `samlkit-parse`, `samlkit-verify` and `samlkit-lint` crates.

mod allocator;
mod catalogue_cmd;
mod check_cmd;
mod check_summary;
mod cli;
mod completions;
mod config;
mod decode_cmd;
mod diff;
mod explain;
mod federation_report;
mod flag_hints;
mod input;
mod inspect;
mod json_lines;
mod man;
mod metadata_cmd;
mod redact;
mod sarif;
mod serve;
mod snippet;
mod style;
mod trust;
mod verify_cmd;
mod version;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: allocator::SplitBySize = allocator::SplitBySize;

/// Exit codes shared by every command.
pub mod exit {
    /// Nothing wrong.
    pub const OK: u8 = 0;
    /// Problems found: not verified, a rule failed.
    pub const PROBLEMS: u8 = 1;
    /// An input could not be read as a SAML message, or the command line was wrong.
    pub const BAD_INPUT: u8 = 2;
}

fn main() -> ExitCode {
    // Output piped into `head` or a closed pager ends the process quietly, as for other
    // command-line tools, instead of a write error turning into a panic.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::OK
            });
        }
    };
    style::configure(cli.color);
    let code = match &cli.command {
        cli::Command::Decode(args) => decode_cmd::run(args),
        cli::Command::Inspect(args) => inspect::run(args),
        cli::Command::Verify(args) => verify_cmd::run(args),
        cli::Command::Explain(args) => explain::run(args),
        cli::Command::Metadata(args) => metadata_cmd::run(args),
        cli::Command::Check(args) => check_cmd::run(args),
        cli::Command::Serve(args) => serve::run(args),
        cli::Command::Diff(args) => diff::run(args),
        cli::Command::Profiles(args) => catalogue_cmd::profiles(args),
        cli::Command::Rules(args) => catalogue_cmd::rules(args),
        cli::Command::Completions(args) => completions::run(args),
        cli::Command::Man(args) => man::run(args),
        cli::Command::Version => version::run(),
    };
    ExitCode::from(code)
}
