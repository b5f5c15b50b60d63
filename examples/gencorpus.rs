//! Deterministic benchmark corpus: a realistic repository tree where most files hold no
//! model ID and about 2% hold one or more, in every form the grammar knows.
//!
//! ```text
//! cargo run --release --example gencorpus -- --files 10000 --seed 1 /tmp/corpus-10k
//! ```
//!
//! The same `--files` and `--seed` always give the same bytes (a fixed xorshift generator,
//! no system randomness), so timings from different machines and commits compare.

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

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("has a parent")).expect("create directory");
    fs::write(path, text).expect("write file");
}

fn main() {
    let mut files: u64 = 10_000;
    let mut seed: u64 = 1;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--files" => files = args.next().and_then(|v| v.parse().ok()).expect("--files N"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let out = out.expect("usage: gencorpus --files N --seed S OUT");
    if out.exists() {
        eprintln!("{} exists; remove it first", out.display());
        std::process::exit(2);
    }
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
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
