//! `samlkit completions SHELL`: the shell completion script, generated from the same command
//! definition the parser uses, so it always knows every command and flag.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "samlkit", &mut out);
    out
}

pub fn run(args: &CompletionsArgs) -> u8 {
    crate::man::write_stdout(&script(args.shell))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::man::tests::{every_subcommand, long_flags};

    #[test]
    fn every_shell_completes_every_command_and_flag() {
        let command = Cli::command();
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let text = String::from_utf8(script(shell)).unwrap();
            for sub in every_subcommand(&command) {
                assert!(
                    text.contains(sub.get_name()),
                    "{shell}: no `{}` in the completion script",
                    sub.get_name()
                );
                for flag in long_flags(&command, sub) {
                    // fish declares a long flag as `-l NAME`; the others spell `--NAME`.
                    let declared = match shell {
                        Shell::Fish => format!("-l {flag}"),
                        _ => format!("--{flag}"),
                    };
                    assert!(
                        text.contains(&declared),
                        "{shell}: no `--{flag}` of `{}` in the completion script",
                        sub.get_name()
                    );
                }
            }
        }
    }
}
