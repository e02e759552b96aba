//! Which service provider a message is for, read from its URLs: a newcomer rarely knows that
//! `--profile` exists, and judging an Amazon Q Business response by the generic rules alone
//! passes responses that Amazon Q refuses. Only the host and path forms the service providers
//! document are recognised; anything else stays `generic`.

use serde::Serialize;

use crate::profile::Profile;

/// The message field a service provider was recognised in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectedField {
    Audience,
    Recipient,
    Destination,
    AssertionConsumerServiceUrl,
    Issuer,
}

impl DetectedField {
    /// The field as the report names it ("detected from the Audience").
    pub fn label(self) -> &'static str {
        match self {
            DetectedField::Audience => "the Audience",
            DetectedField::Recipient => "the Recipient",
            DetectedField::Destination => "the Destination",
            DetectedField::AssertionConsumerServiceUrl => "the AssertionConsumerServiceURL",
            DetectedField::Issuer => "the Issuer",
        }
    }
}

/// A built-in profile recognised in a message, with the field and value it was recognised in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetectedProfile {
    pub profile: Profile,
    pub field: DetectedField,
    pub value: String,
}

/// The profile whose service provider the candidate values point at. Candidates are tried in
/// the order given; when values point at different service providers, the most specific one
/// wins (an Amazon Q web experience federated through IAM carries both its own URL and the
/// AWS sign-in audience, and Amazon Q is the one that decides).
pub fn detect_profile(candidates: &[(DetectedField, &str)]) -> Option<DetectedProfile> {
    let mut best: Option<(usize, DetectedProfile)> = None;
    for (field, value) in candidates {
        let Some(profile) = profile_for_url(value) else {
            continue;
        };
        let rank = specificity(profile);
        if best.as_ref().is_none_or(|(known, _)| rank < *known) {
            best = Some((
                rank,
                DetectedProfile {
                    profile,
                    field: *field,
                    value: value.trim().to_string(),
                },
            ));
        }
    }
    best.map(|(_, detected)| detected)
}

/// Lower is more specific.
fn specificity(profile: Profile) -> usize {
    match profile {
        Profile::AmazonQBusiness => 0,
        Profile::AwsIdentityCenter => 1,
        _ => 2,
    }
}

/// The profile one URL (or URN) belongs to, if it is one of the documented forms.
pub fn profile_for_url(value: &str) -> Option<Profile> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    if lower == "urn:amazon:webservices" || lower.starts_with("urn:amazon:webservices:") {
        return Some(Profile::AwsIam);
    }
    let (host, path) = split_url(&lower)?;
    let path = path.trim_end_matches('/');
    let is_under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));

    if is_under("on.aws") && host.contains(".qbusiness.") {
        return Some(Profile::AmazonQBusiness);
    }
    if is_under("awsapps.com")
        || is_under("signin.aws")
        || (host.starts_with("portal.sso.") && host.ends_with(".amazonaws.com"))
        || (is_aws_signin_host(host) && path.starts_with("/platform/saml"))
    {
        return Some(Profile::AwsIdentityCenter);
    }
    if is_aws_signin_host(host) && (path == "/saml" || path.starts_with("/saml/")) {
        return Some(Profile::AwsIam);
    }
    if host == "slack.com" || is_under("slack.com") {
        return Some(Profile::Slack);
    }
    if host == "github.com"
        && (path.starts_with("/orgs/") || path.starts_with("/enterprises/"))
        && path.contains("/saml")
    {
        return Some(Profile::Github);
    }
    if is_under("ghe.com") || path.ends_with("/saml/consume") {
        return Some(Profile::Github);
    }
    if (is_under("atlassian.com") && host.starts_with("auth.")) || is_under("atlassian.net") {
        return Some(Profile::Atlassian);
    }
    None
}

/// `signin.aws.amazon.com`, `signin.amazonaws-us-gov.com`, `signin.amazonaws.cn` and their
/// regional forms (`us-east-1.signin.aws.amazon.com`).
fn is_aws_signin_host(host: &str) -> bool {
    [
        "signin.aws.amazon.com",
        "signin.amazonaws-us-gov.com",
        "signin.amazonaws.cn",
    ]
    .iter()
    .any(|base| host == *base || host.ends_with(&format!(".{base}")))
}

/// Host (without port or user info) and path of an `http(s)` URL.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    let path_end = rest[end..].find(['?', '#']).map_or(rest.len(), |i| end + i);
    Some((host, &rest[end..path_end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_url_forms_are_recognised() {
        let cases = [
            (
                "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml",
                Profile::AmazonQBusiness,
            ),
            ("https://signin.aws.amazon.com/saml", Profile::AwsIam),
            (
                "https://us-east-1.signin.aws.amazon.com/saml",
                Profile::AwsIam,
            ),
            ("https://signin.amazonaws-us-gov.com/saml", Profile::AwsIam),
            ("https://signin.amazonaws.cn/saml", Profile::AwsIam),
            ("urn:amazon:webservices", Profile::AwsIam),
            (
                "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/abc",
                Profile::AwsIdentityCenter,
            ),
            (
                "https://d-1234567890.awsapps.com/start",
                Profile::AwsIdentityCenter,
            ),
            (
                "https://us-east-2.signin.aws/platform/saml/acs/x",
                Profile::AwsIdentityCenter,
            ),
            ("https://acme.slack.com/sso/saml", Profile::Slack),
            ("https://acme.enterprise.slack.com/sso/saml", Profile::Slack),
            ("https://github.com/orgs/acme/saml/consume", Profile::Github),
            (
                "https://github.com/enterprises/acme/saml/consume",
                Profile::Github,
            ),
            (
                "https://acme.ghe.com/enterprises/acme/saml/consume",
                Profile::Github,
            ),
            (
                "https://github.internal.example:8443/saml/consume",
                Profile::Github,
            ),
            (
                "https://auth.atlassian.com/login/callback?connection=saml-1",
                Profile::Atlassian,
            ),
            ("https://acme.atlassian.net/", Profile::Atlassian),
        ];
        for (url, profile) in cases {
            assert_eq!(profile_for_url(url), Some(profile), "{url}");
        }
    }

    #[test]
    fn lookalike_hosts_are_not_recognised() {
        for url in [
            "https://signin.aws.amazon.com.evil.example/saml",
            "https://notslack.com/sso",
            "https://github.com/acme/saml",
            "https://sp.example.org/saml/acs",
            "not a url",
        ] {
            assert_eq!(profile_for_url(url), None, "{url}");
        }
    }

    #[test]
    fn the_most_specific_service_provider_wins() {
        let detected = detect_profile(&[
            (
                DetectedField::Audience,
                "https://signin.aws.amazon.com/saml",
            ),
            (
                DetectedField::Recipient,
                "https://x.chat.qbusiness.eu-west-1.on.aws/saml",
            ),
        ])
        .unwrap();
        assert_eq!(detected.profile, Profile::AmazonQBusiness);
        assert_eq!(detected.field, DetectedField::Recipient);
    }
}
