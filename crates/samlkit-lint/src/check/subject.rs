//! The Subject: the NameID and the bearer SubjectConfirmation.

use samlkit_parse::model::{is_saml1, NameId, Subject, SubjectConfirmationData};

use super::*;

pub(super) fn check_subject(
    checker: &mut Checker<'_>,
    assertion: &Assertion<'_, '_>,
    facts: &mut MessageFacts,
) {
    let options = checker.options;
    let Some(subject) = &assertion.subject else {
        checker.push(
            Finding::new(Rule::SubjectMissing, "the assertion has no Subject")
                .expected("saml:Subject with a NameID and a bearer SubjectConfirmation")
                .actual("none")
                .at(assertion.node.range()),
        );
        return;
    };
    // NameID
    match &subject.name_id {
        None if subject.encrypted_id.is_some() => checker.push(
            Finding::new(
                Rule::NameIdEncrypted,
                "the NameID is encrypted (EncryptedID)",
            )
            .fix("decrypt it with the service provider's private key")
            .missing(MissingInput::SpDecryptionKey)
            .at(subject.node.range()),
        ),
        None => {
            let severity = if options.profile.requires_name_id() {
                Severity::Error
            } else {
                Severity::Warning
            };
            checker.push(
                Finding::new(Rule::NameIdMissing, "the Subject has no NameID")
                    .severity(severity)
                    .expected("a NameID identifying the user")
                    .actual("none")
                    .fix(checker.fix(Fix::NameIdFormat {
                        format: "Email address or Unspecified",
                        source: "user.mail",
                    }))
                    .at(subject.node.range()),
            )
        }
        Some(name_id) => check_name_id(checker, name_id),
    }
    check_confirmations(checker, subject, facts);
}

fn check_name_id(checker: &mut Checker<'_>, name_id: &NameId<'_, '_>) {
    let options = checker.options;
    let value = name_id.value.trimmed();
    // Markup splitting the text, and odd characters: check/values.rs.
    if value.is_empty() {
        checker.push(
            Finding::new(Rule::NameIdEmpty, "the NameID is empty")
                .expected("the user's identifier")
                .actual("\"\"")
                .fix(checker.fix(Fix::PopulateSource {
                    claim: "NameID",
                    source: "user.mail",
                }))
                .at(name_id.node.range()),
        );
    }
    let effective = check_name_id_format(checker, name_id);
    if !value.is_empty() {
        check_name_id_value(checker, name_id, value, effective);
    }
    if let (Some(sp), Some(qualifier)) = (&options.sp_entity_id, &name_id.sp_name_qualifier) {
        if qualifier.value.trim() != sp {
            checker.push(
                Finding::new(
                    Rule::NameIdSpNameQualifier,
                    "the NameID's SPNameQualifier names another service provider",
                )
                .expected(sp.clone())
                .actual(qualifier.value)
                .at(qualifier.span.clone()),
            );
        }
    }
}

/// The NameID format against the profile's (or the configured) one; returns the format in
/// effect (unspecified when none is given).
fn check_name_id_format<'n>(checker: &mut Checker<'_>, name_id: &NameId<'n, '_>) -> &'n str {
    let options = checker.options;
    let format = attr_str(&name_id.format).map(str::trim);
    let accepted: Vec<&str> = match &options.expected_name_id_format {
        Some(expected) => vec![expected.as_str()],
        None => options.profile.accepted_name_id_formats().to_vec(),
    };
    let effective = format.unwrap_or(NAMEID_UNSPECIFIED);
    // A profile that takes any format but a few (GitHub: any but transient) wants persistent.
    let refused = options.expected_name_id_format.is_none()
        && options
            .profile
            .refused_name_id_formats()
            .contains(&effective);
    if refused || (!accepted.is_empty() && !accepted.contains(&effective)) {
        let wanted = accepted.first().copied().unwrap_or(NAMEID_PERSISTENT);
        let wanted_name = match wanted {
            NAMEID_UNSPECIFIED => "Unspecified",
            NAMEID_EMAIL => "Email address",
            NAMEID_PERSISTENT => "Persistent",
            NAMEID_TRANSIENT => "Transient",
            other => other,
        };
        let source = if wanted == NAMEID_PERSISTENT {
            "user.objectid"
        } else {
            "user.mail"
        };
        let why = match (options.profile, effective) {
            (Profile::Github, NAMEID_TRANSIENT) => {
                " (a transient NameID changes at every sign-in, so GitHub re-links the account each time)"
            }
            _ => "",
        };
        let shows = checker.sp_shows();
        checker.push(
            Finding::new(
                Rule::NameIdFormat,
                format!(
                    "the NameID format is {}, but {} needs {}{why}{shows}",
                    short(effective),
                    options.profile.title(),
                    short(wanted)
                ),
            )
            .expected(wanted)
            .actual(format.unwrap_or("no Format (unspecified)"))
            .fix(checker.fix(Fix::NameIdFormat {
                format: wanted_name,
                source,
            }))
            .at(name_id
                .format
                .as_ref()
                .map_or(name_id.node.range(), |f| f.span.clone())),
        );
    }
    effective
}

/// Whether a non-empty NameID value fits its format and what the profile identifies users by.
fn check_name_id_value(
    checker: &mut Checker<'_>,
    name_id: &NameId<'_, '_>,
    value: &str,
    effective: &str,
) {
    let options = checker.options;
    let misfit = match effective {
        NAMEID_EMAIL if !looks_like_email(value) => {
            Some("an emailAddress NameID that is not an e-mail address")
        }
        NAMEID_PERSISTENT | NAMEID_TRANSIENT if value.len() > 256 => {
            Some("a NameID longer than 256 characters")
        }
        _ => None,
    };
    if let Some(misfit) = misfit {
        let severity = if options.profile == Profile::AwsIdentityCenter {
            Severity::Error
        } else {
            Severity::Warning
        };
        checker.push(
            Finding::new(Rule::NameIdValue, misfit)
                .severity(severity)
                .expected(format!("a value that fits {}", short(effective)))
                .actual(value)
                .at(name_id.value.span.clone()),
        );
    }
    if matches!(
        options.profile,
        Profile::Atlassian | Profile::AwsIdentityCenter
    ) && misfit.is_none()
        && !looks_like_email(value)
    {
        checker.push(
            Finding::new(
                Rule::NameIdValue,
                format!(
                    "{} identifies users by e-mail address",
                    options.profile.title()
                ),
            )
            .severity(Severity::Error)
            .expected("the user's e-mail address")
            .actual(value)
            .fix(checker.fix(Fix::NameIdFormat {
                format: "Email address",
                source: "user.mail",
            }))
            .at(name_id.value.span.clone()),
        );
    }
}

/// The bearer SubjectConfirmation: there is one, and its Recipient, lifetime and
/// InResponseTo are what the service provider expects.
fn check_confirmations(
    checker: &mut Checker<'_>,
    subject: &Subject<'_, '_>,
    facts: &mut MessageFacts,
) {
    let options = checker.options;
    let bearers: Vec<_> = subject
        .confirmations
        .iter()
        .filter(|c| c.is_bearer())
        .collect();
    if options.profile == Profile::AwsIam && subject.confirmations.len() != 1 {
        checker.push(
            Finding::new(
                Rule::ConfirmationCount,
                format!(
                    "AWS requires exactly one SubjectConfirmation; this Subject has {}",
                    subject.confirmations.len()
                ),
            )
            .expected("1")
            .actual(subject.confirmations.len().to_string())
            .at(subject.node.range()),
        );
    }
    let Some(bearer) = bearers.first() else {
        let methods: Vec<&str> = subject
            .confirmations
            .iter()
            .filter_map(|c| attr_str(&c.method))
            .collect();
        checker.push(
            Finding::new(Rule::NoBearerConfirmation, "no bearer SubjectConfirmation")
                .expected(CONFIRMATION_BEARER)
                .actual(if methods.is_empty() {
                    "no SubjectConfirmation".to_string()
                } else {
                    methods.join(", ")
                })
                .at(subject.node.range()),
        );
        return;
    };
    // SAML 1.x's bearer confirmation has no SubjectConfirmationData: the recipient and the
    // lifetime are the audience and the Conditions, checked with the assertion.
    if is_saml1(bearer.node) {
        return;
    }
    let Some(data) = &bearer.data else {
        checker.push(
            Finding::new(
                Rule::RecipientMissing,
                "the bearer SubjectConfirmation has no SubjectConfirmationData",
            )
            .at(bearer.node.range()),
        );
        return;
    };
    facts.recipient = attr_str(&data.recipient).map(str::to_string);
    check_recipient(checker, data);
    check_confirmation_lifetime(checker, data);
    if let Some(not_before) = &data.not_before {
        checker.push(
            Finding::new(
                Rule::ConfirmationNotBefore,
                "the bearer SubjectConfirmationData carries NotBefore",
            )
            .expected("no NotBefore")
            .actual(not_before.text.value)
            .at(not_before.text.span.clone()),
        );
    }
    if let (Some(request_id), Some(in_response_to)) = (&options.request_id, &data.in_response_to) {
        if in_response_to.value != request_id {
            checker.push(
                Finding::new(
                    Rule::ConfirmationInResponseToMismatch,
                    "the bearer confirmation answers another AuthnRequest",
                )
                .expected(request_id.clone())
                .actual(in_response_to.value)
                .at(in_response_to.span.clone()),
            );
        }
    }
}

/// The bearer confirmation's Recipient against the ACS URL.
fn check_recipient(checker: &mut Checker<'_>, data: &SubjectConfirmationData<'_, '_>) {
    let options = checker.options;
    let expected_recipient: Vec<String> = match (&options.acs_url, options.profile) {
        (Some(acs), _) => vec![acs.clone()],
        (None, Profile::AwsIam) => vec![AWS_SIGNIN.to_string()],
        _ => Vec::new(),
    };
    match &data.recipient {
        None => checker.push(
            Finding::new(
                Rule::RecipientMissing,
                "the bearer confirmation has no Recipient",
            )
            .expected(
                expected_recipient
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "the ACS URL".into()),
            )
            .actual("none")
            .at(data.node.range()),
        ),
        Some(recipient) => {
            let value = recipient.value.trim();
            let regional_aws = options.profile == Profile::AwsIam
                && options.acs_url.is_none()
                && value.starts_with("https://")
                && value.ends_with(".signin.aws.amazon.com/saml");
            if !expected_recipient.is_empty()
                && !expected_recipient.iter().any(|e| e == value)
                && !regional_aws
            {
                let fix = checker.fix(Fix::ReplyUrl {
                    url: &expected_recipient[0],
                });
                let mut message =
                    "the assertion is addressed to another ACS URL than the service provider's"
                        .to_string();
                if options.profile == Profile::AwsIam {
                    message.push_str(
                        " (AWS sets SAML:aud from this Recipient: the role's trust policy \
                         condition must name the same URL, or AssumeRoleWithSAML answers \"Not \
                         authorized\")",
                    );
                }
                checker.push(
                    Finding::new(Rule::RecipientMismatch, message)
                        .expected(expected_recipient.join(" or "))
                        .actual(value)
                        .fix(fix)
                        .at(recipient.span.clone()),
                );
            }
        }
    }
}

/// The bearer confirmation's NotOnOrAfter: present and not passed.
fn check_confirmation_lifetime(checker: &mut Checker<'_>, data: &SubjectConfirmationData<'_, '_>) {
    match &data.not_on_or_after {
        None => checker.push(
            Finding::new(
                Rule::ConfirmationNotOnOrAfterMissing,
                "the bearer confirmation does not limit its lifetime",
            )
            .expected("NotOnOrAfter on SubjectConfirmationData")
            .actual("none")
            .at(data.node.range()),
        ),
        Some(value) => {
            check_time(checker, Some(value), "SubjectConfirmationData NotOnOrAfter");
            if let Some(end) = value.instant() {
                let late = -checker.now().seconds_until(end);
                if late >= checker.skew() {
                    checker.push(
                        Finding::new(
                            Rule::ConfirmationExpired,
                            format!(
                                "the bearer confirmation expired {} ago",
                                describe_duration(late)
                            ),
                        )
                        .expected(format!(
                            "NotOnOrAfter later than {} − {} s skew",
                            checker.now(),
                            checker.skew()
                        ))
                        .actual(end.to_string())
                        .fix(checker.fix(Fix::Clock))
                        .at(value.text.span.clone()),
                    );
                }
            }
        }
    }
}
