//! Which identity provider sent a message, and the console path that fixes each kind of
//! problem there. Both come from the embedded data under `data/idps/` (see
//! [`crate::console_data`]): an IdP is recognised from its Issuer / metadata entityID, its
//! endpoints or the attribute names only it sends, and each fix is that IdP's own text or the
//! neutral one, never another IdP's console.

use serde::{Serialize, Serializer};

use crate::console_data::{console_data, DetectedFrom, FixKind, IdpEntry};

/// An identity provider samlkit has data for, or the generic one (unknown IdP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Idp(&'static str);

impl Serialize for Idp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// How an identity provider was recognised, for "detected from" in reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdpDetection {
    /// Which part of the message or setup matched: `issuer`, `metadata-entity-id`,
    /// `endpoint`, `attribute-name`, `message-id` or `override` (`--idp`).
    pub from: &'static str,
    /// The value that matched (the Issuer, the endpoint URL, the attribute Name).
    pub value: String,
    /// The pattern in the IdP's data file it matched, e.g. `issuer starts with https://sts.windows.net/`.
    pub pattern: String,
}

impl Idp {
    /// An identity provider samlkit does not recognise: fixes use the neutral texts.
    pub const GENERIC: Idp = Idp("generic");
    /// Microsoft Entra ID, whose source-attribute names samlkit's rules carry.
    pub const ENTRA_ID: Idp = Idp(crate::console_data::ENTRA_ID);

    /// The stable id (as in JSON output and `--idp`).
    pub fn id(self) -> &'static str {
        self.0
    }

    /// The IdP's entry in the embedded data (`None` for the generic IdP).
    pub fn entry(self) -> Option<&'static IdpEntry> {
        console_data().ok()?.idp(self.0)
    }

    fn of(entry: &'static IdpEntry) -> Idp {
        Idp(entry.id.as_str())
    }

    /// Every recognised identity provider, then the generic one.
    pub fn all() -> Vec<Idp> {
        let known = console_data().map_or(&[][..], |data| &data.idps[..]);
        known
            .iter()
            .map(Idp::of)
            .chain(std::iter::once(Idp::GENERIC))
            .collect()
    }

    /// The IdP named by `--idp`: its id (`okta`, `entra-id`, …) or display name, any case;
    /// `generic` for none.
    pub fn from_name(name: &str) -> Option<Idp> {
        let wanted = name.trim();
        let same = |s: &str| s.eq_ignore_ascii_case(wanted);
        Idp::all()
            .into_iter()
            .find(|idp| same(idp.id()) || idp.entry().is_some_and(|entry| same(&entry.name)))
    }

    /// Recognises the IdP from an Issuer or entity ID.
    pub fn detect(issuer: &str) -> Idp {
        Idp::detect_issuer(issuer).map_or(Idp::GENERIC, |(idp, _)| idp)
    }

    /// The IdP an Issuer or entityID belongs to, and the pattern that matched.
    pub fn detect_issuer(issuer: &str) -> Option<(Idp, String)> {
        let data = console_data().ok()?;
        let (entry, from) = data.detect_issuer(issuer)?;
        Some((Idp::of(entry), describe(&from)))
    }

    /// The IdP whose endpoints (SSO service, metadata URL) contain part of `url`.
    pub fn detect_endpoint(url: &str) -> Option<(Idp, String)> {
        let data = console_data().ok()?;
        data.idps.iter().find_map(|entry| {
            let from = entry.detect.match_endpoint(url)?;
            Some((Idp::of(entry), describe(&from)))
        })
    }

    /// The IdP that alone sends attributes named like `name`.
    pub fn detect_attribute_name(name: &str) -> Option<(Idp, String)> {
        let data = console_data().ok()?;
        data.idps.iter().find_map(|entry| {
            let from = entry.detect.match_attribute_name(name)?;
            Some((Idp::of(entry), describe(&from)))
        })
    }

    /// The IdP whose generated IDs have the shape of every one of `ids` (the Response's and
    /// the assertions').
    pub fn detect_message_ids(ids: &[&str]) -> Option<(Idp, String)> {
        let data = console_data().ok()?;
        data.idps.iter().find_map(|entry| {
            let from = entry.detect.match_message_ids(ids)?;
            Some((Idp::of(entry), describe(&from)))
        })
    }

    /// The display name (`the identity provider` for the generic one).
    pub fn name(self) -> &'static str {
        self.entry()
            .map_or("the identity provider", |entry| entry.name.as_str())
    }

    /// The words naming this IdP's console (empty for the generic one).
    pub fn console_terms(self) -> &'static [String] {
        self.entry().map_or(&[], |entry| &entry.console_terms[..])
    }
}

/// What a message (and its setup) offers for recognising the identity provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdpClues<'a> {
    /// `--idp NAME`, which wins over everything else.
    pub named: Option<Idp>,
    /// The message's Issuer (Response, else the first assertion's).
    pub issuer: Option<&'a str>,
    /// The entityID of the IdP metadata given.
    pub metadata_entity_id: Option<&'a str>,
    /// Endpoints of the IdP: a request's Destination, the metadata's SSO locations.
    pub endpoints: &'a [&'a str],
    /// Names of the attributes the message carries.
    pub attribute_names: &'a [&'a str],
    /// The IDs of the message and its assertions.
    pub message_ids: &'a [&'a str],
}

impl IdpClues<'_> {
    /// The identity provider, strongest clue first: `--idp`, the Issuer, the metadata
    /// entityID, an endpoint, attribute names only one IdP sends, then the shape of the
    /// message's IDs.
    pub fn detect(&self) -> (Idp, Option<IdpDetection>) {
        let found = |from: &'static str, value: &str, hit: Option<(Idp, String)>| {
            hit.map(|(idp, pattern)| {
                let detection = IdpDetection {
                    from,
                    value: value.to_string(),
                    pattern,
                };
                (idp, Some(detection))
            })
        };
        if let Some(idp) = self.named {
            let detection = IdpDetection {
                from: "override",
                value: idp.id().to_string(),
                pattern: "--idp".to_string(),
            };
            return (idp, Some(detection));
        }
        let by_issuer = [
            ("issuer", self.issuer),
            ("metadata-entity-id", self.metadata_entity_id),
        ]
        .into_iter()
        .filter_map(|(from, value)| value.map(|v| (from, v)))
        .find_map(|(from, value)| found(from, value, Idp::detect_issuer(value)));
        let by_endpoint = || {
            self.endpoints
                .iter()
                .find_map(|url| found("endpoint", url, Idp::detect_endpoint(url)))
        };
        let by_attribute = || {
            self.attribute_names
                .iter()
                .find_map(|name| found("attribute-name", name, Idp::detect_attribute_name(name)))
        };
        let by_message_ids = || {
            let value = self.message_ids.join(" ");
            found(
                "message-id",
                &value,
                Idp::detect_message_ids(self.message_ids),
            )
        };
        by_issuer
            .or_else(by_endpoint)
            .or_else(by_attribute)
            .or_else(by_message_ids)
            .unwrap_or((Idp::GENERIC, None))
    }
}

fn describe(from: &DetectedFrom) -> String {
    match from {
        DetectedFrom::IssuerPrefix(p) => format!("starts with `{p}`"),
        DetectedFrom::IssuerSuffix(s) => format!("ends with `{s}`"),
        DetectedFrom::IssuerContains(c) => format!("contains `{c}`"),
        DetectedFrom::Endpoint(c) => format!("endpoint contains `{c}`"),
        DetectedFrom::AttributeNamePrefix(p) => format!("attribute Name starts with `{p}`"),
        DetectedFrom::MessageId(shape) => format!("every ID is {shape}"),
    }
}

/// Something to change at the identity provider, rendered per IdP by [`Fix::text`] from the
/// embedded data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix<'a> {
    /// Add (or rename) a claim so that an attribute with exactly this Name is sent. `source`
    /// is an Entra ID source attribute, offered only to Entra ID's text.
    AddClaim { name: &'a str, source: &'a str },
    /// A claim was sent with a namespace prefixed to its name.
    ClearClaimNamespace { name: &'a str },
    /// The user's source attribute for a claim is empty.
    PopulateSource { claim: &'a str, source: &'a str },
    /// Set the NameID format.
    NameIdFormat { format: &'a str, source: &'a str },
    /// Set the Reply URL / ACS URL.
    ReplyUrl { url: &'a str },
    /// Set the Identifier / Entity ID / Audience.
    Identifier { entity_id: &'a str },
    /// Sign the Response (and the assertion).
    SignResponse,
    /// Sign the assertion itself.
    SignAssertion,
    /// The SP holds a stale certificate or metadata (a rotation at the IdP).
    RefreshMetadata,
    /// Assign the user or group to the application.
    AssignUser,
    /// Fix clocks.
    Clock,
    /// Send groups assigned to the application only (overage).
    GroupsOverage,
    /// Add an AWS Role claim.
    AwsRole,
    /// Source RoleSessionName from a mail or login-name attribute.
    AwsRoleSessionName,
    /// Send SessionDuration within AWS's bounds.
    AwsSessionDuration,
    /// Free text for cases without a console path.
    Text(String),
}

impl Fix<'_> {
    /// The kind of fix in the data files (`None` for free text).
    pub fn kind(&self) -> Option<FixKind> {
        self.kind_and_values().map(|(kind, _)| kind)
    }

    /// The kind of fix and the values its text's placeholders are filled from.
    fn kind_and_values(&self) -> Option<(FixKind, Vec<(&'static str, &str)>)> {
        Some(match self {
            Fix::AddClaim { name, source } => (
                FixKind::AddClaim,
                vec![("name", *name), ("source", *source)],
            ),
            Fix::ClearClaimNamespace { name } => {
                (FixKind::ClearClaimNamespace, vec![("name", *name)])
            }
            Fix::PopulateSource { claim, source } => (
                FixKind::PopulateSource,
                vec![("claim", *claim), ("source", *source)],
            ),
            Fix::NameIdFormat { format, source } => (
                FixKind::NameIdFormat,
                vec![("format", *format), ("source", *source)],
            ),
            Fix::ReplyUrl { url } => (FixKind::ReplyUrl, vec![("url", *url)]),
            Fix::Identifier { entity_id } => (FixKind::Identifier, vec![("entity_id", *entity_id)]),
            Fix::SignResponse => (FixKind::SignResponse, vec![]),
            Fix::SignAssertion => (FixKind::SignAssertion, vec![]),
            Fix::RefreshMetadata => (FixKind::RefreshMetadata, vec![]),
            Fix::AssignUser => (FixKind::AssignUser, vec![]),
            Fix::Clock => (FixKind::Clock, vec![]),
            Fix::GroupsOverage => (FixKind::GroupsOverage, vec![]),
            Fix::AwsRole => (FixKind::AwsRole, vec![]),
            Fix::AwsRoleSessionName => (FixKind::AwsRoleSessionName, vec![]),
            Fix::AwsSessionDuration => (FixKind::AwsSessionDuration, vec![]),
            Fix::Text(_) => return None,
        })
    }

    /// The fix in words: the given IdP's console path and field, or the neutral text when the
    /// IdP has none for this kind of fix (or is not recognised).
    pub fn text(&self, idp: Idp) -> String {
        let Some((kind, values)) = self.kind_and_values() else {
            return match self {
                Fix::Text(text) => text.clone(),
                _ => String::new(),
            };
        };
        console_data()
            .ok()
            .and_then(|data| data.fix_text(idp.entry().map(|e| e.id.as_str()), kind, &values))
            .unwrap_or_else(|| format!("change this at {} ({kind})", idp.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_recognised() {
        let cases = [
            ("https://sts.windows.net/7c4e2f1a-9b3d/", "entra-id"),
            ("http://www.okta.com/exk123", "okta"),
            ("https://accounts.google.com/o/saml2?idpid=C0", "google"),
            ("http://fs.example.com/adfs/services/trust", "adfs"),
            ("https://kc.example.com/realms/main", "keycloak"),
            ("https://idp.example.org/idp/shibboleth", "shibboleth"),
            ("https://app.onelogin.com/saml/metadata/1234", "onelogin"),
            ("urn:dev-abc.us.auth0.com", "auth0"),
            ("https://auth.pingone.com/0a7f", "pingone"),
            ("https://idp.example.org/unknown", "generic"),
        ];
        for (issuer, id) in cases {
            assert_eq!(Idp::detect(issuer).id(), id, "{issuer}");
        }
    }

    #[test]
    fn generated_id_shapes_name_only_the_idp_that_makes_them() {
        let cases: [(&[&str], Option<&str>); 8] = [
            (
                &[
                    "id35528194005172931133953195",
                    "id35528194006743571812188338",
                ],
                Some("okta"),
            ),
            (
                &[
                    "FQRGC12D4KDUUFHSRZXZ27C8ZT1WHAMF1JBQCISX",
                    "UQCW5ZYPIJUA5HQCFIIJQFKUTA7B4QPKZU5T1ZEE",
                ],
                Some("jumpcloud"),
            ),
            (
                &["OyDuc8VO_V6Pfe-C.4yXC2hKLQ0", "vh-SHkkePjqZeG7n6JCdHO0ozET"],
                Some("pingfederate"),
            ),
            // Every ID must have the shape, not just one of them.
            (
                &["OyDuc8VO_V6Pfe-C.4yXC2hKLQ0", "_d4e5f6a7-b8c9-4d0e-8f1a"],
                None,
            ),
            (&["_5f8a1c2e-7d3b-4b9a-9e1f-2a6c4d8e0b13"], None),
            (&["ID_c5f0889f-3600-4a1d-ab0e-60fffa2489f7"], None),
            (&["pfxed88c43d-6504-e1f1-5af0-40be7f279fc5"], None),
            (&[], None),
        ];
        for (ids, expected) in cases {
            let found = Idp::detect_message_ids(ids).map(|(idp, _)| idp.id());
            assert_eq!(found, expected, "{ids:?}");
        }
    }

    #[test]
    fn idp_names_are_accepted_by_id_and_display_name() {
        assert_eq!(Idp::from_name("OKTA"), Some(Idp("okta")));
        assert_eq!(Idp::from_name("AD FS"), Some(Idp("adfs")));
        assert_eq!(Idp::from_name("generic"), Some(Idp::GENERIC));
        assert_eq!(Idp::from_name("nosuch"), None);
    }

    #[test]
    fn entra_claim_fix_names_the_console_field_and_others_never_see_entra_sources() {
        let fix = Fix::AddClaim {
            name: "Email",
            source: "user.mail",
        };
        let entra = fix.text(Idp::ENTRA_ID);
        assert!(entra.contains("Attributes & Claims"), "{entra}");
        assert!(entra.contains("user.mail"), "{entra}");
        for idp in Idp::all().into_iter().filter(|i| *i != Idp::ENTRA_ID) {
            let text = fix.text(idp);
            assert!(text.contains("Email"), "{}: {text}", idp.id());
            assert!(!text.contains("user.mail"), "{}: {text}", idp.id());
        }
    }
}
