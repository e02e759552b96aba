//! Resource bounds through the command line: oversized files are refused while being read,
//! before any decoding, and hostile content reaches the user as the library's bound error with
//! exit code 2.

use std::io::Write;

use assert_cmd::Command;

const SAMPLE_CERTIFICATE: &str = "samples/keys/idp-signing.crt";

fn samlkit() -> Command {
    let mut command = Command::cargo_bin("samlkit").expect("the samlkit binary");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// A 100 MB file of NUL bytes, allocated sparsely so the test writes almost nothing.
fn hundred_megabyte_file() -> tempfile::NamedTempFile {
    sparse_file(100)
}

/// A file of `megabytes` MB of NUL bytes, allocated sparsely.
fn sparse_file(megabytes: u64) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .suffix(".xml")
        .tempfile()
        .expect("a temporary file");
    file.as_file()
        .set_len(megabytes * 1024 * 1024)
        .expect("a sparse file");
    file
}

fn file_with(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(contents).expect("written");
    file
}

fn stderr_of(command: &mut Command) -> String {
    let output = command.output().expect("samlkit runs");
    assert_eq!(output.status.code(), Some(2), "exit code of {command:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_100_mb_file_is_refused_while_reading_by_every_command_that_reads_messages() {
    let file = hundred_megabyte_file();
    let path = file.path().to_str().expect("a UTF-8 path");
    let expected = format!("error: {path}: the input is larger than 64 MiB; refusing to read it");
    for args in [
        vec!["decode", path],
        vec!["inspect", path],
        vec!["verify", path, "--idp-cert", SAMPLE_CERTIFICATE],
    ] {
        let stderr = stderr_of(samlkit().args(&args));
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
    }
    // Federation aggregates pass 100 MiB, so `metadata` reads up to 256 MiB.
    let file = sparse_file(300);
    let path = file.path().to_str().expect("a UTF-8 path");
    let stderr = stderr_of(samlkit().args(["metadata", path]));
    assert!(
        stderr.contains(&format!(
            "{path}: the file is larger than 256 MiB; refusing to read it"
        )),
        "{stderr}"
    );
}

#[test]
fn hostile_content_is_refused_with_the_bound_it_hits() {
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let file = file_with(deep.as_bytes());
    let stderr = stderr_of(samlkit().args(["inspect", file.path().to_str().unwrap()]));
    assert!(
        stderr.contains("elements nest deeper than 256 levels (at line 1, column 769)"),
        "{stderr}"
    );

    let mut wide =
        String::from("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"");
    for i in 0..100_000 {
        wide.push_str(&format!(" a{i}=\"\""));
    }
    wide.push_str("/>");
    let file = file_with(wide.as_bytes());
    let stderr = stderr_of(samlkit().args(["inspect", file.path().to_str().unwrap()]));
    assert!(
        stderr.contains("an element at line 1, column 1 has more than 256 attributes"),
        "{stderr}"
    );

    // 40 MB of zeros compressed: far past the 16 MiB inflate limit.
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..40 {
        encoder.write_all(&zeros).expect("compressed");
    }
    let bomb = encoder.finish().expect("compressed");
    let base64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bomb);
    let url = format!(
        "https://idp.example.com/sso?SAMLRequest={}",
        base64
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let file = file_with(url.as_bytes());
    let stderr = stderr_of(samlkit().args(["decode", file.path().to_str().unwrap()]));
    assert!(
        stderr.contains(
            "parameter SAMLRequest: the DEFLATE data inflates to more than 16777216 bytes; \
             refusing to go on (decompression bomb?)"
        ),
        "{stderr}"
    );
}
