//! JSON captures: HAR files from browser dev tools and SAML-tracer exports, each request
//! or redirect holding a SAML parameter becoming one message labelled with where it was.

use std::collections::HashSet;

use serde_json::Value;

use crate::xml::Limits;

use super::base64_text::decode_base64;
use super::encoding::strip_space_before_declaration;
use super::params::{decode_params, lookup, parse_pairs, url_decode_value, Lookup, Param};
use super::{truncate, Binding, DecodeError, DecodedMessage, InputForm, Origin};

pub(super) fn decode_json(
    text: &str,
    forced: Option<InputForm>,
    limits: &Limits,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let root: Value = serde_json::from_str(text).map_err(|e| DecodeError::Json {
        line: e.line(),
        column: e.column(),
        detail: json_error_detail(&e),
    })?;
    let entries = root
        .get("log")
        .and_then(|log| log.get("entries"))
        .and_then(Value::as_array);
    let requests = root.get("requests").and_then(Value::as_array);
    match (forced, entries, requests) {
        (Some(InputForm::Har) | None, Some(entries), _) => decode_har(entries, limits),
        (Some(InputForm::SamlTracer) | None, _, Some(requests)) => decode_tracer(requests, limits),
        (Some(InputForm::Har), None, _) => Err(DecodeError::mismatch(
            "the JSON has no log.entries array, so it is not a HAR file",
        )),
        (Some(InputForm::SamlTracer), _, None) => Err(DecodeError::mismatch(
            "the JSON has no requests array, so it is not a SAML-tracer export",
        )),
        _ => Err(DecodeError::UnknownJson {
            keys: match root.as_object() {
                Some(object) if !object.is_empty() => format!(
                    "keys are: {}",
                    object
                        .keys()
                        .take(10)
                        .map(|k| truncate(k, 40))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(_) => "object is empty".into(),
                None => "value is not an object".into(),
            },
        }),
    }
}

fn json_error_detail(err: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the variant already says where.
    let full = err.to_string();
    match full.rfind(" at line ") {
        Some(at) => full.get(..at).unwrap_or(&full).to_string(),
        None => full,
    }
}

fn json_str<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// A description of a captured request for error messages: `HAR entry 3 (POST https://…)`.
fn request_label(kind: &str, index: usize, method: Option<&str>, url: Option<&str>) -> String {
    let mut label = format!("{kind} {index}");
    match (method, url) {
        (Some(m), Some(u)) => label.push_str(&format!(" ({m} {})", truncate(u, 120))),
        (None, Some(u)) => label.push_str(&format!(" ({})", truncate(u, 120))),
        (Some(m), None) => label.push_str(&format!(" ({m})")),
        (None, None) => {}
    }
    label
}

/// The base64 value of a SAML parameter in a query, without URL-encoding or whitespace, to
/// recognise the same message seen twice (a redirect and the request that followed it).
fn message_key(params: &[Param<'_>]) -> Option<String> {
    let p = params
        .iter()
        .find(|p| p.name == "SAMLRequest" || p.name == "SAMLResponse")?;
    let value = url_decode_value(p.raw).0;
    Some(format!(
        "{}={}",
        p.name,
        value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    ))
}

fn query_of(url: &str) -> Option<&str> {
    let without_fragment = url.split('#').next().unwrap_or(url);
    without_fragment.split_once('?').map(|(_, q)| q)
}

/// Messages in the request URLs, request bodies and (when no request carries the same
/// message) redirect `Location`s of a HAR 1.2 capture, in entry order.
///
/// Body parameters are read from `postData.text` (decoded first when `postData.encoding` is
/// `base64`); when there is no text, from `postData.params`, whose values are URL-encoded by
/// some browsers and not by others — both are accepted.
fn decode_har(entries: &[Value], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    // Messages the browser actually sent in a URL; a Location carrying one of them is the same
    // message, already reported from the request that followed the redirect.
    let mut sent: HashSet<String> = HashSet::new();
    for entry in entries {
        if let Some(query) = json_str(entry, "/request/url").and_then(query_of) {
            if let Some(key) = message_key(&parse_pairs(query)) {
                sent.insert(key);
            }
        }
    }

    let mut messages = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let index = i + 1;
        let url = json_str(entry, "/request/url");
        let method = json_str(entry, "/request/method");
        let label = request_label("HAR entry", index, method, url);
        let origin = Origin {
            index: Some(index),
            url: url.map(str::to_string),
            method: method.map(str::to_string),
            time: json_str(entry, "/startedDateTime").map(str::to_string),
        };

        if let Some(query) = url.and_then(query_of) {
            let params = parse_pairs(query);
            if let Some(message) =
                message_from_params(&params, "URL", Some(Binding::HttpRedirect), &origin, limits)
                    .map_err(|e| e.context(format!("{label}, URL")))?
            {
                messages.push(message);
            }
        }

        if let Some(post) = entry.pointer("/request/postData") {
            let body = har_body(post).map_err(|e| e.context(format!("{label}, request body")))?;
            let owned: Vec<(String, String)>;
            let params: Vec<Param<'_>> = match &body {
                Some(text) => parse_pairs(text),
                None => {
                    owned = post
                        .get("params")
                        .and_then(Value::as_array)
                        .map(|list| {
                            list.iter()
                                .filter_map(|p| {
                                    Some((
                                        p.get("name")?.as_str()?.to_string(),
                                        p.get("value")
                                            .and_then(Value::as_str)
                                            .unwrap_or("")
                                            .to_string(),
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    owned
                        .iter()
                        .map(|(name, value)| Param {
                            name: name.clone(),
                            raw: value.as_str(),
                        })
                        .collect()
                }
            };
            if let Some(message) = message_from_params(
                &params,
                "request body",
                Some(Binding::HttpPost),
                &origin,
                limits,
            )
            .map_err(|e| e.context(format!("{label}, request body")))?
            {
                messages.push(message);
            }
        }

        if let Some(location) = har_location(entry) {
            if let Some(query) = query_of(location) {
                let params = parse_pairs(query);
                let already_sent = message_key(&params).is_some_and(|key| !sent.insert(key));
                if !already_sent {
                    let location_origin = Origin {
                        url: Some(location.to_string()),
                        method: None,
                        ..origin.clone()
                    };
                    if let Some(mut message) = message_from_params(
                        &params,
                        "Location",
                        Some(Binding::HttpRedirect),
                        &location_origin,
                        limits,
                    )
                    .map_err(|e| e.context(format!("{label}, response Location header")))?
                    {
                        message.notes.insert(
                            0,
                            format!("found in the Location header of the response to HAR entry {index}; no later request in the capture follows it"),
                        );
                        messages.push(message);
                    }
                }
            }
        }
    }
    for message in &mut messages {
        message.form = InputForm::Har;
    }
    if messages.is_empty() {
        return Err(DecodeError::NoMessageInHar {
            scanned: entries.len(),
        });
    }
    Ok(messages)
}

/// The request body text of a HAR entry, when it has one.
fn har_body(post: &Value) -> Result<Option<String>, DecodeError> {
    let Some(text) = post.get("text").and_then(Value::as_str) else {
        return Ok(None);
    };
    if text.is_empty() {
        return Ok(None);
    }
    if post.get("encoding").and_then(Value::as_str) == Some("base64") {
        let unlimited = Limits {
            max_inflated_bytes: usize::MAX,
            ..Limits::default()
        };
        let (bytes, _) = decode_base64(text, &unlimited)
            .map_err(|e| e.context("postData.text (encoding base64)"))?;
        return Ok(Some(String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(Some(text.to_string()))
}

fn har_location(entry: &Value) -> Option<&str> {
    if let Some(url) = json_str(entry, "/response/redirectURL").filter(|u| !u.is_empty()) {
        return Some(url);
    }
    entry
        .pointer("/response/headers")?
        .as_array()?
        .iter()
        .find(|h| {
            h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("location"))
        })?
        .get("value")?
        .as_str()
}

/// The message in one parameter set of a capture, if it has one. Artifacts carry no message
/// and are passed over.
fn message_from_params(
    params: &[Param<'_>],
    what: &'static str,
    binding: Option<Binding>,
    origin: &Origin,
    limits: &Limits,
) -> Result<Option<DecodedMessage>, DecodeError> {
    match lookup(params, what)? {
        Lookup::Message(sp) => {
            let found = decode_params(&sp, binding, limits)?;
            // The form is set by the caller (har / saml-tracer).
            found.into_message(InputForm::Har, origin.clone()).map(Some)
        }
        Lookup::Artifact | Lookup::Nothing => Ok(None),
    }
}

/// Messages in a SAML-tracer export.
///
/// The export (SAML-tracer's `SAMLTraceIO.exportRequests`) is `{"requests": [...],
/// "timestamp": "…"}`; each request has `method`, `url`, `requestId` (`id` in exports older
/// than 1.0), `requestHeaders`, `responseStatus`, `responseHeaders`, for GET requests `get`
/// (`[name, value]` pairs, URL-decoded), for POST requests `post` (`[name, value]` pairs,
/// URL-decoded) and `postData` (`{name: [values]}`), and, when the extension decoded a
/// message, `saml` (its XML text) or `samlart`. Requests carry no time of their own; a
/// per-request `timestamp`, if present, is reported.
///
/// GET messages are decoded from `url`, whose query keeps the exact encoded values the
/// Redirect-binding signature covers. POST messages are decoded from `post` (else `postData`).
/// The extension's own `saml` text is used when no parameter can be decoded: the export's
/// privacy filters replace values with `{hash:…}`, `{obf:…}` or `{overwritten}`, and WS-Fed
/// `wresult` tokens are only there. That text is second-best: for GET messages the extension
/// builds it byte by byte, so non-ASCII characters arrive garbled.
fn decode_tracer(requests: &[Value], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut messages = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        let index = i + 1;
        let url = request.get("url").and_then(Value::as_str);
        let method = request.get("method").and_then(Value::as_str);
        let label = request_label("SAML-tracer request", index, method, url);
        let origin = Origin {
            index: Some(index),
            url: url.map(str::to_string),
            method: method.map(str::to_string),
            time: request.get("timestamp").and_then(|t| match t {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
        };
        let saml_text = request
            .get("saml")
            .and_then(Value::as_str)
            .filter(|s| s.trim_start().starts_with('<'));

        let mut found_here = false;
        let mut failure: Option<DecodeError> = None;
        let mut url_parameter: Option<String> = None;

        if let Some(query) = url.and_then(query_of) {
            let params = parse_pairs(query);
            url_parameter = params
                .iter()
                .find(|p| p.name == "SAMLRequest" || p.name == "SAMLResponse")
                .map(|p| p.name.clone());
            match message_from_params(&params, "URL", Some(Binding::HttpRedirect), &origin, limits)
            {
                Ok(Some(message)) => {
                    messages.push(message);
                    found_here = true;
                }
                Ok(None) => {}
                Err(err) => failure = Some(err.context(format!("{label}, URL"))),
            }
        }

        // SAML-tracer stores POST values already URL-decoded; encode them again so that the
        // shared parameter decoding (which expects values as they travel) gives them back
        // unchanged — a RelayState of `+` or `%41` stays what it was.
        let raw_pairs = tracer_post_pairs(request);
        let filtered = raw_pairs.iter().any(|(name, value)| {
            (name == "SAMLRequest" || name == "SAMLResponse") && is_filtered_value(value)
        });
        let pairs: Vec<(String, String)> = raw_pairs
            .into_iter()
            .map(|(name, value)| {
                let encoded = percent_encoding::utf8_percent_encode(
                    &value,
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string();
                (name, encoded)
            })
            .collect();
        let params: Vec<Param<'_>> = pairs
            .iter()
            .map(|(name, value)| Param {
                name: name.clone(),
                raw: value.as_str(),
            })
            .collect();
        let carries_wresult = params.iter().any(|p| p.name == "wresult");
        if !filtered {
            match message_from_params(
                &params,
                "POST parameters",
                Some(Binding::HttpPost),
                &origin,
                limits,
            ) {
                Ok(Some(message)) => {
                    messages.push(message);
                    found_here = true;
                }
                Ok(None) => {}
                Err(err) => {
                    failure.get_or_insert(err.context(format!("{label}, POST parameters")));
                }
            }
        }

        // The extension's own text stands in only for a message that could not be read at all.
        let fallback = if found_here { None } else { saml_text };
        match (fallback, failure) {
            (None, Some(err)) => return Err(err),
            (Some(text), failure) => {
                let mut message = text_message(text, origin.clone());
                let post_param = params
                    .iter()
                    .find(|p| p.name == "SAMLRequest" || p.name == "SAMLResponse")
                    .map(|p| p.name.clone());
                message.binding = if url_parameter.is_some() {
                    Some(Binding::HttpRedirect)
                } else if post_param.is_some() || carries_wresult {
                    Some(Binding::HttpPost)
                } else {
                    None
                };
                message.parameter = url_parameter
                    .or(post_param)
                    .or_else(|| carries_wresult.then(|| "wresult".to_string()));
                let why = match failure {
                    Some(err) => format!("the parameter could not be decoded ({err})"),
                    None if filtered => "the export replaced the parameter value".into(),
                    None => "no SAML parameter was found in the request".into(),
                };
                message.notes.push(format!(
                    "taken from the export's own decoded 'saml' text, because {why}"
                ));
                messages.push(message);
            }
            (None, None) => {}
        }
    }
    for message in &mut messages {
        message.form = InputForm::SamlTracer;
    }
    if messages.is_empty() {
        return Err(DecodeError::NoMessageInTracer {
            scanned: requests.len(),
        });
    }
    Ok(messages)
}

fn is_filtered_value(value: &str) -> bool {
    value.starts_with("{hash:") || value.starts_with("{obf:") || value == "{overwritten}"
}

/// `[name, value]` pairs of a tracer request's POST parameters.
fn tracer_post_pairs(request: &Value) -> Vec<(String, String)> {
    if let Some(post) = request.get("post").and_then(Value::as_array) {
        return post
            .iter()
            .filter_map(|pair| {
                let pair = pair.as_array()?;
                let name = pair.first()?.as_str()?;
                let value = pair.get(1).and_then(Value::as_str).unwrap_or("");
                Some((name.to_string(), value.to_string()))
            })
            .collect();
    }
    if let Some(data) = request.get("postData").and_then(Value::as_object) {
        return data
            .iter()
            .flat_map(|(name, values)| {
                let values: Vec<String> = match values {
                    Value::Array(list) => list
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    Value::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                };
                values.into_iter().map(move |v| (name.clone(), v))
            })
            .collect();
    }
    Vec::new()
}

/// A message that is already text (the tracer's `saml` field): not transcoded again.
fn text_message(text: &str, origin: Origin) -> DecodedMessage {
    let mut notes = Vec::new();
    let xml = strip_space_before_declaration(text.to_string(), &mut notes);
    DecodedMessage {
        form: InputForm::SamlTracer,
        binding: None,
        parameter: None,
        relay_state: None,
        redirect_signature: None,
        origin,
        original_bytes: (xml != text).then(|| text.as_bytes().to_vec()),
        xml,
        encoding_note: if notes.is_empty() {
            None
        } else {
            Some(notes.join("; "))
        },
        compression: None,
        notes: Vec::new(),
    }
}
