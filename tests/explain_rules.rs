//! Every code `samlkit rules` lists has a run of `samlkit explain` that reports it and one that
//! does not. The table is checked against the catalogue both ways, so a new rule cannot be
//! added without a fixture that shows it firing. Fixtures: tests/fixtures/rules (made by its
//! generate.py), tests/fixtures/scenarios, the verifier's fixtures and the corpus.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{json_lines, samlkit};
use serde_json::Value;

const METADATA: &str = "samples/entra-federation-metadata.xml";
const SIGNING_CERT: &str = "samples/keys/idp-signing.crt";
const Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";
const OTHER_URL: &str = "https://other-app.example/saml";
const REQUEST_ID: &str = "_a7f3e9c1d2b4";
const NOW: &str = "2026-11-28T09:05:00Z";
const Q_OK: &str = "tests/fixtures/scenarios/q-ok.xml";
const UNSIGNED: &str = "samples/entra-response-unsigned.xml";
const VERIFIER_FIXTURES: &str = "crates/samlkit-verify/tests/fixtures";
/// The instant the verifier's own tests judge its fixtures at.
const VERIFIER_NOW: &str = "2026-01-01T00:00:00Z";
/// SHA-256 of the certificate (a whole PEM file, base64 again) in the KeyInfo of
/// ruby-saml/adfs_response_sha256.xml, pinned as its upstream test pins it.
const ADFS_SHA256_PIN: &str = "3dc5bc58605d196494e3bac83d4901d556344465c2850aa865a5ac767e651ff7";
/// The same for ruby-saml/adfs_response_sha384.xml.
const ADFS_SHA384_PIN: &str = "c4c6bd41ecad5797ce7b7d8006c3e4305329020bdd2d47029ebd85ad93024521";

/// The SP key the encrypted fixtures are encrypted for (test material only).
const SP_KEY: &str = "crates/samlkit-verify/tests/fixtures/xmlenc/test-only-sp.key.pem";
/// A response encrypted with RSA PKCS#1 v1.5 key transport.
const XMLENC_RSA_1_5: &str = "crates/samlkit-verify/tests/fixtures/xmlenc/rsa-1_5.aes128-cbc.xml";

/// Codes that no run of `samlkit explain` can produce, each with the reason. Kept short and
/// exact: [`exceptions_are_few_known_and_really_unreachable`] fails when one becomes reachable.
const EXCEPTIONS: &[(&str, &str)] = &[(
    "signature/assertion-not-signed",
    "fires only when LintOptions::want_assertions_signed is set, which only `samlkit check` does \
     (from the SP metadata's WantAssertionsSigned); explain has no flag or samlkit.toml key for \
     it and does not read [sp] metadata",
)];

/// Areas of the catalogue that other commands report, never explain (which reads metadata only
/// as trust): their fixtures belong with those commands' tests.
const OTHER_COMMANDS: &[(&str, &str)] = &[
    (
        "metadata/",
        "reported by `samlkit metadata` and `samlkit check`, which lint metadata files and \
         settings; each code's fixtures are in tests/metadata_rules.rs",
    ),
    (FEDERATION, FEDERATION_BY),
    ("ukf/", FEDERATION_BY),
    ("saml2int/", FEDERATION_BY),
    ("sirtfi/", FEDERATION_BY),
    ("rands/", FEDERATION_BY),
    ("incommon/", FEDERATION_BY),
    ("keys/", FEDERATION_BY),
];
const FEDERATION: &str = "edugain/";
const FEDERATION_BY: &str = "reported by `samlkit metadata --rules NAME` (federation rule sets); \
     each code's fixtures are in tests/federation_rules.rs";

/// Which other command reports `code`, if it is not explain's.
fn reported_by_another_command(code: &str) -> Option<&'static str> {
    OTHER_COMMANDS
        .iter()
        .find(|(area, _)| code.starts_with(area))
        .map(|(_, by)| *by)
}

/// One invocation of `samlkit explain`: inputs and flags (a flag set twice replaces the first).
#[derive(Clone, Debug)]
struct Run {
    inputs: Vec<String>,
    flags: Vec<(String, String)>,
}

impl Run {
    fn of(inputs: &[&str]) -> Run {
        Run {
            inputs: inputs.iter().map(|s| s.to_string()).collect(),
            flags: Vec::new(),
        }
    }

    fn with(mut self, flag: &str, value: &str) -> Run {
        self.flags.retain(|(f, _)| f != flag);
        self.flags.push((flag.to_string(), value.to_string()));
        self
    }

    fn without(mut self, flag: &str) -> Run {
        self.flags.retain(|(f, _)| f != flag);
        self
    }

    fn argv(&self) -> Vec<String> {
        let mut argv = vec!["explain".to_string(), "--format".into(), "json".into()];
        argv.extend(self.inputs.iter().cloned());
        for (flag, value) in &self.flags {
            argv.push(flag.clone());
            argv.push(value.clone());
        }
        argv
    }
}

fn rules_fixture(name: &str) -> String {
    format!("tests/fixtures/rules/{name}")
}

/// An attack fixture of tests/fixtures/injected (made by its generate.py).
fn injected(name: &str) -> String {
    format!("tests/fixtures/injected/{name}")
}

fn scenario(name: &str) -> String {
    format!("tests/fixtures/scenarios/{name}")
}

/// What Amazon Q Business is configured with in the scenarios, judged at [`NOW`].
fn amazon_q(input: &str) -> Run {
    Run::of(&[input])
        .with("--idp-metadata", METADATA)
        .with("--profile", "amazon-q-business")
        .with("--sp-entity-id", Q_URL)
        .with("--acs-url", Q_URL)
        .with("--request-id", REQUEST_ID)
        .with("--now", NOW)
}

/// The clean signed sample as Amazon Q Business sees it: only the documented info note.
fn baseline() -> Run {
    amazon_q(Q_OK)
}

/// A signature intact but checked with a key that did not make it: the message's KeyInfo
/// names another certificate, and the one trusted belongs to another IdP.
fn wrong_key() -> Run {
    Run::of(&[&rules_fixture("keyinfo-certificate-other.xml")])
        .with("--idp-cert", "tests/corpus/python3-saml/certs/idp.crt")
        .with("--now", NOW)
}

fn generic(input: &str) -> Run {
    amazon_q(input).with("--profile", "generic")
}

fn aws_iam(input: &str) -> Run {
    Run::of(&[input])
        .with("--idp-metadata", METADATA)
        .with("--profile", "aws-iam")
        .with("--now", NOW)
}

fn slack(input: &str) -> Run {
    Run::of(&[input])
        .with("--idp-metadata", METADATA)
        .with("--profile", "slack")
        .with("--now", NOW)
}

fn authn_request(input: &str) -> Run {
    Run::of(&[input])
        .with("--sp-entity-id", Q_URL)
        .with("--acs-url", Q_URL)
        .with("--now", NOW)
}

/// A verifier fixture with the certificate its own tests trust.
fn verifier(file: &str, cert: &str) -> Run {
    Run::of(&[&format!("{VERIFIER_FIXTURES}/{file}")])
        .with("--idp-cert", &format!("{VERIFIER_FIXTURES}/keys/{cert}"))
        .with("--now", VERIFIER_NOW)
}

/// The verifier's untouched signed Entra-shaped response: what its attack fixtures were made
/// from, so the near miss for each of them.
fn verifier_clean() -> Run {
    verifier("signed/entra_response.xml", "idp.crt.pem")
}

/// A corpus file, judged when the verifier's tests judge it.
fn corpus_file(file: &str) -> Run {
    Run::of(&[&format!("tests/corpus/{file}")]).with("--now", VERIFIER_NOW)
}

/// A corpus file with the trust its MANIFEST row names (`flag` is how explain takes it).
fn corpus(file: &str, flag: &str, trust: &str) -> Run {
    corpus_file(file).with(flag, &format!("tests/corpus/{trust}"))
}

/// A code, a run that must report it, and a run that must not.
struct Coverage {
    code: &'static str,
    fires: Run,
    quiet: Run,
    /// The severity reported in `fires` when it is not the catalogue's default.
    severity: Option<&'static str>,
}

fn cover(code: &'static str, fires: Run, quiet: Run) -> Coverage {
    Coverage {
        code,
        fires,
        quiet,
        severity: None,
    }
}

impl Coverage {
    fn severity(mut self, severity: &'static str) -> Coverage {
        self.severity = Some(severity);
        self
    }
}

#[rustfmt::skip]
fn table() -> Vec<Coverage> {
    let rule = |name: &str| amazon_q(&rules_fixture(name));
    let clean_signed = || rule("clean-signed.xml");
    vec![
        // ---- input
        cover("input/response-over-redirect", rule("response-over-redirect.url"), clean_signed()),
        // ---- xml
        cover("xml/time-not-utc", rule("time-with-offset.xml"), baseline()),
        cover("xml/time-unreadable", rule("time-unreadable.xml"), baseline()),
        cover("xml/encoding-declaration-mismatch", amazon_q(&injected("utf16-declared-utf8-bytes.xml")), baseline()),
        cover("xml/encoding-declaration-mismatch", amazon_q(&injected("latin1-declared-utf8-bytes.xml")), baseline()),
        // ---- response
        cover("response/status-not-success", amazon_q(&scenario("user-not-assigned.xml")), baseline()),
        cover("response/error-status-with-assertions", rule("error-status-with-assertion.xml"),
              amazon_q(&scenario("user-not-assigned.xml"))),
        cover("response/no-assertion", rule("no-assertion.xml"), baseline()),
        cover("response/encrypted-assertion",
              corpus("python3-saml/valid_encrypted_assertion.xml.base64", "--idp-cert", "python3-saml/certs/idp.crt"),
              corpus("python3-saml/decrypted_valid_encrypted_assertion.xml", "--idp-cert", "python3-saml/certs/idp.crt")),
        cover("response/assertion-decrypted",
              amazon_q(&scenario("q-encrypted.xml")).with("--sp-key", SP_KEY), baseline()),
        cover("response/weak-encryption",
              amazon_q(XMLENC_RSA_1_5).with("--sp-key", SP_KEY),
              amazon_q(&scenario("q-encrypted.xml")).with("--sp-key", SP_KEY)),
        cover("response/destination-mismatch", baseline().with("--acs-url", OTHER_URL), baseline()),
        cover("response/destination-missing", rule("destination-missing.xml"), slack(&scenario("slack-ok.xml"))),
        cover("response/in-response-to-mismatch", baseline().with("--request-id", "_b8e4f0d2c3a5"), baseline()),
        cover("response/unsolicited", rule("unsolicited.xml").without("--request-id"),
              baseline().without("--request-id")),
        cover("response/issuer-mismatch",
              baseline().with("--idp-metadata", &scenario("other-tenant-metadata.xml")), baseline()),
        cover("response/issuer-missing", rule("response-issuer-missing.xml"), baseline()),
        cover("response/issuer-format", rule("response-issuer-format.xml"), baseline()),
        cover("response/version", rule("response-version.xml"), baseline()),
        cover("response/sign-in-ok-check-authorization", baseline(), generic(Q_OK)),
        // The same assertion ID with other content is a replay; the same message twice is not.
        cover("response/replayed-assertion",
              Run { inputs: vec![Q_OK.into(), scenario("q-email-claim-missing.xml")], ..baseline() },
              Run { inputs: vec![Q_OK.into(), Q_OK.into()], ..baseline() }),
        cover("input/duplicate", Run { inputs: vec![Q_OK.into(), Q_OK.into()], ..baseline() }, baseline()),
        cover("time/judged-when-issued", baseline().without("--now"), baseline()),
        // ---- assertion
        cover("assertion/issuer-mismatch", rule("assertion-issuer-mismatch.xml"), baseline()),
        cover("assertion/issuer-missing", rule("assertion-issuer-missing.xml"), baseline()),
        cover("assertion/audience-mismatch", baseline().with("--sp-entity-id", OTHER_URL), baseline()),
        cover("assertion/audience-missing", rule("audience-missing.xml"), baseline()),
        cover("assertion/audience-empty", rule("audience-empty.xml"), baseline()),
        cover("assertion/no-authn-statement", rule("no-authn-statement.xml"), baseline()),
        cover("assertion/unreplaced-placeholder", rule("placeholder.xml"), baseline()),
        cover("assertion/unreplaced-placeholder", authn_request(&rules_fixture("authn-request-acs-placeholder.xml")),
              authn_request(&rules_fixture("authn-request-ok.xml"))),
        // ---- time: the clean sample judged at other instants; the near misses are inside
        // the 180 s skew or the one-hour issue age.
        cover("time/not-yet-valid", baseline().with("--now", "2026-11-28T08:55:00Z"),
              baseline().with("--now", "2026-11-28T08:55:00Z").with("--clock-skew", "301")),
        cover("time/expired", baseline().with("--now", "2026-11-28T11:00:00Z"),
              baseline().with("--now", "2026-11-28T10:12:00Z")),
        cover("time/confirmation-expired", rule("confirmation-expired.xml"), baseline()),
        cover("time/session-expired", rule("session-expired.xml"),
              rule("session-expired.xml").with("--now", "2026-11-28T09:03:00Z")),
        cover("time/issued-in-future", baseline().with("--now", "2026-11-28T08:55:00Z"),
              baseline().with("--now", "2026-11-28T08:58:00Z")),
        cover("time/issued-long-ago", baseline().with("--now", "2026-11-28T10:05:00Z"),
              baseline().with("--now", "2026-11-28T09:59:00Z")),
        cover("time/window-inverted", rule("window-inverted.xml"), baseline()),
        // ---- subject
        cover("subject/missing", rule("subject-missing.xml"), baseline()),
        cover("subject/no-bearer-confirmation", rule("holder-of-key-confirmation.xml"), baseline()),
        cover("subject/recipient-mismatch", baseline().with("--acs-url", OTHER_URL), baseline()),
        cover("subject/recipient-missing", rule("recipient-missing.xml"), baseline()),
        cover("subject/not-on-or-after-missing", rule("confirmation-without-not-on-or-after.xml"), baseline()),
        cover("subject/not-before-present", rule("confirmation-not-before.xml"), baseline()),
        cover("subject/in-response-to-mismatch", rule("confirmation-in-response-to.xml"), baseline()),
        cover("subject/confirmation-count", aws_iam(&rules_fixture("aws-two-confirmations.xml")),
              aws_iam(&scenario("aws-ok.xml"))),
        // ---- NameID
        cover("nameid/missing", rule("nameid-missing.xml"), baseline()),
        // The generic profile does not need a NameID: the same finding is only a warning.
        cover("nameid/missing", generic(&rules_fixture("nameid-missing.xml")), generic(Q_OK)).severity("warning"),
        cover("nameid/empty", rule("nameid-empty.xml"), baseline()),
        cover("nameid/format", amazon_q(&scenario("q-nameid-email-format.xml")), baseline()),
        cover("nameid/value-does-not-fit-format", generic(&rules_fixture("nameid-email-format-object-id.xml")),
              generic(Q_OK)),
        cover("nameid/markup-inside", rule("nameid-comment-inside.xml"), baseline()),
        cover("nameid/markup-inside", amazon_q(&injected("nameid-cdata.xml")), baseline()),
        // Near miss: the same NameID, judged for the SP its SPNameQualifier names.
        cover("nameid/sp-name-qualifier-mismatch", rule("nameid-sp-name-qualifier.xml"),
              rule("nameid-sp-name-qualifier.xml").with("--sp-entity-id", OTHER_URL)),
        cover("nameid/encrypted",
              corpus("python3-saml/response_encrypted_nameid.xml.base64", "--idp-cert", "python3-saml/certs/idp.crt"),
              corpus("python3-saml/valid_response.xml.base64", "--idp-cert", "python3-saml/certs/idp.crt")),
        // ---- claims
        cover("claims/required-missing", amazon_q(&scenario("q-email-claim-missing.xml")), baseline()),
        cover("claims/empty-value", amazon_q(&scenario("q-email-empty.xml")), baseline()),
        cover("claims/multiple-values", rule("email-two-values.xml"), baseline()),
        cover("claims/value-format", rule("email-not-an-address.xml"), baseline()),
        cover("claims/duplicate-attribute", rule("duplicate-attribute.xml"), baseline()),
        cover("claims/groups-overage", rule("groups-overage.xml"), baseline()),
        cover("claims/encrypted-attribute",
              corpus_file("ruby-saml/response_encrypted_attrs.xml.base64"),
              baseline()),
        cover("claims/principal-tag-needs-tag-session", aws_iam(&scenario("aws-principal-tag.xml")),
              aws_iam(&scenario("aws-ok.xml"))),
        // Identity values exactly as signed: errors for the NameID and the user-id attribute
        // (Amazon Q Business reads `Email`), warnings for other attributes.
        cover("claims/value-split-by-markup", amazon_q(&injected("email-comment.xml")), baseline()),
        cover("claims/value-split-by-markup", generic(&injected("email-comment.xml")), generic(Q_OK))
            .severity("warning"),
        cover("claims/value-surrounding-whitespace", amazon_q(&injected("nameid-whitespace.xml")), baseline()),
        cover("claims/value-surrounding-whitespace", amazon_q(&injected("display-name-whitespace.xml")), baseline())
            .severity("warning"),
        cover("claims/value-invisible-character", amazon_q(&injected("nameid-zero-width-space.xml")), baseline()),
        cover("claims/value-changes-under-nfkc", amazon_q(&injected("nameid-full-width.xml")), baseline()),
        cover("claims/value-mixed-scripts", amazon_q(&injected("nameid-cyrillic-a.xml")), baseline()),
        // ---- signature (linter)
        cover("signature/identity-outside-signed-assertion", amazon_q(&injected("response-level-subject.xml")),
              baseline()),
        cover("signature/signature-part-out-of-place", amazon_q(&injected("extensions-digest-value.xml")),
              baseline()),
        cover("signature/claims-not-verified",
              Run::of(&[UNSIGNED]).with("--idp-cert", SIGNING_CERT).with("--now", NOW),
              Run::of(&[Q_OK]).with("--idp-cert", SIGNING_CERT).with("--now", NOW)),
        cover("signature/response-not-signed", slack(&scenario("slack-assertion-only.xml")),
              slack(&scenario("slack-ok.xml"))),
        cover("signature/redirect-signature-failed",
              corpus_file("crewjam-saml/TestSPCanProduceSignedRequestRedirectBinding_rsa-sha1_queryString")
                  .with("--idp-cert", SIGNING_CERT),
              corpus("crewjam-saml/TestSPCanProduceSignedRequestRedirectBinding_rsa-sha1_queryString",
                     "--idp-cert", "crewjam-saml/sp_cert.pem")),
        // ---- request
        cover("request/acs-mismatch", authn_request(&scenario("authn-request-acs-mismatch.xml")),
              authn_request(&rules_fixture("authn-request-ok.xml"))),
        cover("request/issuer-mismatch", authn_request(&scenario("authn-request-issuer-mismatch.xml")),
              authn_request(&rules_fixture("authn-request-ok.xml"))),
        cover("request/id-starts-with-digit", authn_request(&rules_fixture("authn-request-id-starts-with-digit.xml")),
              authn_request(&rules_fixture("authn-request-ok.xml"))),
        cover("request/has-subject", authn_request(&rules_fixture("authn-request-with-subject.xml")),
              authn_request(&rules_fixture("authn-request-ok.xml"))),
        // ---- signature and cert (verifier findings)
        // Missing trust makes the verdict "unverified": the finding is a warning, not an error.
        cover("signature/no-trust-configured", Run::of(&[Q_OK]).with("--now", NOW), baseline())
            .severity("warning"),
        cover("signature/not-signed", Run::of(&[UNSIGNED]).with("--idp-cert", SIGNING_CERT).with("--now", NOW),
              Run::of(&[Q_OK]).with("--idp-cert", SIGNING_CERT).with("--now", NOW)),
        cover("signature/signature-misplaced",
              corpus("ruby-saml/invalids/response_invalid_signed_element.xml.base64", "--idp-cert", "python3-saml/certs/idp.crt"),
              corpus("python3-saml/valid_response.xml.base64", "--idp-cert", "python3-saml/certs/idp.crt")),
        cover("signature/element-misplaced", verifier("threats/assertion_in_subject_confirmation_data.xml", "idp.crt.pem"),
              verifier_clean()),
        cover("signature/malformed-signature",
              corpus("xml-crypto/invalid_saml_no_signed_info.xml", "--idp-cert", "xml-crypto/feide_public.pem"),
              verifier_clean()),
        cover("signature/multiple-signed-info",
              corpus("xml-crypto/saml_multiple_signed_info_nodes.xml", "--idp-cert", "xml-crypto/saml_external_ns.pem"),
              corpus("xml-crypto/saml_external_ns.xml", "--idp-cert", "xml-crypto/saml_external_ns.pem")),
        cover("signature/multiple-references", verifier("threats/two_references.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/object-or-manifest", verifier("threats/manifest_in_signature.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/markup-in-signature-data", verifier("threats/comment_in_digest_value.xml", "idp.crt.pem"),
              verifier_clean()),
        cover("signature/invalid-base64", rule("digest-not-base64.xml"), clean_signed()),
        cover("signature/lookalike-namespace", verifier("threats/lookalike_namespace.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/duplicate-id", verifier("threats/duplicate_id.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/multiple-assertions", verifier("threats/unsigned_assertion_beside_signed.xml", "idp.crt.pem"),
              verifier_clean()),
        cover("signature/reference-whole-document",
              verifier("threats/reference_empty_uri_on_assertion.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/reference-not-same-document",
              corpus("xml-crypto/id_with_quotes.xml", "--idp-cert", "xml-crypto/feide_public.pem"), verifier_clean()),
        cover("signature/reference-not-found", rule("reference-not-found.xml"), clean_signed()),
        cover("signature/reference-ambiguous", verifier("threats/duplicate_id.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/reference-not-parent", verifier("threats/reference_to_sibling.xml", "idp.crt.pem"),
              verifier_clean()),
        cover("signature/signed-element-without-id", rule("signature-parent-without-id.xml"), clean_signed()),
        cover("signature/transform-not-allowed", verifier("threats/base64_transform.xml", "idp.crt.pem"),
              verifier_clean()),
        cover("signature/too-many-transforms",
              corpus("node-saml/signatures/invalid/response.root-signed-transforms.assertion-unsigned.xml",
                     "--idp-cert", "node-saml/cert.pem"),
              verifier_clean()),
        cover("signature/transform-xpath-or-xslt", verifier("threats/xpath_transform.xml", "idp.crt.pem"),
              verifier_clean()),
        cover("signature/signed-assertion-in-unsigned-advice",
              verifier("threats/signed_assertion_in_forged_advice.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/inclusive-namespaces-invalid",
              verifier("threats/inclusive_namespaces_bad_prefix.xml", "idp.crt.pem"),
              verifier("signed/inclusive_namespaces.xml", "idp.crt.pem")),
        cover("signature/unsupported-algorithm",
              corpus("ssoready/bad-assertions/bad-signature-algorithm/assertion.xml", "--idp-metadata",
                     "ssoready/assertions/okta/metadata.xml"),
              corpus("ssoready/assertions/okta/assertion.xml", "--idp-metadata", "ssoready/assertions/okta/metadata.xml")),
        cover("signature/hmac-refused",
              corpus("pysaml2/xmlsec1-keydata/signed-response-with-hmac.xml", "--idp-metadata", "pysaml2/idp.xml"),
              verifier_clean()),
        cover("signature/dsa-deprecated", verifier("signed/alg_dsa-sha256_sha256_exc.xml", "dsa.crt.pem"), verifier_clean()),
        cover("signature/sha1-deprecated", verifier("signed/alg_rsa-sha1_sha1_exc.xml", "idp.crt.pem"), verifier_clean()),
        cover("signature/non-standard-algorithm-uri",
              corpus_file("ruby-saml/adfs_response_sha384.xml").with("--idp-fingerprint", ADFS_SHA384_PIN),
              corpus_file("ruby-saml/adfs_response_sha256.xml").with("--idp-fingerprint", ADFS_SHA256_PIN)),
        cover("signature/digest-mismatch", verifier("threats/modified_after_signing.xml", "idp.crt.pem"), verifier_clean()),
        // A wrong key is named only when the signed content is intact: the digest matches.
        cover("signature/signature-mismatch", wrong_key(), clean_signed()),
        cover("signature/untrusted-key", amazon_q(&scenario("cert-rolled.xml")), baseline()),
        cover("cert/keyinfo-certificate-not-trusted", wrong_key(), clean_signed()),
        // When the signature verifies with a trusted key anyway, the verifier reports the stray
        // certificate as a note (dsig.rs), not with the catalogue's warning.
        cover("cert/keyinfo-certificate-not-trusted", rule("keyinfo-certificate-other.xml"), clean_signed())
            .severity("info"),
        cover("cert/keyinfo-pem-wrapped",
              corpus_file("ruby-saml/adfs_response_sha256.xml").with("--idp-fingerprint", ADFS_SHA256_PIN),
              baseline()),
        // Judged inside the certificate's validity (2018), neither date finding fires.
        cover("cert/certificate-expired", verifier("signed/expired_cert.xml", "expired.crt.pem"),
              verifier("signed/expired_cert.xml", "expired.crt.pem").with("--now", "2018-07-20T00:00:00Z")),
        cover("cert/certificate-not-yet-valid",
              verifier("signed/expired_cert.xml", "expired.crt.pem").with("--now", "2011-03-13T07:06:40Z"),
              verifier("signed/expired_cert.xml", "expired.crt.pem").with("--now", "2018-07-20T00:00:00Z")),
        cover("cert/weak-rsa-key", verifier("signed/weak_rsa_key.xml", "weak.crt.pem"), verifier_clean()),
        cover("cert/certificate-sha1-signature", verifier("signed/sha1_signed_cert.xml", "sha1cert.crt.pem"),
              verifier_clean()),
        cover("signature/comment-in-signed-text", verifier("threats/comment_in_nameid.xml", "idp.crt.pem"),
              verifier_clean()),
        // The catalogue documents this as a note; the verifier reports it as a warning.
        cover("cert/keyinfo-certificate-unreadable", rule("keyinfo-certificate-unreadable.xml"), clean_signed())
            .severity("warning"),
    ]
}

/// Every code `samlkit rules` lists, with its default severity, in catalogue order.
fn catalogue() -> Vec<(String, String)> {
    let output = samlkit().arg("rules").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut words = line.split_whitespace();
            let code = words.next().expect("a code").to_string();
            let severity = words.next().expect("a severity").to_string();
            (code, severity)
        })
        .collect()
}

/// What one run printed.
#[derive(Clone)]
struct Outcome {
    exit: i32,
    reports: Vec<Value>,
    stderr: String,
}

impl Outcome {
    fn findings(&self) -> impl Iterator<Item = &Value> {
        self.reports
            .iter()
            .flat_map(|report| report["findings"].as_array().into_iter().flatten())
    }

    fn codes(&self) -> Vec<&str> {
        self.findings()
            .map(|f| f["code"].as_str().unwrap_or(""))
            .collect()
    }
}

/// Runs explain once per distinct command line.
#[derive(Default)]
struct Runner {
    seen: HashMap<Vec<String>, Outcome>,
}

impl Runner {
    fn run(&mut self, run: &Run) -> Outcome {
        let argv = run.argv();
        if let Some(outcome) = self.seen.get(&argv) {
            return outcome.clone();
        }
        let output = samlkit().args(&argv).output().unwrap();
        let outcome = Outcome {
            exit: output.status.code().unwrap_or(-1),
            reports: json_lines(&output.stdout),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        self.seen.insert(argv, outcome.clone());
        outcome
    }
}

/// Problems with one run that claims to be a report on its inputs, if any.
fn check_well_formed(run: &Run, outcome: &Outcome) -> Option<String> {
    if outcome.exit != 0 && outcome.exit != 1 {
        return Some(format!(
            "{:?}: exit {} (stderr: {})",
            run.argv(),
            outcome.exit,
            outcome.stderr
        ));
    }
    if outcome.reports.len() != run.inputs.len() {
        return Some(format!(
            "{:?}: {} reports for {} inputs",
            run.argv(),
            outcome.reports.len(),
            run.inputs.len()
        ));
    }
    let failing = outcome.reports.iter().any(|r| r["verdict"] == "fail");
    let unverified = outcome.reports.iter().any(|r| r["verdict"] == "unverified");
    let has_error = outcome.findings().any(|f| f["severity"] == "error");
    if failing != has_error || outcome.exit != i32::from(failing || unverified) {
        return Some(format!(
            "{:?}: verdicts, error findings and exit {} disagree",
            run.argv(),
            outcome.exit
        ));
    }
    None
}

#[test]
fn the_clean_sample_reports_only_the_authorization_note() {
    let outcome = Runner::default().run(&baseline());
    assert_eq!(outcome.exit, 0, "{}", outcome.stderr);
    assert_eq!(outcome.reports.len(), 1);
    assert_eq!(outcome.reports[0]["verdict"], "pass");
    assert_eq!(outcome.codes(), ["response/sign-in-ok-check-authorization"]);
    assert_eq!(outcome.findings().next().unwrap()["severity"], "info");
    assert_eq!(outcome.reports[0]["signature"]["verified"], true);
}

#[test]
fn every_catalogue_code_has_a_fixture_that_fires_and_one_that_does_not() {
    let catalogue = catalogue();
    let table = table();
    let mut failures = Vec::new();

    // The table and the catalogue agree both ways.
    for (code, _) in &catalogue {
        let covered = table.iter().any(|c| c.code == code);
        let excepted = EXCEPTIONS.iter().any(|(e, _)| e == code);
        match (covered, excepted, reported_by_another_command(code)) {
            (false, false, None) => failures.push(format!(
                "{code}: in `samlkit rules` but has no fixture in table() (nor an exception)"
            )),
            (true, true, _) => failures.push(format!("{code}: both covered and excepted")),
            (true, _, Some(by)) | (_, true, Some(by)) => failures.push(format!(
                "{code}: listed as {by}, but also in table() or EXCEPTIONS"
            )),
            _ => {}
        }
    }
    assert!(
        catalogue
            .iter()
            .filter(|(code, _)| reported_by_another_command(code).is_none())
            .count()
            >= 98,
        "explain's part of the catalogue shrank"
    );
    for coverage in &table {
        if !catalogue.iter().any(|(code, _)| code == coverage.code) {
            failures.push(format!(
                "{}: in table() but not in `samlkit rules`",
                coverage.code
            ));
        }
    }

    let default_severity: BTreeMap<&str, &str> = catalogue
        .iter()
        .map(|(code, severity)| (code.as_str(), severity.as_str()))
        .collect();
    let mut runner = Runner::default();
    for coverage in &table {
        let code = coverage.code;
        let expected_severity = coverage
            .severity
            .or_else(|| default_severity.get(code).copied())
            .unwrap_or("?");

        let fired = runner.run(&coverage.fires);
        if let Some(problem) = check_well_formed(&coverage.fires, &fired) {
            failures.push(format!("{code} (fires): {problem}"));
        } else {
            let found: Vec<&Value> = fired.findings().filter(|f| f["code"] == code).collect();
            if found.is_empty() {
                failures.push(format!(
                    "{code}: not reported by {:?}; got {:?}",
                    coverage.fires.argv(),
                    fired.codes()
                ));
            } else if !found.iter().any(|f| f["severity"] == expected_severity) {
                failures.push(format!(
                    "{code}: expected severity {expected_severity}, got {:?}",
                    found.iter().map(|f| &f["severity"]).collect::<Vec<_>>()
                ));
            } else if found
                .iter()
                .any(|f| f["message"].as_str().is_none_or(|m| m.trim().is_empty()))
            {
                failures.push(format!("{code}: a finding without a message"));
            }
        }

        let quiet = runner.run(&coverage.quiet);
        if let Some(problem) = check_well_formed(&coverage.quiet, &quiet) {
            failures.push(format!("{code} (quiet): {problem}"));
        } else if quiet.codes().contains(&code) {
            failures.push(format!(
                "{code}: also reported by its counterpart {:?}",
                coverage.quiet.argv()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn exceptions_are_few_known_and_really_unreachable() {
    assert_eq!(
        EXCEPTIONS.iter().map(|(code, _)| *code).collect::<Vec<_>>(),
        ["signature/assertion-not-signed"],
        "the list of codes explain cannot produce changed: give the new one a fixture instead"
    );
    let catalogue = catalogue();
    for (code, reason) in EXCEPTIONS {
        assert!(catalogue.iter().any(|(c, _)| c == code), "{code}");
        assert!(reason.len() > 40, "{code}: say why it cannot fire");
    }

    // signature/assertion-not-signed: a Response signed only on the envelope, for an SP whose
    // metadata wants signed assertions, is the case the rule is for. The moment explain learns
    // about the SP's wish (a flag, or [sp] metadata in samlkit.toml), the code must fire here —
    // then move it from EXCEPTIONS into table().
    let help = samlkit().args(["explain", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_lowercase();
    assert!(
        !help.contains("assertions-signed") && !help.contains("want-assertion"),
        "explain has a flag for signed assertions now: cover signature/assertion-not-signed"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = common::repo_root();
    let config = dir.path().join("samlkit.toml");
    std::fs::write(
        &config,
        format!(
            "[idp]\nmetadata = {:?}\n[sp]\nmetadata = {:?}\nprofile = \"amazon-q-business\"\n\
             entity_id = {Q_URL:?}\nacs_url = {Q_URL:?}\n[check]\nnow = {NOW:?}\n",
            root.join(METADATA),
            root.join(rules_fixture("sp-metadata-want-assertions-signed.xml")),
        ),
    )
    .unwrap();
    let output = samlkit()
        .args(["explain", "--format", "json", "--config"])
        .arg(&config)
        .arg(rules_fixture("response-signed-only.xml"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = &json_lines(&output.stdout)[0];
    assert_eq!(report["signature"]["verified"], true);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"signature/assertion-not-signed"),
        "explain now reads WantAssertionsSigned: move the code from EXCEPTIONS into table()"
    );

    // The rule itself works: `samlkit check`, which reads the SP metadata, reports it for the
    // Response-only signature and not for the assertion-signed sample.
    let signed_only = root.join(rules_fixture("response-signed-only.xml"));
    let assertion_signed = root.join(Q_OK);
    std::fs::write(
        &config,
        format!(
            "{}samples = [{signed_only:?}, {assertion_signed:?}]\n",
            std::fs::read_to_string(&config).unwrap()
        ),
    )
    .unwrap();
    let output = samlkit()
        .args(["check", "--format", "json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let reports = json_lines(&output.stdout);
    let codes_for = |sample: &std::path::Path| -> Vec<String> {
        let report = reports
            .iter()
            .find(|r| r["source"] == sample.display().to_string())
            .unwrap_or_else(|| panic!("check reports on {}", sample.display()));
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let code = "signature/assertion-not-signed".to_string();
    assert!(codes_for(&signed_only).contains(&code));
    assert!(!codes_for(&assertion_signed).contains(&code));
}

#[test]
fn the_list_of_codes_is_stable() {
    let output = samlkit().arg("rules").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("samlkit_rules", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn docs_rules_md_is_what_samlkit_rules_markdown_prints() {
    let output = samlkit().args(["rules", "--markdown"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let generated = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string(common::repo_root().join("docs/rules.md"))
        .expect("docs/rules.md exists");
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `cargo run -q -- rules --markdown > docs/rules.md`"
    );
    // Every code has its own section.
    for (code, _) in catalogue() {
        assert!(generated.contains(&format!("### `{code}`")), "{code}");
    }
}
