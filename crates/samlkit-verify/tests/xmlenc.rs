//! XML Encryption: the fixtures made by tests/fixtures/xmlenc/generate.sh (xmlsec1, and openssl
//! where xmlsec1 1.2.37 lacks the algorithm) decrypt with the test-only SP key, one per key
//! transport and content cipher; key files load in every accepted shape; and each way of
//! failing reports its stage and a message that says what to do, without telling a padding
//! error from a wrong key.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use openssl::pkey::{PKey, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use openssl::symm::{Cipher, Crypter, Mode};
use openssl::x509::X509;
use samlkit_parse::xml::{self, ns};
use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::certs::Certificate;
use samlkit_verify::xmlenc::{
    decrypt_document, decrypt_element, encrypted_elements, has_encrypted_elements, splice, uri,
    Decrypted, DecryptionFailure, DecryptionKeys, DecryptionStage, EncryptionFindingCode,
    XmlEncError, MAX_ENCRYPTED_ELEMENTS,
};
use samlkit_verify::MissingInput;

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SP_KEY: &str = "test-only-sp.key.pem";
const OTHER_KEY: &str = "test-only-other-sp.key.pem";
const SP_SUBJECT: &str = "CN=samlkit test-only SP encryption key, O=samlkit tests";

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/xmlenc")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn fixture(name: &str) -> String {
    String::from_utf8(fixture_bytes(name)).expect("fixture is UTF-8")
}

fn keys(files: &[&str]) -> DecryptionKeys {
    let mut keys = DecryptionKeys::new();
    for file in files {
        keys.add_pem(&fixture_bytes(file), file)
            .unwrap_or_else(|err| panic!("{err}"));
    }
    keys
}

fn sp_certificate() -> Certificate {
    let x509 = X509::from_pem(&fixture_bytes("test-only-sp.cert.pem")).unwrap();
    Certificate::from_der(&x509.to_der().unwrap()).unwrap()
}

/// Decrypts the first encrypted element of `text`.
/// The range of the first element that starts with `open` (its start tag, or a prefix of it)
/// up to the end of the first `</name>` after it.
fn element_range(text: &str, open: &str, name: &str) -> std::ops::Range<usize> {
    let start = text.find(open).expect("the element is in the text");
    let close = format!("</{name}>");
    let end = start + text[start..].find(&close).expect("the element ends") + close.len();
    start..end
}

/// `text` without the element [`element_range`] finds.
fn without_element(text: &str, open: &str, name: &str) -> String {
    let range = element_range(text, open, name);
    format!("{}{}", &text[..range.start], &text[range.end..])
}

fn decrypt_first(text: &str, keys: &DecryptionKeys) -> Result<Decrypted, DecryptionFailure> {
    let doc = parse_xml(text, &Limits::default()).expect("test document parses");
    let elements = encrypted_elements(&doc);
    assert_eq!(elements.len(), 1, "one encrypted element expected");
    decrypt_element(elements[0], keys)
}

fn expect_failure(text: &str, keys: &DecryptionKeys) -> DecryptionFailure {
    match decrypt_first(text, keys) {
        Ok(done) => panic!("decrypted, expected a failure: {}", done.plaintext),
        Err(failure) => failure,
    }
}

/// Decrypts the whole document and returns what decryption reported plus the values the
/// decrypted content carries (NameID and AttributeValue texts).
fn decrypt_fixture(name: &str) -> (Decrypted, Vec<String>) {
    let text = fixture(&format!("{name}.xml"));
    let result = decrypt_document(&text, &keys(&[SP_KEY]), &Limits::default()).unwrap();
    assert_eq!(result.elements.len(), 1, "{name}: one encrypted element");
    let done = match &result.elements[0].result {
        Ok(done) => done.clone(),
        Err(failure) => panic!("{name}: {} — {}", failure.stage, failure.message),
    };
    let doc = parse_xml(&result.text, &Limits::default()).expect("spliced document parses");
    assert!(
        encrypted_elements(&doc).is_empty(),
        "{name}: nothing left encrypted"
    );
    let values = doc
        .descendants()
        .filter(|n| {
            xml::is_element(*n, ns::SAML, "NameID")
                || xml::is_element(*n, ns::SAML, "AttributeValue")
        })
        .map(|n| xml::text_content(n).trim().to_string())
        .collect();
    (done, values)
}

fn codes(done: &Decrypted) -> Vec<EncryptionFindingCode> {
    done.findings.iter().map(|f| f.code).collect()
}

/// One fixture: it decrypts with the SP key to content naming the fixture, read with the
/// algorithms and findings given.
fn check_fixture(
    name: &str,
    element: &str,
    data_algorithm: &str,
    key_transport: &str,
    description: &str,
    findings: &[EncryptionFindingCode],
) {
    let (done, values) = decrypt_fixture(name);
    assert!(
        values.iter().any(|v| v == name),
        "{name}: decrypted values {values:?}"
    );
    assert_eq!(done.element, element, "{name}");
    assert_eq!(done.data_algorithm, data_algorithm, "{name}");
    assert_eq!(done.key_transport, key_transport, "{name}");
    assert_eq!(done.description, description, "{name}");
    assert_eq!(done.key_label, SP_KEY, "{name}");
    assert_eq!(codes(&done), findings, "{name}");
    assert_eq!(
        done.recipient.as_ref().map(|r| r.subject.as_str()),
        Some(SP_SUBJECT),
        "{name}"
    );
}

use EncryptionFindingCode::{
    RecipientCertificateMismatch, UnauthenticatedCipherMode, WeakDataCipher, WeakKeyTransport,
    XmlDeclarationInContent,
};

const OAEP_SHA1: &str = "RSA-OAEP (SHA-1, MGF1 SHA-1)";

// --- one fixture per key transport and content cipher --------------------------------------

#[test]
fn rsa_1_5_with_aes128_cbc_decrypts_and_is_flagged() {
    check_fixture(
        "rsa-1_5.aes128-cbc",
        "Assertion",
        uri::AES128_CBC,
        uri::RSA_1_5,
        "AES-128-CBC, key transported with RSA PKCS#1 v1.5 (rsa-1_5)",
        &[WeakKeyTransport, UnauthenticatedCipherMode],
    );
}

#[test]
fn rsa_1_5_with_triple_des_decrypts_and_both_are_flagged() {
    check_fixture(
        "rsa-1_5.tripledes-cbc",
        "Assertion",
        uri::TRIPLEDES_CBC,
        uri::RSA_1_5,
        "Triple DES CBC, key transported with RSA PKCS#1 v1.5 (rsa-1_5)",
        &[WeakKeyTransport, WeakDataCipher, UnauthenticatedCipherMode],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_aes128_cbc_decrypts() {
    check_fixture(
        "rsa-oaep-mgf1p.aes128-cbc",
        "Assertion",
        uri::AES128_CBC,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-128-CBC, key transported with {OAEP_SHA1}"),
        &[UnauthenticatedCipherMode],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_aes192_cbc_decrypts() {
    check_fixture(
        "rsa-oaep-mgf1p.aes192-cbc",
        "Assertion",
        uri::AES192_CBC,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-192-CBC, key transported with {OAEP_SHA1}"),
        &[UnauthenticatedCipherMode],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_aes256_cbc_decrypts() {
    check_fixture(
        "rsa-oaep-mgf1p.aes256-cbc",
        "Assertion",
        uri::AES256_CBC,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-256-CBC, key transported with {OAEP_SHA1}"),
        &[UnauthenticatedCipherMode],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_aes128_gcm_decrypts() {
    check_fixture(
        "rsa-oaep-mgf1p.aes128-gcm",
        "Assertion",
        uri::AES128_GCM,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-128-GCM, key transported with {OAEP_SHA1}"),
        &[],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_aes192_gcm_decrypts() {
    check_fixture(
        "rsa-oaep-mgf1p.aes192-gcm",
        "Assertion",
        uri::AES192_GCM,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-192-GCM, key transported with {OAEP_SHA1}"),
        &[],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_aes256_gcm_decrypts() {
    check_fixture(
        "rsa-oaep-mgf1p.aes256-gcm",
        "Assertion",
        uri::AES256_GCM,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-256-GCM, key transported with {OAEP_SHA1}"),
        &[],
    );
}

#[test]
fn rsa_oaep_mgf1p_with_a_sha256_digest_keeps_mgf1_sha1() {
    check_fixture(
        "rsa-oaep-mgf1p-sha256.aes256-gcm",
        "Assertion",
        uri::AES256_GCM,
        uri::RSA_OAEP_MGF1P,
        "AES-256-GCM, key transported with RSA-OAEP (SHA-256, MGF1 SHA-1)",
        &[],
    );
}

#[test]
fn xmlenc11_rsa_oaep_with_mgf_digest_and_oaep_params_decrypts() {
    check_fixture(
        "xmlenc11-rsa-oaep.sha256-mgf1sha256-params.aes256-gcm",
        "Assertion",
        uri::AES256_GCM,
        uri::RSA_OAEP,
        "AES-256-GCM, key transported with RSA-OAEP (SHA-256, MGF1 SHA-256)",
        &[],
    );
}

#[test]
fn xmlenc11_rsa_oaep_without_mgf_element_uses_mgf1_sha1() {
    check_fixture(
        "xmlenc11-rsa-oaep.sha512-default-mgf.aes128-cbc",
        "Assertion",
        uri::AES128_CBC,
        uri::RSA_OAEP,
        "AES-128-CBC, key transported with RSA-OAEP (SHA-512, MGF1 SHA-1)",
        &[UnauthenticatedCipherMode],
    );
}

#[test]
fn detached_encrypted_key_named_by_carried_key_name_decrypts() {
    check_fixture(
        "detached-key.rsa-oaep-mgf1p.aes256-cbc",
        "Assertion",
        uri::AES256_CBC,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-256-CBC, key transported with {OAEP_SHA1}"),
        &[UnauthenticatedCipherMode],
    );
}

#[test]
fn encrypted_id_decrypts_to_a_name_id() {
    check_fixture(
        "encrypted-id.rsa-oaep-mgf1p.aes128-cbc",
        "NameID",
        uri::AES128_CBC,
        uri::RSA_OAEP_MGF1P,
        &format!("AES-128-CBC, key transported with {OAEP_SHA1}"),
        &[UnauthenticatedCipherMode],
    );
}

#[test]
fn encrypted_attribute_decrypts_to_an_attribute() {
    check_fixture(
        "encrypted-attribute.rsa-1_5.aes256-gcm",
        "Attribute",
        uri::AES256_GCM,
        uri::RSA_1_5,
        "AES-256-GCM, key transported with RSA PKCS#1 v1.5 (rsa-1_5)",
        &[WeakKeyTransport],
    );
}

#[test]
fn plaintext_prefix_declared_on_the_wrapper_is_carried_into_the_replacement() {
    // xmlsec1 wrote `<saml:Assertion` without a declaration: `saml` is declared on the
    // EncryptedAssertion, which the splice removes.
    let (done, _) = decrypt_fixture("rsa-oaep-mgf1p.aes256-cbc");
    assert!(done.plaintext.starts_with("<saml:Assertion ID="));
    assert!(done
        .replacement
        .starts_with(&format!("<saml:Assertion xmlns:saml=\"{SAML}\" ID=")));
    assert_eq!(
        done.replacement
            .replacen(&format!(" xmlns:saml=\"{SAML}\""), "", 1),
        done.plaintext
    );
}

// --- key files ---------------------------------------------------------------------------------

#[test]
fn pkcs8_pkcs1_and_key_with_certificate_files_load_the_same_key() {
    let mut fingerprints = Vec::new();
    for file in [
        SP_KEY,
        "test-only-sp.pkcs1.key.pem",
        "test-only-sp.key-and-cert.pem",
    ] {
        let mut keys = DecryptionKeys::new();
        assert_eq!(
            keys.add_pem(&fixture_bytes(file), file).unwrap(),
            1,
            "{file}"
        );
        let key = keys.iter().next().unwrap();
        assert_eq!(key.label(), file);
        fingerprints.push(key.public_key_sha256());
        let done = decrypt_first(&fixture("rsa-oaep-mgf1p.aes128-gcm.xml"), &keys).unwrap();
        assert_eq!(done.key_label, file);
    }
    assert!(fingerprints.windows(2).all(|pair| pair[0] == pair[1]));

    let combined = keys(&["test-only-sp.key-and-cert.pem"]);
    let key = combined.iter().next().unwrap();
    let cert = key.certificate().expect("certificate beside the key");
    assert_eq!(cert.subject, SP_SUBJECT);
    assert_eq!(
        cert.sha256_fingerprint,
        sp_certificate().facts().sha256_fingerprint
    );
    assert!(key.description().contains(SP_SUBJECT));
    assert!(keys(&[SP_KEY])
        .iter()
        .next()
        .unwrap()
        .certificate()
        .is_none());
}

#[test]
fn a_file_with_two_keys_labels_each_and_the_matching_one_decrypts() {
    let mut both = fixture_bytes(OTHER_KEY);
    both.extend_from_slice(&fixture_bytes(SP_KEY));
    let mut keys = DecryptionKeys::new();
    assert_eq!(keys.add_pem(&both, "both.pem").unwrap(), 2);
    let labels: Vec<&str> = keys.iter().map(|k| k.label()).collect();
    assert_eq!(labels, ["both.pem (key 1)", "both.pem (key 2)"]);
    let done = decrypt_first(&fixture("rsa-1_5.aes128-cbc.xml"), &keys).unwrap();
    assert_eq!(done.key_label, "both.pem (key 2)");
    assert!(!codes(&done).contains(&RecipientCertificateMismatch));
}

#[test]
fn files_without_a_usable_private_key_are_refused_with_the_reason() {
    let mut keys = DecryptionKeys::new();
    let certificate_only = keys.add_pem(&fixture_bytes("test-only-sp.cert.pem"), "sp.crt");
    match certificate_only {
        Err(err @ XmlEncError::NoPrivateKey { .. }) => {
            assert!(err.to_string().contains("only a certificate"), "{err}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        keys.add_pem(b"not a key at all", "junk.txt"),
        Err(XmlEncError::NoPrivateKey { .. })
    ));

    let rsa = Rsa::generate(2048).unwrap();
    let legacy_encrypted = rsa
        .private_key_to_pem_passphrase(Cipher::aes_128_cbc(), b"secret")
        .unwrap();
    assert!(matches!(
        keys.add_pem(&legacy_encrypted, "legacy.pem"),
        Err(XmlEncError::EncryptedPrivateKey { .. })
    ));
    let pkcs8_encrypted = PKey::from_rsa(rsa)
        .unwrap()
        .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), b"secret")
        .unwrap();
    assert!(matches!(
        keys.add_pem(&pkcs8_encrypted, "pkcs8.pem"),
        Err(XmlEncError::EncryptedPrivateKey { .. })
    ));

    let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
    let ec = PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap();
    let ec_pem = ec.private_key_to_pem_pkcs8().unwrap();
    match keys.add_pem(&ec_pem, "ec.pem") {
        Err(err @ XmlEncError::NotRsa { .. }) => assert!(err.to_string().contains("EC"), "{err}"),
        other => panic!("{other:?}"),
    }
    assert!(keys.is_empty());
}

// --- failures ----------------------------------------------------------------------------------

#[test]
fn missing_key_names_the_certificate_to_pass() {
    let failure = expect_failure(
        &fixture("rsa-oaep-mgf1p.aes256-cbc.xml"),
        &DecryptionKeys::new(),
    );
    let cert = sp_certificate();
    assert_eq!(failure.stage, DecryptionStage::NoKey);
    assert_eq!(
        failure.message,
        format!(
            "this assertion is encrypted for the certificate {SP_SUBJECT}, SHA-256 {}, and no \
             SP decryption key was given",
            cert.facts().sha256_fingerprint
        )
    );
    assert_eq!(failure.missing, Some(MissingInput::SpDecryptionKey));
    assert_eq!(failure.recipients, vec![cert.facts().clone()]);
    assert!(failure.keys_tried.is_empty());
}

#[test]
fn wrong_key_says_which_certificate_is_needed_and_which_keys_were_tried() {
    let other = keys(&[OTHER_KEY]);
    let failure = expect_failure(&fixture("rsa-oaep-mgf1p.aes256-gcm.xml"), &other);
    assert_eq!(failure.stage, DecryptionStage::WrongKey);
    let tried = other.iter().next().unwrap().description();
    assert_eq!(failure.keys_tried, vec![tried.clone()]);
    let cert = sp_certificate();
    for part in [
        &format!("encrypted for the certificate {SP_SUBJECT}"),
        &cert.facts().sha256_fingerprint,
        "none of the keys given belongs to it",
        "decryption failed with every key given",
        &tried,
    ] {
        assert!(
            failure.message.contains(part),
            "{part} missing: {}",
            failure.message
        );
    }
    assert!(failure
        .fix
        .unwrap()
        .contains("the private key of that certificate"));
    assert_eq!(failure.missing, Some(MissingInput::SpDecryptionKey));
}

#[test]
fn the_key_matching_the_named_certificate_is_used_whatever_the_order() {
    let both = keys(&[OTHER_KEY, SP_KEY]);
    let done = decrypt_first(&fixture("rsa-oaep-mgf1p.aes256-gcm.xml"), &both).unwrap();
    assert_eq!(done.key_label, SP_KEY);
}

/// The fixture with the EncryptedKey naming the other SP's certificate instead.
fn naming_the_other_certificate(name: &str) -> String {
    let text = fixture(name);
    let other_body: String = fixture("test-only-other-sp.cert.pem")
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let start = text.find("<ds:X509Certificate>").unwrap() + "<ds:X509Certificate>".len();
    let end = text.find("</ds:X509Certificate>").unwrap();
    format!("{}{other_body}{}", &text[..start], &text[end..])
}

#[test]
fn decrypting_with_a_key_other_than_the_named_certificate_is_reported() {
    let text = naming_the_other_certificate("rsa-oaep-mgf1p.aes256-gcm.xml");
    let done = decrypt_first(&text, &keys(&[SP_KEY])).unwrap();
    let mismatch = done
        .findings
        .iter()
        .find(|f| f.code == RecipientCertificateMismatch)
        .expect("mismatch finding");
    assert!(mismatch.message.contains("CN=samlkit test-only other SP"));
    assert!(mismatch.message.contains(SP_KEY));
}

#[test]
fn matching_key_that_cannot_unwrap_is_a_key_transport_failure() {
    // The other SP's key is the one the EncryptedKey names, but the key was wrapped for the
    // test SP: the EncryptedKey does not fit the certificate it names.
    let text = naming_the_other_certificate("rsa-oaep-mgf1p.aes256-gcm.xml");
    let failure = expect_failure(&text, &keys(&[OTHER_KEY]));
    assert_eq!(failure.stage, DecryptionStage::KeyTransport);
    assert!(failure
        .message
        .contains("decryption failed with every key given"));
    assert!(failure
        .message
        .contains(&format!("{OTHER_KEY} belongs to the certificate it names")));
}

/// Replaces the base64 of a CipherValue: the first one is the EncryptedKey's (inside the
/// EncryptedData's KeyInfo), the last one the EncryptedData's.
fn with_cipher_value(text: &str, last: bool, change: impl FnOnce(Vec<u8>) -> String) -> String {
    let open = "<xenc:CipherValue>";
    let start = if last {
        text.rfind(open)
    } else {
        text.find(open)
    }
    .unwrap()
        + open.len();
    let end = start + text[start..].find("</xenc:CipherValue>").unwrap();
    let compact: String = text[start..end].split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap();
    format!("{}{}{}", &text[..start], change(bytes), &text[end..])
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

const MODIFIED: &str = "the ciphertext was modified or the wrong key was used";

#[test]
fn tampered_gcm_ciphertext_fails_its_tag() {
    let text = with_cipher_value(&fixture("rsa-oaep-mgf1p.aes256-gcm.xml"), true, |mut b| {
        let middle = b.len() / 2;
        b[middle] ^= 1;
        b64(&b)
    });
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::DataDecryption);
    assert!(failure.message.contains(MODIFIED), "{}", failure.message);
}

#[test]
fn tampered_cbc_ciphertext_fails_its_padding() {
    // Flipping the top bit of the second-to-last block's last byte flips it in the pad-length
    // byte, which then exceeds the block size whatever it was.
    let text = with_cipher_value(&fixture("rsa-oaep-mgf1p.aes128-cbc.xml"), true, |mut b| {
        let at = b.len() - 17;
        b[at] ^= 0x80;
        b64(&b)
    });
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::DataDecryption);
    assert!(failure.message.contains(MODIFIED), "{}", failure.message);
    assert_eq!(failure.keys_tried.len(), 1);
}

#[test]
fn tampered_encrypted_key_fails_key_transport() {
    let text = with_cipher_value(&fixture("rsa-oaep-mgf1p.aes256-cbc.xml"), false, |mut b| {
        b[10] ^= 0x55;
        b64(&b)
    });
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::KeyTransport);
    assert!(failure
        .message
        .contains("decryption failed with every key given"));
}

#[test]
fn a_bad_key_and_a_damaged_encrypted_key_read_the_same() {
    // With no certificate named, "the key is wrong" and "the OAEP padding is broken" must not
    // be told apart: the messages differ only in the key's own description.
    let base = fixture("rsa-oaep-mgf1p.aes128-gcm.xml");
    let key_info_start = base.find("<ds:KeyInfo><ds:X509Data>").unwrap();
    let key_info_end =
        base.find("</ds:X509Data></ds:KeyInfo>").unwrap() + "</ds:X509Data></ds:KeyInfo>".len();
    let anonymous = format!("{}{}", &base[..key_info_start], &base[key_info_end..]);
    let damaged = with_cipher_value(&anonymous, false, |mut b| {
        b[0] ^= 0x01;
        b64(&b)
    });

    let sp = keys(&[SP_KEY]);
    let other = keys(&[OTHER_KEY]);
    let wrong_key = expect_failure(&anonymous, &other);
    let bad_padding = expect_failure(&damaged, &sp);
    assert_eq!(wrong_key.stage, DecryptionStage::KeyTransport);
    assert_eq!(bad_padding.stage, DecryptionStage::KeyTransport);
    let neutral = |f: &DecryptionFailure, keys: &DecryptionKeys| {
        f.message
            .replace(&keys.iter().next().unwrap().description(), "KEY")
    };
    assert_eq!(neutral(&wrong_key, &other), neutral(&bad_padding, &sp));
    assert!(wrong_key.message.contains("names no certificate"));
    for word in ["padding", "oaep decoding", "rsa routines"] {
        assert!(!wrong_key.message.to_lowercase().contains(word));
    }

    // Without any key, the message says the certificate is unknown and asks for the key.
    let no_key = expect_failure(&anonymous, &DecryptionKeys::new());
    assert_eq!(no_key.stage, DecryptionStage::NoKey);
    assert!(no_key.message.contains("names no recipient certificate"));
}

#[test]
fn unsupported_algorithms_are_named_by_their_uri() {
    let base = fixture("rsa-oaep-mgf1p.aes256-cbc.xml");
    let camellia = "http://www.w3.org/2001/04/xmldsig-more#camellia256-cbc";
    let text = base.replace(uri::AES256_CBC, camellia);
    // Reported before keys are considered: no key is needed to learn this.
    for keys in [DecryptionKeys::new(), keys(&[SP_KEY])] {
        let failure = expect_failure(&text, &keys);
        assert_eq!(failure.stage, DecryptionStage::UnsupportedAlgorithm);
        assert!(failure.message.contains(camellia), "{}", failure.message);
    }

    let key_wrap = "http://www.w3.org/2001/04/xmlenc#kw-aes256";
    let failure_kw = expect_failure(
        &base.replace(uri::RSA_OAEP_MGF1P, key_wrap),
        &keys(&[SP_KEY]),
    );
    assert_eq!(failure_kw.stage, DecryptionStage::UnsupportedAlgorithm);
    assert!(failure_kw.message.contains(key_wrap));

    let mgf_md5 = "http://www.w3.org/2009/xmlenc11#mgf1md5";
    let xmlenc11 = fixture("xmlenc11-rsa-oaep.sha256-mgf1sha256-params.aes256-gcm.xml")
        .replace(uri::MGF1_SHA256, mgf_md5);
    let failure_mgf = expect_failure(&xmlenc11, &keys(&[SP_KEY]));
    assert_eq!(failure_mgf.stage, DecryptionStage::UnsupportedAlgorithm);
    assert!(failure_mgf.message.contains(mgf_md5));
}

#[test]
fn wrong_oaep_params_fail_like_any_other_damage() {
    let text = fixture("xmlenc11-rsa-oaep.sha256-mgf1sha256-params.aes256-gcm.xml")
        .replace("<xenc:OAEPparams>c2FtbGtpdA==", "<xenc:OAEPparams>b3RoZXI=");
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::KeyTransport);
}

/// The aes256-cbc fixture with its EncryptedKey moved beside the EncryptedData and pointed to
/// by a RetrievalMethod to `target`, as Okta writes it.
fn with_retrieval_method(target: &str) -> String {
    let text = fixture("rsa-oaep-mgf1p.aes256-cbc.xml");
    let key = element_range(&text, "<xenc:EncryptedKey>", "xenc:EncryptedKey");
    let detached = text[key.clone()].replacen(
        "<xenc:EncryptedKey>",
        "<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"_key1\">",
        1,
    );
    let method = format!(
        "<ds:RetrievalMethod Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\" URI=\"{target}\"/>"
    );
    let without = format!("{}{method}{}", &text[..key.start], &text[key.end..]);
    without.replacen(
        "</xenc:EncryptedData>",
        &format!("</xenc:EncryptedData>{detached}"),
        1,
    )
}

#[test]
fn retrieval_method_finds_the_detached_encrypted_key() {
    let done = decrypt_first(&with_retrieval_method("#_key1"), &keys(&[SP_KEY])).unwrap();
    assert_eq!(done.element, "Assertion");
    assert!(done
        .plaintext
        .contains(">rsa-oaep-mgf1p.aes256-cbc</saml:NameID>"));
}

#[test]
fn retrieval_method_that_leads_nowhere_is_a_structure_failure() {
    // With no EncryptedKey left beside the data either, nothing can be tried.
    let text = with_retrieval_method("#_missing");
    let text = without_element(&text, "<xenc:EncryptedKey ", "xenc:EncryptedKey");
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::Structure);
    assert!(failure.message.contains("#_missing"), "{}", failure.message);

    let remote = with_retrieval_method("https://idp.example.test/key.xml");
    let remote = without_element(&remote, "<xenc:EncryptedKey ", "xenc:EncryptedKey");
    let failure = expect_failure(&remote, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::Structure);
    assert!(failure.message.contains("not a same-document reference"));
}

#[test]
fn missing_encrypted_key_is_a_structure_failure() {
    let text = fixture("rsa-oaep-mgf1p.aes256-cbc.xml");
    let text = without_element(&text, "<xenc:EncryptedKey>", "xenc:EncryptedKey");
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::Structure);
    assert!(failure.message.contains("carries no xenc:EncryptedKey"));
}

#[test]
fn malformed_cipher_values_never_panic_and_say_what_is_wrong() {
    let base = fixture("rsa-oaep-mgf1p.aes128-cbc.xml");
    let sp = keys(&[SP_KEY]);
    let cases: Vec<(String, DecryptionStage)> = vec![
        (
            with_cipher_value(&base, true, |_| String::new()),
            DecryptionStage::Structure,
        ),
        (
            with_cipher_value(&base, true, |_| "!!!!".into()),
            DecryptionStage::Structure,
        ),
        (
            with_cipher_value(&base, true, |_| b64(&[1; 20])),
            DecryptionStage::Structure,
        ),
        (
            with_cipher_value(&base, true, |b| b64(&b[..16])),
            DecryptionStage::Structure,
        ),
        (
            with_cipher_value(&base, true, |b| b64(&b[..b.len() - 1])),
            DecryptionStage::Structure,
        ),
        (
            with_cipher_value(&base, true, |b| b64(&[b, vec![0; 160_000]].concat())),
            DecryptionStage::DataDecryption,
        ),
        (
            with_cipher_value(&base, false, |_| b64(&[7; 600])),
            DecryptionStage::KeyTransport,
        ),
        (
            with_cipher_value(&base, false, |_| b64(&[7; 3])),
            DecryptionStage::KeyTransport,
        ),
        (
            with_cipher_value(&base, false, |_| "<x/>".into()),
            DecryptionStage::Structure,
        ),
    ];
    for (index, (text, stage)) in cases.iter().enumerate() {
        let failure = expect_failure(text, &sp);
        assert_eq!(failure.stage, *stage, "case {index}: {}", failure.message);
    }
    let gcm = fixture("rsa-oaep-mgf1p.aes256-gcm.xml");
    let short = with_cipher_value(&gcm, true, |b| b64(&b[..27]));
    assert_eq!(
        expect_failure(&short, &sp).stage,
        DecryptionStage::Structure
    );
}

#[test]
fn non_encrypted_elements_are_refused_not_decrypted() {
    let text = fixture("rsa-oaep-mgf1p.aes128-cbc.xml");
    let doc = parse_xml(&text, &Limits::default()).unwrap();
    let failure = decrypt_element(doc.root_element(), &keys(&[SP_KEY])).unwrap_err();
    assert_eq!(failure.stage, DecryptionStage::Structure);
    assert!(failure.message.contains("not an encrypted SAML element"));

    let empty = format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
         <saml:EncryptedAssertion xmlns:saml=\"{SAML}\"/></samlp:Response>"
    );
    let failure = expect_failure(&empty, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::Structure);
    assert!(failure.message.contains("holds no xenc:EncryptedData"));
}

// --- content made in the test: what decrypts must be the expected element -------------------

fn sp_public_key() -> PKey<Public> {
    X509::from_pem(&fixture_bytes("test-only-sp.cert.pem"))
        .unwrap()
        .public_key()
        .unwrap()
}

/// `plaintext` under AES-128-CBC with XML Encryption padding of random bytes: the session key
/// and the CipherValue (IV first), base64.
fn aes128_cbc(plaintext: &str) -> ([u8; 16], String) {
    let mut session_key = [0u8; 16];
    let mut iv = [0u8; 16];
    openssl::rand::rand_bytes(&mut session_key).unwrap();
    openssl::rand::rand_bytes(&mut iv).unwrap();
    let mut padded = plaintext.as_bytes().to_vec();
    let pad = 16 - padded.len() % 16;
    let mut filler = vec![0u8; pad - 1];
    openssl::rand::rand_bytes(&mut filler).unwrap();
    padded.extend_from_slice(&filler);
    padded.push(pad as u8);
    let mut crypter = Crypter::new(
        Cipher::aes_128_cbc(),
        Mode::Encrypt,
        &session_key,
        Some(&iv),
    )
    .unwrap();
    crypter.pad(false);
    let mut ciphertext = vec![0; padded.len() + 16];
    let written = crypter.update(&padded, &mut ciphertext).unwrap();
    let written = written + crypter.finalize(&mut ciphertext[written..]).unwrap();
    ciphertext.truncate(written);
    (session_key, b64(&[iv.to_vec(), ciphertext].concat()))
}

/// `session_key` wrapped for the test SP certificate with `padding` (PKCS#1 v1.5 or OAEP
/// with SHA-1), base64.
fn wrapped_for_sp(session_key: &[u8], padding: Padding) -> String {
    let public_key = sp_public_key();
    let mut ctx = PkeyCtx::new(&public_key).unwrap();
    ctx.encrypt_init().unwrap();
    ctx.set_rsa_padding(padding).unwrap();
    let mut wrapped = Vec::new();
    ctx.encrypt_to_vec(session_key, &mut wrapped).unwrap();
    b64(&wrapped)
}

/// An xenc:EncryptedKey of `session_key` for the test SP certificate; `extra` goes in its start
/// tag, `carried_name` (when not empty) in a CarriedKeyName.
fn encrypted_key(session_key: &[u8], transport: &str, extra: &str, carried_name: &str) -> String {
    let padding = if transport == uri::RSA_1_5 {
        Padding::PKCS1
    } else {
        Padding::PKCS1_OAEP
    };
    let carried = if carried_name.is_empty() {
        String::new()
    } else {
        format!("<xenc:CarriedKeyName>{carried_name}</xenc:CarriedKeyName>")
    };
    format!(
        "<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"{extra}>\
         <xenc:EncryptionMethod Algorithm=\"{transport}\"/><xenc:CipherData><xenc:CipherValue>{}\
         </xenc:CipherValue></xenc:CipherData>{carried}</xenc:EncryptedKey>",
        wrapped_for_sp(session_key, padding)
    )
}

/// An xenc:EncryptedData of AES-128-CBC `cipher_value` with `key_info` as its ds:KeyInfo
/// content.
fn encrypted_data_with(cipher_value: &str, key_info: &str) -> String {
    format!(
        "<xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Type=\"http://www.w3.org/2001/04/xmlenc#Element\">\
         <xenc:EncryptionMethod Algorithm=\"{}\"/><ds:KeyInfo>{key_info}</ds:KeyInfo>\
         <xenc:CipherData><xenc:CipherValue>{cipher_value}</xenc:CipherValue></xenc:CipherData>\
         </xenc:EncryptedData>",
        uri::AES128_CBC,
    )
}

/// An EncryptedData (AES-128-CBC, key under RSA-OAEP for the test SP certificate) holding
/// `plaintext`, with XML Encryption padding of random bytes.
fn encrypted_data(plaintext: &str) -> String {
    let (session_key, cipher_value) = aes128_cbc(plaintext);
    encrypted_data_with(
        &cipher_value,
        &encrypted_key(&session_key, uri::RSA_OAEP_MGF1P, "", ""),
    )
}

fn response_around(body: &str) -> String {
    format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\" \
         Version=\"2.0\">{body}</samlp:Response>"
    )
}

fn encrypted_assertion(plaintext: &str) -> String {
    response_around(&format!(
        "<saml:EncryptedAssertion xmlns:saml=\"{SAML}\">{}</saml:EncryptedAssertion>",
        encrypted_data(plaintext)
    ))
}

#[test]
fn content_that_is_not_an_assertion_is_a_content_failure() {
    let sp = keys(&[SP_KEY]);
    let issuer = expect_failure(&encrypted_assertion("<saml:Issuer>x</saml:Issuer>"), &sp);
    assert_eq!(issuer.stage, DecryptionStage::Content);
    assert!(
        issuer.message.contains("<saml:Issuer>"),
        "{}",
        issuer.message
    );
    assert!(issuer.message.contains("<EncryptedAssertion> must hold"));

    let broken = expect_failure(
        &encrypted_assertion("<saml:Assertion><saml:Issuer>x</saml:Assertion>"),
        &sp,
    );
    assert_eq!(broken.stage, DecryptionStage::Content);
    assert!(
        broken.message.contains("not well-formed"),
        "{}",
        broken.message
    );

    let two = expect_failure(
        &encrypted_assertion("<saml:Assertion/><saml:Assertion/>"),
        &sp,
    );
    assert_eq!(two.stage, DecryptionStage::Content);
    assert!(two.message.contains("2 element(s)"), "{}", two.message);

    let undeclared = expect_failure(&encrypted_assertion("<other:Assertion/>"), &sp);
    assert_eq!(undeclared.stage, DecryptionStage::Content);

    let doctype = expect_failure(
        &encrypted_assertion("<!DOCTYPE a [<!ENTITY e \"x\">]><saml:Assertion/>"),
        &sp,
    );
    assert_eq!(doctype.stage, DecryptionStage::Content);
}

#[test]
fn xml_declaration_in_content_is_removed_and_noted() {
    let done = decrypt_first(
        &encrypted_assertion(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<saml:Assertion ID=\"_a\"/>",
        ),
        &keys(&[SP_KEY]),
    )
    .unwrap();
    assert_eq!(done.plaintext, "<saml:Assertion ID=\"_a\"/>");
    assert!(codes(&done).contains(&XmlDeclarationInContent));
}

#[test]
fn default_namespace_of_the_wrapper_is_kept_and_own_declarations_are_not_repeated() {
    let text = response_around(&format!(
        "<EncryptedAssertion xmlns=\"{SAML}\">{}</EncryptedAssertion>",
        encrypted_data(
            "<Assertion ID=\"_a\"><Issuer>https://idp.example.test</Issuer></Assertion>"
        )
    ));
    let result = decrypt_document(&text, &keys(&[SP_KEY]), &Limits::default()).unwrap();
    let doc = parse_xml(&result.text, &Limits::default()).unwrap();
    let issuer = doc
        .descendants()
        .find(|n| xml::is_element(*n, ns::SAML, "Issuer"))
        .expect("Issuer in the SAML namespace after splicing");
    assert_eq!(xml::text_content(issuer), "https://idp.example.test");

    let declared = format!("<saml:Assertion xmlns:saml=\"{SAML}\" ID=\"_a\"/>");
    let done = decrypt_first(&encrypted_assertion(&declared), &keys(&[SP_KEY])).unwrap();
    assert_eq!(done.replacement, declared);
}

#[test]
fn encrypted_elements_inside_decrypted_ones_are_decrypted_in_a_second_round() {
    let name_id = format!(
        "<saml:EncryptedID>{}</saml:EncryptedID>",
        encrypted_data("<saml:NameID>nested@example.test</saml:NameID>")
    );
    let assertion = format!(
        "<saml:Assertion ID=\"_a\" Version=\"2.0\"><saml:Issuer>https://idp.example.test</saml:Issuer>\
         <saml:Subject>{name_id}</saml:Subject></saml:Assertion>"
    );
    let text = encrypted_assertion(&assertion);
    let result = decrypt_document(&text, &keys(&[SP_KEY]), &Limits::default()).unwrap();
    let summary: Vec<(&str, usize, bool)> = result
        .elements
        .iter()
        .map(|e| (e.wrapper.as_str(), e.round, e.span.is_some()))
        .collect();
    assert_eq!(
        summary,
        [("EncryptedAssertion", 0, true), ("EncryptedID", 1, false)]
    );
    assert!(result.elements.iter().all(|e| e.result.is_ok()));
    let doc = parse_xml(&result.text, &Limits::default()).unwrap();
    assert!(encrypted_elements(&doc).is_empty());
    let name_id = doc
        .descendants()
        .find(|n| xml::is_element(*n, ns::SAML, "NameID"))
        .unwrap();
    assert_eq!(xml::text_content(name_id), "nested@example.test");

    // Without keys the outer element fails and nothing inside is reached.
    let locked = decrypt_document(&text, &DecryptionKeys::new(), &Limits::default()).unwrap();
    assert_eq!(locked.elements.len(), 1);
    assert_eq!(locked.text, text);
}

#[test]
fn splice_keeps_everything_outside_the_replaced_ranges() {
    let source = "<r>é<a/>ü<b/></r>";
    let a = source.find("<a/>").unwrap();
    let b = source.find("<b/>").unwrap();
    let out = splice(
        source,
        &[
            (b..b + 4, "<B/>".to_string()),
            (a..a + 4, "<A/>".to_string()),
            // Inside "é": not a character boundary, skipped.
            (4..5, "x".to_string()),
        ],
    );
    assert_eq!(out, "<r>é<A/>ü<B/></r>");
    assert_eq!(splice(source, &[]), source);
}

#[test]
fn any_single_character_of_damage_is_caught_or_harmless_under_gcm() {
    // GCM authenticates the content: whatever one character of the encrypted element is
    // changed to, decryption either fails with a stage or yields the original plaintext.
    let text = fixture("rsa-oaep-mgf1p.aes128-gcm.xml");
    let sp = keys(&[SP_KEY]);
    let original = decrypt_first(&text, &sp).unwrap().plaintext;
    let start = text.find("<saml:EncryptedAssertion").unwrap();
    let end = text.find("</saml:EncryptedAssertion>").unwrap();
    assert!(text.is_ascii());
    let mut outcomes = [0usize; 2];
    for at in start..end {
        let replacement = if text.as_bytes()[at] == b'A' {
            "B"
        } else {
            "A"
        };
        let damaged = format!("{}{replacement}{}", &text[..at], &text[at + 1..]);
        let Ok(result) = decrypt_document(&damaged, &sp, &Limits::default()) else {
            continue;
        };
        for element in &result.elements {
            match &element.result {
                Ok(done) => {
                    assert_eq!(
                        done.plaintext, original,
                        "damage at byte {at} went unnoticed"
                    );
                    outcomes[0] += 1;
                }
                Err(_) => outcomes[1] += 1,
            }
        }
    }
    // Both kinds occur: damage to names and certificates is harmless, to ciphertext is not.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn encrypted_elements_past_the_cap_are_reported_not_decrypted() {
    let text = fixture("encrypted-attribute.rsa-1_5.aes256-gcm.xml");
    let one = element_range(
        &text,
        "<saml:EncryptedAttribute>",
        "saml:EncryptedAttribute",
    );
    let count = MAX_ENCRYPTED_ELEMENTS + 6;
    let many = format!(
        "{}{}{}",
        &text[..one.start],
        text[one.clone()].repeat(count),
        &text[one.end..]
    );
    let result = decrypt_document(&many, &keys(&[SP_KEY]), &Limits::default()).unwrap();
    assert_eq!(result.elements.len(), count);
    let (worked, refused) = result.elements.split_at(MAX_ENCRYPTED_ELEMENTS);
    assert!(worked.iter().all(|e| e.result.is_ok()));
    for element in refused {
        let failure = element.result.as_ref().unwrap_err();
        assert_eq!(failure.stage, DecryptionStage::Structure);
        assert!(
            failure.message.contains("more than 64 encrypted elements"),
            "{}",
            failure.message
        );
        assert!(failure.keys_tried.is_empty(), "no key was tried");
    }
}

const PLAIN_ASSERTION: &str = r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_plain" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example.test</saml:Issuer></saml:Assertion>"#;

/// A Response whose EncryptedAssertion holds `inside` (EncryptedData and any siblings), with
/// `after` following the EncryptedAssertion.
fn response_with(inside: &str, after: &str) -> String {
    response_around(&format!(
        "<saml:EncryptedAssertion xmlns:saml=\"{SAML}\">{inside}</saml:EncryptedAssertion>{after}"
    ))
}

fn retrieval_method(target: &str) -> String {
    format!(
        "<ds:RetrievalMethod Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\" URI=\"{target}\"/>"
    )
}

#[test]
fn an_encrypted_key_beside_the_data_without_any_name_is_tried() {
    let (session_key, cipher_value) = aes128_cbc(PLAIN_ASSERTION);
    let data = encrypted_data_with(&cipher_value, "");
    let key = encrypted_key(&session_key, uri::RSA_OAEP_MGF1P, "", "");
    let done = decrypt_first(
        &response_with(&format!("{data}{key}"), ""),
        &keys(&[SP_KEY]),
    )
    .unwrap();
    assert_eq!(done.plaintext, PLAIN_ASSERTION);
}

#[test]
fn retrieval_method_finds_an_encrypted_key_anywhere_in_the_message_by_its_exact_id() {
    let (session_key, cipher_value) = aes128_cbc(PLAIN_ASSERTION);
    let data = encrypted_data_with(&cipher_value, &retrieval_method("#_key1"));
    // Another EncryptedKey comes first in the message; only the one with Id="_key1" is meant.
    let decoy = encrypted_key(&[7u8; 16], uri::RSA_OAEP_MGF1P, " Id=\"_key0\"", "");
    let key = encrypted_key(&session_key, uri::RSA_OAEP_MGF1P, " Id=\"_key1\"", "");
    let text = response_with(&data, &format!("{decoy}{key}"));
    let done = decrypt_first(&text, &keys(&[SP_KEY])).unwrap();
    assert_eq!(done.plaintext, PLAIN_ASSERTION);
}

#[test]
fn retrieval_method_uris_other_than_a_bare_id_are_refused() {
    let (session_key, cipher_value) = aes128_cbc(PLAIN_ASSERTION);
    let key = encrypted_key(&session_key, uri::RSA_OAEP_MGF1P, " Id=\"_key1\"", "");
    for target in ["#", "#xpointer(id('_key1'))", "#xpointer(/)"] {
        let data = encrypted_data_with(&cipher_value, &retrieval_method(target));
        let failure = expect_failure(&response_with(&data, &key), &keys(&[SP_KEY]));
        assert_eq!(failure.stage, DecryptionStage::Structure, "{target}");
        assert!(
            failure.message.contains("is not a same-document reference"),
            "{target}: {}",
            failure.message
        );
    }
}

#[test]
fn the_encrypted_key_carrying_the_named_key_is_tried_first() {
    // Both EncryptedKeys hold the same session key for the SP; the data's KeyInfo names the
    // second one's CarriedKeyName, so that one (under rsa-1_5) is the one used.
    let (session_key, cipher_value) = aes128_cbc(PLAIN_ASSERTION);
    let data = encrypted_data_with(&cipher_value, "<ds:KeyName>sp-key</ds:KeyName>");
    let unnamed = encrypted_key(&session_key, uri::RSA_OAEP_MGF1P, "", "another-sp");
    let named = encrypted_key(&session_key, uri::RSA_1_5, "", "sp-key");
    let text = response_with(&format!("{data}{unnamed}{named}"), "");
    let done = decrypt_first(&text, &keys(&[SP_KEY])).unwrap();
    assert_eq!(done.key_transport, uri::RSA_1_5);
    // Without the KeyName, document order decides.
    let data = encrypted_data_with(&cipher_value, "");
    let text = response_with(&format!("{data}{unnamed}{named}"), "");
    let done = decrypt_first(&text, &keys(&[SP_KEY])).unwrap();
    assert_eq!(done.key_transport, uri::RSA_OAEP_MGF1P);
}

#[test]
fn encrypted_data_outside_the_xml_encryption_namespace_is_named_as_such() {
    let text = response_with(
        "<EncryptedData xmlns=\"urn:example:not-xmlenc\"><CipherData/></EncryptedData>",
        "",
    );
    let failure = expect_failure(&text, &keys(&[SP_KEY]));
    assert_eq!(failure.stage, DecryptionStage::Structure);
    assert!(
        failure
            .message
            .contains("holds an <EncryptedData> in the namespace urn:example:not-xmlenc"),
        "{}",
        failure.message
    );
}

// `explain` decides whether to decrypt from the quick presence test: it must see every kind of
// encrypted SAML element, at any depth, and nothing else (a look-alike namespace, the name in
// text or in another namespace), agreeing with the full list on every fixture.
#[test]
fn the_presence_test_sees_every_encrypted_element_and_nothing_else() {
    let wrap = |inner: &str| {
        format!(
            "<samlp:Response xmlns:samlp=\"{}\" xmlns:saml=\"{}\"><saml:Assertion>{inner}\
             </saml:Assertion></samlp:Response>",
            ns::SAMLP,
            ns::SAML
        )
    };
    let present = [
        "<saml:EncryptedAssertion/>".to_string(),
        "<saml:Subject><saml:EncryptedID/></saml:Subject>".to_string(),
        "<saml:AttributeStatement><saml:EncryptedAttribute/></saml:AttributeStatement>".to_string(),
        format!("<x xmlns:p=\"{}\"><p:NewEncryptedID/></x>", ns::SAMLP),
    ];
    let absent = [
        "<saml:Subject>EncryptedAssertion</saml:Subject>".to_string(),
        "<e:EncryptedAssertion xmlns:e=\"urn:oasis:names:tc:SAML:2.0:assertion \"/>".to_string(),
        "<saml:NewEncryptedID/>".to_string(),
        "<EncryptedAssertion/>".to_string(),
    ];
    for (inner, expected) in present
        .iter()
        .map(|i| (i, true))
        .chain(absent.iter().map(|i| (i, false)))
    {
        let text = wrap(inner);
        let doc = parse_xml(&text, &Limits::default()).unwrap();
        assert_eq!(has_encrypted_elements(&doc), expected, "{inner}");
        assert_eq!(!encrypted_elements(&doc).is_empty(), expected, "{inner}");
    }
    let mut fixtures = 0;
    for entry in std::fs::read_dir(fixture_path("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Ok(doc) = parse_xml(&text, &Limits::default()) {
                assert_eq!(
                    has_encrypted_elements(&doc),
                    !encrypted_elements(&doc).is_empty(),
                    "{}",
                    path.display()
                );
                fixtures += 1;
            }
        }
    }
    assert!(fixtures > 5, "{fixtures} fixtures read");
}
