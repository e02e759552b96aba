//! Checks of how the message travelled: the HTTP-Redirect and SimpleSign signature (over the
//! URL or form fields, not inside the XML) and a Response sent in a URL.

use samlkit_parse::decode::{Binding, DecodedMessage};
use samlkit_verify::dsig::VerifyOptions;
use samlkit_verify::redirect::{verify_redirect_signature, RedirectVerification};
use samlkit_verify::report::SignatureOutcome;
use samlkit_verify::trust::TrustStore;

use crate::report::Finding;
use crate::rules::Rule;

/// Verifies the HTTP-Redirect or SimpleSign signature, when the message came with one.
pub fn verify_binding_signature(
    decoded: &DecodedMessage,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> Option<RedirectVerification> {
    let signature = decoded.redirect_signature.as_ref()?;
    Some(verify_redirect_signature(&signature.into(), trust, options))
}

/// The binding's findings: a binding signature that does not verify, and a Response that
/// travelled in a URL. `is_response`: the message is a (plain) Response.
pub(super) fn binding_findings(
    decoded: &DecodedMessage,
    is_response: bool,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(result) = verify_binding_signature(decoded, trust, options) {
        if result.outcome != SignatureOutcome::Verified {
            let reasons: Vec<&str> = result.findings.iter().map(|f| f.message.as_str()).collect();
            let which = match decoded.binding {
                Some(Binding::HttpPostSimpleSign) => "SimpleSign (SigAlg/Signature form fields)",
                _ => "query-string",
            };
            let sig_alg = decoded
                .redirect_signature
                .as_ref()
                .map(|signature| signature.sig_alg.clone())
                .unwrap_or_default();
            findings.push(
                Finding::new(
                    Rule::RedirectSignatureFailed,
                    format!(
                        "the {which} signature does not verify: {}",
                        reasons.join("; ")
                    ),
                )
                .actual(sig_alg),
            );
        }
    }
    if decoded.binding == Some(Binding::HttpRedirect) && is_response {
        findings.push(
            Finding::new(
                Rule::ResponseOverRedirect,
                "this SAML Response travelled in a URL (HTTP-Redirect binding)",
            )
            .expected("HTTP-POST to the ACS URL")
            .actual("HTTP-Redirect"),
        );
    }
    findings
}
