//! Turns the console and profile data under `data/` from TOML into JSON in `OUT_DIR`, once at
//! build time: every `samlkit` process loads all of it, and reading JSON costs a fraction of
//! parsing the TOML (about 2 ms per process before). The TOML stays the source of truth and
//! is embedded too, so that a file the types refuse is reported in its own terms.

use std::path::{Path, PathBuf};

fn main() {
    let data =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo")).join("data");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("data");
    println!("cargo:rerun-if-changed={}", data.display());
    convert_tree(&data, &out);
}

fn convert_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("OUT_DIR is writable");
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .expect("data/ is readable")
        .map(|entry| entry.expect("data/ is readable").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            convert_tree(&path, &to.join(&name));
        } else if name.ends_with(".toml") {
            let text = std::fs::read_to_string(&path).expect("data files are UTF-8");
            let value: toml::Value =
                toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            let json = serde_json::to_string(&as_json(&value, &path))
                .expect("JSON values always serialise");
            std::fs::write(to.join(format!("{name}.json")), json).expect("OUT_DIR is writable");
        }
    }
}

/// The same value as JSON. TOML dates have no JSON form, and the data holds none.
fn as_json(value: &toml::Value, file: &Path) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text.clone()),
        toml::Value::Integer(number) => serde_json::Value::from(*number),
        toml::Value::Float(number) => serde_json::Value::from(*number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(*flag),
        toml::Value::Array(items) => items.iter().map(|item| as_json(item, file)).collect(),
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(key, item)| (key.clone(), as_json(item, file)))
                .collect(),
        ),
        toml::Value::Datetime(date) => panic!(
            "{}: a TOML date ({date}) in the data; write it as a string",
            file.display()
        ),
    }
}
