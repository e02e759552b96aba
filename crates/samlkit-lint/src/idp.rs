//! Which identity provider sent a message, recognised from the shape of its Issuer, and the
//! console paths that fix each kind of problem there. The texts follow the SSO field guide.

use serde::Serialize;

/// Identity providers samlkit writes console-specific fixes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Idp {
    EntraId,
    Okta,
    Google,
    Adfs,
    Keycloak,
    Generic,
}

impl Idp {
    /// Recognises the IdP from an Issuer or entity ID.
    pub fn detect(issuer: &str) -> Idp {
        let issuer = issuer.trim();
        if issuer.starts_with("https://sts.windows.net/")
            || issuer.starts_with("https://login.microsoftonline.com/")
        {
            Idp::EntraId
        } else if issuer.starts_with("http://www.okta.com/")
            || issuer.starts_with("https://www.okta.com/")
            || issuer.contains(".okta.com/")
        {
            Idp::Okta
        } else if issuer.starts_with("https://accounts.google.com/o/saml2") {
            Idp::Google
        } else if issuer.ends_with("/adfs/services/trust") {
            Idp::Adfs
        } else if issuer.contains("/realms/") {
            Idp::Keycloak
        } else {
            Idp::Generic
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Idp::EntraId => "Microsoft Entra ID",
            Idp::Okta => "Okta",
            Idp::Google => "Google Workspace",
            Idp::Adfs => "AD FS",
            Idp::Keycloak => "Keycloak",
            Idp::Generic => "the identity provider",
        }
    }

    pub const ALL: [Idp; 6] = [
        Idp::EntraId,
        Idp::Okta,
        Idp::Google,
        Idp::Adfs,
        Idp::Keycloak,
        Idp::Generic,
    ];
}

/// Something to change at the identity provider, rendered per IdP by [`Fix::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix<'a> {
    /// Add (or rename) a claim so that an attribute with exactly this Name is sent.
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
    /// The SP holds a stale certificate or metadata.
    RefreshMetadata,
    /// Assign the user or group to the application.
    AssignUser,
    /// Fix clocks.
    Clock,
    /// Send groups assigned to the application only (overage).
    GroupsOverage,
    /// Add an AWS Role claim.
    AwsRole,
    /// Source RoleSessionName from a mail or UPN attribute.
    AwsRoleSessionName,
    /// Free text for cases without a console path.
    Text(String),
}

fn entra_sso(step: &str) -> String {
    format!("Entra ID › Enterprise applications › (your app) › Single sign-on › {step}")
}

impl Fix<'_> {
    /// The fix in words, naming the console and field of the given IdP.
    pub fn text(&self, idp: Idp) -> String {
        match self {
            Fix::AddClaim { name, source } => match idp {
                Idp::EntraId => entra_sso(&format!(
                    "Attributes & Claims › Add new claim: Name `{name}`, Namespace empty, \
                     Source attribute `{source}`"
                )),
                Idp::Okta => format!(
                    "Okta Admin Console › Applications › (your app) › General › SAML Settings › \
                     Edit › Attribute Statements: Name `{name}`, Name format Unspecified, Value \
                     `user.email`"
                ),
                Idp::Google => format!(
                    "Google Admin console › Apps › Web and mobile apps › (your app) › SAML \
                     attribute mapping: add App attribute `{name}` mapped to Primary email"
                ),
                Idp::Adfs => format!(
                    "AD FS Management › Relying Party Trusts › (your trust) › Edit Claim Issuance \
                     Policy › Add Rule › Send LDAP Attributes as Claims: E-Mail-Addresses → \
                     outgoing claim type `{name}`"
                ),
                Idp::Keycloak => format!(
                    "Keycloak › Clients › (your client) › Client scopes › (dedicated scope) › Add \
                     mapper › By configuration › User Property `email`: SAML Attribute Name \
                     `{name}`, NameFormat Basic"
                ),
                Idp::Generic => format!(
                    "have the identity provider release an attribute with Name exactly `{name}` \
                     (from the user's {source}) to this service provider"
                ),
            },
            Fix::ClearClaimNamespace { name } => match idp {
                Idp::EntraId => entra_sso(&format!(
                    "Attributes & Claims › (the claim) › clear the Namespace field so the claim \
                     is sent as `{name}`"
                )),
                _ => format!("send the attribute with Name exactly `{name}`, without a prefix"),
            },
            Fix::PopulateSource { claim, source } => match idp {
                Idp::EntraId => format!(
                    "Entra ID › Users › (the user) › Properties: fill in `{}` (the source \
                     `{source}` of `{claim}`), or change the claim's source attribute (e.g. to \
                     `user.userprincipalname`) under {}",
                    source.strip_prefix("user.").unwrap_or(source),
                    entra_sso("Attributes & Claims")
                ),
                _ => format!(
                    "fill in the user's {source} at {}, or map `{claim}` from another attribute",
                    idp.name()
                ),
            },
            Fix::NameIdFormat { format, source } => match idp {
                Idp::EntraId => entra_sso(&format!(
                    "Attributes & Claims › Unique User Identifier (Name ID) › Choose name \
                     identifier format: {format}, Source attribute `{source}`"
                )),
                Idp::Okta => format!(
                    "Okta Admin Console › Applications › (your app) › General › SAML Settings › \
                     Edit › Name ID format: {format}, Application username: Email"
                ),
                Idp::Google => format!(
                    "Google Admin console › Apps › Web and mobile apps › (your app) › Service \
                     provider details › Name ID format: {format}"
                ),
                Idp::Adfs => format!(
                    "AD FS Management › Relying Party Trusts › (your trust) › Edit Claim Issuance \
                     Policy › Add Rule › Transform an Incoming Claim: E-Mail Address → Name ID, \
                     format {format}"
                ),
                Idp::Keycloak => format!(
                    "Keycloak › Clients › (your client) › Settings › Signature and Encryption / \
                     SAML capabilities › Name ID format: {format} (and Force name ID format on)"
                ),
                Idp::Generic => format!(
                    "configure the identity provider to send the NameID in format {format}"
                ),
            },
            Fix::ReplyUrl { url } => match idp {
                Idp::EntraId => entra_sso(&format!(
                    "Basic SAML Configuration › Reply URL (Assertion Consumer Service URL): add \
                     exactly `{url}` (scheme, host, path and trailing slash must match)"
                )),
                Idp::Okta => format!(
                    "Okta Admin Console › Applications › (your app) › General › SAML Settings › \
                     Edit › Single sign-on URL: `{url}` (untick \"Use this for Recipient URL and \
                     Destination URL\" if they must differ)"
                ),
                Idp::Google => format!(
                    "Google Admin console › Apps › Web and mobile apps › (your app) › Service \
                     provider details › ACS URL: `{url}`"
                ),
                Idp::Adfs => format!(
                    "AD FS Management › Relying Party Trusts › (your trust) › Properties › \
                     Endpoints: SAML Assertion Consumer `{url}`"
                ),
                Idp::Keycloak => format!(
                    "Keycloak › Clients › (your client) › Settings › Valid redirect URIs / Assertion \
                     Consumer Service POST Binding URL: `{url}`"
                ),
                Idp::Generic => format!("set the ACS / Reply URL at the identity provider to `{url}`"),
            },
            Fix::Identifier { entity_id } => match idp {
                Idp::EntraId => entra_sso(&format!(
                    "Basic SAML Configuration › Identifier (Entity ID): `{entity_id}`"
                )),
                Idp::Okta => format!(
                    "Okta Admin Console › Applications › (your app) › General › SAML Settings › \
                     Edit › Audience URI (SP Entity ID): `{entity_id}`"
                ),
                Idp::Google => format!(
                    "Google Admin console › Apps › Web and mobile apps › (your app) › Service \
                     provider details › Entity ID: `{entity_id}`"
                ),
                Idp::Adfs => format!(
                    "AD FS Management › Relying Party Trusts › (your trust) › Properties › \
                     Identifiers: add `{entity_id}`"
                ),
                Idp::Keycloak => format!(
                    "Keycloak › Clients › (your client) › Settings › Client ID: `{entity_id}`"
                ),
                Idp::Generic => format!(
                    "set the SP entity ID (Audience) at the identity provider to `{entity_id}`"
                ),
            },
            Fix::SignResponse => match idp {
                Idp::EntraId => entra_sso(
                    "SAML Certificates › Edit › Signing Option: Sign SAML response and assertion; \
                     Signing Algorithm: SHA-256",
                ),
                Idp::Okta => "Okta Admin Console › Applications › (your app) › General › SAML \
                              Settings › Edit › Show Advanced Settings › Response: Signed"
                    .to_string(),
                Idp::Google => "Google Admin console › Apps › Web and mobile apps › (your app) › \
                                Service provider details › tick Signed response"
                    .to_string(),
                Idp::Adfs => "on the AD FS server: Set-AdfsRelyingPartyTrust -TargetName \
                              \"(your trust)\" -SamlResponseSignature MessageAndAssertion"
                    .to_string(),
                Idp::Keycloak => "Keycloak › Clients › (your client) › Keys / Signature and \
                                  Encryption: Sign documents ON"
                    .to_string(),
                Idp::Generic => "configure the identity provider to sign the SAML Response \
                                 (and the assertion) with RSA-SHA256"
                    .to_string(),
            },
            Fix::SignAssertion => match idp {
                Idp::EntraId => entra_sso(
                    "SAML Certificates › Edit › Signing Option: Sign SAML assertion (or Sign SAML \
                     response and assertion)",
                ),
                Idp::Okta => "Okta Admin Console › Applications › (your app) › General › SAML \
                              Settings › Edit › Show Advanced Settings › Assertion Signature: \
                              Signed"
                    .to_string(),
                Idp::Adfs => "on the AD FS server: Set-AdfsRelyingPartyTrust -TargetName \
                              \"(your trust)\" -SamlResponseSignature MessageAndAssertion"
                    .to_string(),
                Idp::Keycloak => "Keycloak › Clients › (your client) › Signature and Encryption: \
                                  Sign assertions ON"
                    .to_string(),
                Idp::Google | Idp::Generic => {
                    "configure the identity provider to sign the assertion".to_string()
                }
            },
            Fix::RefreshMetadata => match idp {
                Idp::EntraId => format!(
                    "download the current Federation Metadata XML ({}) and import it at the \
                     service provider; during a rollover keep both certificates until the new \
                     one is active",
                    entra_sso("SAML Certificates")
                ),
                Idp::Okta => "Okta Admin Console › Applications › (your app) › Sign On › SAML \
                              Signing Certificates: download the active certificate's metadata \
                              and import it at the service provider"
                    .to_string(),
                _ => format!(
                    "download current metadata (or the signing certificate) from {} and import \
                     it at the service provider",
                    idp.name()
                ),
            },
            Fix::AssignUser => match idp {
                Idp::EntraId => "Entra ID › Enterprise applications › (your app) › Users and \
                                 groups › Add user/group (or set Properties › Assignment required \
                                 to No)"
                    .to_string(),
                Idp::Okta => "Okta Admin Console › Applications › (your app) › Assignments › \
                              Assign to People or Groups"
                    .to_string(),
                _ => format!("assign the user to the application at {}", idp.name()),
            },
            Fix::Clock => "synchronise both clocks with NTP; let the service provider allow up to \
                           5 minutes of clock skew; start the sign-in again from the service \
                           provider instead of re-posting an old form"
                .to_string(),
            Fix::GroupsOverage => match idp {
                Idp::EntraId => entra_sso(
                    "Attributes & Claims › (groups claim) › Edit: Groups assigned to the \
                     application (or filter groups), so fewer than 150 are sent",
                ),
                _ => "send fewer groups (only those assigned to the application)".to_string(),
            },
            Fix::AwsRole => match idp {
                Idp::EntraId => entra_sso(
                    "Attributes & Claims › Add new claim: Name `Role`, Namespace \
                     `https://aws.amazon.com/SAML/Attributes`, value \
                     `arn:aws:iam::<account>:role/<role>,arn:aws:iam::<account>:saml-provider/<provider>` \
                     (an app role or a transformation)",
                ),
                _ => "send the attribute https://aws.amazon.com/SAML/Attributes/Role with values \
                      `arn:aws:iam::<account>:role/<role>,arn:aws:iam::<account>:saml-provider/<provider>`"
                    .to_string(),
            },
            Fix::AwsRoleSessionName => match idp {
                Idp::EntraId => entra_sso(
                    "Attributes & Claims › Add new claim: Name `RoleSessionName`, Namespace \
                     `https://aws.amazon.com/SAML/Attributes`, Source attribute `user.mail` (not \
                     the display name)",
                ),
                _ => "source RoleSessionName from the user's e-mail or login name (2–64 of \
                      letters, digits and +=,.@_-), not the display name"
                    .to_string(),
            },
            Fix::Text(text) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_recognised() {
        assert_eq!(
            Idp::detect("https://sts.windows.net/7c4e2f1a-9b3d/"),
            Idp::EntraId
        );
        assert_eq!(Idp::detect("http://www.okta.com/exk123"), Idp::Okta);
        assert_eq!(
            Idp::detect("https://accounts.google.com/o/saml2?idpid=C0"),
            Idp::Google
        );
        assert_eq!(
            Idp::detect("http://fs.example.com/adfs/services/trust"),
            Idp::Adfs
        );
        assert_eq!(
            Idp::detect("https://kc.example.com/realms/main"),
            Idp::Keycloak
        );
        assert_eq!(
            Idp::detect("https://idp.example.org/idp/shibboleth"),
            Idp::Generic
        );
    }

    #[test]
    fn entra_claim_fix_names_the_console_field() {
        let text = Fix::AddClaim {
            name: "Email",
            source: "user.mail",
        }
        .text(Idp::EntraId);
        assert_eq!(
            text,
            "Entra ID › Enterprise applications › (your app) › Single sign-on › Attributes & \
             Claims › Add new claim: Name `Email`, Namespace empty, Source attribute `user.mail`"
        );
    }
}
