//! Colour on terminals only: off when piped, when `NO_COLOR` is set, or with `--color never`.

use std::io::IsTerminal;

use crate::cli::ColorChoice;

pub fn configure(choice: ColorChoice) {
    let enabled = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(enabled);
}

/// Prints an input error the same way for every command.
pub fn print_error(label: &str, message: &str) {
    use colored::Colorize;
    eprintln!("{}: {label}: {message}", "error".red().bold());
}
