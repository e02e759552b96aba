//! The algorithms a signature names, held to what samlkit implements and allows:
//! canonicalization (with its `InclusiveNamespaces` prefix list), signature, digest, and the
//! transforms of the reference (enveloped-signature plus one canonicalization).

use roxmltree::Node;
use samlkit_parse::xml::{self, ns};

use crate::algorithms::{
    self, HashFunction, SignatureAlgorithm, SignatureFamily, UriStatus, ENVELOPED_SIGNATURE,
};
use crate::c14n::C14nMethod;
use crate::report::{Finding, FindingCode, Severity, SignatureReport, Span, Stage};

use super::placement::describe;
use super::profile::algorithm_attribute;
use super::{Context, EXC_C14N_NS, PSS_PARAMS_NS};

/// The elements that name a signature's algorithms.
pub(super) struct AlgorithmElements<'a, 'i, 't> {
    pub(super) canonicalization_method: Node<'a, 'i>,
    pub(super) signature_method: Node<'a, 'i>,
    pub(super) digest_method: Node<'a, 'i>,
    pub(super) transforms: &'t [Node<'a, 'i>],
}

/// The algorithms of a signature that passed the profile.
pub(super) struct ProfiledAlgorithms<'a> {
    pub(super) canonicalization: C14nMethod,
    pub(super) signed_info_prefixes: Vec<&'a str>,
    pub(super) signature_algorithm: SignatureAlgorithm,
    pub(super) digest: HashFunction,
    pub(super) reference_c14n: C14nMethod,
    pub(super) reference_prefixes: Vec<&'a str>,
    pub(super) enveloped: bool,
}

impl<'a, 'i> Context<'_, 'a, 'i> {
    /// The algorithms a signature names, each one implemented and allowed: canonicalization
    /// (with its prefix list), signature, digest and transforms.
    pub(super) fn profile_algorithms(
        &self,
        methods: AlgorithmElements<'a, 'i, '_>,
        report: &mut SignatureReport,
    ) -> Result<ProfiledAlgorithms<'a>, Stage> {
        let structure = Stage::MalformedStructure;
        let AlgorithmElements {
            canonicalization_method,
            signature_method,
            digest_method,
            transforms: transform_nodes,
        } = methods;
        let mut algorithm_failed = false;
        let canonicalization = report
            .algorithms
            .canonicalization
            .as_deref()
            .and_then(C14nMethod::from_uri);
        let signed_info_prefixes = match canonicalization {
            Some(method) => self.inclusive_prefixes(canonicalization_method, method, report),
            None => {
                report.findings.push(
                    Finding::error(
                        FindingCode::UnsupportedAlgorithm,
                        format!(
                            "unsupported canonicalization method \"{}\"",
                            report.algorithms.canonicalization.as_deref().unwrap_or("")
                        ),
                    )
                    .at(canonicalization_method.range()),
                );
                algorithm_failed = true;
                None
            }
        };
        let signature_algorithm = self.signature_algorithm(signature_method, report);
        let digest = self.digest_algorithm(digest_method, report);

        let (reference_c14n, reference_prefixes, enveloped) =
            match self.transforms(transform_nodes, report) {
                Some(parsed) => parsed,
                None => {
                    algorithm_failed = true;
                    (C14nMethod::Inclusive10, Some(Vec::new()), false)
                }
            };

        let (
            Some(canonicalization),
            Some(signed_info_prefixes),
            Some(signature_algorithm),
            Some(digest),
            Some(reference_prefixes),
        ) = (
            canonicalization,
            signed_info_prefixes,
            signature_algorithm,
            digest,
            reference_prefixes,
        )
        else {
            return Err(
                if algorithm_failed
                    || report.findings.iter().any(|finding| {
                        finding.severity == Severity::Error
                            && matches!(
                                finding.code,
                                FindingCode::UnsupportedAlgorithm
                                    | FindingCode::HmacRefused
                                    | FindingCode::TransformNotAllowed
                                    | FindingCode::TransformXpathOrXslt
                                    | FindingCode::TooManyTransforms
                            )
                    })
                {
                    Stage::UnsupportedAlgorithm
                } else {
                    structure
                },
            );
        };
        if algorithm_failed {
            return Err(Stage::UnsupportedAlgorithm);
        }
        Ok(ProfiledAlgorithms {
            canonicalization,
            signed_info_prefixes,
            signature_algorithm,
            digest,
            reference_c14n,
            reference_prefixes,
            enveloped,
        })
    }

    /// The PrefixList of an `InclusiveNamespaces` child, for exclusive canonicalization.
    /// `None` (with a finding) when the element is misplaced or malformed.
    fn inclusive_prefixes(
        &self,
        method_node: Node<'a, 'i>,
        method: C14nMethod,
        report: &mut SignatureReport,
    ) -> Option<Vec<&'a str>> {
        let mut prefixes = Vec::new();
        for (seen, child) in xml::element_children(method_node).enumerate() {
            let is_inclusive_namespaces =
                xml::is_element(child, EXC_C14N_NS, "InclusiveNamespaces");
            if !is_inclusive_namespaces || !method.is_exclusive() || seen > 0 {
                report.findings.push(
                    Finding::error(
                        FindingCode::InclusiveNamespacesInvalid,
                        format!(
                            "unexpected {} in {}; only one ec:InclusiveNamespaces, and only \
                             under exclusive canonicalization, is allowed",
                            describe(child),
                            describe(method_node)
                        ),
                    )
                    .at(child.range()),
                );
                return None;
            }
            let list = xml::plain_attribute(child, "PrefixList").map_or("", |attr| attr.value());
            for token in list.split_ascii_whitespace() {
                if token != "#default" && !is_ncname(token) {
                    report.findings.push(
                        Finding::error(
                            FindingCode::InclusiveNamespacesInvalid,
                            format!("\"{token}\" in PrefixList is not a namespace prefix"),
                        )
                        .at(child.range()),
                    );
                    return None;
                }
                prefixes.push(token);
            }
        }
        Some(prefixes)
    }

    fn signature_algorithm(
        &self,
        method: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Option<SignatureAlgorithm> {
        let uri = report.algorithms.signature.clone().unwrap_or_default();
        let span = Span::from(method.range());
        let Some((algorithm, status)) = algorithms::signature_from_uri(&uri) else {
            report.findings.push(
                Finding::error(
                    FindingCode::UnsupportedAlgorithm,
                    format!("unsupported signature algorithm \"{uri}\""),
                )
                .at(span),
            );
            return None;
        };
        report.algorithms.signature_name = Some(algorithm.name());
        report.algorithms.parsed_signature = Some(algorithm);
        if status == UriStatus::NonStandard {
            report.findings.push(
                Finding::info(
                    FindingCode::NonStandardAlgorithmUri,
                    format!(
                        "the signature algorithm URI \"{uri}\" is not defined by any \
                         specification; samlkit reads it as {}",
                        algorithm.name()
                    ),
                )
                .at(span),
            );
        }
        for child in xml::element_children(method) {
            let pss_params = algorithm.family == SignatureFamily::RsaPss
                && xml::is_element(child, PSS_PARAMS_NS, "RSAPSSParams");
            if !pss_params {
                report.findings.push(
                    Finding::error(
                        FindingCode::MalformedSignature,
                        format!("unexpected {} inside <SignatureMethod>", describe(child)),
                    )
                    .at(child.range()),
                );
                return None;
            }
            // The PSS digest, when given, must be the one the URI names.
            let named_digest = xml::child_named(child, ns::DS, "DigestMethod")
                .and_then(algorithm_attribute)
                .map(|uri| algorithms::digest_from_uri(&uri).map(|(hash, _)| hash));
            if let Some(named) = named_digest {
                if named != Some(algorithm.hash) {
                    report.findings.push(
                        Finding::error(
                            FindingCode::UnsupportedAlgorithm,
                            "RSAPSSParams names a digest other than the signature algorithm's",
                        )
                        .at(child.range()),
                    );
                    return None;
                }
            }
        }
        match algorithm.family {
            SignatureFamily::Hmac => {
                report.findings.push(
                    Finding::error(
                        FindingCode::HmacRefused,
                        format!(
                            "the message is \"signed\" with {}, a shared-secret MAC; with a \
                             certificate as trust anchor that would let anyone who has the public \
                             certificate forge it, so it is refused",
                            algorithm.name()
                        ),
                    )
                    .at(span),
                );
                return None;
            }
            SignatureFamily::Dsa => report.findings.push(
                Finding::warning(
                    FindingCode::DsaDeprecated,
                    format!(
                        "{} is deprecated; ask the IdP for RSA or ECDSA",
                        algorithm.name()
                    ),
                )
                .at(span),
            ),
            _ => {}
        }
        if algorithm.hash.is_deprecated() {
            report.findings.push(
                Finding::warning(
                    FindingCode::Sha1Deprecated,
                    format!(
                        "the signature uses {} (SHA-1 is deprecated)",
                        algorithm.name()
                    ),
                )
                .at(span)
                .with_fix("switch the IdP's signing algorithm to SHA-256"),
            );
        }
        Some(algorithm)
    }

    fn digest_algorithm(
        &self,
        method: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Option<HashFunction> {
        let uri = report.algorithms.digest.clone().unwrap_or_default();
        let span = Span::from(method.range());
        let Some((hash, status)) = algorithms::digest_from_uri(&uri) else {
            report.findings.push(
                Finding::error(
                    FindingCode::UnsupportedAlgorithm,
                    format!("unsupported digest algorithm \"{uri}\""),
                )
                .at(span),
            );
            return None;
        };
        report.algorithms.digest_name = Some(hash.name().to_string());
        report.algorithms.parsed_digest = Some(hash);
        if status == UriStatus::NonStandard {
            report.findings.push(
                Finding::info(
                    FindingCode::NonStandardAlgorithmUri,
                    format!(
                        "the digest algorithm URI \"{uri}\" is not defined by any specification; \
                         samlkit reads it as {}",
                        hash.name()
                    ),
                )
                .at(span),
            );
        }
        if hash.is_deprecated() {
            report.findings.push(
                Finding::warning(
                    FindingCode::Sha1Deprecated,
                    "the reference digest is SHA-1 (deprecated)",
                )
                .at(span),
            );
        }
        if xml::element_children(method).next().is_some() {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    "<DigestMethod> has unexpected child elements",
                )
                .at(span),
            );
            return None;
        }
        Some(hash)
    }

    /// Allowed: enveloped-signature, then at most one canonicalization. Returns the
    /// canonicalization for the reference (inclusive C14N 1.0 when none is named, as XML-DSig
    /// prescribes), its prefix list, and whether the enveloped transform is present.
    fn transforms(
        &self,
        transforms: &[Node<'a, 'i>],
        report: &mut SignatureReport,
    ) -> Option<(C14nMethod, Option<Vec<&'a str>>, bool)> {
        let mut enveloped = false;
        let mut canonicalization: Option<(C14nMethod, Option<Vec<&'a str>>)> = None;
        // An XPath or XSLT transform is the first thing worth naming, however many others
        // there are: it is what changes which bytes the signature covers.
        if let Some((transform, name)) = transforms.iter().find_map(|transform| {
            let uri = algorithm_attribute(*transform).unwrap_or_default();
            expression_transform_name(&uri).map(|name| (*transform, name))
        }) {
            report.findings.push(
                Finding::error(
                    FindingCode::TransformXpathOrXslt,
                    format!(
                        "the reference applies an {name} transform; it can select or rewrite \
                         what is signed, so the signed bytes need not be the element the claims \
                         are read from. SAML signatures use only enveloped-signature and \
                         canonicalization"
                    ),
                )
                .at(transform.range()),
            );
            return None;
        }
        if transforms.len() > 2 {
            report.findings.push(
                Finding::error(
                    FindingCode::TooManyTransforms,
                    format!(
                        "the reference has {} transforms; SAML uses enveloped-signature and one \
                         canonicalization",
                        transforms.len()
                    ),
                )
                .at(transforms[0].range()),
            );
            return None;
        }
        for transform in transforms {
            if !xml::is_element(*transform, ns::DS, "Transform") {
                report.findings.push(
                    Finding::error(
                        FindingCode::MalformedSignature,
                        format!("unexpected {} inside <Transforms>", describe(*transform)),
                    )
                    .at(transform.range()),
                );
                return None;
            }
            let uri = algorithm_attribute(*transform).unwrap_or_default();
            if uri == ENVELOPED_SIGNATURE && !enveloped && canonicalization.is_none() {
                enveloped = true;
                if xml::element_children(*transform).next().is_some() {
                    report.findings.push(
                        Finding::error(
                            FindingCode::MalformedSignature,
                            "the enveloped-signature transform has unexpected content",
                        )
                        .at(transform.range()),
                    );
                    return None;
                }
                continue;
            }
            if let Some(method) = C14nMethod::from_uri(&uri) {
                if canonicalization.is_none() {
                    let prefixes = self.inclusive_prefixes(*transform, method, report);
                    // A same-document reference selects the node-set without comments even
                    // under a WithComments method (XML-DSig 4.3.3.3).
                    canonicalization = Some((method.without_comments(), prefixes));
                    continue;
                }
            }
            let message = if uri == ENVELOPED_SIGNATURE || C14nMethod::from_uri(&uri).is_some() {
                format!("the transform \"{uri}\" is repeated or out of order")
            } else {
                format!(
                    "the transform \"{uri}\" ({}) is not allowed; SAML signatures use only \
                     enveloped-signature and canonicalization (XPath/XSLT transforms can select \
                     or rewrite what is signed)",
                    transform_name(&uri)
                )
            };
            report.findings.push(
                Finding::error(FindingCode::TransformNotAllowed, message).at(transform.range()),
            );
            return None;
        }
        let (method, prefixes) =
            canonicalization.unwrap_or((C14nMethod::Inclusive10, Some(Vec::new())));
        Some((method, prefixes, enveloped))
    }
}

/// The name of a transform that evaluates an expression (XPath, XPath Filter 2.0, XSLT).
fn expression_transform_name(uri: &str) -> Option<&'static str> {
    match uri {
        "http://www.w3.org/TR/1999/REC-xpath-19991116" => Some("XPath"),
        "http://www.w3.org/2002/06/xmldsig-filter2" => Some("XPath Filter 2.0"),
        "http://www.w3.org/TR/1999/REC-xslt-19991116" => Some("XSLT"),
        _ => None,
    }
}

fn transform_name(uri: &str) -> &'static str {
    match uri {
        "http://www.w3.org/2000/09/xmldsig#base64" => "base64 decoding",
        _ => expression_transform_name(uri).unwrap_or("unknown transform"),
    }
}

/// An XML Name without a colon (a namespace prefix).
fn is_ncname(token: &str) -> bool {
    let mut chars = token.chars();
    chars
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncnames() {
        assert!(is_ncname("ds"));
        assert!(is_ncname("_x-1.y"));
        assert!(!is_ncname("a:b"));
        assert!(!is_ncname("1a"));
    }
}
