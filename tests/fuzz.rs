//! Mutation fuzzing of the planner and the rewrite (issue 14, "A harness, not a one-off").
//!
//! Every file under `fixtures/*/input/` whose name the walker reads is mutated (characters
//! flipped, inserted and deleted; model IDs inserted at random offsets, also after a
//! backslash; quotes and brackets dropped; line ends swapped; a byte-order mark prepended;
//! deep nesting; slices duplicated) and planned with the library, as `fix` does. For each
//! mutated text, with `--unsafe-fixes` off and on:
//!
//! 1. planning never panics (nor does verifying or re-planning the rewrite), and no two
//!    findings cover the same bytes (a reference reported twice, two fixes spliced as one);
//! 2. the applicable edits are sound, in order and do not overlap, and the rewrite changes
//!    no byte outside them;
//! 3. a text that parsed still parses after the rewrite (`apply::verify_against`), and for
//!    Python and JavaScript, when `python3` / `node` are on PATH, the language itself still
//!    accepts it when it accepted the original (escape sequences included, see issue 14
//!    item 1);
//! 4. fixing twice is a no-op (for a text that parsed: in one that does not, the parser's
//!    error recovery may read more once the text changed; those are counted);
//! 5. the time of each case is measured (never asserted on); `--nocapture` shows the
//!    slowest.
//!
//! The run is deterministic: a fixed seed and a bounded number of cases.
//! `BEDROCK_MIGRATE_FUZZ_CASES=N` runs N cases (e.g. a long run:
//! `BEDROCK_MIGRATE_FUZZ_CASES=50000 cargo test --release --test fuzz -- --nocapture`),
//! `BEDROCK_MIGRATE_FUZZ_SEED=N` another seed, and `BEDROCK_MIGRATE_FUZZ_KEEP_GOING=1`
//! collects every failure instead of stopping (and shrinking) at the first, and
//! `BEDROCK_MIGRATE_FUZZ_LOG=FILE` writes each case to FILE before it runs (for a crash that
//! kills the process), and `BEDROCK_MIGRATE_FUZZ_INPUTS=java/,ruby/` mutates only the fixture
//! files whose path (below `fixtures/`) contains one of the comma-separated words. A failure is
//! printed with the mutations that caused it and the smallest text found that still fails
//! the same way.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use bedrock_migrate::apply;
use bedrock_migrate::extract::Language;
use bedrock_migrate::finding::Edit;
use bedrock_migrate::plan::{PlanOptions, plan_file};
use bedrock_migrate::rules::{ResolveOptions, Rules, load_default};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

/// Cases of the default run: about 30 s in a debug build on a 2-core machine (7 ms a case).
const DEFAULT_CASES: u32 = 4000;
const DEFAULT_SEED: u64 = 14;
/// Checks by `python3` or `node` per run, at least (each one is a message to a running
/// interpreter); a longer run may make one per case.
const MIN_INTERPRETER_CHECKS: usize = 4000;

/// The most checks by `python3` or `node` this run makes.
fn max_interpreter_checks() -> usize {
    let cases = env_number("BEDROCK_MIGRATE_FUZZ_CASES").unwrap_or(0);
    MIN_INTERPRETER_CHECKS.max(usize::try_from(cases).unwrap_or(usize::MAX))
}

// ---------------------------------------------------------------------------------------
// Inputs

struct Input {
    name: String,
    language: Language,
    text: String,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| load_default().unwrap())
}

/// Every fixture input the walker would read, in a stable order.
fn inputs() -> &'static [Input] {
    static INPUTS: OnceLock<Vec<Input>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let ty = entry.file_type().unwrap();
                if ty.is_dir() {
                    walk(&entry.path(), out);
                } else if ty.is_file() {
                    out.push(entry.path());
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut paths = Vec::new();
        for case in std::fs::read_dir(&root).unwrap() {
            let input = case.unwrap().path().join("input");
            if input.is_dir() {
                walk(&input, &mut paths);
            }
        }
        paths.sort();
        let inputs: Vec<Input> = paths
            .into_iter()
            .filter_map(|path| {
                // As the walker decides: by name, and UTF-8 without NUL bytes.
                let language = Language::from_path(&path)?;
                let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
                (!text.contains('\0')).then(|| Input {
                    name: path.strip_prefix(&root).unwrap().display().to_string(),
                    language,
                    text,
                })
            })
            .collect();
        assert!(inputs.len() > 100, "fixtures not found under {root:?}");
        if let Some(words) = std::env::var_os("BEDROCK_MIGRATE_FUZZ_INPUTS") {
            let words = words.to_string_lossy().into_owned();
            let words: Vec<&str> = words.split(',').filter(|w| !w.is_empty()).collect();
            let chosen: Vec<Input> = inputs
                .into_iter()
                .filter(|input| words.iter().any(|w| input.name.contains(w)))
                .collect();
            assert!(!chosen.is_empty(), "no fixture input matches {words:?}");
            return chosen;
        }
        inputs
    })
}

const LANGUAGES: [Language; 23] = [
    Language::Python,
    Language::TypeScript,
    Language::Tsx,
    Language::JavaScript,
    Language::Rust,
    Language::Json,
    Language::Yaml,
    Language::Toml,
    Language::Ini,
    Language::Dotenv,
    Language::Hcl,
    Language::Notebook,
    Language::Dockerfile,
    Language::Shell,
    Language::Markdown,
    Language::Java,
    Language::Kotlin,
    Language::CSharp,
    Language::Go,
    Language::Php,
    Language::Ruby,
    Language::Swift,
    Language::PlainText,
];

/// IDs inserted besides every ID of the table: legacy and EOL ones with every kind of
/// prefix, ARNs, a URL-encoded colon, a provisioned-throughput variant, a family prefix.
const IDS: &[&str] = &[
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "us.anthropic.claude-3-haiku-20240307-v1:0",
    "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2",
    "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic.claude-v2:1",
    "anthropic.claude-instant-v1",
    "amazon.titan-text-express-v1",
    "apac.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "global.anthropic.claude-sonnet-4-20250514-v1:0",
    "anthropic.claude-3-5-sonnet-20240620-v1%3A0",
    "anthropic.claude-3-sonnet-20240229-v1:0:200k",
    "anthropic.claude-3",
    "meta.llama3-8b-instruct-v1:0",
    "amazon.titan-embed-text-v1",
];

/// Ways to write an inserted ID; `@` stands for the ID.
const WRAPS: &[&str] = &[
    "@",
    "\"@\"",
    "'@'",
    "`@`",
    "\\@",
    "\"\\@\"",
    "'\\\\@'",
    "\"\\\\@\"",
    "r\"\\@\"",
    "b'@'",
    "f\"{x}@\"",
    "`${x}@`",
    "${x}@",
    "\"${x}@\"",
    "$x@",
    "@${x}",
    "\"@\\n\"",
    "\"\\x41@\"",
    "\"\\u{41}@\"",
    "# @",
    "// @",
    "/* @ */",
    "<!-- @ -->",
    "k = \"@\"",
    "k: @",
    "\"k\": \"@\",",
    "K=@",
    "--model @",
    "[@](@)",
    "\"\"\"@\"\"\"",
    "\"@\"\"@\"",
    "\"@ @\"",
    "\"@/@\"",
    "\"@.json\"",
    "\"x-@\"",
    "\"#{x}@\"",
    "\"\\(x)@\"",
    "$\"{x}@\"",
    "#\"@\"#",
    "\"$x.@\"",
    "\"{$x}@\"",
    "<<<EOT\n@\nEOT\n",
    "<<~EOS\n@\nEOS\n",
    "%q(@)",
    "%w[@ @]",
    ":\"@\"",
    "/** @ */",
    "/// @",
    "'@' => 1,",
];

/// Characters worth inserting: syntax, escapes, line ends, odd Unicode.
const CHARS: &[char] = &[
    '"', '\'', '`', '\\', '$', '{', '}', '[', ']', '(', ')', '<', '>', '#', ':', '=', ',', ';',
    '/', '*', '-', '.', '@', '%', '&', '|', ' ', '\t', '\n', '\r', '\0', 'a', 'u', 'x', 'N', '0',
    '1', 'é', '\u{2028}', '\u{85}', '\u{feff}', '\u{a0}', '😀', 'ß',
];

/// Characters whose removal breaks structure.
const DROP_CLASSES: &[&str] = &["\"'`", "[]{}()", ":=,;", "\n", "#/*", "\\", " \t"];

/// Nesting forms: an opening written `depth` times before the ID (and the closing after).
const NESTS: &[(&str, &str)] = &[
    ("[", "]"),
    ("{", "}"),
    ("(", ")"),
    ("{\"a\":", "}"),
    ("- ", ""),
    ("> ", ""),
    ("${", "}"),
    ("$(", ")"),
    ("f(", ")"),
    ("`${", "}`"),
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the character at an offset.
    Replace(Index, char),
    /// Insert characters at an offset.
    Insert(Index, String),
    /// Delete up to this many bytes (whole characters) at an offset.
    Delete(Index, usize),
    /// Insert an ID (from `IDS` or the table), written as one of `WRAPS`.
    InsertId(Index, Index, usize),
    /// Replace the nth reference-like run of ID characters with an ID: the file keeps its
    /// syntax, and the rewrite meets the contexts the fixtures put IDs in.
    ReplaceId(Index, Index),
    /// Insert a backslash before the nth place that starts like a reference.
    BackslashBeforeId(Index, bool),
    /// Drop the nth character of a class, or all of them.
    Drop(usize, Index, bool),
    /// Write every line end (or the nth) as `\n`, `\r\n` or `\r`.
    LineEnds(usize, Option<Index>),
    /// Prepend a byte-order mark.
    Bom,
    /// Insert an ID nested `depth` deep, as lines indented one more each (YAML, Python,
    /// TOML tables) or as brackets; closed or not.
    Nest(Index, usize, usize, Index, bool),
    /// Copy a slice of the text elsewhere.
    Duplicate(Index, usize, Index),
}

fn id_pool() -> &'static [String] {
    static POOL: OnceLock<Vec<String>> = OnceLock::new();
    POOL.get_or_init(|| {
        IDS.iter()
            .map(|s| s.to_string())
            .chain(rules().models().iter().map(|m| m.id.clone()))
            .collect()
    })
}

/// The char boundary at or before `index` of `text`.
fn at(text: &str, index: &Index) -> usize {
    let mut i = index.index(text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

const REFERENCE_STARTS: &[&str] = &[
    "anthropic.",
    "amazon.",
    "meta.",
    "us.",
    "eu.",
    "apac.",
    "global.",
    "arn:",
    "cohere.",
    "mistral.",
    "ai21.",
];

/// Where something that looks like a reference starts, in order.
fn reference_starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = REFERENCE_STARTS
        .iter()
        .flat_map(|p| text.match_indices(p).map(|(i, _)| i))
        .collect();
    starts.sort_unstable();
    starts
}

fn apply_mutation(text: &mut String, m: &Mutation) {
    match m {
        Mutation::Replace(i, c) => {
            let start = at(text, i);
            if let Some(old) = text[start..].chars().next() {
                text.replace_range(start..start + old.len_utf8(), &c.to_string());
            } else {
                text.push(*c);
            }
        }
        Mutation::Insert(i, s) => {
            let start = at(text, i);
            text.insert_str(start, s);
        }
        Mutation::Delete(i, len) => {
            let start = at(text, i);
            let end = floor(text, start + len);
            text.replace_range(start..end, "");
        }
        Mutation::InsertId(i, id, wrap) => {
            let pool = id_pool();
            let id = &pool[id.index(pool.len())];
            let s = WRAPS[*wrap % WRAPS.len()].replace('@', id);
            let start = at(text, i);
            text.insert_str(start, &s);
        }
        Mutation::ReplaceId(nth, id) => {
            let starts = reference_starts(text);
            if !starts.is_empty() {
                let start = starts[nth.index(starts.len())];
                let end = text[start..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "._-:".contains(c)))
                    .map_or(text.len(), |n| start + n);
                let pool = id_pool();
                text.replace_range(start..end, &pool[id.index(pool.len())]);
            }
        }
        Mutation::BackslashBeforeId(nth, double) => {
            let starts = reference_starts(text);
            if !starts.is_empty() {
                let i = starts[nth.index(starts.len())];
                text.insert_str(i, if *double { "\\\\" } else { "\\" });
            }
        }
        Mutation::Drop(class, nth, all) => {
            let class = DROP_CLASSES[*class % DROP_CLASSES.len()];
            let hits: Vec<(usize, char)> = text
                .char_indices()
                .filter(|(_, c)| class.contains(*c))
                .collect();
            if hits.is_empty() {
                return;
            }
            let (i, c) = hits[nth.index(hits.len())];
            if *all {
                *text = text.replace(c, "");
            } else {
                text.replace_range(i..i + c.len_utf8(), "");
            }
        }
        Mutation::LineEnds(to, nth) => {
            let to = ["\n", "\r\n", "\r"][*to % 3];
            let ends: Vec<(usize, usize)> = {
                let b = text.as_bytes();
                let mut ends = Vec::new();
                let mut i = 0;
                while i < b.len() {
                    match b[i] {
                        b'\r' if b.get(i + 1) == Some(&b'\n') => {
                            ends.push((i, 2));
                            i += 1;
                        }
                        b'\r' | b'\n' => ends.push((i, 1)),
                        _ => {}
                    }
                    i += 1;
                }
                ends
            };
            if ends.is_empty() {
                return;
            }
            let chosen: Vec<(usize, usize)> = match nth {
                Some(n) => vec![ends[n.index(ends.len())]],
                None => ends,
            };
            for (i, len) in chosen.into_iter().rev() {
                text.replace_range(i..i + len, to);
            }
        }
        Mutation::Bom => text.insert(0, '\u{feff}'),
        Mutation::Nest(i, kind, depth, id, closed) => {
            let pool = id_pool();
            let id = &pool[id.index(pool.len())];
            let depth = *depth;
            let mut s = String::new();
            // Kinds past the bracket forms are line-indentation forms.
            match kind % (NESTS.len() + 3) {
                k if k < NESTS.len() => {
                    let (open, close) = NESTS[k];
                    s.push_str(&open.repeat(depth));
                    s.push('"');
                    s.push_str(id);
                    s.push('"');
                    if *closed {
                        s.push_str(&close.repeat(depth));
                    }
                }
                k if k == NESTS.len() => {
                    for d in 0..depth {
                        s.push_str(&format!("\n{}k{d}:", " ".repeat(d)));
                    }
                    s.push_str(&format!("\n{}m: {id}\n", " ".repeat(depth)));
                }
                k if k == NESTS.len() + 1 => {
                    for d in 0..depth {
                        s.push_str(&format!("\n{}if x:", " ".repeat(d)));
                    }
                    s.push_str(&format!("\n{}m = \"{id}\"\n", " ".repeat(depth)));
                }
                _ => {
                    let path: Vec<String> = (0..depth).map(|d| format!("t{d}")).collect();
                    s.push_str(&format!("\n[{}]\nm = \"{id}\"\n", path.join(".")));
                }
            }
            let start = at(text, i);
            text.insert_str(start, &s);
        }
        Mutation::Duplicate(from, len, to) => {
            let start = at(text, from);
            let end = floor(text, start + len);
            let slice = text[start..end].to_string();
            let to = at(text, to);
            text.insert_str(to, &slice);
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let ch = prop_oneof![
        3 => proptest::sample::select(CHARS),
        1 => (0x20u8..0x7f).prop_map(char::from),
        1 => any::<char>(),
    ];
    let chars =
        proptest::collection::vec(ch.clone(), 1..8).prop_map(|v| v.into_iter().collect::<String>());
    prop_oneof![
        3 => (any::<Index>(), ch).prop_map(|(i, c)| Mutation::Replace(i, c)),
        3 => (any::<Index>(), chars).prop_map(|(i, s)| Mutation::Insert(i, s)),
        3 => (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        5 => (any::<Index>(), any::<Index>(), 0..WRAPS.len())
            .prop_map(|(i, id, w)| Mutation::InsertId(i, id, w)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(i, id)| Mutation::ReplaceId(i, id)),
        3 => (any::<Index>(), any::<bool>()).prop_map(|(i, d)| Mutation::BackslashBeforeId(i, d)),
        3 => (0..DROP_CLASSES.len(), any::<Index>(), proptest::bool::weighted(0.2))
            .prop_map(|(c, i, all)| Mutation::Drop(c, i, all)),
        2 => (0usize..3, proptest::option::of(any::<Index>()))
            .prop_map(|(to, n)| Mutation::LineEnds(to, n)),
        1 => Just(Mutation::Bom),
        2 => (
            any::<Index>(),
            0..NESTS.len() + 3,
            prop_oneof![4 => 1usize..12, 1 => 12usize..300],
            any::<Index>(),
            any::<bool>(),
        )
            .prop_map(|(i, k, d, id, c)| Mutation::Nest(i, k, d, id, c)),
        2 => (any::<Index>(), 1usize..400, any::<Index>())
            .prop_map(|(f, n, t)| Mutation::Duplicate(f, n, t)),
    ]
}

/// The settings a case is planned with.
#[derive(Debug, Clone)]
struct Settings {
    as_of: usize,
    region: usize,
    profile_prefix: bool,
    official_only: bool,
}

const AS_OF: [&str; 3] = ["2024-06-01", "2026-11-21", "2031-01-01"];
const REGIONS: [Option<&str>; 3] = [None, Some("us-east-1"), Some("eu-central-1")];

impl Settings {
    fn options(&self) -> PlanOptions {
        PlanOptions {
            resolve: ResolveOptions {
                as_of: AS_OF[self.as_of % AS_OF.len()].parse().unwrap(),
                region: REGIONS[self.region % REGIONS.len()].map(str::to_owned),
                official_only: self.official_only,
            },
            profile_prefix: self.profile_prefix.then(|| "eu".to_owned()),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone)]
struct Case {
    input: usize,
    /// Read as another language than its name says (the rules of one format over the text
    /// of another).
    language: Option<usize>,
    mutations: Vec<Mutation>,
    settings: Settings,
}

impl Case {
    fn language(&self) -> Language {
        match self.language {
            Some(l) => LANGUAGES[l % LANGUAGES.len()],
            None => inputs()[self.input].language,
        }
    }

    fn text(&self) -> String {
        let mut text = inputs()[self.input].text.clone();
        for m in &self.mutations {
            apply_mutation(&mut text, m);
        }
        text
    }

    fn name(&self) -> String {
        let input = &inputs()[self.input];
        let mut name = input.name.clone();
        if self.language.is_some() {
            name.push_str(&format!(" as {}", self.language().name()));
        }
        name
    }
}

fn case() -> impl Strategy<Value = Case> {
    (
        0..inputs().len(),
        prop_oneof![9 => Just(None), 1 => (0..LANGUAGES.len()).prop_map(Some)],
        prop_oneof![
            1 => proptest::collection::vec(mutation(), 0..1),
            4 => proptest::collection::vec(mutation(), 1..3),
            2 => proptest::collection::vec(mutation(), 3..7),
        ],
        (
            0..AS_OF.len(),
            0..REGIONS.len(),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(|(input, language, mutations, (a, r, p, o))| Case {
            input,
            language,
            mutations,
            settings: Settings {
                as_of: a,
                region: r,
                profile_prefix: p,
                official_only: o,
            },
        })
}

// ---------------------------------------------------------------------------------------
// The interpreters: one `python3` and one `node` for the whole run, fed one text per line.

struct Interpreter {
    _child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Interpreter {
    fn start(program: &str, args: &[&str]) -> Option<Interpreter> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        let mut it = Interpreter {
            _child: child,
            stdin,
            stdout,
        };
        // It must answer, or it is not there (a shim without an interpreter behind it).
        it.parses("").map(|_| it)
    }

    /// Whether the interpreter accepts `text`; `None` when it stopped answering.
    fn parses(&mut self, text: &str) -> Option<Result<(), String>> {
        let line = serde_json::to_string(text).unwrap();
        writeln!(self.stdin, "{line}").ok()?;
        self.stdin.flush().ok()?;
        let mut answer = String::new();
        self.stdout.read_line(&mut answer).ok()?;
        let answer = answer.trim_end();
        match answer {
            "ok" => Some(Ok(())),
            _ if answer.starts_with("err") => Some(Err(answer[3..].trim().to_owned())),
            _ => None,
        }
    }
}

/// Python reads the file's bytes, as the interpreter would (byte-order mark and coding
/// declaration included); warnings (invalid escapes in 3.12) are not errors.
const PYTHON: &str = r#"
import ast, json, sys, warnings
warnings.simplefilter("ignore")
for line in sys.stdin:
    try:
        ast.parse(json.loads(line).encode("utf-8", "surrogatepass"))
        print("ok", flush=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError, UnicodeError) as e:
        print("err", repr(e).replace("\n", " "), flush=True)
"#;

/// JavaScript: accepted as a classic script or as a module.
const NODE: &str = r#"
const vm = require("vm");
const rl = require("readline").createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const src = JSON.parse(line);
  let error = null;
  try { new vm.Script(src); } catch (e) {
    try { new vm.SourceTextModule(src); } catch (e2) { error = String(e2).replace(/\n/g, " "); }
  }
  process.stdout.write(error === null ? "ok\n" : "err " + error + "\n");
});
"#;

struct Interpreters {
    python: Option<Interpreter>,
    node: Option<Interpreter>,
    checks: usize,
    max_checks: usize,
}

fn interpreters() -> &'static Mutex<Interpreters> {
    static IT: OnceLock<Mutex<Interpreters>> = OnceLock::new();
    IT.get_or_init(|| {
        let python = Interpreter::start("python3", &["-c", PYTHON]);
        let node = Interpreter::start("node", &["--experimental-vm-modules", "-e", NODE]);
        if python.is_none() {
            eprintln!("fuzz: python3 not found: Python rewrites are checked by tree-sitter only");
        }
        if node.is_none() {
            eprintln!("fuzz: node not found: JavaScript rewrites are checked by tree-sitter only");
        }
        Mutex::new(Interpreters {
            python,
            node,
            checks: 0,
            max_checks: max_interpreter_checks(),
        })
    })
}

/// When the language's own parser accepted `before`, it must accept `after`.
fn interpreter_check(language: Language, before: &str, after: &str) -> Result<bool, String> {
    let mut guard = interpreters().lock().unwrap_or_else(|p| p.into_inner());
    let its = &mut *guard;
    if its.checks >= its.max_checks {
        return Ok(false);
    }
    let it = match language {
        Language::Python => its.python.as_mut(),
        Language::JavaScript => its.node.as_mut(),
        _ => None,
    };
    let Some(it) = it else { return Ok(false) };
    its.checks += 1;
    match it.parses(before) {
        Some(Ok(())) => {}
        Some(Err(_)) => return Ok(false),
        None => return Ok(false),
    }
    match it.parses(after) {
        Some(Ok(())) => Ok(true),
        Some(Err(e)) => Err(format!(
            "{} accepted the original but not the rewrite: {e}",
            language.name()
        )),
        None => Ok(false),
    }
}

// ---------------------------------------------------------------------------------------
// The properties

/// How a case failed: a kind (for grouping and shrinking) and the details.
#[derive(Debug, Clone)]
struct Failure {
    kind: &'static str,
    detail: String,
}

fn fail(kind: &'static str, detail: impl Into<String>) -> Failure {
    Failure {
        kind,
        detail: detail.into(),
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Outcome {
    plan_time: Duration,
    fixed: bool,
    syntax_error: bool,
    /// A file that did not parse, whose rewrite changes its first syntax error: `fix`
    /// refuses to write it ("not written: the rewrite would break the file").
    refused_broken: bool,
    interpreter_checked: bool,
    /// A file that did not parse, whose rewrite a second fix changes again.
    refixed_broken: bool,
}

thread_local! {
    /// Panics on this thread are recorded here instead of printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                LAST_PANIC.with(|p| *p.borrow_mut() = info.to_string());
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `f`, turning a panic into a failure of kind "panic".
fn no_panic<T>(stage: &str, f: impl FnOnce() -> T) -> Result<T, Failure> {
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|_| {
        let message = LAST_PANIC.with(|p| p.borrow().clone());
        fail("panic", format!("{stage} panicked: {message}"))
    })
}

fn applicable_edits(plan: &bedrock_migrate::plan::FilePlan, unsafe_fixes: bool) -> Vec<&Edit> {
    plan.findings
        .iter()
        .filter_map(|f| f.applicable_fix(unsafe_fixes))
        .flat_map(|fix| &fix.edits)
        .collect()
}

fn check(text: &str, language: Language, options: &PlanOptions) -> Result<Outcome, Failure> {
    let rules = rules();
    let mut outcome = Outcome::default();
    let started = Instant::now();
    let plan = no_panic("plan_file", || plan_file(text, language, rules, options))?;
    outcome.plan_time = started.elapsed();
    outcome.syntax_error = plan.syntax_error.is_some();
    // One reference, one finding: two findings over the same bytes are reported twice and
    // their fixes overlap.
    for w in plan.findings.windows(2) {
        if w[1].range.start < w[0].range.end {
            return Err(fail(
                "overlapping-findings",
                format!(
                    "{:?} at {:?} and {:?} at {:?}",
                    w[0].original, w[0].range, w[1].original, w[1].range
                ),
            ));
        }
    }
    for unsafe_fixes in [false, true] {
        let edits = applicable_edits(&plan, unsafe_fixes);
        if edits.is_empty() {
            continue;
        }
        let flag = if unsafe_fixes { " (unsafe fixes)" } else { "" };
        // 2. Sound, ordered, disjoint edits, and nothing else changes.
        let mut end = 0;
        for edit in &edits {
            if let Some(problem) = edit.problem(text) {
                return Err(fail("unsound-edit", format!("{edit:?}{flag}: {problem}")));
            }
            if edit.range.start < end {
                return Err(fail(
                    "overlapping-edits",
                    format!("{edit:?} starts before the previous edit ends at {end}{flag}"),
                ));
            }
            end = edit.range.end;
        }
        let rewritten = no_panic("splice", || apply::splice(text, edits.iter().copied()))?;
        let mut expected = String::new();
        let mut from = 0;
        for edit in &edits {
            expected.push_str(&text[from..edit.range.start]);
            expected.push_str(&edit.content);
            from = edit.range.end;
        }
        expected.push_str(&text[from..]);
        if rewritten != expected {
            return Err(fail(
                "bytes-outside-edits",
                format!("splice changed bytes outside the edits {edits:?}{flag}"),
            ));
        }
        if rewritten != text {
            outcome.fixed = true;
        }
        // 3. What parsed still parses.
        let verified = no_panic("verify_against", || {
            apply::verify_against(language, plan.syntax_error.as_ref(), &rewritten)
        })?;
        match (&plan.syntax_error, verified) {
            (_, Ok(())) => {}
            (None, Err(e)) => {
                return Err(fail(
                    "broken-rewrite",
                    format!(
                        "the text parsed, the rewrite does not ({}:{}: {}){flag}; edits {edits:?}",
                        e.line, e.column, e.message
                    ),
                ));
            }
            // `fix` refuses to write it: safe, but it reports a bug.
            (Some(_), Err(_)) => outcome.refused_broken = true,
        }
        if plan.syntax_error.is_none() && rewritten != text {
            match interpreter_check(language, text, &rewritten) {
                Ok(checked) => outcome.interpreter_checked |= checked,
                Err(e) => {
                    return Err(fail(
                        "interpreter-rejects-rewrite",
                        format!("{e}{flag}; edits {edits:?}"),
                    ));
                }
            }
        }
        if outcome.refused_broken {
            continue;
        }
        // 4. A second fix changes nothing.
        let again = no_panic("plan_file of the rewrite", || {
            plan_file(&rewritten, language, rules, options)
        })?;
        let edits2 = applicable_edits(&again, unsafe_fixes);
        let twice = apply::splice(&rewritten, edits2.iter().copied());
        if twice != rewritten && plan.syntax_error.is_some() {
            // A file that does not parse is read by the parser's error recovery, which can
            // see more once the text changed (a reference it skipped the first time); its
            // fixes are all review, and the report says the file does not parse.
            outcome.refixed_broken = true;
        } else if twice != rewritten {
            let changed: Vec<_> = edits2
                .iter()
                .filter(|e| rewritten.get(e.range.clone()) != Some(e.content.as_str()))
                .map(|e| {
                    format!(
                        "{:?} -> {:?}",
                        rewritten.get(e.range.clone()).unwrap_or("?"),
                        e.content
                    )
                })
                .collect();
            return Err(fail(
                "not-idempotent",
                format!(
                    "a second fix changes the text again{flag}: first {:?}, then {changed:?}",
                    edits
                        .iter()
                        .map(|e| format!("{:?} -> {:?}", &text[e.range.clone()], e.content))
                        .collect::<Vec<_>>()
                ),
            ));
        }
    }
    Ok(outcome)
}

/// The smallest text found (by deleting chunks, halving their size) that still fails with
/// the same kind of failure.
fn minimize(mut text: String, language: Language, options: &PlanOptions, kind: &str) -> String {
    let fails = |t: &str| matches!(check(t, language, options), Err(f) if f.kind == kind);
    let mut tries = 0;
    let mut chunk = text.len().div_ceil(2).max(1);
    loop {
        let mut i = 0;
        while i < text.len() && tries < 3000 {
            let start = floor(&text, i);
            let end = floor(&text, start + chunk).max(start + 1);
            let end = if text.is_char_boundary(end) {
                end
            } else {
                start + text[start..].chars().next().map_or(1, char::len_utf8)
            };
            let mut candidate = text.clone();
            candidate.replace_range(start..end.min(text.len()), "");
            tries += 1;
            if fails(&candidate) {
                text = candidate;
            } else {
                i = end;
            }
        }
        if chunk == 1 || tries >= 3000 {
            return text;
        }
        chunk = chunk.div_ceil(2);
    }
}

// ---------------------------------------------------------------------------------------
// The run

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value}: not a number")),
    )
}

#[derive(Default)]
struct Failures {
    count: usize,
    examples: Vec<(Case, Failure)>,
}

#[derive(Default)]
struct Stats {
    cases: usize,
    fixed: usize,
    syntax_errors: usize,
    refused_broken: usize,
    interpreter_checked: usize,
    refixed_broken: usize,
    /// The slowest cases: plan time, case time, description.
    slowest: Vec<(Duration, Duration, String)>,
    /// Failures by kind (keep-going mode): how many, and the first few cases.
    failures: BTreeMap<&'static str, Failures>,
}

fn describe(case: &Case, text: &str) -> String {
    format!(
        "{} ({} bytes) after {:?} with {:?}",
        case.name(),
        text.len(),
        case.mutations,
        case.settings
    )
}

fn report_failure(case: &Case, failure: &Failure) -> String {
    let text = case.text();
    let options = case.settings.options();
    let language = case.language();
    let small = minimize(text.clone(), language, &options, failure.kind);
    format!(
        "{}: {}\n  case: {}\n  smallest text failing the same way ({}): {:?}\n  which fails with: {}",
        failure.kind,
        failure.detail,
        describe(case, &text),
        language.name(),
        small,
        check(&small, language, &options)
            .err()
            .map_or_else(String::new, |f| f.detail),
    )
}

#[test]
fn mutated_fixtures_plan_rewrite_and_refix_cleanly() {
    install_panic_hook();
    let cases = env_number("BEDROCK_MIGRATE_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as u32);
    let seed = env_number("BEDROCK_MIGRATE_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let keep_going = std::env::var_os("BEDROCK_MIGRATE_FUZZ_KEEP_GOING").is_some();
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        max_shrink_time: 60_000,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    // Started before the clock: the first case is not charged with their start-up.
    let _ = interpreters();
    let stats = Mutex::new(Stats::default());
    let started = Instant::now();
    // A crash that unwinding cannot catch (a stack overflow, a fault in a C parser) kills
    // the process: with this set, each case is written to this file before it runs.
    let log = std::env::var_os("BEDROCK_MIGRATE_FUZZ_LOG");
    let result = runner.run(&case(), |case| {
        let text = case.text();
        if let Some(log) = &log {
            let line = serde_json::json!({
                "case": format!("{case:?}"),
                "language": case.language().name(),
                "text": text,
            });
            std::fs::write(log, line.to_string()).unwrap();
        }
        let case_started = Instant::now();
        let result = check(&text, case.language(), &case.settings.options());
        let elapsed = case_started.elapsed();
        let mut s = stats.lock().unwrap_or_else(|p| p.into_inner());
        s.cases += 1;
        match result {
            Ok(outcome) => {
                s.fixed += usize::from(outcome.fixed);
                s.syntax_errors += usize::from(outcome.syntax_error);
                s.refused_broken += usize::from(outcome.refused_broken);
                s.interpreter_checked += usize::from(outcome.interpreter_checked);
                s.refixed_broken += usize::from(outcome.refixed_broken);
                s.slowest
                    .push((outcome.plan_time, elapsed, describe(&case, &text)));
                s.slowest.sort_by_key(|slow| std::cmp::Reverse(slow.1));
                s.slowest.truncate(5);
                Ok(())
            }
            Err(failure) if keep_going => {
                let entry = s.failures.entry(failure.kind).or_default();
                entry.count += 1;
                if entry.examples.len() < 3 {
                    entry.examples.push((case, failure));
                }
                Ok(())
            }
            Err(failure) => Err(TestCaseError::fail(format!(
                "{}: {}",
                failure.kind, failure.detail
            ))),
        }
    });
    let s = stats.into_inner().unwrap_or_else(|p| p.into_inner());
    println!(
        "fuzz: seed {seed}, {} cases (of {cases} asked, shrinking included) in {:.1?}: {} rewritten, \
         {} with a syntax error ({} of their rewrites refused, {} changed again by a second fix), \
         {} checked by python3/node",
        s.cases,
        started.elapsed(),
        s.fixed,
        s.syntax_errors,
        s.refused_broken,
        s.refixed_broken,
        s.interpreter_checked,
    );
    for (plan, total, what) in &s.slowest {
        println!("fuzz: slow case: {total:.1?} (plan {plan:.1?}): {what}");
    }
    let mut failed = Vec::new();
    for (kind, Failures { count, examples }) in &s.failures {
        println!("fuzz: {count} cases failed with {kind}");
        for (case, failure) in examples {
            failed.push(report_failure(case, failure));
        }
    }
    match result {
        Ok(()) => {}
        // The smallest case proptest found, checked again for its failure.
        Err(TestError::Fail(reason, case)) => {
            match check(&case.text(), case.language(), &case.settings.options()) {
                Err(failure) => failed.push(report_failure(&case, &failure)),
                Ok(_) => failed.push(format!("{reason} (not reproduced): {case:?}")),
            }
        }
        Err(e) => failed.push(e.to_string()),
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Bytes that are not UTF-8 are the walker's business (the planner takes `&str`): it never
/// panics on them nor calls them an I/O error, and whatever text it hands on plans
/// without a panic.
#[test]
fn invalid_utf8_is_handled_by_the_walker() {
    use bedrock_migrate::walk::{Visit, WalkOptions, read_candidate};
    install_panic_hook();
    let dir = tempfile::tempdir().unwrap();
    let options = WalkOptions::default();
    let grammar = rules().grammar();
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let cases = 300;
    for n in 0..cases {
        let input = &inputs()[rng.random_range(0..inputs().len())];
        let mut bytes = input.text.clone().into_bytes();
        for _ in 0..rng.random_range(1..4) {
            let i = rng.random_range(0..=bytes.len());
            let bad: &[u8] = match rng.random_range(0..5) {
                0 => b"\xff",
                1 => b"\xc3",
                2 => b"\xed\xa0\x80",
                3 => b"\xe9t\xe9",
                _ => b"\xf0\x9f\x98",
            };
            bytes.splice(i..i, bad.iter().copied());
        }
        let name = Path::new(&input.name).file_name().unwrap();
        let path = dir.path().join(format!("{n}-{}", name.to_string_lossy()));
        std::fs::write(&path, &bytes).unwrap();
        let visit = catch_unwind(AssertUnwindSafe(|| {
            read_candidate(&path, true, &options, grammar)
        }))
        .unwrap_or_else(|_| panic!("read_candidate panicked on {bytes:?}"));
        match visit {
            None
            | Some(Visit::Skipped { .. } | Visit::Undecodable { .. } | Visit::Excluded { .. }) => {}
            Some(Visit::File(file)) => {
                let options = Settings {
                    as_of: 1,
                    region: 0,
                    profile_prefix: false,
                    official_only: false,
                }
                .options();
                if let Err(f) = no_panic("plan_file", || {
                    plan_file(&file.text, file.language, rules(), &options)
                }) {
                    panic!("{}: {bytes:?}", f.detail);
                }
            }
            Some(Visit::Error { message, .. }) => panic!("{message}: {bytes:?}"),
        }
        std::fs::remove_file(&path).unwrap();
    }
}
