//! What an installed samlkit offers its shell: `version` / `--version` (with the git commit
//! and build date from a checkout), completion scripts that a shell loads and completes with,
//! and manual pages.

mod common;

use std::process::Command as Process;

use common::{repo_root, samlkit};

fn stdout_of(args: &[&str]) -> (i32, String, String) {
    let output = samlkit().args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The commit of the checkout the tests run in, when the repository root is one.
fn checkout_commit() -> Option<String> {
    let git = |args: &[&str]| {
        Process::new("git")
            .args(args)
            .current_dir(repo_root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let top = std::path::PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != repo_root().canonicalize().ok()? {
        return None;
    }
    git(&["rev-parse", "--short=12", "HEAD"])
}

#[test]
fn version_command_and_flag_agree_and_name_the_commit() {
    let (code, version, _) = stdout_of(&["version"]);
    assert_eq!(code, 0);
    let (code, flag, _) = stdout_of(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(version, flag);
    let expected_start = format!("samlkit {} ", env!("CARGO_PKG_VERSION"));
    match checkout_commit() {
        Some(commit) => {
            assert!(version.starts_with(&expected_start), "{version}");
            assert!(
                version.contains(&format!("(commit {commit}, built ")),
                "{version}"
            );
            let date = version
                .trim_end()
                .trim_end_matches(')')
                .rsplit(' ')
                .next()
                .unwrap();
            let parts: Vec<&str> = date.split('-').collect();
            assert_eq!(parts.len(), 3, "{date}");
            assert!(parts[0].len() == 4 && parts[0].parse::<u32>().unwrap() >= 2024);
        }
        // A build from a source tarball knows only its version.
        None => assert_eq!(version.trim_end(), expected_start.trim_end()),
    }
}

#[test]
fn bash_completion_loads_and_completes_commands_and_flags() {
    let (code, script, _) = stdout_of(&["completions", "bash"]);
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("samlkit.bash");
    std::fs::write(&path, &script).unwrap();
    // Load the script as bash-completion would, then ask for completions of a partial line.
    let complete = |words: &str| {
        let program = format!(
            "source {path:?}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _samlkit samlkit \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let output = Process::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        text.lines().map(str::to_string).collect::<Vec<_>>()
    };
    let commands = complete("samlkit ex");
    assert_eq!(commands, ["explain"]);
    let flags = complete("samlkit explain --idp-m");
    assert_eq!(flags, ["--idp-metadata"]);
    let every = complete("samlkit ''");
    for command in [
        "decode", "inspect", "verify", "explain", "metadata", "check", "man",
    ] {
        assert!(every.iter().any(|c| c == command), "{command}: {every:?}");
    }
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_refused() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script, _) = stdout_of(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(script.contains("samlkit"), "{shell}");
        assert!(script.contains("explain"), "{shell}");
    }
    let (code, _, stderr) = stdout_of(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
}

#[test]
fn man_pages_for_samlkit_and_each_command() {
    let (code, page, _) = stdout_of(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH samlkit 1"), "{page}");
    assert!(page.contains("samlkit\\-explain(1)"), "{page}");

    let (code, page, _) = stdout_of(&["man", "explain"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH samlkit-explain 1"), "{page}");
    assert!(page.contains("\\-\\-idp\\-metadata"), "{page}");
    assert!(page.contains("\\-\\-sp\\-key"), "{page}");

    let (code, page, stderr) = stdout_of(&["man", "explian"]);
    assert_eq!(code, 2);
    assert!(page.is_empty());
    assert!(
        stderr.contains("unknown command 'explian'; one of: decode, inspect, verify, explain"),
        "{stderr}"
    );
}
