//! The SAML parameters of a form body or a Redirect query string: finding `SAMLResponse` /
//! `SAMLRequest`, `RelayState`, `SigAlg` and `Signature`, telling the binding, and keeping the
//! exact octets a Redirect signature covers.

use percent_encoding::percent_decode_str;

use crate::xml::Limits;

use super::payload::{decode_payload, message_from_payload, Inflate, Payload};
use super::recognise::is_url_encoded_base64;
use super::{truncate, Binding, DecodeError, DecodedMessage, InputForm, Origin, RedirectSignature};

/// One `name=value` pair: the name form-decoded, the value exactly as it appeared.
pub(super) struct Param<'a> {
    pub(super) name: String,
    pub(super) raw: &'a str,
}

pub(super) fn parse_pairs(query: &str) -> Vec<Param<'_>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            Param {
                name: form_decode(name.trim()),
                raw,
            }
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space.
fn form_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// URL-decodes a base64 value, keeping `+` (see the module documentation). Decodes again when
/// the result is still URL-encoded, reporting it (`%252B` happens when a value is encoded twice).
pub(super) fn url_decode_value(s: &str) -> (String, bool) {
    let once = percent_decode_str(s).decode_utf8_lossy().into_owned();
    if once.contains('%') && is_url_encoded_base64(&once) {
        (
            percent_decode_str(&once).decode_utf8_lossy().into_owned(),
            true,
        )
    } else {
        (once, false)
    }
}

pub(super) fn seen_names(params: &[Param<'_>]) -> String {
    if params.is_empty() {
        return " (it has no parameters)".into();
    }
    let mut names: Vec<String> = Vec::new();
    for p in params {
        let shown = truncate(&p.name, 40);
        if !names.contains(&shown) {
            names.push(shown);
        }
        if names.len() == 10 {
            names.push("…".into());
            break;
        }
    }
    format!(" (its parameters: {})", names.join(", "))
}

/// The SAML parameters of one query string, form body or HTML form; values as they appeared
/// (URL-encoded unless `form_encoded` is false).
pub(super) struct SamlParams<'a> {
    /// False for the inputs of an HTML page, whose values are plain text.
    pub(super) form_encoded: bool,
    name: &'static str,
    value: &'a str,
    relay_state: Option<&'a str>,
    sig_alg: Option<&'a str>,
    signature: Option<&'a str>,
    encoding: Option<&'a str>,
}

impl SamlParams<'_> {
    /// A text field's value (RelayState, SigAlg) as the form control held it.
    fn text(&self, raw: &str) -> String {
        if self.form_encoded {
            form_decode(raw)
        } else {
            raw.to_string()
        }
    }
}

pub(super) enum Lookup<'a> {
    Message(SamlParams<'a>),
    Artifact,
    Nothing,
}

pub(super) fn lookup<'a>(
    params: &'a [Param<'a>],
    what: &'static str,
) -> Result<Lookup<'a>, DecodeError> {
    let one = |name: &'static str| -> Result<Option<&'a str>, DecodeError> {
        let mut found = params.iter().filter(|p| p.name == name);
        let first = found.next();
        let more = found.count();
        if more > 0 {
            return Err(DecodeError::DuplicateParameter {
                name,
                count: more + 1,
                what,
            });
        }
        Ok(first.map(|p| p.raw))
    };
    let request = one("SAMLRequest")?;
    let response = one("SAMLResponse")?;
    let (name, value) = match (request, response) {
        (Some(_), Some(_)) => return Err(DecodeError::BothParameters { what }),
        (Some(v), None) => ("SAMLRequest", v),
        (None, Some(v)) => ("SAMLResponse", v),
        // A WS-Federation sign-in response (`wa=wsignin1.0`): the token is the XML of
        // `wresult`, and `wctx` plays the part of RelayState.
        (None, None) if params.iter().any(|p| p.name == "wresult") => {
            return Ok(Lookup::Message(SamlParams {
                form_encoded: true,
                name: "wresult",
                value: one("wresult")?.unwrap_or_default(),
                relay_state: one("wctx")?,
                sig_alg: None,
                signature: None,
                encoding: None,
            }));
        }
        (None, None) => {
            return Ok(if params.iter().any(|p| p.name == "SAMLart") {
                Lookup::Artifact
            } else {
                Lookup::Nothing
            })
        }
    };
    Ok(Lookup::Message(SamlParams {
        form_encoded: true,
        name,
        value,
        relay_state: one("RelayState")?,
        sig_alg: one("SigAlg")?,
        signature: one("Signature")?,
        encoding: one("SAMLEncoding")?,
    }))
}

const DEFLATE_ENCODING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE";

/// A message decoded from parameters, before its form and origin are known.
pub(super) struct Found {
    parameter: &'static str,
    pub(super) binding: Binding,
    relay_state: Option<String>,
    redirect_signature: Option<RedirectSignature>,
    payload: Payload,
}

impl Found {
    pub(super) fn into_message(
        self,
        form: InputForm,
        origin: Origin,
    ) -> Result<DecodedMessage, DecodeError> {
        let parameter = self.parameter;
        let mut message = message_from_payload(form, self.payload, origin)
            .map_err(|e| e.context(format!("parameter {parameter}")))?;
        message.binding = Some(self.binding);
        message.parameter = Some(parameter.to_string());
        message.relay_state = self.relay_state;
        message.redirect_signature = self.redirect_signature;
        Ok(message)
    }
}

/// `SAMLRequest=…&RelayState=…&SigAlg=…` (or `SAMLResponse=…`), RelayState only when present:
/// the octets a binding's detached signature covers.
fn binding_octets(name: &str, message: &str, relay_state: Option<&str>, sig_alg: &str) -> String {
    let mut octets = format!("{name}={message}");
    if let Some(relay) = relay_state {
        octets.push_str("&RelayState=");
        octets.push_str(relay);
    }
    octets.push_str("&SigAlg=");
    octets.push_str(sig_alg);
    octets
}

/// Decodes the message of a parameter set. Without a `binding`: HTTP-Redirect when
/// `SAMLEncoding` or DEFLATE compression say so, HTTP-POST-SimpleSign when `SigAlg`/`Signature`
/// accompany an uncompressed message, HTTP-POST otherwise. An HTTP-POST form that carries
/// `SigAlg`/`Signature` is HTTP-POST-SimpleSign.
pub(super) fn decode_params(
    sp: &SamlParams<'_>,
    binding: Option<Binding>,
    limits: &Limits,
) -> Result<Found, DecodeError> {
    let name = sp.name;
    let in_param = |e: DecodeError| e.context(format!("parameter {name}"));
    if sp.value.trim().is_empty() {
        return Err(DecodeError::EmptyParameter { name });
    }
    if name == "wresult" {
        // WS-Federation posts the token XML itself, form-encoded, not base64; percent-decoding
        // only shrinks it, so the input's own size bound holds.
        let bytes: Vec<u8> = percent_decode_str(&sp.value.replace('+', " ")).collect();
        return Ok(Found {
            parameter: name,
            binding: Binding::HttpPost,
            relay_state: sp.relay_state.map(|r| sp.text(r)),
            redirect_signature: None,
            payload: Payload::plain_xml(bytes),
        });
    }
    let (value, twice) = url_decode_value(sp.value);
    let mut payload = decode_payload(&value, Inflate::Allowed, limits).map_err(in_param)?;
    if twice {
        payload
            .notes
            .insert(0, format!("the {name} value was URL-encoded twice"));
    }
    let signed = sp.sig_alg.is_some() || sp.signature.is_some();
    let binding = match binding {
        Some(Binding::HttpPost) if signed => Binding::HttpPostSimpleSign,
        Some(binding) => binding,
        // DEFLATE belongs to HTTP-Redirect; a signature beside an uncompressed message is
        // what HTTP-POST-SimpleSign sends.
        None if sp.encoding.is_some() || payload.compression.is_some() => Binding::HttpRedirect,
        None if signed => Binding::HttpPostSimpleSign,
        None => Binding::HttpPost,
    };

    match (binding, payload.compression) {
        (Binding::HttpRedirect, None) => payload.notes.push(
            "the message is not DEFLATE-compressed, although the HTTP-Redirect binding requires it"
                .into(),
        ),
        (Binding::HttpPost | Binding::HttpPostSimpleSign, Some(_)) => payload.notes.push(
            "the message is DEFLATE-compressed, although the HTTP-POST binding sends plain base64 (some libraries accept it, most do not)"
                .into(),
        ),
        _ => {}
    }
    if let Some(raw) = sp.encoding {
        let encoding = form_decode(raw);
        if encoding != DEFLATE_ENCODING {
            payload.notes.push(format!(
                "SAMLEncoding is \"{encoding}\", not the DEFLATE encoding {DEFLATE_ENCODING}"
            ));
        }
    }

    let redirect_signature = match (binding, sp.sig_alg, sp.signature) {
        (Binding::HttpPost, _, _) => None,
        (_, Some(sig_alg), Some(signature)) => {
            let signed_octets = match binding {
                Binding::HttpRedirect => {
                    Some(binding_octets(name, sp.value, sp.relay_state, sig_alg))
                }
                _ => match std::str::from_utf8(&payload.bytes) {
                    Ok(xml) => Some(binding_octets(
                        name,
                        xml,
                        sp.relay_state.map(|r| sp.text(r)).as_deref(),
                        &sp.text(sig_alg),
                    )),
                    Err(_) => {
                        payload.notes.push(
                            "the SimpleSign signature cannot be checked: the message is not UTF-8 text"
                                .into(),
                        );
                        None
                    }
                },
            };
            signed_octets.map(|signed_octets| RedirectSignature {
                sig_alg: sp.text(sig_alg),
                signature: url_decode_value(signature).0,
                signed_octets,
            })
        }
        (_, Some(_), None) => {
            payload
                .notes
                .push("SigAlg is present but Signature is missing".into());
            None
        }
        (_, None, Some(_)) => {
            payload
                .notes
                .push("Signature is present but SigAlg is missing".into());
            None
        }
        (_, None, None) => None,
    };

    Ok(Found {
        parameter: name,
        binding,
        relay_state: sp.relay_state.map(|r| sp.text(r)),
        redirect_signature,
        payload,
    })
}
