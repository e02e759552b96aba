//! Building the trust store from `--idp-metadata`, `--idp-cert`, `--idp-fingerprint` (and the
//! config file's `[idp]` section).

use std::path::PathBuf;

use samlkit_parse::model::SamlMessage;
use samlkit_parse::{parse_xml, read_message, Limits};
use samlkit_verify::trust::TrustStore;

use crate::cli::TrustArgs;
use crate::config::Config;

/// The trust store and what the IdP metadata says about the IdP.
pub struct LoadedTrust {
    pub store: TrustStore,
    /// The entityID of the IdP in the metadata, when metadata was given.
    pub idp_entity_id: Option<String>,
}

/// Loads every trust anchor given; flags win over the config file.
pub fn load(args: &TrustArgs, config: &Config) -> Result<LoadedTrust, String> {
    let mut store = TrustStore::new();
    let mut idp_entity_id = None;
    let metadata: Option<PathBuf> = args
        .idp_metadata
        .clone()
        .or_else(|| config.idp.metadata.as_ref().map(|p| config.resolve(p)));
    if let Some(path) = metadata {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("{}: cannot read the metadata file: {e}", path.display()))?;
        idp_entity_id =
            add_metadata(&mut store, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let certs: Vec<PathBuf> = if args.idp_cert.is_empty() {
        config.idp.certs.iter().map(|p| config.resolve(p)).collect()
    } else {
        args.idp_cert.clone()
    };
    for path in certs {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("{}: cannot read the certificate file: {e}", path.display()))?;
        store
            .add_certificates(&bytes, &path.display().to_string())
            .map_err(|e| e.to_string())?;
    }
    let fingerprints = if args.idp_fingerprint.is_empty() {
        &config.idp.fingerprints
    } else {
        &args.idp_fingerprint
    };
    for fingerprint in fingerprints {
        store
            .add_fingerprint(fingerprint)
            .map_err(|e| e.to_string())?;
    }
    Ok(LoadedTrust {
        store,
        idp_entity_id,
    })
}

/// Trusts every signing key of the IdP metadata in `bytes` (raw XML or any encoded form);
/// returns the IdP's entityID.
pub fn add_metadata(store: &mut TrustStore, bytes: &[u8]) -> Result<Option<String>, String> {
    let limits = Limits::default();
    let messages =
        samlkit_parse::decode::decode_input(bytes, None, &limits).map_err(|e| e.to_string())?;
    let xml = &messages.first().ok_or("no metadata found")?.xml;
    let doc = parse_xml(xml, &limits).map_err(|e| e.to_string())?;
    store
        .add_idp_metadata_document(&doc)
        .map_err(|e| e.to_string())?;
    Ok(idp_entity_id_of(&doc))
}

/// The entityID of the (first) IdP in a metadata document.
fn idp_entity_id_of(doc: &roxmltree::Document<'_>) -> Option<String> {
    let Ok(SamlMessage::Metadata(metadata)) = read_message(doc) else {
        return None;
    };
    let entities = metadata.entities();
    let chosen = entities
        .iter()
        .find(|e| !e.idp_roles.is_empty())
        .or_else(|| entities.first())?;
    chosen
        .entity_id
        .as_ref()
        .map(|e| e.value.trim().to_string())
}
