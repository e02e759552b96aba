//! A second opinion from libxmlsec1 (feature `xmlsec`): the same bytes, the same trusted keys,
//! its own parser and canonicalizer. The CLI reports where the two verdicts differ.
//!
//! libxmlsec1 checks only the cryptography of each signature (with `ID` registered as the ID
//! attribute on every element that has one); it knows nothing of SAML's profile. So "samlkit
//! rejects, libxmlsec1 accepts" is expected for wrapping attacks and other shapes samlkit refuses,
//! while "samlkit accepts, libxmlsec1 rejects" points at a bug in one of them.

use libxml::parser::Parser;
use libxml::xpath::Context as XPathContext;
use openssl::x509::X509;
use serde::Serialize;
use xmlsec::{XmlSecDocumentExt, XmlSecKey, XmlSecKeyFormat, XmlSecSignatureContext};

use crate::certs::{self, KeyMaterial};
use crate::report::{SignatureOutcome, VerificationReport};
use crate::trust::TrustStore;
use samlkit_parse::xml::{self, ns};

/// libxmlsec1's verdict on one signature, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XmlsecSignatureVerdict {
    pub index: usize,
    /// Label of the trusted key libxmlsec1 verified the signature with, if any.
    pub verified_with: Option<String>,
    /// libxmlsec1's error when it could not process the signature at all.
    pub error: Option<String>,
}

/// libxmlsec1's verdict on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XmlsecVerdict {
    pub signatures: Vec<XmlsecSignatureVerdict>,
    /// Set when libxmlsec1 could not load the document or register its IDs (e.g. duplicates).
    pub error: Option<String>,
}

/// A key in the form libxmlsec1 loads, with the label samlkit gives it.
struct OracleKey {
    label: String,
    pem: Vec<u8>,
    is_certificate: bool,
}

fn oracle_keys(xml_text: &str, trust: &TrustStore) -> Vec<OracleKey> {
    let mut keys = Vec::new();
    for anchor in trust.anchors() {
        match anchor.certificate() {
            Some(cert) => {
                if let Ok(pem) = X509::from_der(cert.der()).and_then(|x509| x509.to_pem()) {
                    keys.push(OracleKey {
                        label: anchor.label().to_string(),
                        pem,
                        is_certificate: true,
                    });
                }
            }
            None => {
                if let Ok(pem) = anchor.public_key().public_key_to_pem() {
                    keys.push(OracleKey {
                        label: anchor.label().to_string(),
                        pem,
                        is_certificate: false,
                    });
                }
            }
        }
    }
    // With fingerprints, the message's certificate that matches one is the key, as in samlkit.
    if !trust.fingerprints().is_empty() {
        if let Ok(document) = samlkit_parse::parse_xml(xml_text, &Default::default()) {
            let cert_nodes = document.descendants().filter(|node| {
                xml::is_element(*node, ns::DS, "X509Certificate")
                    && node
                        .ancestors()
                        .any(|a| xml::is_element(a, ns::DS, "KeyInfo"))
            });
            for node in cert_nodes {
                let Ok((materials, _)) =
                    certs::read_key_material(xml::text_content(node).as_bytes())
                else {
                    continue;
                };
                for material in materials {
                    if let KeyMaterial::Certificate(cert) = material {
                        let matches = trust
                            .fingerprints()
                            .iter()
                            .any(|fingerprint| fingerprint.sha256() == &cert.sha256());
                        if let (true, Ok(pem)) =
                            (matches, X509::from_der(cert.der()).and_then(|x| x.to_pem()))
                        {
                            keys.push(OracleKey {
                                label: "KeyInfo certificate matching a trusted fingerprint"
                                    .to_string(),
                                pem,
                                is_certificate: true,
                            });
                        }
                    }
                }
            }
        }
    }
    keys
}

/// Runs libxmlsec1 on `xml_text` with the trusted keys: each signature is tried with each key.
pub fn verify_with_xmlsec(xml_text: &str, trust: &TrustStore) -> XmlsecVerdict {
    let keys = oracle_keys(xml_text, trust);
    let failed = |error: String| XmlsecVerdict {
        signatures: Vec::new(),
        error: Some(error),
    };
    let document = match Parser::default().parse_string(xml_text) {
        Ok(document) => document,
        Err(err) => return failed(format!("libxml2 could not parse the document: {err:?}")),
    };
    // Register `ID` as an ID attribute wherever it occurs, as SAML verifiers do. A document
    // without any is fine; a duplicate ID is libxmlsec1's refusal.
    if let Err(err) = document.specify_idattr("//*[@ID]", "ID", None) {
        let message = err.to_string();
        if message.contains("duplicate") {
            return failed(format!("libxmlsec1 refused: {message}"));
        }
    }
    let Ok(context) = XPathContext::new(&document) else {
        return failed("libxml2 could not create an XPath context".to_string());
    };
    if context.register_namespace("ds", ns::DS).is_err() {
        return failed("libxml2 could not register the ds namespace".to_string());
    }
    let signature_nodes = match context.evaluate("//ds:Signature") {
        Ok(found) => found.get_nodes_as_vec(),
        Err(()) => return failed("libxml2 could not find the signatures".to_string()),
    };
    let signatures = signature_nodes
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let mut verdict = XmlsecSignatureVerdict {
                index,
                verified_with: None,
                error: None,
            };
            for key in &keys {
                let format = if key.is_certificate {
                    XmlSecKeyFormat::CertPem
                } else {
                    XmlSecKeyFormat::Pem
                };
                let loaded = match XmlSecKey::from_memory(&key.pem, format, None) {
                    Ok(loaded) => loaded,
                    Err(err) => {
                        verdict.error = Some(format!("{}: {err}", key.label));
                        continue;
                    }
                };
                // A context verifies once; each key gets a fresh one.
                let mut signature_context = XmlSecSignatureContext::new();
                signature_context.insert_key(loaded);
                match signature_context.verify_node(node) {
                    Ok(true) => {
                        verdict.verified_with = Some(key.label.clone());
                        verdict.error = None;
                        break;
                    }
                    Ok(false) => {}
                    Err(err) => verdict.error = Some(err.to_string()),
                }
            }
            verdict
        })
        .collect();
    XmlsecVerdict {
        signatures,
        error: None,
    }
}

/// Where samlkit and libxmlsec1 disagree on a signature, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub index: usize,
    /// True for the dangerous direction: samlkit verified what libxmlsec1 did not.
    pub samlkit_accepts_xmlsec_rejects: bool,
    pub message: String,
}

/// Compares samlkit's per-signature outcomes with libxmlsec1's.
pub fn disagreements(
    report: &VerificationReport<'_, '_>,
    xmlsec: &XmlsecVerdict,
) -> Vec<Disagreement> {
    report
        .signatures
        .iter()
        .filter_map(|signature| {
            let samlkit = signature.outcome == SignatureOutcome::Verified;
            let oracle = xmlsec
                .signatures
                .get(signature.index)
                .is_some_and(|verdict| verdict.verified_with.is_some());
            if samlkit == oracle {
                return None;
            }
            let message = if samlkit {
                format!(
                    "signature {} verifies in samlkit but not in libxmlsec1 ({})",
                    signature.index,
                    xmlsec
                        .signatures
                        .get(signature.index)
                        .and_then(|verdict| verdict.error.clone())
                        .or_else(|| xmlsec.error.clone())
                        .unwrap_or_else(|| "signature value or digest rejected".to_string())
                )
            } else {
                format!(
                    "signature {} verifies in libxmlsec1 but samlkit refuses it at stage {:?}",
                    signature.index, signature.stage
                )
            };
            Some(Disagreement {
                index: signature.index,
                samlkit_accepts_xmlsec_rejects: samlkit,
                message,
            })
        })
        .collect()
}
