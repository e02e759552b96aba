//! Whether the claims are covered by a verified signature, and the verifier's findings.

use super::*;

pub(super) fn check_signatures(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    verification: &VerificationReport<'_, '_>,
    claims_verified: bool,
    decision: Option<&Assertion<'_, '_>>,
) {
    for finding in verification.all_findings() {
        let converted = crate::catalogue::from_verifier(finding, checker.idp);
        checker.push(converted);
    }
    if decision.is_none() || claims_verified {
        if claims_verified
            && checker.options.profile == Profile::AmazonQBusiness
            && !checker
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error)
        {
            checker.push(Finding::new(
                Rule::AuthorizationNotSaml,
                "the SAML Response carries everything Amazon Q Business reads; if it still \
                 answers \"Permissions needed… 403\", check the user's subscription and the \
                 application's role permissions",
            ));
        }
        return;
    }
    let assertion = decision.expect("checked above");
    let (reason, fix) = match verification.verdict {
        SignatureVerdict::NoTrustConfigured => (
            "no trusted key was given, so no signature can be verified".to_string(),
            format!(
                "give {}'s metadata, its signing certificate or that certificate's SHA-256 \
                 fingerprint",
                checker.idp.name()
            ),
        ),
        SignatureVerdict::NotSigned => (
            "the message carries no signature at all".to_string(),
            checker.fix(Fix::SignAssertion),
        ),
        SignatureVerdict::Rejected => (
            "the document has a shape used by signature-wrapping attacks, so nothing in it is \
             treated as signed"
                .to_string(),
            "do not accept this message; capture a fresh one straight from the identity provider"
                .to_string(),
        ),
        SignatureVerdict::Verified | SignatureVerdict::NotVerified => {
            let failing = verification
                .signatures
                .iter()
                .find(|s| s.outcome == SignatureOutcome::Failed);
            match failing.and_then(|s| s.stage) {
                Some(Stage::UntrustedKey) => (
                    "the signature verifies only with a key you do not trust (the certificate in \
                     the message): the IdP signs with a certificate your metadata does not have"
                        .to_string(),
                    checker.fix(Fix::RefreshMetadata),
                ),
                Some(Stage::SignatureMismatch) => (
                    "the signature does not verify with any trusted key".to_string(),
                    checker.fix(Fix::RefreshMetadata),
                ),
                Some(Stage::DigestMismatch) => (
                    "the signed content was modified after it was signed".to_string(),
                    "capture the Response again without editing or re-formatting it".to_string(),
                ),
                Some(stage) => (
                    format!("the signature failed at the {} stage", stage_name(stage)),
                    "see the signature findings above".to_string(),
                ),
                None => (
                    "no verified signature covers the assertion".to_string(),
                    checker.fix(Fix::SignAssertion),
                ),
            }
        }
    };
    let mut finding = Finding::new(
        Rule::ClaimsNotVerified,
        format!(
            "the assertion's subject and claims are not covered by a verified signature: {reason}"
        ),
    )
    .expected("a signature from a trusted key over the Assertion or the Response")
    .actual(reason)
    .fix(fix)
    .at(assertion.node.range());
    // The command says how its user gives the trust.
    finding.missing = (verification.verdict == SignatureVerdict::NoTrustConfigured)
        .then_some(MissingInput::IdpTrust);
    checker.push(finding);
    let _ = response;
}
