//! Algorithm identifiers of XML-DSig as they appear in `Algorithm="…"` attributes, and what
//! samlkit makes of each: supported, supported with a warning, or refused.
//!
//! A few identity providers (older ADFS builds, as captured in ruby-saml's fixtures) write
//! URIs that no specification defines, such as `xmldsig-more#rsa-sha1` or `xmlenc#sha384`.
//! Where the algorithm meant is unambiguous — one of the three W3C namespaces plus a fragment
//! naming a known algorithm — it is accepted and the caller gets an informational note, so an
//! administrator learns that their IdP writes odd URIs without being blocked by it.

use openssl::hash::MessageDigest;
use serde::Serialize;

/// A digest being computed, fed in pieces (see [`HashFunction::digester`]).
pub enum Digester {
    Sha1(openssl::sha::Sha1),
    Sha224(openssl::sha::Sha224),
    Sha256(openssl::sha::Sha256),
    Sha384(openssl::sha::Sha384),
    Sha512(openssl::sha::Sha512),
}

impl Digester {
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Digester::Sha1(d) => d.update(data),
            Digester::Sha224(d) => d.update(data),
            Digester::Sha256(d) => d.update(data),
            Digester::Sha384(d) => d.update(data),
            Digester::Sha512(d) => d.update(data),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        match self {
            Digester::Sha1(d) => d.finish().to_vec(),
            Digester::Sha224(d) => d.finish().to_vec(),
            Digester::Sha256(d) => d.finish().to_vec(),
            Digester::Sha384(d) => d.finish().to_vec(),
            Digester::Sha512(d) => d.finish().to_vec(),
        }
    }
}

/// URI prefixes of the W3C XML-DSig and XML-Enc namespaces that algorithm URIs live under.
const DSIG_2000: &str = "http://www.w3.org/2000/09/xmldsig#";
const DSIG_MORE_2001: &str = "http://www.w3.org/2001/04/xmldsig-more#";
const XMLENC_2001: &str = "http://www.w3.org/2001/04/xmlenc#";
const DSIG_MORE_2007: &str = "http://www.w3.org/2007/05/xmldsig-more#";
const DSIG11_2009: &str = "http://www.w3.org/2009/xmldsig11#";

/// The enveloped-signature transform.
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// Hash functions used for digests and inside signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashFunction {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashFunction {
    /// The matching OpenSSL digest.
    pub fn message_digest(self) -> MessageDigest {
        match self {
            HashFunction::Sha1 => MessageDigest::sha1(),
            HashFunction::Sha224 => MessageDigest::sha224(),
            HashFunction::Sha256 => MessageDigest::sha256(),
            HashFunction::Sha384 => MessageDigest::sha384(),
            HashFunction::Sha512 => MessageDigest::sha512(),
        }
    }

    /// A running digest of this function. OpenSSL's SHA implementations are called directly
    /// rather than through `EVP_MD` fetching, which in OpenSSL 3 looks the algorithm up in the
    /// provider store (under a lock) every time and costs more than hashing a whole assertion.
    pub fn digester(self) -> Digester {
        match self {
            HashFunction::Sha1 => Digester::Sha1(openssl::sha::Sha1::new()),
            HashFunction::Sha224 => Digester::Sha224(openssl::sha::Sha224::new()),
            HashFunction::Sha256 => Digester::Sha256(openssl::sha::Sha256::new()),
            HashFunction::Sha384 => Digester::Sha384(openssl::sha::Sha384::new()),
            HashFunction::Sha512 => Digester::Sha512(openssl::sha::Sha512::new()),
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut digester = self.digester();
        digester.update(data);
        digester.finish()
    }

    /// The DER `DigestInfo` prefix (algorithm identifier with NULL parameters, then the
    /// OCTET STRING header) that an RSASSA-PKCS1-v1_5 signature carries before the hash
    /// (RFC 8017, section 9.2, note 1).
    pub fn pkcs1_digest_info_prefix(self) -> &'static [u8] {
        match self {
            HashFunction::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            HashFunction::Sha224 => &[
                0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x04, 0x05, 0x00, 0x04, 0x1c,
            ],
            HashFunction::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            HashFunction::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            HashFunction::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }

    /// Human name, e.g. `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            HashFunction::Sha1 => "SHA-1",
            HashFunction::Sha224 => "SHA-224",
            HashFunction::Sha256 => "SHA-256",
            HashFunction::Sha384 => "SHA-384",
            HashFunction::Sha512 => "SHA-512",
        }
    }

    /// SHA-1 is broken for collision resistance and deprecated for signatures.
    pub fn is_deprecated(self) -> bool {
        self == HashFunction::Sha1
    }

    fn from_fragment(fragment: &str) -> Option<HashFunction> {
        match fragment {
            "sha1" => Some(HashFunction::Sha1),
            "sha224" => Some(HashFunction::Sha224),
            "sha256" => Some(HashFunction::Sha256),
            "sha384" => Some(HashFunction::Sha384),
            "sha512" => Some(HashFunction::Sha512),
            _ => None,
        }
    }
}

/// Families of signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureFamily {
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1,
    /// RSASSA-PSS with MGF1 over the same hash (RFC 6931 `…-rsa-MGF1`).
    RsaPss,
    /// ECDSA; XML-DSig carries the raw `r‖s` pair.
    Ecdsa,
    /// DSA; verified, but flagged as deprecated.
    Dsa,
    /// HMAC: a shared secret, never acceptable when trust is a certificate or public key.
    Hmac,
}

/// A recognised signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SignatureAlgorithm {
    pub family: SignatureFamily,
    pub hash: HashFunction,
}

impl SignatureAlgorithm {
    /// Human name, e.g. `RSA-SHA256` or `RSA-PSS-SHA256`.
    pub fn name(self) -> String {
        let family = match self.family {
            SignatureFamily::RsaPkcs1 => "RSA",
            SignatureFamily::RsaPss => "RSA-PSS",
            SignatureFamily::Ecdsa => "ECDSA",
            SignatureFamily::Dsa => "DSA",
            SignatureFamily::Hmac => "HMAC",
        };
        format!("{family}-{}", self.hash.name().replace('-', ""))
    }
}

/// How an algorithm URI was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UriStatus {
    /// The URI a specification assigns.
    Standard,
    /// A URI no specification defines, whose meaning is nevertheless unambiguous.
    NonStandard,
}

/// Looks up a digest algorithm URI.
pub fn digest_from_uri(uri: &str) -> Option<(HashFunction, UriStatus)> {
    let standard = match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => Some(HashFunction::Sha1),
        "http://www.w3.org/2001/04/xmldsig-more#sha224" => Some(HashFunction::Sha224),
        "http://www.w3.org/2001/04/xmlenc#sha256" => Some(HashFunction::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Some(HashFunction::Sha384),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Some(HashFunction::Sha512),
        _ => None,
    };
    if let Some(hash) = standard {
        return Some((hash, UriStatus::Standard));
    }
    let fragment = w3c_fragment(uri)?;
    HashFunction::from_fragment(fragment).map(|hash| (hash, UriStatus::NonStandard))
}

/// Looks up a signature algorithm URI.
pub fn signature_from_uri(uri: &str) -> Option<(SignatureAlgorithm, UriStatus)> {
    use HashFunction::*;
    use SignatureFamily::*;
    let standard = match uri {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => Some((RsaPkcs1, Sha1)),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224" => Some((RsaPkcs1, Sha224)),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Some((RsaPkcs1, Sha256)),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Some((RsaPkcs1, Sha384)),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Some((RsaPkcs1, Sha512)),
        "http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1" => Some((RsaPss, Sha1)),
        "http://www.w3.org/2007/05/xmldsig-more#sha224-rsa-MGF1" => Some((RsaPss, Sha224)),
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => Some((RsaPss, Sha256)),
        "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => Some((RsaPss, Sha384)),
        "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => Some((RsaPss, Sha512)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => Some((Ecdsa, Sha1)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224" => Some((Ecdsa, Sha224)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Some((Ecdsa, Sha256)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => Some((Ecdsa, Sha384)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => Some((Ecdsa, Sha512)),
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1" => Some((Dsa, Sha1)),
        "http://www.w3.org/2009/xmldsig11#dsa-sha256" => Some((Dsa, Sha256)),
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1" => Some((Hmac, Sha1)),
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha224" => Some((Hmac, Sha224)),
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256" => Some((Hmac, Sha256)),
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384" => Some((Hmac, Sha384)),
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512" => Some((Hmac, Sha512)),
        _ => None,
    };
    if let Some((family, hash)) = standard {
        return Some((SignatureAlgorithm { family, hash }, UriStatus::Standard));
    }
    // A made-up URI is accepted only when its fragment names exactly one known algorithm.
    let fragment = w3c_fragment(uri)?;
    let (family, hash_name) = if let Some(hash) = fragment.strip_prefix("rsa-") {
        (RsaPkcs1, hash)
    } else if let Some(hash) = fragment.strip_prefix("ecdsa-") {
        (Ecdsa, hash)
    } else if let Some(hash) = fragment.strip_prefix("dsa-") {
        (Dsa, hash)
    } else if let Some(hash) = fragment.strip_prefix("hmac-") {
        (Hmac, hash)
    } else if let Some(hash) = fragment.strip_suffix("-rsa-MGF1") {
        (RsaPss, hash)
    } else {
        return None;
    };
    let hash = HashFunction::from_fragment(hash_name)?;
    Some((SignatureAlgorithm { family, hash }, UriStatus::NonStandard))
}

/// The fragment of a URI under one of the W3C XML security namespaces.
fn w3c_fragment(uri: &str) -> Option<&str> {
    [
        DSIG_2000,
        DSIG_MORE_2001,
        XMLENC_2001,
        DSIG_MORE_2007,
        DSIG11_2009,
    ]
    .iter()
    .find_map(|prefix| uri.strip_prefix(prefix))
    .filter(|fragment| !fragment.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_uris_are_recognised() {
        assert_eq!(
            digest_from_uri("http://www.w3.org/2001/04/xmlenc#sha256"),
            Some((HashFunction::Sha256, UriStatus::Standard))
        );
        let (alg, status) =
            signature_from_uri("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1").unwrap();
        assert_eq!(alg.family, SignatureFamily::RsaPss);
        assert_eq!(alg.hash, HashFunction::Sha256);
        assert_eq!(status, UriStatus::Standard);
    }

    #[test]
    fn adfs_made_up_uris_are_accepted_as_non_standard() {
        assert_eq!(
            digest_from_uri("http://www.w3.org/2001/04/xmlenc#sha384"),
            Some((HashFunction::Sha384, UriStatus::NonStandard))
        );
        let (alg, status) =
            signature_from_uri("http://www.w3.org/2001/04/xmldsig-more#rsa-sha1").unwrap();
        assert_eq!(alg.name(), "RSA-SHA1");
        assert_eq!(status, UriStatus::NonStandard);
    }

    #[test]
    fn unknown_uris_are_refused() {
        assert_eq!(digest_from_uri("BAD_DIGEST_ALGORITHM"), None);
        assert_eq!(
            digest_from_uri("http://www.w3.org/2001/04/xmlenc#md5"),
            None
        );
        assert_eq!(signature_from_uri("http://example.com/#rsa-sha256"), None);
        assert_eq!(
            signature_from_uri("http://www.w3.org/2001/04/xmldsig-more#rsa-md5"),
            None
        );
    }
}
