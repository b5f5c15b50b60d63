//! Deterministic benchmark corpus: a realistic repository tree where most files hold no
//! model ID and about 2% hold one or more, in every form the grammar knows.
//!
//! ```text
//! cargo run --release --example gencorpus -- --files 10000 --seed 1 /tmp/corpus-10k
//! ```
//!
//! The same `--files` and `--seed` always give the same bytes (a fixed xorshift generator,
//! no system randomness), so timings from different machines and commits compare.
//!
//! `--noise` adds what real code is full of, from a second generator so that the files, their
//! kinds and their model IDs stay those of the clean corpus (without `--noise` the bytes are
//! exactly the old ones): provider-shaped tokens that are no model ID (`amazon.com`,
//! `software.amazon.awssdk`, `import.meta.url`, `csv.writer`, `openai.ChatCompletion`, …) in
//! 40% of the files, minified JSON (40% of JSON files, 5% of them 64–512 KiB lockfile-like),
//! large notebooks with outputs and base64 images (half the notebooks), and syntax errors
//! (a broken line in 5% of source and data files, TypeScript annotations in 15% of `.js`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// xorshift64*: tiny, fast and stable across Rust versions (unlike a crate's default RNG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// References in every form the model-ID grammar reads: bare, profile, variant, ARNs, LiteLLM, URL-encoded.
const REFERENCES: &[&str] = &[
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
    "anthropic.claude-3-haiku-20240307-v1:0",
    "anthropic.claude-v2:1",
    "anthropic.claude-instant-v1",
    "anthropic.claude-3-haiku-20240307-v1:0:200k",
    "amazon.titan-text-express-v1",
    "amazon.titan-embed-text-v1",
    "meta.llama2-13b-chat-v1",
    "meta.llama3-1-70b-instruct-v1:0",
    "cohere.command-text-v14",
    "ai21.j2-ultra-v1",
    "global.anthropic.claude-sonnet-4-6",
    "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2",
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock/anthropic.claude-3-sonnet-20240229-v1:0",
    "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke",
];

const WORDS: &[&str] = &[
    "user", "order", "invoice", "payload", "config", "session", "token", "request", "result",
    "cache", "metrics", "report", "queue", "handler", "client", "record", "item", "batch",
];

fn ident(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(WORDS), rng.pick(WORDS))
}

fn camel(rng: &mut Rng) -> String {
    let a = rng.pick(WORDS);
    let b = rng.pick(WORDS);
    format!("{a}{}{}", b[..1].to_uppercase(), &b[1..])
}

fn python(rng: &mut Rng, with_id: bool) -> String {
    let mut s =
        String::from("import json\nimport logging\n\nlog = logging.getLogger(__name__)\n\n");
    if with_id {
        let _ = writeln!(s, "MODEL_ID = \"{}\"\n", rng.pick(REFERENCES));
    }
    for _ in 0..(5 + rng.below(20)) {
        let f = ident(rng);
        let _ = writeln!(
            s,
            "def {f}(data, limit={}):\n    \"\"\"Process {f}.\"\"\"\n    out = []\n    for row in data[:limit]:\n        if row.get(\"{}\"):\n            out.append(json.dumps(row))\n    log.info(\"{f}: %d rows\", len(out))\n    return out\n",
            rng.below(500),
            rng.pick(WORDS)
        );
    }
    if with_id && rng.chance(50) {
        s.push_str("\n\ndef ask(client, text):\n    return client.converse(modelId=MODEL_ID, messages=[{\"role\": \"user\", \"content\": [{\"text\": text}]}])\n");
    }
    s
}

fn typescript(rng: &mut Rng, with_id: bool, typed: bool) -> String {
    let mut s = String::from("import { readFile } from \"node:fs/promises\";\n\n");
    if with_id {
        let _ = writeln!(s, "export const MODEL_ID = \"{}\";\n", rng.pick(REFERENCES));
    }
    for _ in 0..(5 + rng.below(20)) {
        let f = camel(rng);
        let (param, ret) = if typed {
            (": string", ": Promise<string[]>")
        } else {
            ("", "")
        };
        let _ = writeln!(
            s,
            "export async function {f}(path{param}, limit = {}){ret} {{\n  const text = await readFile(path, \"utf8\");\n  return text.split(\"\\n\").slice(0, limit).filter((l) => l.includes(`{}`));\n}}\n",
            rng.below(500),
            rng.pick(WORDS)
        );
    }
    s
}

fn rust(rng: &mut Rng, with_id: bool) -> String {
    let mut s = String::from("use std::collections::HashMap;\n\n");
    if with_id {
        let _ = writeln!(
            s,
            "pub const MODEL_ID: &str = \"{}\";\n",
            rng.pick(REFERENCES)
        );
    }
    for _ in 0..(5 + rng.below(15)) {
        let f = ident(rng);
        let _ = writeln!(
            s,
            "/// Count {f}.\npub fn {f}(items: &[&str]) -> HashMap<String, usize> {{\n    let mut m = HashMap::new();\n    for i in items.iter().take({}) {{\n        *m.entry(format!(\"{{}}-{}\", i)).or_insert(0) += 1;\n    }}\n    m\n}}\n",
            rng.below(500),
            rng.pick(WORDS)
        );
    }
    s
}

fn json(rng: &mut Rng, with_id: bool) -> String {
    let mut s = String::from("{\n");
    for i in 0..(5 + rng.below(30)) {
        let _ = writeln!(
            s,
            "  \"{}{i}\": {{ \"enabled\": true, \"limit\": {} }},",
            rng.pick(WORDS),
            rng.below(1000)
        );
    }
    if with_id {
        let _ = writeln!(s, "  \"modelId\": \"{}\",", rng.pick(REFERENCES));
    }
    s.push_str("  \"version\": 1\n}\n");
    s
}

fn yaml(rng: &mut Rng, with_id: bool) -> String {
    let mut s = String::from("services:\n");
    for _ in 0..(2 + rng.below(6)) {
        let _ = writeln!(
            s,
            "  {}:\n    image: registry.example.com/{}:1.{}\n    environment:\n      LOG_LEVEL: info",
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.below(20)
        );
        if with_id {
            let _ = writeln!(s, "      BEDROCK_MODEL_ID: {}", rng.pick(REFERENCES));
        }
    }
    s
}

fn toml(rng: &mut Rng, with_id: bool) -> String {
    let mut s = format!(
        "[package]\nname = \"{}\"\nversion = \"0.{}.0\"\n\n[settings]\n",
        ident(rng),
        rng.below(9)
    );
    if with_id {
        let _ = writeln!(s, "model = \"{}\"", rng.pick(REFERENCES));
    }
    let _ = writeln!(s, "retries = {}", rng.below(5));
    s
}

fn notebook(rng: &mut Rng, with_id: bool) -> String {
    let line = if with_id {
        format!("MODEL_ID = \\\"{}\\\"\\n", rng.pick(REFERENCES))
    } else {
        format!("{} = load()\\n", ident(rng))
    };
    format!(
        "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {{}},\n   \"outputs\": [],\n   \"source\": [\n    \"import boto3\\n\",\n    \"{line}\"\n   ]\n  }}\n ],\n \"metadata\": {{}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
    )
}

/// A large minified bundle, as vendored third-party code: the prefilter must pass it over.
fn vendored(rng: &mut Rng, kib: u64) -> String {
    let mut s = String::with_capacity((kib * 1024) as usize);
    while (s.len() as u64) < kib * 1024 {
        let _ = write!(
            s,
            "function {}(a,b){{return a+b*{}}};",
            camel(rng),
            rng.below(1000)
        );
    }
    s.push('\n');
    s
}

/// Provider-shaped tokens that are not model IDs, per language; each snippet is valid at top level.
const PY_NOISE: &[&str] = &[
    "# Docs: https://aws.amazon.com/bedrock/ and https://docs.aws.amazon.com/bedrock/latest/userguide/\n",
    "def export_rows(rows, f):\n    writer = csv.writer(f)\n    for r in rows:\n        writer.writerow(r)\n    self_writer = f\n    self_writer.writer.write(\"\\n\")\n",
    "def legacy_chat(prompt):\n    return openai.ChatCompletion.create(model=\"gpt-3.5-turbo\", messages=[{\"role\": \"user\", \"content\": prompt}])\n",
    "from google.cloud import storage\nfrom google.cloud.storage import Blob\n",
    "def mistral_chat(prompt):\n    client = mistral.client.MistralClient(api_key=\"x\")\n    return client.chat(model=\"mistral-large-latest\", messages=[prompt])\n",
    "PRODUCT_URL = \"https://www.amazon.com/dp/B08N5WRWNW\"\n",
    "def summary(page):\n    return page.meta.description or page.title\n",
];
const TS_NOISE: &[&str] = &[
    "const here = new URL(\".\", import.meta.url);\n",
    "export const apiBase = import.meta.env.VITE_API_BASE ?? \"https://aws.amazon.com/\";\n",
    "// Docs: https://docs.aws.amazon.com/bedrock/latest/APIReference/welcome.html\n",
    "export function describe(page) {\n  return page.meta.description ?? document.title;\n}\n",
    "export async function legacyChat(openai, prompt) {\n  return openai.ChatCompletion.create({ model: \"gpt-4\", messages: [prompt] });\n}\n",
    "export function flush(writer, rows) {\n  for (const r of rows) writer.write(r + \"\\n\");\n}\n",
    "export const seller = \"https://www.amazon.com/gp/help/customer\";\n",
    "export const bucket = (gcp) => gcp.google.cloud.storage.bucket(\"assets\");\n",
];
const RS_NOISE: &[&str] = &[
    "// Java port of software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient\n",
    "/// See <https://aws.amazon.com/bedrock/>.\npub const DOCS: &str = \"https://docs.aws.amazon.com/sdk-for-rust/\";\n",
    "pub fn flush(writer: &mut csv::Writer<std::fs::File>) {\n    writer.write_record([\"a\", \"b\"]).ok();\n    writer.flush().ok();\n}\n",
    "pub const MAVEN: &str = \"software.amazon.awssdk:bedrockruntime:2.25.0\";\n",
    "pub fn title(page: &Page) -> &str {\n    page.meta.description.as_deref().unwrap_or(\"\")\n}\n",
];
const JSON_NOISE: &[&str] = &[
    "  \"homepage\": \"https://aws.amazon.com/bedrock/\",\n",
    "  \"dependency\": \"software.amazon.awssdk:bom:2.25.0\",\n",
    "  \"seo\": { \"meta.description\": \"Shop at amazon.com\" },\n",
    "  \"google.cloud.project\": \"demo-project\",\n",
    "  \"openai.api_base\": \"https://api.openai.com/v1\",\n",
    "  \"logging\": { \"handler\": \"csv.writer\", \"sink\": \"writer.write\" },\n",
    "  \"mistral.client.timeout\": 30,\n",
];
const YAML_NOISE: &[&str] = &[
    "docs: https://aws.amazon.com/bedrock/\n",
    "seo:\n  meta.description: Shop at amazon.com\n",
    "logging:\n  handler: csv.writer\n  sink: writer.write\n",
    "gcp:\n  google.cloud.project: demo\n",
    "llm:\n  openai.api_base: https://api.openai.com/v1\n  mistral.client.timeout: 30\n",
];
const TOML_NOISE: &[&str] = &[
    "homepage = \"https://aws.amazon.com/bedrock/\"\n",
    "\"google.cloud.project\" = \"demo\"\n",
    "sdk = \"software.amazon.awssdk:bom\"\n",
    "\"meta.description\" = \"Shop at amazon.com\"\n",
];

/// Insert `n` picks from `snippets` at blank-line boundaries (top level in the generated code).
fn sprinkle(rng: &mut Rng, text: &str, snippets: &[&str], n: u64) -> String {
    let mut parts: Vec<String> = text.split_inclusive("\n\n").map(str::to_owned).collect();
    for _ in 0..n {
        let at = rng.below(parts.len() as u64 + 1) as usize;
        parts.insert(at, format!("{}\n", rng.pick(snippets)));
    }
    parts.concat()
}

/// Insert JSON members right after the opening brace.
fn json_members(text: &str, members: &str) -> String {
    format!("{{\n{members}{}", &text[2..])
}

fn minify_json(text: &str) -> String {
    text.lines().map(str::trim_start).collect::<String>() + "\n"
}

fn base64(rng: &mut Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(len + 8);
    s.push_str("iVBORw0KGgo");
    while s.len() < len {
        let mut x = rng.next();
        for _ in 0..10 {
            s.push(ALPHABET[(x & 63) as usize] as char);
            x >>= 6;
        }
    }
    s
}

/// Extra notebook cells: code with noise, stream outputs, and PNG outputs in base64.
fn notebook_cells(rng: &mut Rng) -> String {
    let mut s = String::new();
    for n in 0..(10 + rng.below(30)) {
        let src = rng
            .pick(PY_NOISE)
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        let src = src.replace('\n', "\\n");
        let mut outputs = format!(
            "    {{\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n      \"{} rows from https://aws.amazon.com/s3/\\n\"\n     ]\n    }}",
            rng.below(10_000)
        );
        if rng.chance(30) {
            let kib = 4 + rng.below(60) as usize;
            let _ = write!(
                outputs,
                ",\n    {{\n     \"data\": {{\n      \"image/png\": \"{}\",\n      \"text/plain\": [\n       \"<Figure size 640x480 with 1 Axes>\"\n      ]\n     }},\n     \"metadata\": {{}},\n     \"output_type\": \"display_data\"\n    }}",
                base64(rng, kib * 1024)
            );
        }
        let _ = write!(
            s,
            ",\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": {},\n   \"metadata\": {{}},\n   \"outputs\": [\n{outputs}\n   ],\n   \"source\": [\n    \"{src}\"\n   ]\n  }}",
            n + 2
        );
    }
    s
}

/// Add the noise described in the module documentation to one generated file.
fn add_noise(rng: &mut Rng, name: &str, text: String) -> String {
    let ext = name.rsplit('.').next().unwrap_or("");
    if name.ends_with(".min.js") {
        return text;
    }
    let mut text = text;
    let tokens = rng.chance(40);
    let n = 1 + rng.below(4);
    match ext {
        "py" if tokens => text = sprinkle(rng, &text, PY_NOISE, n),
        "ts" | "tsx" | "js" if tokens => text = sprinkle(rng, &text, TS_NOISE, n),
        "rs" if tokens => text = sprinkle(rng, &text, RS_NOISE, n),
        "yaml" if tokens => {
            for _ in 0..n {
                text.push_str(rng.pick::<&str>(YAML_NOISE));
            }
        }
        "toml" if tokens => {
            for _ in 0..n {
                text.push_str(rng.pick::<&str>(TOML_NOISE));
            }
        }
        "json" => {
            let mut members = String::new();
            if tokens {
                for _ in 0..n {
                    members.push_str(rng.pick::<&str>(JSON_NOISE));
                }
            }
            let minified = rng.chance(40);
            if minified && rng.chance(5) {
                // A lockfile-like blob: hundreds of KiB on one line.
                let kib = 64 + rng.below(448);
                let mut i = 0;
                while (members.len() as u64) < kib * 1024 {
                    let _ = writeln!(
                        members,
                        "  \"node_modules/{w}-{i}\": {{ \"version\": \"1.{}.{}\", \"resolved\": \"https://registry.npmjs.org/{w}-{i}/-/{w}-{i}.tgz\", \"integrity\": \"sha512-{}\" }},",
                        rng.below(30),
                        rng.below(30),
                        base64(rng, 64),
                        w = rng.pick(WORDS)
                    );
                    i += 1;
                }
            }
            text = json_members(&text, &members);
            if minified {
                text = minify_json(&text);
            }
        }
        "ipynb" if rng.chance(50) => {
            let cells = notebook_cells(rng);
            text = text.replacen("\n  }\n ],\n", &format!("\n  }}{cells}\n ],\n"), 1);
        }
        _ => {}
    }
    if ext == "js" && rng.chance(15) {
        // TypeScript syntax in a JavaScript file: valid TS, an error for the JS grammar.
        text = text.replace("(path, ", "(path: string, ");
    } else if ext != "ipynb" && rng.chance(5) {
        let broken = match ext {
            "py" => "def broken(:\n    return [\n",
            "ts" | "tsx" | "js" => "export function broken( {\n  const x = {;\n",
            "rs" => "pub fn broken( {\n    let x = ;\n",
            "json" => "  \"broken\": ,\n",
            "yaml" => "  bad: [unclosed\n - x: : y\n",
            _ => "broken = = \"\n",
        };
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        let at = 1 + rng.below(lines.len().max(1) as u64) as usize;
        lines.insert(at.min(lines.len()), broken);
        text = lines.concat();
    }
    text
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("has a parent")).expect("create directory");
    fs::write(path, text).expect("write file");
}

fn main() {
    let mut files: u64 = 10_000;
    let mut seed: u64 = 1;
    let mut noise = false;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--files" => files = args.next().and_then(|v| v.parse().ok()).expect("--files N"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            "--noise" => noise = true,
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let out = out.expect("usage: gencorpus --files N --seed S [--noise] OUT");
    if out.exists() {
        eprintln!("{} exists; remove it first", out.display());
        std::process::exit(2);
    }
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // A second stream, so that --noise leaves the clean corpus's draws untouched.
    let mut noise_rng = Rng((seed ^ 0xD1B5_4A32_D192_ED03).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    write(&out.join(".gitignore"), "target/\nnode_modules/\n*.log\n");
    let (mut with_ids, mut bytes) = (0u64, 0u64);
    for i in 0..files {
        let dir = format!("pkg{:03}/{}", i / 200, rng.pick(WORDS));
        let with_id = rng.chance(2);
        let kind = rng.below(100);
        let (name, text) = match kind {
            0..=29 => (
                format!("{}_{i}.py", rng.pick(WORDS)),
                python(&mut rng, with_id),
            ),
            30..=44 => (
                format!("{}{i}.ts", camel(&mut rng)),
                typescript(&mut rng, with_id, true),
            ),
            45..=49 => (
                format!("{}{i}.tsx", camel(&mut rng)),
                typescript(&mut rng, with_id, true),
            ),
            50..=59 => (
                format!("{}{i}.js", camel(&mut rng)),
                typescript(&mut rng, with_id, false),
            ),
            60..=71 => (
                format!("{}_{i}.rs", rng.pick(WORDS)),
                rust(&mut rng, with_id),
            ),
            72..=81 => (
                format!("{}{i}.json", rng.pick(WORDS)),
                json(&mut rng, with_id),
            ),
            82..=89 => (
                format!("{}{i}.yaml", rng.pick(WORDS)),
                yaml(&mut rng, with_id),
            ),
            90..=94 => (
                format!("{}{i}.toml", rng.pick(WORDS)),
                toml(&mut rng, with_id),
            ),
            95..=98 => (
                format!("{}{i}.ipynb", rng.pick(WORDS)),
                notebook(&mut rng, with_id),
            ),
            _ => {
                let kib = 32 + rng.below(224);
                (
                    format!("vendor/{}{i}.min.js", rng.pick(WORDS)),
                    vendored(&mut rng, kib),
                )
            }
        };
        if with_id && kind < 99 {
            with_ids += 1;
        }
        let text = if noise {
            add_noise(&mut noise_rng, &name, text)
        } else {
            text
        };
        bytes += text.len() as u64;
        write(&out.join(dir).join(name), &text);
    }
    // Ignored build output that a .gitignore-aware walk never reads.
    for i in 0..(files / 100).max(1) {
        write(
            &out.join(format!("target/debug/gen{i}.rs")),
            &format!("pub const M: &str = \"{}\";\n", REFERENCES[0]),
        );
    }
    eprintln!(
        "wrote {files} files ({:.1} MiB) to {}; {with_ids} hold a model ID",
        bytes as f64 / 1_048_576.0,
        out.display()
    );
}
