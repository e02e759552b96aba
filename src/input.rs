//! Reading the user's inputs: files or stdin → decoded messages, each with a label that says
//! where it came from, ready to be parsed.

use std::io::Read;

use std::path::PathBuf;

use samlkit_parse::decode::{decode_input, DecodedMessage};
use samlkit_parse::Limits;
use samlkit_verify::xmlenc::DecryptionKeys;

use crate::cli::InputArgs;

/// One decoded message and the words that name it in output ("response.b64",
/// "capture.har #3 POST https://…").
pub struct LoadedMessage {
    pub label: String,
    pub decoded: DecodedMessage,
}

/// An input that could not be read or decoded, with its label.
pub struct InputFailure {
    pub label: String,
    pub message: String,
}

/// Reads and decodes every input. Failures do not stop the others.
pub fn load_all(args: &InputArgs, limits: &Limits) -> Vec<Result<LoadedMessage, InputFailure>> {
    sources(args)
        .into_iter()
        .flat_map(|source| load_source(source, args, limits))
        .collect()
}

/// The inputs named on the command line; standard input (`-`) when there are none.
pub fn sources(args: &InputArgs) -> Vec<&str> {
    if args.inputs.is_empty() {
        return vec!["-"];
    }
    args.inputs.iter().map(String::as_str).collect()
}

/// Reads and decodes one input: a file (or `-`, standard input) may hold several messages.
pub fn load_source(
    source: &str,
    args: &InputArgs,
    limits: &Limits,
) -> Vec<Result<LoadedMessage, InputFailure>> {
    let label = if source == "-" { "<stdin>" } else { source };
    let failure = |message: String| {
        vec![Err(InputFailure {
            label: label.to_string(),
            message,
        })]
    };
    let bytes = match read_source(source, limits) {
        Ok(bytes) => bytes,
        Err(message) => return failure(message),
    };
    let bytes = unquoted(bytes);
    match decode_input(&bytes, args.input_format, limits) {
        Ok(messages) => {
            let several = messages.len() > 1;
            messages
                .into_iter()
                .map(|decoded| {
                    let label = message_label(label, &decoded, several);
                    Ok(LoadedMessage { label, decoded })
                })
                .collect()
        }
        Err(err) => {
            let text = String::from_utf8_lossy(&bytes);
            failure(match samlkit_lint::aadsts::hint_for_text(&text) {
                Some(hint) => format!("{err}; {hint}"),
                None if is_samlkit_config(&text) => {
                    "this is samlkit's configuration, not a message: samlkit reads \
                     samlkit.toml from the current directory, or the file given with --config"
                        .to_string()
                }
                None => match pem_label(&text) {
                    Some(label) => pem_hint(label),
                    None => err.to_string(),
                },
            })
        }
    }
}

/// The label of a PEM file (`CERTIFICATE`, `PRIVATE KEY`) given where a message was expected:
/// the IdP's certificate or the SP's key passed as the message instead of with its flag.
fn pem_label(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix("-----BEGIN ")?;
    rest.split_once("-----").map(|(label, _)| label)
}

fn pem_hint(label: &str) -> String {
    let what = if label.contains("PRIVATE KEY") {
        "a private key decrypts encrypted assertions: give the service provider's with --sp-key FILE"
    } else if label.contains("CERTIFICATE") || label.contains("PUBLIC KEY") {
        "a certificate is what a message's signature is checked against: give the IdP's with \
         --idp-cert FILE, after the message (`samlkit explain MESSAGE --idp-cert FILE`)"
    } else {
        "give the SAMLResponse the browser posted (base64, XML, a URL or a form body)"
    };
    format!("this is a PEM file ({label}), not a SAML message; {what}")
}

/// A samlkit.toml given where a message was expected (`samlkit explain samples/*`).
fn is_samlkit_config(text: &str) -> bool {
    let has_section = text
        .lines()
        .any(|line| matches!(line.trim(), "[idp]" | "[sp]" | "[check]" | "[[samples]]"));
    has_section && text.parse::<toml::Table>().is_ok()
}

/// A value copied with its quotes (from JSON, a shell script, a log line: `"PHNhbWxw…",`) is
/// read without them.
fn unquoted(bytes: Vec<u8>) -> Vec<u8> {
    let trimmed = bytes.trim_ascii();
    let trimmed = trimmed
        .strip_suffix(b",")
        .or_else(|| trimmed.strip_suffix(b";"))
        .unwrap_or(trimmed)
        .trim_ascii_end();
    for quote in [b'"', b'\'', b'`'] {
        if let Some(inner) = trimmed
            .strip_prefix(&[quote])
            .and_then(|rest| rest.strip_suffix(&[quote]))
        {
            if !inner.contains(&quote) && !inner.trim_ascii().is_empty() {
                return inner.trim_ascii().to_vec();
            }
        }
    }
    bytes
}

fn read_source(source: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    // Read at most one byte past the limit, so an oversized input is refused without being
    // held in memory whole.
    let cap = limits.max_bytes as u64 + 1;
    let mut bytes = Vec::new();
    let result = if source == "-" {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            eprintln!(
                "paste the SAMLResponse (base64, XML, a URL or a form body), then press Ctrl-D \
                 (Ctrl-Z and Enter on Windows)"
            );
        }
        std::io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .map(drop)
    } else {
        let file = match std::fs::File::open(source) {
            Ok(file) => file,
            Err(e) => return Err(format!("cannot read the file: {e}")),
        };
        // One `fstat` gives both answers: a folder (which opens, but cannot be read) and the
        // size to reserve so that the file is read in one go (`take` hides the size).
        let metadata = file.metadata();
        if metadata.as_ref().is_ok_and(|m| m.is_dir()) {
            return Err(format!(
                "this is a folder; give the files in it (e.g. {}/*)",
                source.trim_end_matches('/')
            ));
        }
        let (size, regular) = metadata.map_or((0, false), |m| (m.len().min(cap), m.is_file()));
        read_sized(file.take(cap), size as usize, regular, &mut bytes)
            .map_err(|e| std::io::Error::new(e.kind(), format!("cannot read the file: {e}")))
    };
    result.map_err(|e| e.to_string())?;
    if bytes.len() > limits.max_bytes {
        return Err(format!(
            "the input is larger than {} MiB; refusing to read it",
            limits.max_bytes / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// Reads a file of (probably) `size` bytes with as few calls as the kernel allows. The first
/// read asks for one byte more than expected: a regular file that gives fewer bytes than
/// asked has ended (the kernel fills a read from a regular file up to its end), so no second
/// read is needed to see the end. Otherwise (the file grew, or is a pipe whose size is 0)
/// reading goes on until the end.
fn read_sized(
    mut reader: impl Read,
    size: usize,
    regular: bool,
    bytes: &mut Vec<u8>,
) -> std::io::Result<()> {
    let asked = size + 1;
    bytes.resize(asked, 0);
    let mut filled = 0;
    loop {
        match reader.read(&mut bytes[filled..]) {
            Ok(0) => {
                bytes.truncate(filled);
                return Ok(());
            }
            Ok(count) => {
                filled += count;
                if filled == asked {
                    break;
                }
                if regular && filled >= size {
                    bytes.truncate(filled);
                    return Ok(());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    reader.read_to_end(bytes).map(drop)
}

pub fn message_label(source: &str, decoded: &DecodedMessage, several: bool) -> String {
    let origin = &decoded.origin;
    let mut label = source.to_string();
    if let Some(index) = origin.index {
        label.push_str(&format!(" #{index}"));
    } else if several {
        return label;
    }
    if let Some(method) = &origin.method {
        label.push(' ');
        label.push_str(method);
    }
    if let Some(url) = &origin.url {
        label.push(' ');
        label.push_str(url);
    }
    label
}

/// Loads the SP private keys given with `--sp-key` (and the config file's `[sp] keys`).
pub fn load_keys(paths: &[PathBuf]) -> Result<DecryptionKeys, String> {
    let mut keys = DecryptionKeys::new();
    for path in paths {
        let data = std::fs::read(path)
            .map_err(|e| format!("{}: cannot read the key file: {e}", path.display()))?;
        keys.add_pem(&data, &path.display().to_string())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::read_sized;

    /// Gives at most `step` bytes per read, as a pipe or a slow device does.
    struct Trickle<'a> {
        rest: &'a [u8],
        step: usize,
        reads: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.reads += 1;
            let n = self.rest.len().min(self.step).min(buf.len());
            buf[..n].copy_from_slice(&self.rest[..n]);
            self.rest = &self.rest[n..];
            Ok(n)
        }
    }

    fn read_all(data: &[u8], step: usize, size: usize, regular: bool) -> (Vec<u8>, usize) {
        let mut reader = Trickle {
            rest: data,
            step,
            reads: 0,
        };
        let mut bytes = Vec::new();
        read_sized(&mut reader, size, regular, &mut bytes).unwrap();
        (bytes, reader.reads)
    }

    #[test]
    fn a_pem_file_is_named_with_the_flag_it_belongs_to() {
        use super::{pem_hint, pem_label};
        let cert = "\n-----BEGIN CERTIFICATE-----\nMIIC2jCC\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_label(cert), Some("CERTIFICATE"));
        assert!(pem_hint("CERTIFICATE").contains("--idp-cert FILE"));
        assert!(pem_hint("RSA PRIVATE KEY").contains("--sp-key FILE"));
        assert_eq!(pem_label("PHNhbWxwOlJlc3BvbnNl"), None);
    }

    #[test]
    fn a_regular_file_of_the_expected_size_is_read_in_one_call() {
        let data = b"<samlp:Response/>";
        assert_eq!(
            read_all(data, usize::MAX, data.len(), true),
            (data.to_vec(), 1)
        );
    }

    #[test]
    fn short_reads_are_followed_to_the_end() {
        let data: Vec<u8> = (0..100u8).collect();
        // A pipe (size 0, not regular) and a regular file read in pieces.
        assert_eq!(read_all(&data, 7, 0, false).0, data);
        assert_eq!(read_all(&data, 7, data.len(), false).0, data);
        assert_eq!(read_all(&data, 7, data.len(), true).0, data);
        // A file that grew after its size was taken, and one that shrank.
        assert_eq!(read_all(&data, usize::MAX, 10, true).0, data);
        assert_eq!(read_all(&data, usize::MAX, 200, true).0, data);
    }
}
