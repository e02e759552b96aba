//! The algorithms: block ciphers for the data (AES-CBC, AES-GCM, 3DES) and key transport
//! (RSA-OAEP with its digest and MGF, RSA PKCS#1 v1.5).

use openssl::md::{Md, MdRef};
use openssl::pkey::{PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;
use openssl::symm::{Cipher, Crypter, Mode};

use crate::algorithms::HashFunction;

use super::uri;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DataCipher {
    AesCbc { key_len: usize },
    AesGcm { key_len: usize },
    TripleDesCbc,
}

const GCM_IV_LEN: usize = 12;

const GCM_TAG_LEN: usize = 16;

impl DataCipher {
    pub(super) fn from_uri(uri: &str) -> Option<DataCipher> {
        Some(match uri {
            uri::AES128_CBC => DataCipher::AesCbc { key_len: 16 },
            uri::AES192_CBC => DataCipher::AesCbc { key_len: 24 },
            uri::AES256_CBC => DataCipher::AesCbc { key_len: 32 },
            uri::AES128_GCM => DataCipher::AesGcm { key_len: 16 },
            uri::AES192_GCM => DataCipher::AesGcm { key_len: 24 },
            uri::AES256_GCM => DataCipher::AesGcm { key_len: 32 },
            uri::TRIPLEDES_CBC => DataCipher::TripleDesCbc,
            _ => return None,
        })
    }

    pub(super) fn key_len(self) -> usize {
        match self {
            DataCipher::AesCbc { key_len } | DataCipher::AesGcm { key_len } => key_len,
            DataCipher::TripleDesCbc => 24,
        }
    }

    fn block_len(self) -> usize {
        match self {
            DataCipher::TripleDesCbc => 8,
            _ => 16,
        }
    }

    pub(super) fn name(self) -> String {
        match self {
            DataCipher::AesCbc { key_len } => format!("AES-{}-CBC", key_len * 8),
            DataCipher::AesGcm { key_len } => format!("AES-{}-GCM", key_len * 8),
            DataCipher::TripleDesCbc => "Triple DES CBC".to_string(),
        }
    }

    fn openssl_cipher(self) -> Cipher {
        match self {
            DataCipher::AesCbc { key_len: 16 } => Cipher::aes_128_cbc(),
            DataCipher::AesCbc { key_len: 24 } => Cipher::aes_192_cbc(),
            DataCipher::AesCbc { .. } => Cipher::aes_256_cbc(),
            DataCipher::AesGcm { key_len: 16 } => Cipher::aes_128_gcm(),
            DataCipher::AesGcm { key_len: 24 } => Cipher::aes_192_gcm(),
            DataCipher::AesGcm { .. } => Cipher::aes_256_gcm(),
            DataCipher::TripleDesCbc => Cipher::des_ede3_cbc(),
        }
    }

    /// A ciphertext length the algorithm cannot have produced, whatever the key.
    pub(super) fn length_problem(self, len: usize) -> Option<String> {
        match self {
            DataCipher::AesGcm { .. } if len < GCM_IV_LEN + GCM_TAG_LEN => Some(format!(
                "the CipherValue is {len} bytes, shorter than the {GCM_IV_LEN}-byte IV plus \
                 {GCM_TAG_LEN}-byte tag that {} needs",
                self.name()
            )),
            DataCipher::AesGcm { .. } => None,
            _ => {
                let block = self.block_len();
                // An IV block, then at least one block of ciphertext.
                (!len.is_multiple_of(block) || len / block < 2).then(|| {
                    format!(
                        "the CipherValue is {len} bytes, not an IV plus whole {block}-byte \
                         blocks as {} produces",
                        self.name()
                    )
                })
            }
        }
    }

    /// Decrypts `data` (IV first). `None` when the padding or the tag is wrong, which means
    /// the ciphertext was modified or the key is not the one it was encrypted with.
    pub(super) fn decrypt(self, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
        if key.len() != self.key_len() || self.length_problem(data.len()).is_some() {
            return None;
        }
        let cipher = self.openssl_cipher();
        match self {
            DataCipher::AesGcm { .. } => {
                let (iv, rest) = data.split_at(GCM_IV_LEN);
                let (body, tag) = rest.split_at(rest.len() - GCM_TAG_LEN);
                openssl::symm::decrypt_aead(cipher, key, Some(iv), &[], body, tag).ok()
            }
            _ => {
                let block = self.block_len();
                let (iv, body) = data.split_at(block);
                let mut crypter = Crypter::new(cipher, Mode::Decrypt, key, Some(iv)).ok()?;
                // XML Encryption padding is not PKCS#7 (only the last byte is defined), so
                // OpenSSL's padding check would refuse valid messages.
                crypter.pad(false);
                let mut out = vec![0; body.len() + block];
                let written = crypter.update(body, &mut out).ok()?;
                // Without padding, whole blocks leave nothing for finalize to write.
                if crypter.finalize(&mut out[written..]).ok()? != 0 {
                    return None;
                }
                out.truncate(written);
                let pad = usize::from(*out.last()?);
                if pad == 0 || pad > block || pad > out.len() {
                    return None;
                }
                out.truncate(out.len() - pad);
                Some(out)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum KeyTransport {
    RsaPkcs1,
    RsaOaep {
        digest: HashFunction,
        mgf1: HashFunction,
        label: Vec<u8>,
    },
}

impl KeyTransport {
    pub(super) fn name(&self) -> String {
        match self {
            KeyTransport::RsaPkcs1 => "RSA PKCS#1 v1.5 (rsa-1_5)".to_string(),
            KeyTransport::RsaOaep { digest, mgf1, .. } => {
                format!("RSA-OAEP ({}, MGF1 {})", digest.name(), mgf1.name())
            }
        }
    }

    /// Unwraps the symmetric key. `None` on any failure, whatever its cause: callers must not
    /// be able to tell a padding error from a wrong key.
    pub(super) fn unwrap(&self, key: &PKey<Private>, wrapped: &[u8]) -> Option<Vec<u8>> {
        let mut ctx = PkeyCtx::new(key).ok()?;
        ctx.decrypt_init().ok()?;
        match self {
            KeyTransport::RsaPkcs1 => ctx.set_rsa_padding(Padding::PKCS1).ok()?,
            KeyTransport::RsaOaep {
                digest,
                mgf1,
                label,
            } => {
                ctx.set_rsa_padding(Padding::PKCS1_OAEP).ok()?;
                ctx.set_rsa_oaep_md(md(*digest)).ok()?;
                ctx.set_rsa_mgf1_md(md(*mgf1)).ok()?;
                if !label.is_empty() {
                    ctx.set_rsa_oaep_label(label).ok()?;
                }
            }
        }
        let mut out = Vec::new();
        ctx.decrypt_to_vec(wrapped, &mut out).ok()?;
        Some(out)
    }
}

fn md(hash: HashFunction) -> &'static MdRef {
    match hash {
        HashFunction::Sha1 => Md::sha1(),
        HashFunction::Sha224 => Md::sha224(),
        HashFunction::Sha256 => Md::sha256(),
        HashFunction::Sha384 => Md::sha384(),
        HashFunction::Sha512 => Md::sha512(),
    }
}

pub(super) fn mgf1_from_uri(uri: &str) -> Option<HashFunction> {
    Some(match uri {
        uri::MGF1_SHA1 => HashFunction::Sha1,
        uri::MGF1_SHA224 => HashFunction::Sha224,
        uri::MGF1_SHA256 => HashFunction::Sha256,
        uri::MGF1_SHA384 => HashFunction::Sha384,
        uri::MGF1_SHA512 => HashFunction::Sha512,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_encryption_padding_accepts_arbitrary_pad_bytes_and_rejects_bad_lengths() {
        let key = [7u8; 16];
        let iv = [9u8; 16];
        let encrypt = |plain: &[u8]| {
            let mut crypter =
                Crypter::new(Cipher::aes_128_cbc(), Mode::Encrypt, &key, Some(&iv)).unwrap();
            crypter.pad(false);
            let mut out = vec![0; plain.len() + 16];
            let n = crypter.update(plain, &mut out).unwrap();
            let m = crypter.finalize(&mut out[n..]).unwrap();
            out.truncate(n + m);
            [iv.to_vec(), out].concat()
        };
        let cipher = DataCipher::AesCbc { key_len: 16 };
        // "<a/>" then 11 arbitrary bytes and the pad length 12: not PKCS#7.
        let mut plain = b"<a/>".to_vec();
        plain.extend_from_slice(&[0xAA, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
        assert_eq!(cipher.decrypt(&key, &encrypt(&plain)).unwrap(), b"<a/>");
        let mut zero_pad = b"<a/>".to_vec();
        zero_pad.extend_from_slice(&[0; 12]);
        assert_eq!(cipher.decrypt(&key, &encrypt(&zero_pad)), None);
        let mut too_long = b"<a/>".to_vec();
        too_long.extend_from_slice(&[17; 12]);
        assert_eq!(cipher.decrypt(&key, &encrypt(&too_long)), None);
        // A whole block of padding (the plaintext filled its last block) is valid.
        let mut full_block = b"<abcdefghijklm/>".to_vec();
        full_block.extend_from_slice(&[3; 15]);
        full_block.push(16);
        assert_eq!(
            cipher.decrypt(&key, &encrypt(&full_block)).unwrap(),
            b"<abcdefghijklm/>"
        );
        // A block of padding alone decrypts to nothing (check_content then refuses it).
        let mut only_padding = vec![5u8; 15];
        only_padding.push(16);
        assert_eq!(
            cipher.decrypt(&key, &encrypt(&only_padding)),
            Some(Vec::new())
        );
        // A pad length over the block size is refused even where the plaintext is longer.
        let mut over_block = b"<abcdefghijklm/>".to_vec();
        over_block.extend_from_slice(&[3; 15]);
        over_block.push(20);
        assert_eq!(cipher.decrypt(&key, &encrypt(&over_block)), None);
    }

    #[test]
    fn ciphertext_lengths_an_algorithm_cannot_produce_are_named() {
        let gcm = DataCipher::AesGcm { key_len: 16 };
        // IV and tag around an empty plaintext: the shortest GCM output.
        assert_eq!(gcm.length_problem(GCM_IV_LEN + GCM_TAG_LEN), None);
        assert!(gcm.length_problem(GCM_IV_LEN + GCM_TAG_LEN - 1).is_some());
        let cbc = DataCipher::AesCbc { key_len: 16 };
        for len in [0, 15, 16, 33] {
            assert!(cbc.length_problem(len).is_some(), "{len}");
        }
        for len in [32, 48] {
            assert_eq!(cbc.length_problem(len), None, "{len}");
        }
        assert!(DataCipher::TripleDesCbc.length_problem(8).is_some());
        assert_eq!(DataCipher::TripleDesCbc.length_problem(16), None);
    }

    #[test]
    fn a_key_or_ciphertext_of_the_wrong_size_is_refused_before_openssl() {
        let gcm = DataCipher::AesGcm { key_len: 16 };
        assert_eq!(gcm.decrypt(&[1; 15], &[0; 40]), None);
        assert_eq!(gcm.decrypt(&[1; 16], &[0; 10]), None);
        let cbc = DataCipher::AesCbc { key_len: 32 };
        assert_eq!(cbc.decrypt(&[1; 16], &[0; 48]), None);
        assert_eq!(cbc.decrypt(&[1; 32], &[0; 20]), None);
    }

    #[test]
    fn a_wrapped_key_that_is_empty_or_longer_than_the_modulus_does_not_unwrap() {
        let rsa = openssl::rsa::Rsa::generate(2048).unwrap();
        let key = PKey::from_rsa(rsa).unwrap();
        for transport in [
            KeyTransport::RsaPkcs1,
            KeyTransport::RsaOaep {
                digest: HashFunction::Sha1,
                mgf1: HashFunction::Sha1,
                label: Vec::new(),
            },
        ] {
            assert_eq!(transport.unwrap(&key, &[]), None);
            assert_eq!(transport.unwrap(&key, &[1; 257]), None);
        }
    }
}
