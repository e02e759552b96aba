//! `samlkit.toml`: settings for `explain` and `check`, so a CI job needs no long command lines.
//! Flags given on the command line override the file. Relative paths in the file are read
//! relative to the file's folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub idp: IdpConfig,
    #[serde(default)]
    pub sp: SpConfig,
    #[serde(default)]
    pub check: CheckConfig,
    /// Folder of the file, to resolve relative paths.
    #[serde(skip)]
    pub base: PathBuf,
}

/// What the identity provider is: its metadata, or certificates / fingerprints to trust.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdpConfig {
    pub metadata: Option<PathBuf>,
    #[serde(default)]
    pub certs: Vec<PathBuf>,
    #[serde(default)]
    pub fingerprints: Vec<String>,
    /// Certificates of the key that signs the IdP metadata itself (`samlkit check` verifies
    /// the metadata's signature with them): the IdP's token-signing certificate for Entra ID
    /// and AD FS, the federation operator's for an aggregate.
    #[serde(default)]
    pub metadata_certs: Vec<PathBuf>,
    /// SHA-256 fingerprints of that key's certificate, instead of or besides `metadata_certs`.
    #[serde(default)]
    pub metadata_fingerprints: Vec<String>,
    /// The identity provider whose console the fixes name (as `--idp`), instead of detecting it.
    pub name: Option<String>,
}

/// What the service provider expects.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpConfig {
    pub entity_id: Option<String>,
    pub acs_url: Option<String>,
    pub profile: Option<String>,
    pub user_id_attribute: Option<String>,
    /// A service-provider profile of your own (as `--profile-file`).
    pub profile_file: Option<PathBuf>,
    pub name_id_format: Option<String>,
    /// SP metadata, for `check`.
    pub metadata: Option<PathBuf>,
    /// SP private keys, to decrypt encrypted assertions.
    #[serde(default)]
    pub keys: Vec<PathBuf>,
}

/// Settings for judging samples.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Captured sample responses to run through `explain`.
    #[serde(default)]
    pub samples: Vec<PathBuf>,
    /// The instant to judge the samples at (RFC 3339).
    pub now: Option<String>,
    pub clock_skew: Option<i64>,
    pub request_id: Option<String>,
    /// Certificates expiring within this many days are reported.
    pub warn_days: Option<i64>,
}

impl Config {
    /// Reads `path`, or `samlkit.toml` in the working directory when no path is given and the
    /// file exists. A missing explicit file is an error; a missing default file is not.
    pub fn load(path: Option<&Path>) -> Result<Config, String> {
        let (path, explicit) = match path {
            Some(path) => (path.to_path_buf(), true),
            None => (PathBuf::from("samlkit.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(_) if !explicit => return Ok(Config::default()),
            Err(err) => {
                return Err(format!(
                    "{}: cannot read the config file: {err}",
                    path.display()
                ))
            }
        };
        let mut config: Config = toml::from_str(&text)
            .map_err(|err| format!("{}: {}", path.display(), err.to_string().trim_end()))?;
        config.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(config)
    }

    /// A path from the file, resolved against the file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base.join(path)
        }
    }
}
