use std::path::Path;
use samlkit_parse::Limits;
use samlkit_verify::xmlenc::*;

#[test]
fn dump() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let files: Vec<(String, String)> = manifest.lines().skip(1).map(|l| { let c: Vec<&str> = l.split('\t').collect(); (c[0].to_string(), c[7].to_string()) }).collect();
    let keys_kind: Vec<String> = manifest.lines().skip(1).filter(|l| l.split('\t').nth(1) == Some("key")).map(|l| l.split('\t').next().unwrap().to_string()).collect();
    for (file, vw) in &files {
        let key = vw.split(';').map(str::trim).find(|p| keys_kind.iter().any(|k| k == p));
        let Some(key) = key else { continue };
        let bytes = std::fs::read(corpus.join(file)).unwrap();
        let msgs = match samlkit_parse::decode::decode_input(&bytes, None, &Limits::default()) { Ok(m) => m, Err(e) => { println!("=== {file}: DECODE ERR {e}"); continue } };
        let xml = &msgs[0].xml;
        if !xml.contains("EncryptedData") { continue }
        let mut keys = DecryptionKeys::new();
        keys.add_pem(&std::fs::read(corpus.join(key)).unwrap(), key).unwrap();
        match decrypt_document(xml, &keys, &Limits::default()) {
            Err(e) => println!("=== {file}: PARSE ERR {e}"),
            Ok(d) => {
                println!("=== {file}: {} elements", d.elements.len());
                for e in &d.elements { match &e.result { Ok(ok) => println!("  OK {} {} {:?} {}", ok.element, ok.description, ok.findings.iter().map(|f| f.code).collect::<Vec<_>>(), ok.plaintext.chars().take(1500).collect::<String>()), Err(f) => println!("  FAIL {} {}", f.stage, f.message) } }
                if let Err(e) = samlkit_parse::parse_xml(&d.text, &Limits::default()) { println!("  REPARSE ERR {e}"); }
            }
        }
    }
}
