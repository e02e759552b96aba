//! `samlkit version` and `samlkit --version`: the version, and the git commit and build date
//! when this binary was built from a checkout (recorded by build.rs).

use std::sync::LazyLock;

use samlkit_parse::time::Instant;

static VERSION_LINE: LazyLock<String> = LazyLock::new(|| {
    let version = env!("CARGO_PKG_VERSION");
    let build_epoch = option_env!("SAMLKIT_BUILD_EPOCH").and_then(|text| text.parse().ok());
    match (option_env!("SAMLKIT_COMMIT"), build_epoch) {
        (Some(commit), Some(epoch)) => {
            let built = Instant::from_unix(epoch, 0).to_string();
            let date = built.get(..10).unwrap_or(&built);
            format!("{version} (commit {commit}, built {date})")
        }
        _ => version.to_string(),
    }
});

/// `0.1.0`, or `0.1.0 (commit 0123456789ab, built 2026-12-07)` from a checkout.
pub fn version_line() -> &'static str {
    VERSION_LINE.as_str()
}

pub fn run() -> u8 {
    println!("samlkit {}", version_line());
    crate::exit::OK
}
