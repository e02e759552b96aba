//! Records how this build of samlkit was made, for `samlkit version` / `--version`: the git
//! commit and the build date when built from a git checkout of samlkit itself. A source tarball
//! or a packaged crate (no `.git`) builds too and reports the version alone.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // src/version.rs reads both with option_env!: absent outside a checkout.
    if let Some(commit) = checkout_commit(&manifest_dir) {
        println!("cargo:rustc-env=SAMLKIT_COMMIT={commit}");
        println!("cargo:rustc-env=SAMLKIT_BUILD_EPOCH={}", build_epoch());
    }
}

/// Output of `git ARGS` run in `dir`, trimmed; `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_string())
}

/// The commit checked out, when the package folder is the top of a git checkout. A packaged
/// crate unpacked inside some other repository (`cargo package` verifies in `target/package/`)
/// is not samlkit's checkout, so its commit would be wrong.
fn checkout_commit(manifest_dir: &Path) -> Option<String> {
    let top = PathBuf::from(git(manifest_dir, &["rev-parse", "--show-toplevel"])?);
    let same_folder = match (top.canonicalize(), manifest_dir.canonicalize()) {
        (Ok(top), Ok(manifest)) => top == manifest,
        _ => false,
    };
    if !same_folder {
        return None;
    }
    // Rebuild the line when HEAD moves: a new commit, or another branch checked out.
    for file in ["HEAD", "packed-refs"] {
        watch_git_file(manifest_dir, file);
    }
    if let Some(reference) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch_git_file(manifest_dir, &reference);
    }
    git(manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

fn watch_git_file(manifest_dir: &Path, name: &str) {
    if let Some(path) = git(
        manifest_dir,
        &["rev-parse", "--path-format=absolute", "--git-path", name],
    ) {
        if Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

/// The build instant in unix seconds: now, or SOURCE_DATE_EPOCH for reproducible builds.
fn build_epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_secs() as i64)
        })
}
