//! Certificate facts for the metadata lint, read straight from the DER: subject, issuer,
//! validity, key type and size, signature algorithm and SHA-256 fingerprint — the same
//! [`CertificateFacts`] `samlkit-verify` reads with OpenSSL, so samlkit has one certificate type.
//!
//! Why not OpenSSL: OpenSSL 3.0 decodes every certificate's public key through its provider
//! machinery under a global lock, about 70 µs per certificate; in an aggregate of thousands of
//! entities that was most of the lint's time. These facts need no cryptography, only a careful
//! walk over the ASN.1. Signatures are still verified by `samlkit-verify` with OpenSSL; a test
//! compares these facts with OpenSSL's for every certificate of the corpus.

use std::fmt::Write as _;

use samlkit_verify::certs::{colon_hex, format_unix_utc, CertificateFacts};

/// Reads the certificate in an `X509Certificate` body: base64 of DER (whitespace allowed), or
/// base64 of a whole PEM file, as some generators write.
pub fn read_certificate(body: &str) -> Result<CertificateFacts, String> {
    let der = decode_base64(body)?;
    if der.starts_with(b"-----BEGIN") {
        let pem =
            std::str::from_utf8(&der).map_err(|_| "a PEM file that is not text".to_string())?;
        let inner: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        return facts(&decode_base64(&inner)?);
    }
    facts(&der)
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OBJECT_IDENTIFIER: u8 = 0x06;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
const VERSION_TAG: u8 = 0xA0;

/// Facts of a DER-encoded certificate.
fn facts(der: &[u8]) -> Result<CertificateFacts, String> {
    let mut input = der;
    let certificate = expect(&mut input, SEQUENCE, "Certificate")?;
    if !input.is_empty() {
        return Err(format!("{} bytes after the certificate", input.len()));
    }
    let mut certificate = certificate;
    let mut tbs = expect(&mut certificate, SEQUENCE, "tbsCertificate")?;
    let mut outer_algorithm = expect(&mut certificate, SEQUENCE, "signatureAlgorithm")?;
    let signature_oid = oid_text(expect(
        &mut outer_algorithm,
        OBJECT_IDENTIFIER,
        "algorithm",
    )?)?;
    expect(&mut certificate, BIT_STRING, "signatureValue")?;

    if peek_tag(tbs) == Some(VERSION_TAG) {
        expect(&mut tbs, VERSION_TAG, "version")?;
    }
    expect(&mut tbs, INTEGER, "serialNumber")?;
    expect(&mut tbs, SEQUENCE, "signature")?;
    let issuer = name_text(expect(&mut tbs, SEQUENCE, "issuer")?)?;
    let mut validity = expect(&mut tbs, SEQUENCE, "validity")?;
    let not_before = time(&mut validity, "notBefore")?;
    let not_after = time(&mut validity, "notAfter")?;
    let subject = name_text(expect(&mut tbs, SEQUENCE, "subject")?)?;
    let (key, rsa_bits) = describe_public_key(expect(&mut tbs, SEQUENCE, "subjectPublicKeyInfo")?)?;

    let (signature_algorithm, signed_with_sha1) = signature_name(&signature_oid);
    Ok(CertificateFacts {
        subject,
        issuer,
        not_before,
        not_after,
        not_before_utc: format_unix_utc(not_before),
        not_after_utc: format_unix_utc(not_after),
        sha256_fingerprint: colon_hex(&sha256(der)),
        key,
        signature_algorithm,
        rsa_bits,
        signed_with_sha1,
    })
}

// ------------------------------------------------------------------ DER

fn peek_tag(input: &[u8]) -> Option<u8> {
    input.first().copied()
}

/// Reads one TLV with the given tag and returns its content.
fn expect<'d>(input: &mut &'d [u8], tag: u8, what: &str) -> Result<&'d [u8], String> {
    let (found, content) = read_tlv(input).map_err(|e| format!("{what}: {e}"))?;
    if found != tag {
        return Err(format!(
            "{what}: expected tag {tag:#04x}, found {found:#04x}"
        ));
    }
    Ok(content)
}

/// Reads one tag-length-value (definite lengths only, as DER requires).
fn read_tlv<'d>(input: &mut &'d [u8]) -> Result<(u8, &'d [u8]), String> {
    let (&tag, rest) = input.split_first().ok_or("unexpected end of data")?;
    if tag & 0x1F == 0x1F {
        return Err("multi-byte tags are not used in certificates".into());
    }
    let (&first, mut rest) = rest.split_first().ok_or("missing length")?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7F);
        if count == 0 || count > 4 {
            return Err("indefinite or oversized length".into());
        }
        let (bytes, after) = rest.split_at_checked(count).ok_or("length cut short")?;
        rest = after;
        bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b))
    };
    let (content, after) = rest.split_at_checked(length).ok_or("content cut short")?;
    *input = after;
    Ok((tag, content))
}

fn oid_text(content: &[u8]) -> Result<String, String> {
    let (&first, rest) = content.split_first().ok_or("empty OBJECT IDENTIFIER")?;
    let mut text = String::with_capacity(content.len() * 3);
    let _ = write!(text, "{}.{}", first / 40, first % 40);
    let mut value: u64 = 0;
    for &byte in rest {
        value = value
            .checked_mul(128)
            .ok_or("OBJECT IDENTIFIER arc too large")?
            | u64::from(byte & 0x7F);
        if byte & 0x80 == 0 {
            let _ = write!(text, ".{value}");
            value = 0;
        }
    }
    if content.last().is_some_and(|b| b & 0x80 != 0) {
        return Err("OBJECT IDENTIFIER cut short".into());
    }
    Ok(text)
}

/// `UTCTime` or `GeneralizedTime` as unix seconds.
fn time(input: &mut &[u8], what: &str) -> Result<i64, String> {
    let (tag, content) = read_tlv(input).map_err(|e| format!("{what}: {e}"))?;
    let text = std::str::from_utf8(content).map_err(|_| format!("{what}: not ASCII"))?;
    let digits = text
        .strip_suffix('Z')
        .ok_or_else(|| format!("{what}: not in UTC: {text}"))?;
    let (year, rest) = match tag {
        UTC_TIME => {
            let yy: i64 = digits
                .get(..2)
                .and_then(|y| y.parse().ok())
                .ok_or(format!("{what}: {text}"))?;
            // RFC 5280 4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &digits[2..])
        }
        GENERALIZED_TIME => {
            let yyyy: i64 = digits
                .get(..4)
                .and_then(|y| y.parse().ok())
                .ok_or(format!("{what}: {text}"))?;
            (yyyy, &digits[4..])
        }
        other => return Err(format!("{what}: expected a time, found tag {other:#04x}")),
    };
    // Drop fractional seconds; minutes-only times (no seconds) get :00.
    let rest = rest.split('.').next().unwrap_or(rest);
    let bad = || format!("{what}: {text}");
    let field = |range: std::ops::Range<usize>| -> Option<i64> {
        rest.get(range)
            .filter(|f| f.bytes().all(|b| b.is_ascii_digit()))?
            .parse()
            .ok()
    };
    let (month, day, hour, minute) = match (field(0..2), field(2..4), field(4..6), field(6..8)) {
        (Some(m), Some(d), Some(h), Some(min)) => (m, d, h, min),
        _ => return Err(bad()),
    };
    let second = match rest.len() {
        8 => 0,
        10 => field(8..10).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let valid = (1..=12).contains(&month)
        && day >= 1
        && day <= month_days[(month - 1) as usize]
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid {
        return Err(format!("{what}: not a valid time: {text}"));
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Short names OpenSSL prints for the attribute types of names.
fn attribute_name(oid: &str) -> &str {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.13" => "description",
        "2.5.4.15" => "businessCategory",
        "2.5.4.17" => "postalCode",
        "2.5.4.41" => "name",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.44" => "generationQualifier",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        other => other,
    }
}

/// A Name as `CN=…, O=…` in the order of the certificate.
fn name_text(mut name: &[u8]) -> Result<String, String> {
    let mut parts = Vec::new();
    while !name.is_empty() {
        let mut set = expect(&mut name, SET, "RelativeDistinguishedName")?;
        while !set.is_empty() {
            let mut pair = expect(&mut set, SEQUENCE, "AttributeTypeAndValue")?;
            let oid = oid_text(expect(&mut pair, OBJECT_IDENTIFIER, "attribute type")?)?;
            let (tag, value) = read_tlv(&mut pair)?;
            parts.push(format!(
                "{}={}",
                attribute_name(&oid),
                string_value(tag, value)
            ));
        }
    }
    Ok(if parts.is_empty() {
        "(empty subject)".to_string()
    } else {
        parts.join(", ")
    })
}

/// The text of an ASN.1 string, as UTF-8.
fn string_value(tag: u8, value: &[u8]) -> String {
    match tag {
        // BMPString: UTF-16BE.
        0x1E => {
            let units: Vec<u16> = value
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        // UniversalString: UTF-32BE.
        0x1C => value
            .chunks(4)
            .filter_map(|c| {
                let bytes: [u8; 4] = c.try_into().ok()?;
                char::from_u32(u32::from_be_bytes(bytes))
            })
            .collect(),
        // T61String is read as Latin-1, as OpenSSL does.
        0x14 => value.iter().map(|&b| char::from(b)).collect(),
        _ => String::from_utf8_lossy(value).into_owned(),
    }
}

/// `RSA 2048`, `EC prime256v1`, … and the RSA modulus size.
fn describe_public_key(mut spki: &[u8]) -> Result<(String, Option<u32>), String> {
    let mut algorithm = expect(&mut spki, SEQUENCE, "algorithm")?;
    let oid = oid_text(expect(&mut algorithm, OBJECT_IDENTIFIER, "key algorithm")?)?;
    let key_bits = expect(&mut spki, BIT_STRING, "subjectPublicKey")?;
    let key = key_bits.get(1..).ok_or("empty subjectPublicKey")?;
    let described = match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let mut sequence = key;
            let mut rsa = expect(&mut sequence, SEQUENCE, "RSAPublicKey")?;
            let bits = integer_bits(expect(&mut rsa, INTEGER, "modulus")?);
            let name = if oid.ends_with(".10") {
                "RSA-PSS"
            } else {
                "RSA"
            };
            (format!("{name} {bits}"), Some(bits))
        }
        "1.2.840.10045.2.1" => {
            let curve = match peek_tag(algorithm) {
                Some(OBJECT_IDENTIFIER) => {
                    let oid = oid_text(expect(&mut algorithm, OBJECT_IDENTIFIER, "curve")?)?;
                    curve_name(&oid).map_or(oid, str::to_string)
                }
                _ => "explicit curve".to_string(),
            };
            (format!("EC {curve}"), None)
        }
        "1.2.840.10040.4.1" => {
            let bits = match peek_tag(algorithm) {
                Some(SEQUENCE) => {
                    let mut parameters = expect(&mut algorithm, SEQUENCE, "DSA parameters")?;
                    integer_bits(expect(&mut parameters, INTEGER, "p")?)
                }
                _ => 0,
            };
            (format!("DSA {bits}"), None)
        }
        "1.3.101.112" => ("Ed25519".to_string(), None),
        "1.3.101.113" => ("Ed448".to_string(), None),
        other => (format!("key type {other}"), None),
    };
    Ok(described)
}

fn integer_bits(content: &[u8]) -> u32 {
    let significant = match content.iter().position(|b| *b != 0) {
        Some(first) => &content[first..],
        None => return 0,
    };
    (significant.len() as u32 - 1) * 8 + (8 - significant[0].leading_zeros())
}

fn curve_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => "prime256v1",
        "1.2.840.10045.3.1.1" => "prime192v1",
        "1.3.132.0.33" => "secp224r1",
        "1.3.132.0.34" => "secp384r1",
        "1.3.132.0.35" => "secp521r1",
        "1.3.132.0.10" => "secp256k1",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        _ => return None,
    })
}

/// OpenSSL's long name of a signature algorithm, and whether it hashes with SHA-1.
fn signature_name(oid: &str) -> (String, bool) {
    let (name, sha1) = match oid {
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", false),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", true),
        "1.2.840.113549.1.1.10" => ("rsassaPss", false),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", false),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", false),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", false),
        "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption", false),
        "1.3.14.3.2.29" => ("sha1WithRSA", true),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", true),
        "1.2.840.10045.4.3.1" => ("ecdsa-with-SHA224", false),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", false),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", false),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", false),
        "1.2.840.10040.4.3" => ("dsaWithSHA1", true),
        "1.3.14.3.2.27" => ("dsaWithSHA1-old", true),
        "2.16.840.1.101.3.4.3.2" => ("dsa_with_SHA256", false),
        "1.3.101.112" => ("ED25519", false),
        "1.3.101.113" => ("ED448", false),
        other => return (other.to_string(), false),
    };
    (name.to_string(), sha1)
}

// ------------------------------------------------------------------ base64 and SHA-256

/// Decodes a certificate body: standard base64, line breaks and spaces allowed.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    samlkit_parse::decode::decode_base64_lenient(text.as_bytes())
        .map_err(|err| format!("not valid base64: {err}"))
}

fn sha256(data: &[u8]) -> [u8; 32] {
    openssl::sha::sha256(data)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use samlkit_verify::certs::{read_key_material, KeyMaterial};
    use samlkit_verify::report::FindingCode;

    use super::*;

    #[test]
    fn certificate_bodies_may_be_folded() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVs\nbG8=").unwrap(), b"hello");
        assert!(decode_base64("aGVsbG8=x").is_err());
        assert!(decode_base64("a!b=").is_err());
    }

    #[test]
    fn truncated_or_altered_certificates_are_errors_not_panics() {
        let pem = std::fs::read_to_string(corpus().join("python3-saml/certs/idp.crt")).unwrap();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = decode_base64(&body).unwrap();
        assert!(facts(&der).is_ok());
        for length in 0..der.len() {
            assert!(facts(&der[..length]).is_err(), "prefix of {length} bytes");
        }
        for position in 0..der.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut altered = der.clone();
                altered[position] ^= flip;
                let _ = facts(&altered);
            }
        }
    }

    fn corpus() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
    }

    /// Every X509Certificate body in the corpus's XML files, and every certificate file.
    fn corpus_certificates() -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut stack = vec![corpus()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let name = path.display().to_string();
                if text.contains("-----BEGIN CERTIFICATE-----") {
                    let body: String = text
                        .split("-----BEGIN CERTIFICATE-----")
                        .nth(1)
                        .and_then(|rest| rest.split("-----END CERTIFICATE-----").next())
                        .unwrap_or("")
                        .split_whitespace()
                        .collect();
                    found.push((name.clone(), body));
                }
                for (index, piece) in text.split("X509Certificate>").enumerate() {
                    // Odd pieces are element contents: `<ds:X509Certificate>BODY</ds:`.
                    if index % 2 == 1 {
                        if let Some(body) = piece
                            .strip_suffix("</ds:")
                            .or_else(|| piece.rsplit_once('<').map(|(b, _)| b))
                        {
                            let body: String = body.split_whitespace().collect();
                            if body.len() > 100 && !body.contains('<') {
                                found.push((format!("{name} #{index}"), body));
                            }
                        }
                    }
                }
            }
        }
        found
    }

    #[test]
    fn facts_agree_with_openssl_for_every_corpus_certificate() {
        let certificates = corpus_certificates();
        assert!(certificates.len() > 100, "{}", certificates.len());
        let mut compared = 0;
        for (origin, body) in certificates {
            let ours = read_certificate(&body);
            let theirs = read_key_material(body.as_bytes())
                .ok()
                .and_then(|(materials, _)| {
                    materials.into_iter().find_map(|m| match m {
                        KeyMaterial::Certificate(cert) => Some(cert.facts().clone()),
                        KeyMaterial::PublicKey(_) => None,
                    })
                });
            let (Ok(ours), Some(theirs)) = (&ours, &theirs) else {
                // OpenSSL reads an invalid time as the epoch; this reader refuses it.
                let bad_time = matches!(
                    (&ours, &theirs),
                    (Err(e), Some(t)) if (e.starts_with("notAfter") && t.not_after == 0)
                        || (e.starts_with("notBefore") && t.not_before == 0)
                );
                assert!(
                    bad_time || ours.is_ok() == theirs.is_some(),
                    "{origin}: {ours:?}"
                );
                continue;
            };
            assert_eq!(
                ours.sha256_fingerprint, theirs.sha256_fingerprint,
                "{origin}"
            );
            assert_eq!(ours.subject, theirs.subject, "{origin}");
            assert_eq!(ours.issuer, theirs.issuer, "{origin}");
            assert_eq!(ours.not_before, theirs.not_before, "{origin}");
            assert_eq!(ours.not_after, theirs.not_after, "{origin}");
            assert_eq!(ours.key, theirs.key, "{origin}");
            // An OID OpenSSL does not know is "undefined" there; here it is the OID itself.
            let unknown = theirs.signature_algorithm == "undefined"
                && ours
                    .signature_algorithm
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.');
            if !unknown {
                assert_eq!(
                    ours.signature_algorithm, theirs.signature_algorithm,
                    "{origin}"
                );
            }
            let findings = theirs.findings(0, "certificate");
            let openssl_sha1 = findings
                .iter()
                .any(|f| f.code == FindingCode::CertificateSha1Signature);
            assert_eq!(ours.signed_with_sha1, openssl_sha1, "{origin}");
            let openssl_weak = findings.iter().any(|f| f.code == FindingCode::WeakRsaKey);
            assert_eq!(
                ours.rsa_bits.is_some_and(|b| b < 2048),
                openssl_weak,
                "{origin}"
            );
            compared += 1;
        }
        assert!(compared > 100, "{compared}");
    }
}
