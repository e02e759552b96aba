//! Records how this build of samlkit was made, for `samlkit version` / `--version`: the git
//! commit and the build date when built from a git checkout of samlkit itself. A source tarball
//! or a packaged crate (no `.git`) builds too and reports the version alone.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let line = match checkout_commit(&manifest_dir) {
        Some(commit) => format!("{version} (commit {commit}, built {})", build_date()),
        None => version,
    };
    println!("cargo:rustc-env=SAMLKIT_VERSION_LINE={line}");
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

/// Today's date (UTC) as YYYY-MM-DD, or SOURCE_DATE_EPOCH's for reproducible builds.
fn build_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
