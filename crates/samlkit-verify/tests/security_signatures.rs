//! The verifier's security decisions, each pinned by a document that a broken decision would
//! let through: an unsigned assertion wrapping the signed one, a fingerprint one byte off, a
//! service provider's key in IdP metadata, a reference without the enveloped-signature
//! transform, references through `Id`/`AssertionID` or XPointer, and ID duplicates carried by
//! `Id`/`AssertionID`.
//!
//! Every signed input is made here by `xmlsec1 --sign` (Debian package `xmlsec1`), and the one
//! SignedInfo re-signed by hand is canonicalized by `xmllint --exc-c14n` (`libxml2-utils`), so
//! neither the signatures nor the digests come from samlkit's own canonicalizer. A missing tool
//! fails the tests.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use samlkit_verify::{
    verify_document, FindingCode, SignatureOutcome, Stage, TrustStore, Verdict, VerificationReport,
    VerifyOptions,
};

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

const GENUINE_ID: &str = "_genuine-assertion";

/// A fresh directory for one tool run.
fn work_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "samlkit-security-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn key_path(name: &str) -> PathBuf {
    fixtures_dir().join("keys").join(name)
}

fn run_tool(command: &mut Command, what: &str) -> Vec<u8> {
    let output = command.output().unwrap_or_else(|err| {
        panic!("{what} cannot run ({err}): install the Debian packages xmlsec1 and libxml2-utils")
    });
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The signature template xmlsec1 fills in: one reference to `#reference_id` with `transforms`.
fn signature_template(reference_uri: &str, transforms: &[&str]) -> String {
    let transforms: String = transforms
        .iter()
        .map(|uri| format!(r#"<ds:Transform Algorithm="{uri}"/>"#))
        .collect();
    format!(
        r#"<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{EXC_C14N}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="{reference_uri}"><ds:Transforms>{transforms}</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"#
    )
}

/// An assertion for https://sp.samlkit.test with `signature` after its Issuer.
/// `id_attributes` is the assertion's ID attribute(s) as written in its start tag.
fn assertion(id_attributes: &str, name_id: &str, signature: &str, inner: &str) -> String {
    format!(
        r#"<saml:Assertion xmlns:saml="{SAML}" {id_attributes} IssueInstant="2025-12-31T23:58:00Z" Version="2.0"><saml:Issuer>https://idp.samlkit.test</saml:Issuer>{signature}<saml:Subject><saml:NameID>{name_id}</saml:NameID></saml:Subject><saml:Conditions NotBefore="2025-12-31T23:55:00Z" NotOnOrAfter="2026-01-01T01:00:00Z"><saml:AudienceRestriction><saml:Audience>https://sp.samlkit.test</saml:Audience></saml:AudienceRestriction></saml:Conditions>{inner}</saml:Assertion>"#
    )
}

fn response(issuer_attributes: &str, assertions: &str) -> String {
    format!(
        r#"<samlp:Response xmlns:samlp="{SAMLP}" ID="_response" Version="2.0" IssueInstant="2025-12-31T23:58:00Z"><saml:Issuer xmlns:saml="{SAML}" {issuer_attributes}>https://idp.samlkit.test</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{assertions}</samlp:Response>"#
    )
}

/// `xmlsec1 --sign` of the first signature template in `template` with the idp test key;
/// `id_attributes` are more ID attribute names of saml:Assertion (`ID` is always one).
fn xmlsec1_sign(template: &str, id_attributes: &[&str]) -> String {
    let assertion = format!("{SAML}:Assertion");
    let ids: Vec<(&str, &str)> = std::iter::once("ID")
        .chain(id_attributes.iter().copied())
        .map(|attribute| (attribute, assertion.as_str()))
        .collect();
    xmlsec1_sign_ids(template, &ids)
}

/// `xmlsec1 --sign` with the given (attribute, namespace:element) ID registrations.
fn xmlsec1_sign_ids(template: &str, ids: &[(&str, &str)]) -> String {
    let dir = work_dir();
    let source = dir.join("template.xml");
    std::fs::write(&source, template).unwrap();
    let key = format!(
        "{},{}",
        key_path("idp.key.pem").display(),
        key_path("idp.crt.pem").display()
    );
    let mut command = Command::new("xmlsec1");
    command.arg("--sign").arg("--privkey-pem").arg(key);
    for (attribute, element) in ids {
        command.args([format!("--id-attr:{attribute}").as_str(), element]);
    }
    command
        .arg("--output")
        .arg(dir.join("signed.xml"))
        .arg(&source);
    run_tool(&mut command, "xmlsec1 --sign");
    let signed = std::fs::read_to_string(dir.join("signed.xml")).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    strip_declaration(&signed).to_string()
}

fn strip_declaration(text: &str) -> &str {
    match text.strip_prefix("<?xml") {
        Some(rest) => rest[rest.find("?>").unwrap() + 2..].trim_start(),
        None => text,
    }
}

/// The genuine assertion: signed by the IdP key over `#_genuine-assertion`, enveloped + exc-c14n.
fn genuine_assertion() -> String {
    let template = assertion(
        &format!(r#"ID="{GENUINE_ID}""#),
        "adele@contoso.example",
        &signature_template(&format!("#{GENUINE_ID}"), &[ENVELOPED, EXC_C14N]),
        "",
    );
    xmlsec1_sign(&template, &[])
}

fn idp_trust() -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(&read(&key_path("idp.crt.pem")), "idp.crt.pem")
        .unwrap();
    trust
}

/// The control every attack below is a variation of: it verifies, so the attacks fail for
/// their own reason and not for a broken input.
#[test]
fn the_genuine_signed_response_verifies() {
    verify_with(
        &response("", &genuine_assertion()),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
            assert_eq!(report.signatures[0].outcome, SignatureOutcome::Verified);
            let assertion = report
                .document()
                .descendants()
                .find(|n| n.attribute("ID") == Some(GENUINE_ID))
                .unwrap();
            assert!(report.verified(assertion).is_some());
        },
    );
}

// --- Verdict: the message or all its assertions must be covered -------------------------------

#[test]
fn an_unsigned_assertion_holding_the_signed_one_in_advice_is_not_verified() {
    // xmlsec1 accepts this document: the genuine signature is intact. The claims an SP reads
    // (the outer assertion's NameID) are the attacker's.
    let forged = response(
        "",
        &assertion(
            r#"ID="_attacker""#,
            "attacker@evil.example",
            "",
            &format!("<saml:Advice>{}</saml:Advice>", genuine_assertion()),
        ),
    );
    verify_with(&forged, &idp_trust(), |report| {
        assert_eq!(report.signatures.len(), 1);
        assert_eq!(report.signatures[0].outcome, SignatureOutcome::Verified);
        // Refused as a whole: the signed assertion sits in an unsigned one's Advice.
        assert_eq!(report.verdict, Verdict::Rejected, "{:?}", codes(report));
        assert!(codes(report).contains(&FindingCode::SignedAssertionInUnsignedAdvice));
        let document = report.document();
        assert!(report.verified(document.root_element()).is_none());
        let outer = document
            .descendants()
            .find(|n| n.attribute("ID") == Some("_attacker"))
            .unwrap();
        assert!(report.verified(outer).is_none());
        assert!(!report.coverage(outer).unwrap().is_covered());
    });
}

// --- Trust: fingerprints ------------------------------------------------------------------------

/// The SHA-256 of the idp certificate, as hex pairs.
fn idp_fingerprint_bytes() -> Vec<u8> {
    let cert = openssl::x509::X509::from_pem(&read(&key_path("idp.crt.pem"))).unwrap();
    openssl::sha::sha256(&cert.to_der().unwrap()).to_vec()
}

fn fingerprint_trust(bytes: &[u8]) -> TrustStore {
    let text: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let mut trust = TrustStore::new();
    trust.add_fingerprint(&text.join(":")).unwrap();
    trust
}

#[test]
fn a_fingerprint_differing_in_one_byte_does_not_trust_the_keyinfo_certificate() {
    let signed = response("", &genuine_assertion());
    let exact = idp_fingerprint_bytes();
    verify_with(&signed, &fingerprint_trust(&exact), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
        assert!(report.signatures[0].keyinfo_certificates[0].trusted);
    });
    for position in [0, 1, 15, 31] {
        let mut near = exact.clone();
        near[position] ^= 0x01;
        verify_with(&signed, &fingerprint_trust(&near), |report| {
            assert_eq!(report.verdict, Verdict::NotVerified, "byte {position}");
            assert_eq!(report.signatures[0].stage, Some(Stage::UntrustedKey));
            assert!(!report.signatures[0].keyinfo_certificates[0].trusted);
        });
    }
}

// --- Trust: metadata roles ---------------------------------------------------------------------

fn certificate_body(name: &str) -> String {
    let pem = String::from_utf8(read(&key_path(name))).unwrap();
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}

fn metadata(idp_cert: &str, sp_cert: &str) -> String {
    let key = |cert: &str, usage: &str| {
        format!(
            r#"<md:KeyDescriptor {usage}><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
            certificate_body(cert)
        )
    };
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.samlkit.test"><md:IDPSSODescriptor protocolSupportEnumeration="{SAMLP}">{}<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.samlkit.test/sso"/></md:IDPSSODescriptor><md:SPSSODescriptor protocolSupportEnumeration="{SAMLP}">{}{}<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.samlkit.test/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>"#,
        key(idp_cert, r#"use="signing""#),
        key(sp_cert, r#"use="signing""#),
        key(sp_cert, ""),
    )
}

fn metadata_trust(xml: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    trust.add_idp_metadata(xml).unwrap();
    trust
}

#[test]
fn a_service_provider_key_in_the_metadata_is_not_an_idp_signing_key() {
    let signed = response("", &genuine_assertion());
    // The IdP role holds the attacker's key; the signer's key is the SP role's.
    let trust = metadata_trust(&metadata("attacker.crt.pem", "idp.crt.pem"));
    assert_eq!(trust.anchors().len(), 1);
    verify_with(&signed, &trust, |report| {
        assert_eq!(report.verdict, Verdict::NotVerified, "{:?}", codes(report));
        assert_eq!(report.signatures[0].stage, Some(Stage::UntrustedKey));
    });
    // The same metadata with the roles' keys swapped verifies.
    let trust = metadata_trust(&metadata("idp.crt.pem", "attacker.crt.pem"));
    verify_with(&signed, &trust, |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
    });
}

// --- Signature profile: the enveloped-signature transform ---------------------------------------

/// `signed` with its SignedInfo replaced by `signed_info` and signed again with the idp key
/// (RSA-SHA256, PKCS#1 v1.5).
fn resign_signed_info(signed: &str, signed_info: &str) -> String {
    resign_signed_info_with(signed, signed_info, |_| {})
}

/// `signed` with its SignedInfo replaced by `signed_info` and signed again with the idp key,
/// SHA-256, the signer's padding set by `configure`. SignedInfo is canonicalized by
/// `xmllint --exc-c14n` on its own (it uses only the ds prefix, declared on ds:Signature, and
/// prefixes it declares itself, so its exclusive form is the same in place).
fn resign_signed_info_with(
    signed: &str,
    signed_info: &str,
    configure: impl FnOnce(&mut openssl::sign::Signer<'_>),
) -> String {
    let start = signed.find("<ds:SignedInfo>").expect("SignedInfo");
    let end = signed.find("</ds:SignedInfo>").expect("SignedInfo end") + "</ds:SignedInfo>".len();
    let standalone = signed_info.replacen(
        "<ds:SignedInfo>",
        &format!(r#"<ds:SignedInfo xmlns:ds="{DS}">"#),
        1,
    );
    let dir = work_dir();
    let path = dir.join("signed-info.xml");
    std::fs::write(&path, standalone).unwrap();
    let canonical = run_tool(
        Command::new("xmllint").arg("--exc-c14n").arg(&path),
        "xmllint --exc-c14n",
    );
    std::fs::remove_dir_all(&dir).ok();
    let key = openssl::pkey::PKey::private_key_from_pem(&read(&key_path("idp.key.pem"))).unwrap();
    let mut signer =
        openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &key).unwrap();
    configure(&mut signer);
    signer.update(&canonical).unwrap();
    let value = openssl::base64::encode_block(&signer.sign_to_vec().unwrap());
    let with_info = format!("{}{signed_info}{}", &signed[..start], &signed[end..]);
    let value_start = with_info.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let value_end = with_info.find("</ds:SignatureValue>").unwrap();
    format!(
        "{}{value}{}",
        &with_info[..value_start],
        &with_info[value_end..]
    )
}

fn signed_info_of(signed: &str) -> &str {
    let start = signed.find("<ds:SignedInfo>").unwrap();
    let end = signed.find("</ds:SignedInfo>").unwrap() + "</ds:SignedInfo>".len();
    &signed[start..end]
}

#[test]
fn without_the_enveloped_signature_transform_the_signature_itself_is_digested() {
    // The digest is of the assertion without its signature, but SignedInfo no longer names the
    // enveloped-signature transform: the reference then covers the signature too, and the
    // digest cannot match.
    let genuine = genuine_assertion();
    let enveloped = format!(r#"<ds:Transform Algorithm="{ENVELOPED}"/>"#);
    let signed_info = signed_info_of(&genuine).replacen(&enveloped, "", 1);
    assert_ne!(signed_info, signed_info_of(&genuine), "transform not found");
    // The control: SignedInfo re-signed unchanged still verifies, so the re-signing is sound.
    let resigned = resign_signed_info(&genuine, signed_info_of(&genuine));
    verify_with(&response("", &resigned), &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
    });
    let stripped = resign_signed_info(&genuine, &signed_info);
    verify_with(&response("", &stripped), &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::NotVerified, "{:?}", codes(report));
        assert_eq!(report.signatures[0].stage, Some(Stage::DigestMismatch));
        assert!(report.verified_elements().is_empty());
    });
}

// --- Reference resolution ----------------------------------------------------------------------

#[test]
fn a_reference_through_id_or_assertion_id_is_not_a_reference_to_the_parent() {
    // The parent's `ID` is "_a"; the reference names the same element through its `Id`.
    let template = assertion(
        r#"ID="_a" Id="_other""#,
        "adele@contoso.example",
        &signature_template("#_other", &[ENVELOPED, EXC_C14N]),
        "",
    );
    let signed = xmlsec1_sign(&template, &["Id"]);
    verify_with(&response("", &signed), &idp_trust(), |report| {
        assert_ne!(report.verdict, Verdict::Verified);
        assert_eq!(report.signatures[0].stage, Some(Stage::ReferenceNotParent));
        assert!(codes(report).contains(&FindingCode::ReferenceNotParent));
    });
    // A SAML 2.0 assertion whose only identifier is a SAML 1.1-style AssertionID.
    let template = assertion(
        r#"AssertionID="_legacy""#,
        "adele@contoso.example",
        &signature_template("#_legacy", &[ENVELOPED, EXC_C14N]),
        "",
    );
    let signed = xmlsec1_sign(&template, &["AssertionID"]);
    verify_with(&response("", &signed), &idp_trust(), |report| {
        assert_ne!(report.verdict, Verdict::Verified);
        assert_eq!(report.signatures[0].stage, Some(Stage::ReferenceNotParent));
        assert!(codes(report).contains(&FindingCode::SignedElementWithoutId));
    });
}

#[test]
fn xpointer_reference_uris_are_refused_before_any_lookup() {
    let genuine = genuine_assertion();
    let reference = format!(r##"URI="#{GENUINE_ID}""##);
    assert!(genuine.contains(&reference));
    for uri in [
        format!("#xpointer(id('{GENUINE_ID}'))"),
        "#xpointer(/)".to_string(),
        format!("#{GENUINE_ID} "),
    ] {
        let document = response(
            "",
            &genuine.replacen(&reference, &format!(r#"URI="{uri}""#), 1),
        );
        verify_with(&document, &idp_trust(), |report| {
            assert_ne!(report.verdict, Verdict::Verified, "{uri}");
            assert_eq!(
                report.signatures[0].stage,
                Some(Stage::ReferenceNotParent),
                "{uri}"
            );
            assert!(
                codes(report).contains(&FindingCode::ReferenceNotSameDocument),
                "{uri}: {:?}",
                codes(report)
            );
        });
    }
}

#[test]
fn an_id_repeated_through_id_or_assertion_id_makes_the_reference_ambiguous() {
    let genuine = genuine_assertion();
    for attribute in ["Id", "AssertionID", "ID"] {
        // The response's Issuer carries the signed assertion's ID value a second time.
        let document = response(&format!(r#"{attribute}="{GENUINE_ID}""#), &genuine);
        verify_with(&document, &idp_trust(), |report| {
            assert_eq!(report.verdict, Verdict::Rejected, "{attribute}");
            assert_eq!(
                report.signatures[0].stage,
                Some(Stage::ReferenceAmbiguous),
                "{attribute}"
            );
            assert!(
                codes(report).contains(&FindingCode::DuplicateId),
                "{attribute}"
            );
            assert!(report.verified_elements().is_empty());
        });
    }
}

// --- Signature profile: algorithm URIs ---------------------------------------------------------

/// Every algorithm URI of XML-DSig 1.1 and RFC 6931 that samlkit knows is read as the standard
/// one it is (a standard URI taken for a made-up one would be reported as non-standard).
#[test]
fn standard_algorithm_uris_are_recognised_as_standard() {
    use samlkit_verify::algorithms::{
        digest_from_uri, signature_from_uri, HashFunction::*, SignatureAlgorithm,
        SignatureFamily::*, UriStatus,
    };
    let digests = [
        ("http://www.w3.org/2000/09/xmldsig#sha1", Sha1),
        ("http://www.w3.org/2001/04/xmldsig-more#sha224", Sha224),
        ("http://www.w3.org/2001/04/xmlenc#sha256", Sha256),
        ("http://www.w3.org/2001/04/xmldsig-more#sha384", Sha384),
        ("http://www.w3.org/2001/04/xmlenc#sha512", Sha512),
    ];
    for (uri, hash) in digests {
        assert_eq!(
            digest_from_uri(uri),
            Some((hash, UriStatus::Standard)),
            "{uri}"
        );
    }
    let more_2001 = "http://www.w3.org/2001/04/xmldsig-more#";
    let more_2007 = "http://www.w3.org/2007/05/xmldsig-more#";
    let signatures = [
        (
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1".to_string(),
            RsaPkcs1,
            Sha1,
        ),
        (format!("{more_2001}rsa-sha224"), RsaPkcs1, Sha224),
        (format!("{more_2001}rsa-sha256"), RsaPkcs1, Sha256),
        (format!("{more_2001}rsa-sha384"), RsaPkcs1, Sha384),
        (format!("{more_2001}rsa-sha512"), RsaPkcs1, Sha512),
        (format!("{more_2007}sha1-rsa-MGF1"), RsaPss, Sha1),
        (format!("{more_2007}sha224-rsa-MGF1"), RsaPss, Sha224),
        (format!("{more_2007}sha256-rsa-MGF1"), RsaPss, Sha256),
        (format!("{more_2007}sha384-rsa-MGF1"), RsaPss, Sha384),
        (format!("{more_2007}sha512-rsa-MGF1"), RsaPss, Sha512),
        (format!("{more_2001}ecdsa-sha1"), Ecdsa, Sha1),
        (format!("{more_2001}ecdsa-sha224"), Ecdsa, Sha224),
        (format!("{more_2001}ecdsa-sha256"), Ecdsa, Sha256),
        (format!("{more_2001}ecdsa-sha384"), Ecdsa, Sha384),
        (format!("{more_2001}ecdsa-sha512"), Ecdsa, Sha512),
        (
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1".to_string(),
            Dsa,
            Sha1,
        ),
        (
            "http://www.w3.org/2009/xmldsig11#dsa-sha256".to_string(),
            Dsa,
            Sha256,
        ),
        (
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1".to_string(),
            Hmac,
            Sha1,
        ),
        (format!("{more_2001}hmac-sha224"), Hmac, Sha224),
        (format!("{more_2001}hmac-sha256"), Hmac, Sha256),
        (format!("{more_2001}hmac-sha384"), Hmac, Sha384),
        (format!("{more_2001}hmac-sha512"), Hmac, Sha512),
    ];
    for (uri, family, hash) in signatures {
        assert_eq!(
            signature_from_uri(&uri),
            Some((SignatureAlgorithm { family, hash }, UriStatus::Standard)),
            "{uri}"
        );
    }
}

// --- Where a signature may sit: metadata ---------------------------------------------------------

const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

fn entity(id: &str, signature: &str) -> String {
    format!(
        r#"<md:EntityDescriptor xmlns:md="{MD}" ID="{id}" entityID="https://idp.samlkit.test/{id}">{signature}<md:IDPSSODescriptor protocolSupportEnumeration="{SAMLP}"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.samlkit.test/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
    )
}

/// Signed metadata verifies whether the signature is on an aggregate (EntitiesDescriptor) or
/// on an EntityDescriptor inside one.
#[test]
fn signed_metadata_aggregates_and_their_entities_verify() {
    let entities = format!("{MD}:EntitiesDescriptor");
    let entity_element = format!("{MD}:EntityDescriptor");
    let ids = [("ID", entities.as_str()), ("ID", entity_element.as_str())];
    let transforms = [ENVELOPED, EXC_C14N];
    let aggregate = xmlsec1_sign_ids(
        &format!(
            r#"<md:EntitiesDescriptor xmlns:md="{MD}" ID="_aggregate" Name="https://federation.samlkit.test">{}{}</md:EntitiesDescriptor>"#,
            signature_template("#_aggregate", &transforms),
            entity("_one", "")
        ),
        &ids,
    );
    let inner = xmlsec1_sign_ids(
        &format!(
            r#"<md:EntitiesDescriptor xmlns:md="{MD}" Name="https://federation.samlkit.test">{}</md:EntitiesDescriptor>"#,
            entity("_one", &signature_template("#_one", &transforms))
        ),
        &ids,
    );
    for (case, xml, signed) in [
        ("aggregate", aggregate, "EntitiesDescriptor"),
        ("entity", inner, "EntityDescriptor"),
    ] {
        verify_with(&xml, &idp_trust(), |report| {
            assert_eq!(
                report.signatures[0].outcome,
                SignatureOutcome::Verified,
                "{case}: {:?}",
                codes(report)
            );
            let parent = report.signatures[0].parent.as_ref().unwrap();
            assert_eq!(parent.name, signed, "{case}");
            let signed_node = report
                .document()
                .descendants()
                .find(|n| n.tag_name().name() == signed)
                .unwrap();
            assert!(report.verified(signed_node).is_some(), "{case}");
        });
    }
}

// --- Where a signature may sit: protocol messages and SOAP -------------------------------------

const SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// `xmlsec1 --sign` of a document whose signed element is samlp:`element` with `ID`.
fn sign_protocol(template: &str, element: &str) -> String {
    let protocol = format!("{SAMLP}:{element}");
    let assertion = format!("{SAML}:Assertion");
    xmlsec1_sign_ids(template, &[("ID", &protocol), ("ID", &assertion)])
}

fn logout_request(signature: &str) -> String {
    format!(
        r#"<samlp:LogoutRequest xmlns:samlp="{SAMLP}" ID="_logout" Version="2.0" IssueInstant="2025-12-31T23:58:00Z"><saml:Issuer xmlns:saml="{SAML}">https://idp.samlkit.test</saml:Issuer>{signature}<saml:NameID xmlns:saml="{SAML}">adele@contoso.example</saml:NameID></samlp:LogoutRequest>"#
    )
}

fn signed_response_template() -> String {
    format!(
        r#"<samlp:Response xmlns:samlp="{SAMLP}" ID="_response" Version="2.0" IssueInstant="2025-12-31T23:58:00Z"><saml:Issuer xmlns:saml="{SAML}">https://idp.samlkit.test</saml:Issuer>{}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{}</samlp:Response>"#,
        signature_template("#_response", &[ENVELOPED, EXC_C14N]),
        assertion(r#"ID="_inner""#, "adele@contoso.example", "", "")
    )
}

/// A signed Response, signed LogoutRequest, and a Response inside an ArtifactResponse or a SOAP
/// Body verify where SAML puts them.
#[test]
fn protocol_messages_verify_where_saml_puts_them() {
    let logout = sign_protocol(
        &logout_request(&signature_template("#_logout", &[ENVELOPED, EXC_C14N])),
        "LogoutRequest",
    );
    let response =
        strip_declaration(&sign_protocol(&signed_response_template(), "Response")).to_string();
    let artifact = format!(
        r#"<samlp:ArtifactResponse xmlns:samlp="{SAMLP}" ID="_artifact" Version="2.0" IssueInstant="2025-12-31T23:58:00Z" InResponseTo="_resolve"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{response}</samlp:ArtifactResponse>"#
    );
    let soap = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP}"><soap:Body>{artifact}</soap:Body></soap:Envelope>"#
    );
    for (case, xml) in [
        ("LogoutRequest", logout),
        ("Response", response.clone()),
        ("ArtifactResponse", artifact),
        ("SOAP", soap),
    ] {
        verify_with(&xml, &idp_trust(), |report| {
            assert_eq!(
                report.verdict,
                Verdict::Verified,
                "{case}: {:?}",
                codes(report)
            );
        });
    }
}

/// The same signed Response (the math still holds) where SAML does not put one: the document
/// is rejected as misplaced.
#[test]
fn a_signed_message_out_of_its_place_is_rejected() {
    let response =
        strip_declaration(&sign_protocol(&signed_response_template(), "Response")).to_string();
    let logout = strip_declaration(&sign_protocol(
        &logout_request(&signature_template("#_logout", &[ENVELOPED, EXC_C14N])),
        "LogoutRequest",
    ))
    .to_string();
    let cases = [
        (
            "SOAP Header",
            format!(
                r#"<soap:Envelope xmlns:soap="{SOAP}"><soap:Header>{response}</soap:Header><soap:Body/></soap:Envelope>"#
            ),
        ),
        (
            "Body outside an Envelope",
            format!(
                r#"<w:Wrapper xmlns:w="urn:wrap"><soap:Body xmlns:soap="{SOAP}">{response}</soap:Body></w:Wrapper>"#
            ),
        ),
        (
            "Envelope not at the root",
            format!(
                r#"<w:Wrapper xmlns:w="urn:wrap"><soap:Envelope xmlns:soap="{SOAP}"><soap:Body>{response}</soap:Body></soap:Envelope></w:Wrapper>"#
            ),
        ),
        (
            "LogoutRequest inside an ArtifactResponse",
            format!(
                r#"<samlp:ArtifactResponse xmlns:samlp="{SAMLP}" ID="_artifact" Version="2.0" IssueInstant="2025-12-31T23:58:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{logout}</samlp:ArtifactResponse>"#
            ),
        ),
    ];
    for (case, xml) in cases {
        verify_with(&xml, &idp_trust(), |report| {
            assert_eq!(
                report.verdict,
                Verdict::Rejected,
                "{case}: {:?}",
                codes(report)
            );
            assert!(
                codes(report).contains(&FindingCode::ElementMisplaced),
                "{case}: {:?}",
                codes(report)
            );
            assert!(report.verified_elements().is_empty(), "{case}");
        });
    }
}

#[test]
fn advice_holds_assertions_only_inside_an_assertion() {
    // The signed assertion in an Advice that hangs directly off the Response.
    let xml = response(
        "",
        &format!(
            r#"<saml:Advice xmlns:saml="{SAML}">{}</saml:Advice>"#,
            genuine_assertion()
        ),
    );
    verify_with(&xml, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Rejected, "{:?}", codes(report));
        assert!(codes(report).contains(&FindingCode::ElementMisplaced));
        assert!(report.verified_elements().is_empty());
    });
}

#[test]
fn an_element_with_two_signatures_is_refused_by_name() {
    let genuine = genuine_assertion();
    let start = genuine.find("<ds:Signature").unwrap();
    let end = genuine.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let doubled = format!("{}{}", &genuine[..end], &genuine[start..]);
    verify_with(&response("", &doubled), &idp_trust(), |report| {
        assert_eq!(report.signatures.len(), 2);
        assert_ne!(report.verdict, Verdict::Verified);
        for signature in &report.signatures {
            assert!(
                signature
                    .findings
                    .iter()
                    .any(|f| f.code == FindingCode::MalformedSignature
                        && f.message.contains("carries 2 signatures")),
                "{:?}",
                signature.findings
            );
        }
    });
}

// --- Signature profile: SignatureMethod parameters and InclusiveNamespaces ----------------------

const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RSA_PSS_SHA256: &str = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
const PSS_NS: &str = "http://www.w3.org/2007/05/xmldsig-more#";

/// RFC 6931 RSAPSSParams naming `digest` (a DigestMethod URI).
fn pss_params(digest: &str) -> String {
    format!(
        r#"<pss:RSAPSSParams xmlns:pss="{PSS_NS}"><ds:DigestMethod Algorithm="{digest}"/><pss:SaltLength>32</pss:SaltLength></pss:RSAPSSParams>"#
    )
}

/// The genuine assertion's SignedInfo with `method` (the whole SignatureMethod element) in
/// place of its own.
fn with_signature_method(genuine: &str, method: &str) -> String {
    let own = format!(r#"<ds:SignatureMethod Algorithm="{RSA_SHA256}"/>"#);
    let signed_info = signed_info_of(genuine);
    assert!(signed_info.contains(&own), "SignatureMethod not found");
    signed_info.replacen(&own, method, 1)
}

/// RSA-PSS with SHA-256 and a 32-byte salt, as RSAPSSParams above say.
fn pss_padding(signer: &mut openssl::sign::Signer<'_>) {
    signer
        .set_rsa_padding(openssl::rsa::Padding::PKCS1_PSS)
        .unwrap();
    signer
        .set_rsa_pss_saltlen(openssl::sign::RsaPssSaltlen::custom(32))
        .unwrap();
    signer
        .set_rsa_mgf1_md(openssl::hash::MessageDigest::sha256())
        .unwrap();
}

#[test]
fn rsa_pss_parameters_must_agree_with_the_algorithm() {
    let genuine = genuine_assertion();
    let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    let sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    // RSAPSSParams naming the URI's own digest: the signature verifies.
    let method = format!(
        r#"<ds:SignatureMethod Algorithm="{RSA_PSS_SHA256}">{}</ds:SignatureMethod>"#,
        pss_params(sha256)
    );
    let signed = resign_signed_info_with(
        &genuine,
        &with_signature_method(&genuine, &method),
        pss_padding,
    );
    verify_with(&response("", &signed), &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
        assert_eq!(
            report.signatures[0].algorithms.signature.as_deref(),
            Some(RSA_PSS_SHA256)
        );
    });
    // Re-signed with `method` as the SignatureMethod (PSS padding when `pss`): refused with `code`.
    let refused = |method: String, pss: bool, code: FindingCode| {
        let signed_info = with_signature_method(&genuine, &method);
        let signed = if pss {
            resign_signed_info_with(&genuine, &signed_info, pss_padding)
        } else {
            resign_signed_info(&genuine, &signed_info)
        };
        verify_with(&response("", &signed), &idp_trust(), |report| {
            assert_ne!(report.signatures[0].outcome, SignatureOutcome::Verified);
            assert_refused_with(report, code, &method);
        });
    };
    // RSAPSSParams naming another digest than the URI's: refused before any cryptography.
    refused(
        format!(
            r#"<ds:SignatureMethod Algorithm="{RSA_PSS_SHA256}">{}</ds:SignatureMethod>"#,
            pss_params(sha512)
        ),
        true,
        FindingCode::UnsupportedAlgorithm,
    );
    // Anything else inside a PSS SignatureMethod is not a parameter.
    refused(
        format!(
            r#"<ds:SignatureMethod Algorithm="{RSA_PSS_SHA256}"><ds:HMACOutputLength>128</ds:HMACOutputLength></ds:SignatureMethod>"#
        ),
        true,
        FindingCode::MalformedSignature,
    );
    // RSAPSSParams under PKCS#1 RSA-SHA256 parameterize nothing there.
    refused(
        format!(
            r#"<ds:SignatureMethod Algorithm="{RSA_SHA256}">{}</ds:SignatureMethod>"#,
            pss_params(sha256)
        ),
        false,
        FindingCode::MalformedSignature,
    );
}

#[test]
fn a_second_inclusive_namespaces_element_is_refused() {
    let genuine = genuine_assertion();
    let transform = format!(r#"<ds:Transform Algorithm="{EXC_C14N}"/>"#);
    let inclusive = format!(r#"<ec:InclusiveNamespaces xmlns:ec="{EXC_C14N}" PrefixList=""/>"#);
    let signed_info = signed_info_of(&genuine);
    assert!(
        signed_info.contains(&transform),
        "exclusive transform not found"
    );
    // One (empty) InclusiveNamespaces changes nothing: the control verifies.
    let once = signed_info.replacen(
        &transform,
        &format!(r#"<ds:Transform Algorithm="{EXC_C14N}">{inclusive}</ds:Transform>"#),
        1,
    );
    verify_with(
        &response("", &resign_signed_info(&genuine, &once)),
        &idp_trust(),
        |report| assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report)),
    );
    // Two are not XML-DSig's shape; which one would an implementation read?
    let twice = signed_info.replacen(
        &transform,
        &format!(r#"<ds:Transform Algorithm="{EXC_C14N}">{inclusive}{inclusive}</ds:Transform>"#),
        1,
    );
    verify_with(
        &response("", &resign_signed_info(&genuine, &twice)),
        &idp_trust(),
        |report| {
            assert_ne!(report.signatures[0].outcome, SignatureOutcome::Verified);
            assert_refused_with(
                report,
                FindingCode::InclusiveNamespacesInvalid,
                "two InclusiveNamespaces",
            );
            // A shape error, not an algorithm the verifier lacks.
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
        },
    );
}

/// Standard algorithm URIs draw no "not defined by any specification" note.
#[test]
fn standard_algorithm_uris_draw_no_non_standard_note() {
    verify_with(
        &response("", &genuine_assertion()),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            assert!(!codes(report).contains(&FindingCode::NonStandardAlgorithmUri));
        },
    );
}

/// A canonicalization or enveloped-signature transform given twice is named as repeated; a
/// transform outside the SAML profile is named as not allowed. The user reads which it was.
#[test]
fn repeated_and_foreign_transforms_are_named_for_what_they_are() {
    // Two transforms at most (more are refused as too many before their kinds are read).
    let cases = [
        ([ENVELOPED, ENVELOPED], "repeated or out of order"),
        ([EXC_C14N, EXC_C14N], "repeated or out of order"),
        (
            [ENVELOPED, "http://www.w3.org/2000/09/xmldsig#base64"],
            "is not allowed",
        ),
    ];
    let genuine = genuine_assertion();
    for (transforms, expected) in cases {
        let listed: String = transforms
            .iter()
            .map(|uri| format!(r#"<ds:Transform Algorithm="{uri}"/>"#))
            .collect();
        let signed_info = signed_info_of(&genuine);
        let start = signed_info.find("<ds:Transforms>").unwrap() + "<ds:Transforms>".len();
        let end = signed_info.find("</ds:Transforms>").unwrap();
        let changed = format!("{}{listed}{}", &signed_info[..start], &signed_info[end..]);
        let signed = resign_signed_info(&genuine, &changed);
        verify_with(&response("", &signed), &idp_trust(), |report| {
            assert_ne!(report.verdict, Verdict::Verified);
            let finding = report
                .all_findings()
                .find(|finding| finding.code == FindingCode::TransformNotAllowed)
                .unwrap_or_else(|| panic!("{transforms:?}: {:?}", codes(report)));
            assert!(
                finding.message.contains(expected),
                "{transforms:?}: {}",
                finding.message
            );
        });
    }
}

// --- The verdict: the message as a whole --------------------------------------------------------

/// An unsigned assertion holding the genuine signed one as Evidence of an authorization
/// decision. The signed assertion is intact, but the Response's one direct assertion, whose
/// claims an SP reads, is the attacker's.
#[test]
fn a_signed_assertion_as_evidence_in_an_unsigned_one_does_not_verify_the_message() {
    let evidence = format!(
        r#"<saml:AuthzDecisionStatement Resource="https://sp.samlkit.test/" Decision="Permit"><saml:Action Namespace="urn:oasis:names:tc:SAML:1.0:action:rwedc">Read</saml:Action><saml:Evidence>{}</saml:Evidence></saml:AuthzDecisionStatement>"#,
        genuine_assertion()
    );
    let forged = response(
        "",
        &assertion(r#"ID="_attacker""#, "attacker@evil.example", "", &evidence),
    );
    verify_with(&forged, &idp_trust(), |report| {
        // Evidence is a place SAML's schema allows, but no SAML profile signs an assertion
        // there: refused as a whole, like the Advice shape.
        assert_eq!(report.verdict, Verdict::Rejected, "{:?}", codes(report));
        assert!(codes(report).contains(&FindingCode::ElementMisplaced));
        assert!(report.verified_elements().is_empty());
        assert!(report.verified_root().is_none());
    });
}

/// A metadata aggregate is verified by its own signature; one signed entity inside an
/// unsigned aggregate verifies that entity only.
#[test]
fn one_signed_entity_in_an_unsigned_aggregate_does_not_verify_the_aggregate() {
    let entity =
        String::from_utf8(read(&fixtures_dir().join("signed/signed_metadata.xml"))).unwrap();
    let entity = strip_declaration(&entity);
    let aggregate = format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">{entity}<md:EntityDescriptor entityID="https://unsigned.example.test/"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor></md:EntitiesDescriptor>"#
    );
    verify_with(&aggregate, &idp_trust(), |report| {
        assert_eq!(report.signatures.len(), 1);
        assert_eq!(report.signatures[0].outcome, SignatureOutcome::Verified);
        assert_eq!(report.verdict, Verdict::NotVerified, "{:?}", codes(report));
        assert!(report.verified_root().is_none());
        let signed = report
            .document()
            .root_element()
            .first_element_child()
            .unwrap();
        assert!(report.verified(signed).is_some());
    });
}

/// SAML 1.x names each message's ID attribute after the element: a signed samlp:Request
/// (artifact resolution) references its own `RequestID`.
#[test]
fn a_saml1_request_is_signed_over_its_request_id() {
    const SAML1P: &str = "urn:oasis:names:tc:SAML:1.0:protocol";
    let template = format!(
        r#"<samlp:Request xmlns:samlp="{SAML1P}" RequestID="_request1" MajorVersion="1" MinorVersion="1" IssueInstant="2025-12-31T23:58:00Z">{}<samlp:AssertionArtifact>AAH0ZXN0LWFydGlmYWN0LWhhbmRsZS1zb3VyY2UtaWQ=</samlp:AssertionArtifact></samlp:Request>"#,
        signature_template("#_request1", &[ENVELOPED, EXC_C14N])
    );
    let signed = xmlsec1_sign_ids(&template, &[("RequestID", &format!("{SAML1P}:Request"))]);
    verify_with(&signed, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
        assert!(report.verified_root().is_some());
    });
}

// --- Signature profile: the parts of a signature ------------------------------------------------

/// The genuine response with `change` applied to the assertion's signature text.
fn genuine_with(change: impl FnOnce(&str) -> String) -> String {
    let genuine = genuine_assertion();
    let changed = change(&genuine);
    assert_ne!(changed, genuine, "the change applies");
    response("", &changed)
}

fn malformed_messages(report: &VerificationReport<'_, '_>) -> Vec<String> {
    report
        .all_findings()
        .filter(|finding| finding.code == FindingCode::MalformedSignature)
        .map(|finding| finding.message.clone())
        .collect()
}

/// The document is not verified, and a malformed-signature finding says exactly `message`.
fn assert_malformed_because(report: &VerificationReport<'_, '_>, message: &str) {
    assert_ne!(report.verdict, Verdict::Verified);
    let messages = malformed_messages(report);
    assert!(messages.iter().any(|m| m == message), "{messages:?}");
}

#[test]
fn a_signature_without_signed_info_is_named_as_such() {
    let xml = genuine_with(|genuine| {
        let start = genuine.find("<ds:SignedInfo>").unwrap();
        let end = genuine.find("</ds:SignedInfo>").unwrap() + "</ds:SignedInfo>".len();
        format!("{}{}", &genuine[..start], &genuine[end..])
    });
    verify_with(&xml, &idp_trust(), |report| {
        assert_malformed_because(report, "the signature has no <SignedInfo>");
        assert!(!codes(report).contains(&FindingCode::MultipleSignedInfo));
    });
}

#[test]
fn a_second_signed_info_anywhere_in_the_signature_is_refused() {
    // Hidden in an Object, where core validation never looks: one verifier may read it.
    let xml = genuine_with(|genuine| {
        let signed_info = signed_info_of(genuine).to_string();
        genuine.replacen(
            "</ds:Signature>",
            &format!("<ds:Object>{signed_info}</ds:Object></ds:Signature>"),
            1,
        )
    });
    verify_with(&xml, &idp_trust(), |report| {
        assert_refused_with(
            report,
            FindingCode::MultipleSignedInfo,
            "SignedInfo in an Object",
        );
    });
}

#[test]
fn repeated_objects_keep_the_schema_order() {
    // XML-DSig allows any number of Objects after KeyInfo; two in a row are in order.
    let xml = genuine_with(|genuine| {
        genuine.replacen(
            "</ds:Signature>",
            "<ds:Object Id=\"o1\"/><ds:Object Id=\"o2\"/></ds:Signature>",
            1,
        )
    });
    verify_with(&xml, &idp_trust(), |report| {
        let messages = malformed_messages(report);
        assert!(
            !messages
                .iter()
                .any(|m| m.contains("XML-DSig requires the order")),
            "{messages:?}"
        );
    });
}

#[test]
fn a_reference_with_two_transforms_lists_is_refused() {
    let genuine = genuine_assertion();
    let signed_info = signed_info_of(&genuine);
    let start = signed_info.find("<ds:Transforms>").unwrap();
    let end = signed_info.find("</ds:Transforms>").unwrap() + "</ds:Transforms>".len();
    let transforms = &signed_info[start..end];
    let doubled = format!("{}{transforms}{}", &signed_info[..end], &signed_info[end..]);
    let signed = resign_signed_info(&genuine, &doubled);
    verify_with(&response("", &signed), &idp_trust(), |report| {
        assert_malformed_because(report, "<Reference> has several <Transforms>");
    });
}

/// Several assertions, each signed by the IdP: every one is covered, so the several-assertions
/// shape (an unsigned one beside a signed one) is not there.
#[test]
fn several_assertions_all_signed_are_not_the_smuggling_shape() {
    let signed = |id: &str| {
        xmlsec1_sign(
            &assertion(
                &format!(r#"ID="{id}""#),
                "adele@contoso.example",
                &signature_template(&format!("#{id}"), &[ENVELOPED, EXC_C14N]),
                "",
            ),
            &[],
        )
    };
    let both = response("", &format!("{}{}", signed("_first"), signed("_second")));
    verify_with(&both, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
        assert!(!codes(report).contains(&FindingCode::MultipleAssertions));
    });
    // One of them unsigned: the shape, refused.
    let unsigned = assertion(r#"ID="_second""#, "attacker@evil.example", "", "");
    let mixed = response("", &format!("{}{unsigned}", signed("_first")));
    verify_with(&mixed, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Rejected, "{:?}", codes(report));
        assert!(codes(report).contains(&FindingCode::MultipleAssertions));
    });
}
