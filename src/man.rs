//! `samlkit man [COMMAND]`: the manual page (roff) of samlkit or of one of its commands,
//! generated from the command definition. `samlkit man explain | man -l -` reads it.

use std::io::Write as _;

use clap::{Args, CommandFactory};

use crate::cli::Cli;
use crate::exit;
use crate::style::print_error;
use crate::version::version_line;

#[derive(Args, Debug)]
pub struct ManArgs {
    /// The command whose page to print (e.g. `explain`); without it, samlkit's own page,
    /// which lists every command.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// The roff page of `samlkit` (`None`) or of `samlkit COMMAND`; an unknown command is an error
/// naming the known ones.
pub fn page(command: Option<&str>) -> Result<Vec<u8>, String> {
    let mut root = Cli::command();
    // Built, the subcommands carry their full names (`samlkit-explain`, `samlkit explain`)
    // and the global flags.
    root.build();
    let target = match command {
        None => root,
        Some(name) => root.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = root.get_subcommands().map(|s| s.get_name()).collect();
            format!("unknown command '{name}'; one of: {}", names.join(", "))
        })?,
    };
    let man = clap_mangen::Man::new(target)
        .source(format!("samlkit {}", version_line()))
        .manual("samlkit manual");
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| format!("could not render the page: {e}"))?;
    Ok(out)
}

pub fn run(args: &ManArgs) -> u8 {
    match page(args.command.as_deref()) {
        Ok(text) => write_stdout(&text),
        Err(message) => {
            print_error("man", &message);
            exit::BAD_INPUT
        }
    }
}

/// Writes generated text to standard output.
pub fn write_stdout(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => exit::OK,
        Err(e) => {
            print_error("stdout", &e.to_string());
            exit::BAD_INPUT
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every command of the parser, at any depth.
    pub(crate) fn every_subcommand(command: &clap::Command) -> Vec<&clap::Command> {
        let mut all = Vec::new();
        for sub in command.get_subcommands() {
            all.push(sub);
            all.extend(every_subcommand(sub));
        }
        all
    }

    /// The long flags `samlkit SUB` accepts: its own and the global ones.
    pub(crate) fn long_flags(root: &clap::Command, sub: &clap::Command) -> Vec<String> {
        sub.get_arguments()
            .chain(root.get_arguments().filter(|a| a.is_global_set()))
            .filter_map(|arg| arg.get_long().map(str::to_string))
            .collect()
    }

    fn text(command: Option<&str>) -> String {
        String::from_utf8(page(command).unwrap()).unwrap()
    }

    /// roff escapes `-` as `\-`; the reader sees the plain text.
    fn plain(roff: &str) -> String {
        roff.replace("\\-", "-")
    }

    #[test]
    fn the_main_page_lists_every_command() {
        let root = Cli::command();
        let page = plain(&text(None));
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
        assert!(page.contains(".TH samlkit 1"), "{page}");
        for sub in root.get_subcommands() {
            let reference = format!("samlkit-{}(1)", sub.get_name());
            assert!(page.contains(&reference), "no {reference} in the main page");
        }
        for flag in long_flags(&root, &root) {
            assert!(page.contains(&format!("--{flag}")), "no --{flag}");
        }
    }

    #[test]
    fn each_command_page_has_every_flag_and_argument() {
        let root = Cli::command();
        let subcommands = every_subcommand(&root);
        assert!(subcommands.len() >= 8, "{}", subcommands.len());
        for sub in subcommands {
            let name = sub.get_name();
            let page = plain(&text(Some(name)));
            assert!(
                page.contains(&format!(".TH samlkit-{name} 1")),
                "{name}: {page}"
            );
            assert!(
                page.contains(&format!("samlkit {name}")),
                "{name}: synopsis"
            );
            for flag in long_flags(&root, sub) {
                assert!(
                    page.contains(&format!("--{flag}")),
                    "{name}: no --{flag} in its page"
                );
            }
            for positional in sub.get_positionals() {
                let value = positional
                    .get_value_names()
                    .and_then(|names| names.first())
                    .map_or_else(|| positional.get_id().to_string(), |v| v.to_string());
                assert!(page.contains(&value), "{name}: no {value} in its page");
            }
            if let Some(about) = sub.get_about() {
                let first_words: String = about.to_string().chars().take(30).collect();
                assert!(page.contains(&first_words), "{name}: no description");
            }
        }
    }

    #[test]
    fn an_unknown_command_names_the_known_ones() {
        let error = page(Some("explian")).unwrap_err();
        assert!(error.contains("unknown command 'explian'"), "{error}");
        assert!(error.contains("explain"), "{error}");
        assert!(error.contains("check"), "{error}");
    }
}
