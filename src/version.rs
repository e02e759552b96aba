//! `samlkit version` and `samlkit --version`: the version, and the git commit and build date
//! when this binary was built from a checkout (recorded by build.rs).

/// `0.1.0`, or `0.1.0 (commit 0123456789ab, built 2026-12-07)` from a checkout.
pub const VERSION_LINE: &str = env!("SAMLKIT_VERSION_LINE");

pub fn run() -> u8 {
    println!("samlkit {VERSION_LINE}");
    crate::exit::OK
}
