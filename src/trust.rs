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
    /// The IdP's SingleSignOnService locations in the metadata, which name some IdPs whose
    /// entityID is free text.
    pub idp_endpoints: Vec<String>,
}

/// Loads every trust anchor given; flags win over the config file.
pub fn load(args: &TrustArgs, config: &Config) -> Result<LoadedTrust, String> {
    let mut store = TrustStore::new();
    let mut idp_entity_id = None;
    let mut idp_endpoints = Vec::new();
    let metadata: Option<PathBuf> = args
        .idp_metadata
        .clone()
        .or_else(|| config.idp.metadata.as_ref().map(|p| config.resolve(p)));
    if let Some(path) = metadata {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("{}: cannot read the metadata file: {e}", path.display()))?;
        if let Some(kind) = file_kind(&bytes).filter(|kind| *kind != FileKind::Metadata) {
            return Err(format!(
                "{}: --idp-metadata takes the IdP's metadata XML, but this file is {}",
                path.display(),
                kind.describe()
            ));
        }
        let limits = Limits::default();
        let messages = samlkit_parse::decode::decode_input(&bytes, None, &limits)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let xml = &messages
            .first()
            .ok_or_else(|| format!("{}: no metadata found", path.display()))?
            .xml;
        let doc = parse_xml(xml, &limits).map_err(|e| format!("{}: {e}", path.display()))?;
        let idp = MetadataIdp::of(&doc);
        idp_entity_id = idp.entity_id;
        idp_endpoints = idp.sso_endpoints;
        store
            .add_idp_metadata_document(&doc)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let certs: Vec<PathBuf> = if args.idp_cert.is_empty() {
        config.idp.certs.iter().map(|p| config.resolve(p)).collect()
    } else {
        args.idp_cert.clone()
    };
    for path in certs {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("{}: cannot read the certificate file: {e}", path.display()))?;
        if let Some(kind) = file_kind(&bytes).filter(|kind| *kind != FileKind::Certificate) {
            return Err(format!(
                "{}: --idp-cert takes the IdP's signing certificate (PEM or DER), but this file \
                 is {}",
                path.display(),
                kind.describe()
            ));
        }
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
        idp_endpoints,
    })
}

/// What IdP metadata says about who the IdP is, for recognising it.
pub struct MetadataIdp {
    /// The entityID of the (first) IdP.
    pub entity_id: Option<String>,
    /// Its SingleSignOnService locations.
    pub sso_endpoints: Vec<String>,
}

impl MetadataIdp {
    fn of(doc: &roxmltree::Document<'_>) -> MetadataIdp {
        MetadataIdp {
            entity_id: idp_entity_id_of(doc),
            sso_endpoints: idp_endpoints_of(doc),
        }
    }
}

/// Trusts every signing key of the IdP metadata in `bytes` (raw XML or any encoded form);
/// returns what it says about the IdP.
pub fn add_metadata(store: &mut TrustStore, bytes: &[u8]) -> Result<MetadataIdp, String> {
    let limits = Limits::default();
    let messages =
        samlkit_parse::decode::decode_input(bytes, None, &limits).map_err(|e| e.to_string())?;
    let xml = &messages.first().ok_or("no metadata found")?.xml;
    let doc = parse_xml(xml, &limits).map_err(|e| e.to_string())?;
    store
        .add_idp_metadata_document(&doc)
        .map_err(|e| e.to_string())?;
    Ok(MetadataIdp::of(&doc))
}

/// The SingleSignOnService locations of every IdP in a metadata document.
fn idp_endpoints_of(doc: &roxmltree::Document<'_>) -> Vec<String> {
    let Ok(SamlMessage::Metadata(metadata)) = read_message(doc) else {
        return Vec::new();
    };
    metadata
        .entities()
        .iter()
        .flat_map(|entity| &entity.idp_roles)
        .flat_map(|role| &role.single_sign_on)
        .filter_map(|endpoint| endpoint.location.as_ref())
        .map(|location| location.value.trim().to_string())
        .collect()
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

/// What a file given to a trust flag holds, when it is recognisably one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Metadata,
    Certificate,
    PrivateKey,
    Message,
}

impl FileKind {
    /// What the file is and which flag takes it.
    fn describe(self) -> &'static str {
        match self {
            FileKind::Metadata => "SAML metadata: give it with --idp-metadata",
            FileKind::Certificate => "a certificate: give it with --idp-cert",
            FileKind::PrivateKey => {
                "a private key: never needed to verify; an SP decryption key goes to --sp-key"
            }
            FileKind::Message => {
                "a SAML message: give it as the input to explain (the IdP's certificate goes \
                 to --idp-cert, its metadata to --idp-metadata)"
            }
        }
    }
}

/// Recognises metadata, certificates, private keys and SAML messages (also base64-encoded)
/// from their first bytes and root element names.
fn file_kind(bytes: &[u8]) -> Option<FileKind> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.contains("-----BEGIN CERTIFICATE-----") {
        return Some(FileKind::Certificate);
    }
    if text.contains("PRIVATE KEY-----") {
        return Some(FileKind::PrivateKey);
    }
    // DER: a SEQUENCE with a long-form length.
    if bytes.len() > 4 && bytes[0] == 0x30 && bytes[1] & 0x80 != 0 {
        return Some(FileKind::Certificate);
    }
    let xml = if text.starts_with('<') {
        text.to_string()
    } else {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let decoded = openssl::base64::decode_block(&compact).ok()?;
        String::from_utf8(decoded).ok()?
    };
    let root = xml
        .split('<')
        .map(str::trim_start)
        .find(|tag| !tag.is_empty() && !tag.starts_with('?') && !tag.starts_with('!'))?;
    let name = root.split([' ', '>', '/', '\n', '\t', '\r']).next()?;
    let local = name.rsplit(':').next().unwrap_or(name);
    match local {
        "EntityDescriptor" | "EntitiesDescriptor" => Some(FileKind::Metadata),
        "Response" | "AuthnRequest" | "LogoutRequest" | "LogoutResponse" | "Assertion" => {
            Some(FileKind::Message)
        }
        _ => None,
    }
}
