//! Region evidence: the one AWS Region a repository says it deploys to, read from its own
//! deployment and configuration files.
//!
//! # Why
//!
//! A retired model whose replacement is only invocable through a cross-Region inference
//! profile cannot be rewritten to a bare model ID: the new ID needs a geography prefix
//! (`us.`, `eu.`, `apac.`, `jp.` …), and the right one depends on where the code runs. When
//! the file being rewritten does not say (no `region_name=`, no ARN), the repository often
//! does: a `.env` file, a SAM or Serverless configuration, a Terraform provider or a CDK
//! app names the Region it deploys to. This module finds those statements, and
//! [`RepositoryRegion::unambiguous`] gives a Region only when every one of them names the
//! same one.
//!
//! # What is read
//!
//! Only files with these names are opened (the name is checked before anything is read),
//! and only those that contain the word `region` (`REGION` for dotenv files) are parsed.
//! Terraform files without a `provider "aws"` block, and tfvars files, are parsed only when
//! a provider of their directory takes its Region from a variable they mention. Each source
//! is a [`RegionSource`], whose `what` is shown here:
//!
//! | file | statement | `what` |
//! | --- | --- | --- |
//! | `.env`, `.env.*` (`.env.production`, `.env.example` …) | `AWS_REGION=…`, `AWS_DEFAULT_REGION=…`, with or without `export` and quotes (read by the project's dotenv extractor) | `AWS_REGION=eu-west-1` |
//! | `samconfig.toml` | `region = "…"` in a `[<env>.<command>.parameters]` table (read with the `toml` crate) | `region = "eu-west-1"` |
//! | `samconfig.yaml`, `samconfig.yml` | `<env>: <command>: parameters: region: …` | `region: eu-west-1` |
//! | `serverless.yml`, `serverless.yaml` | top-level `provider: region: …`; also the quoted fallback of a variable, `${opt:region, 'eu-west-1'}` | `provider.region: eu-west-1`, or the value as written for a fallback |
//! | `*.tf` | `region = "…"` in a `provider "aws"` block without `alias` | `provider "aws" region = "eu-west-1"` |
//! | `*.tf`, `terraform.tfvars`, `*.auto.tfvars` | `region = var.NAME` in a `provider "aws"` block without `alias`, with the value Terraform would load without `-var` options, from the same directory: the last `*.auto.tfvars`, else `terraform.tfvars`, else `variable "NAME" { default = "…" }` | `provider "aws" region = var.region; variable "region" { default = "eu-west-1" }` or `provider "aws" region = var.region; region = "eu-west-1"` (tfvars); path and line are those of the value |
//! | `bin/*.ts`, `bin/*.js`, `lib/*.ts` (and `.mts`, `.cts`, `.mjs`, `.cjs`; not `.d.ts`) | a `region: "…"` property of an object that is the value of an `env` property (`env: { account: …, region: "…" }`) or of a variable named `env` or typed `…Environment`, unless the file has a stack environment whose Region is not a literal (see below) | `env: { region: "eu-west-1" }` |
//! | `app.py` | `region="…"` passed to `Environment(…)` or `cdk.Environment(…)` (any callee whose last name is `Environment`), or a `"region"` key of a dict passed as `env=`, with the same exception | `cdk.Environment(region="eu-west-1")` (the callee as written), `env={"region": "eu-west-1"}` |
//! | `cdk.json` | a string under a top-level `context` key named `region` or `aws_region` (any case) | `context.region: "eu-west-1"` |
//!
//! Every file is read with the parser the project already uses for its language
//! (tree-sitter for YAML, HCL, JSON, TypeScript/JavaScript and Python; the `toml` crate;
//! the tree-sitter-bash dotenv extractor), so comments — such as the commented-out
//! `// env: { account: '123456789012', region: 'us-east-1' }` of the CDK templates — and
//! strings elsewhere never count. Nothing is matched with a regular expression; the only
//! text read by hand is a Serverless variable's fallback. Only literal values that are
//! Region-shaped ([`crate::rules::lifecycle::is_region_name`]) count: `region = var.region`
//! without a default, `AWS_REGION=${REGION}` (and `${REGION:-us-east-1}`: a default is not
//! a statement), `region: process.env.CDK_DEFAULT_REGION` and placeholders such as
//! `your-region` are not Region statements.
//!
//! # Which files
//!
//! The walk uses the `ignore` crate, so `.gitignore`, `.ignore` and the global git excludes
//! apply (a developer's own `.env` is usually ignored and then not read). Hidden
//! directories are skipped, and so are hidden files other than `.env` and `.env.*`;
//! `node_modules`, `cdk.out` and `site-packages` are skipped too, ignored or not, since a
//! dependency's configuration says nothing about this repository. The walk goes at most
//! [`MAX_DEPTH`] levels below the root, symbolic links are not followed, and a file larger
//! than [`MAX_FILE_SIZE`] or not UTF-8 is not read.
//!
//! # Agreement
//!
//! Every statement found is a source, whatever the file: example and template files
//! (`.env.example`, `.env.sample`) count like the others, because they are usually what
//! the deployment is made from and a repository that names another Region in its example
//! is not unambiguous. A Region is given only when all sources agree; a repository whose
//! sample apps deploy to different Regions gives none, and the caller falls back to asking.
//!
//! Two kinds of literal are not statements of where the code runs, and are left out:
//! - an aliased Terraform provider (`provider "aws" { alias = "us_east_1" … }`) is used
//!   only by the resources that name it, typically the CloudFront certificate or WAF that
//!   has to live in `us-east-1`;
//! - in a CDK file where some stack's environment has a computed Region
//!   (`region: process.env.CDK_DEFAULT_REGION`, `region: params.region`, `{ region }`,
//!   `Environment(region=os.environ[…])`) or none (`env: { account: … }`), the stacks
//!   pinned to a literal Region are the same kind of secondary stack, and the file says
//!   nothing about the app's own Region. This is decided file by file.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use tree_sitter::Node;

use crate::extract::line_col;
use crate::extract::treesitter::{for_each_node, node_text};
use crate::extract::typescript::Dialect;
use crate::rules::lifecycle::is_region_name;

/// How many directory levels below the root are walked (a file directly in the root is at
/// depth 1).
pub const MAX_DEPTH: usize = 6;

/// Files larger than this many bytes are not read.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Directories never walked, ignored or not: they hold dependencies or generated output.
const SKIPPED_DIRS: &[&str] = &["node_modules", "cdk.out", "site-packages"];

/// Where a Region was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSource {
    /// The Region, e.g. `eu-west-1`.
    pub region: String,
    /// The file, relative to the repository root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What was read, for messages: `AWS_REGION=eu-west-1`, `region = "eu-west-1"`
    /// (samconfig.toml), `provider.region: eu-west-1` (serverless.yml),
    /// `provider "aws" region = "eu-west-1"`, `env: { region: "eu-west-1" }` (CDK).
    pub what: String,
}

/// What a repository says about its Region.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepositoryRegion {
    /// Every Region statement found, sorted by path and line.
    pub sources: Vec<RegionSource>,
}

impl RepositoryRegion {
    /// Look in the repository rooted at `root` (see the module doc for which files).
    ///
    /// Never fails: a file that cannot be read or parsed contributes nothing, and a `root`
    /// that does not exist gives no sources.
    pub fn discover(root: &Path) -> RepositoryRegion {
        RepositoryRegion::walk(root, None)
    }

    /// The sources [`RepositoryRegion::discover`] would find that govern the files of
    /// `dir` (see [`RepositoryRegion::for_file`]): those in `dir` and the directories
    /// between it and `root`. Only those directories are listed, with the same ignore files,
    /// depth limit and skipped directories as the whole walk, so `check` on a few named
    /// files of a large repository reads a handful of directories instead of all of them.
    pub fn governing(root: &Path, dir: &Path) -> RepositoryRegion {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let chain: std::collections::HashSet<PathBuf> = dir
            .ancestors()
            .take_while(|d| d.starts_with(&root) && *d != root)
            .map(Path::to_path_buf)
            .collect();
        if !dir.starts_with(&root) {
            return RepositoryRegion::default();
        }
        RepositoryRegion::walk(&root, Some(&chain))
    }

    /// Walk `root`, entering only the directories of `chain` when it is given.
    fn walk(root: &Path, chain: Option<&std::collections::HashSet<PathBuf>>) -> RepositoryRegion {
        let mut builder = crate::walk::ignore_aware(root);
        // The whole repository is walked with every core: a thread that needs the Region
        // waits for this walk, and so, often, do the others. A directory chain is a few
        // directories.
        let threads = match chain {
            Some(_) => 1,
            None => std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
        };
        let chain = chain.cloned();
        builder
            .follow_links(false)
            .max_depth(Some(MAX_DEPTH))
            .threads(threads)
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || (walked(entry)
                        && chain.as_ref().is_none_or(|chain| {
                            !entry.file_type().is_some_and(|t| t.is_dir())
                                || chain.contains(entry.path())
                        }))
            });
        let files = std::sync::Mutex::new(Vec::new());
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                if let Ok(entry) = entry
                    && entry.file_type().is_some_and(|t| t.is_file())
                    && let Some(kind) = Kind::of(entry.path())
                    // Sizes are looked up only for the files named above: the walker's
                    // own size limit would stat every file of the repository.
                    && entry.metadata().is_ok_and(|m| m.len() <= MAX_FILE_SIZE)
                {
                    let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
                    files.push((entry.into_path(), kind));
                }
                ignore::WalkState::Continue
            })
        });
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        // In path order, whatever order the threads met them in.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut found = Found::default();
        for (file, kind) in files {
            let Some(source) = read(&file) else {
                continue;
            };
            let Some(path) = relative(root, &file) else {
                continue;
            };
            if kind.may_hold_region(&source) {
                found.read(kind, &path, &source);
            }
        }
        let mut sources = found.finish();
        sources.sort_by(|a, b| {
            (&a.path, a.line, &a.what, &a.region).cmp(&(&b.path, b.line, &b.what, &b.region))
        });
        sources.dedup();
        RepositoryRegion { sources }
    }

    /// The one Region that the sources governing `file` agree on: those in `file`'s
    /// directory or one above it (up to `root`), so that in a repository of many projects
    /// one project's `.env` does not decide another's Region. `file` is absolute or relative
    /// to the current directory, like `root`.
    pub fn for_file(&self, root: &Path, file: &Path) -> Option<&RegionSource> {
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let relative = file.strip_prefix(root).ok()?;
        let governing: Vec<&RegionSource> = self
            .sources
            .iter()
            .filter(|s| {
                let dir = Path::new(&s.path).parent().unwrap_or(Path::new(""));
                relative.starts_with(dir)
            })
            .collect();
        let first = *governing.first()?;
        governing
            .iter()
            .all(|s| s.region == first.region)
            .then_some(first)
    }

    /// The one Region all sources agree on, with the first source naming it; None when
    /// there is none or they disagree.
    pub fn unambiguous(&self) -> Option<&RegionSource> {
        let first = self.sources.first()?;
        self.sources
            .iter()
            .all(|s| s.region == first.region)
            .then_some(first)
    }
}

/// The repository root of `path`: the nearest ancestor (or itself, for a directory)
/// holding `.git`, else the directory itself (for a file: its parent).
///
/// A relative `path` is taken from the current directory and the result is absolute (not
/// canonicalised: symbolic links and `..` stay as written). `.git` may be a directory or a
/// file (a worktree or submodule). A path that does not exist is treated as a file.
pub fn repository_root(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = if path.is_dir() {
        path.as_path()
    } else {
        path.parent().unwrap_or(&path)
    };
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Whether the walk enters a directory or yields a file (see the module doc).
fn walked(entry: &ignore::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref())
    } else {
        !name.starts_with('.') || is_dotenv(&name)
    }
}

fn is_dotenv(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.")
}

/// The kinds of file that can hold a Region statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dotenv,
    SamToml,
    SamYaml,
    Serverless,
    Terraform,
    /// `terraform.tfvars` (`false`) or `*.auto.tfvars` (`true`).
    TfVars {
        auto: bool,
    },
    CdkScript(Dialect),
    CdkPython,
    CdkJson,
}

impl Kind {
    /// The kind of a file, from its name (and, for CDK scripts, its directory's name).
    fn of(path: &Path) -> Option<Kind> {
        let name = path.file_name()?.to_str()?;
        Some(match name {
            _ if is_dotenv(name) => Kind::Dotenv,
            "samconfig.toml" => Kind::SamToml,
            "samconfig.yaml" | "samconfig.yml" => Kind::SamYaml,
            "serverless.yml" | "serverless.yaml" => Kind::Serverless,
            "terraform.tfvars" => Kind::TfVars { auto: false },
            "cdk.json" => Kind::CdkJson,
            "app.py" => Kind::CdkPython,
            _ if name.ends_with(".auto.tfvars") => Kind::TfVars { auto: true },
            _ if name.ends_with(".tf") => Kind::Terraform,
            _ if name.ends_with(".d.ts")
                || name.ends_with(".d.mts")
                || name.ends_with(".d.cts") =>
            {
                return None;
            }
            _ => {
                let dir = path.parent()?.file_name()?.to_str()?;
                let ext = name.rsplit_once('.')?.1;
                match (dir, ext) {
                    ("bin" | "lib", "ts" | "mts" | "cts") => Kind::CdkScript(Dialect::TypeScript),
                    ("bin", "js" | "mjs" | "cjs") => Kind::CdkScript(Dialect::JavaScript),
                    _ => return None,
                }
            }
        })
    }

    /// Whether a file of this kind is worth parsing: it mentions a Region (or, for
    /// Terraform, may give a value to a variable that a provider elsewhere uses).
    fn may_hold_region(self, source: &str) -> bool {
        match self {
            Kind::Dotenv => source.contains("REGION"),
            Kind::Terraform => source.contains("region") || source.contains("variable"),
            // Any assignment may set the variable a provider takes its Region from.
            Kind::TfVars { .. } => true,
            _ => source.contains("region"),
        }
    }
}

/// The text of a file no larger than [`MAX_FILE_SIZE`], without a byte-order mark; None if
/// it cannot be read or is not UTF-8.
fn read(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// `path` relative to `root`, with `/` separators.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    Some(parts?.join("/"))
}

/// Whether `source` has the words `provider "aws"` (or `provider aws`), which every AWS
/// provider block starts with; most HCL (variables, resources, `required_providers`) has not.
fn mentions_aws_provider(source: &str) -> bool {
    source.match_indices("provider").any(|(i, word)| {
        let rest = source[i + word.len()..].trim_start();
        rest.starts_with("\"aws\"")
            || rest
                .strip_prefix("aws")
                .is_some_and(|r| r.starts_with([' ', '\t', '{']))
    })
}

/// The directory part of a relative path (`""` for a file in the root).
fn directory(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// 1-based line of byte `offset`.
fn line_of(source: &str, offset: usize) -> usize {
    line_col(source, offset).0
}

/// A provider's `region = var.NAME`, resolved once every file is read.
struct VarRegion {
    /// The directory (module) of the provider.
    dir: String,
    /// The variable's name.
    name: String,
    /// `provider "aws" region = var.NAME`.
    provider: String,
}

/// A value Terraform may give a variable: a default, or an assignment in a tfvars file.
struct VarValue {
    /// Which wins: 0 a default, 1 `terraform.tfvars`, 2 `*.auto.tfvars` (the last by path).
    rank: u8,
    path: String,
    line: usize,
    /// The literal, or None when the value is not a plain string.
    value: Option<String>,
    /// How it was written: `variable "region" { default = "…" }` or `region = "…"`.
    what: String,
}

/// What the walk has found so far.
#[derive(Default)]
struct Found {
    sources: Vec<RegionSource>,
    var_regions: Vec<VarRegion>,
    /// Values by (directory, variable name).
    var_values: HashMap<(String, String), Vec<VarValue>>,
    /// Terraform files without a provider block and tfvars files: (kind, path, text). They
    /// are parsed only when a provider of their directory takes its Region from a variable
    /// they mention; a module's variable declarations are most of its HCL.
    deferred: Vec<(Kind, String, String)>,
}

impl Found {
    fn push(&mut self, region: &str, path: &str, source: &str, offset: usize, what: String) {
        if is_region_name(region) {
            self.sources.push(RegionSource {
                region: region.to_owned(),
                path: path.to_owned(),
                line: line_of(source, offset),
                what,
            });
        }
    }

    fn read(&mut self, kind: Kind, path: &str, source: &str) {
        match kind {
            Kind::Dotenv => self.dotenv(path, source),
            Kind::SamToml => self.samconfig_toml(path, source),
            Kind::SamYaml => self.yaml(path, source, samconfig_yaml),
            Kind::Serverless => self.yaml(path, source, serverless),
            Kind::Terraform if mentions_aws_provider(source) => self.terraform(path, source),
            Kind::Terraform | Kind::TfVars { .. } => {
                self.deferred
                    .push((kind, path.to_owned(), source.to_owned()));
            }
            Kind::CdkScript(dialect) => self.cdk_script(path, source, dialect),
            Kind::CdkPython => self.cdk_python(path, source),
            Kind::CdkJson => self.cdk_json(path, source),
        }
    }

    /// The sources found, with the `var.NAME` providers resolved.
    fn finish(mut self) -> Vec<RegionSource> {
        for (kind, path, source) in std::mem::take(&mut self.deferred) {
            let dir = directory(&path);
            let wanted = self
                .var_regions
                .iter()
                .any(|v| v.dir == dir && source.contains(v.name.as_str()));
            match kind {
                _ if !wanted => {}
                Kind::TfVars { auto } => self.tfvars(&path, &source, auto),
                _ => self.terraform(&path, &source),
            }
        }
        for provider in std::mem::take(&mut self.var_regions) {
            let key = (provider.dir, provider.name);
            let Some(chosen) = self.var_values.get(&key).and_then(|values| {
                values
                    .iter()
                    .max_by(|a, b| (a.rank, &a.path).cmp(&(b.rank, &b.path)))
            }) else {
                continue;
            };
            if let Some(value) = &chosen.value
                && is_region_name(value)
            {
                self.sources.push(RegionSource {
                    region: value.clone(),
                    path: chosen.path.clone(),
                    line: chosen.line,
                    what: format!("{}; {}", provider.provider, chosen.what),
                });
            }
        }
        self.sources
    }

    /// `AWS_REGION` and `AWS_DEFAULT_REGION` in a dotenv file, from the values the dotenv
    /// extractor returns with their key (a value with a `${…}` hole is not literal).
    fn dotenv(&mut self, path: &str, source: &str) {
        let extraction = crate::extract::shell::extract_dotenv(source);
        for span in extraction.spans {
            let Some(key) = span.key_name.as_deref() else {
                continue;
            };
            if span.context != crate::extract::SpanContext::Code
                || !span.holes.is_empty()
                || !matches!(key, "AWS_REGION" | "AWS_DEFAULT_REGION")
            {
                continue;
            }
            let Some(value) = source.get(span.range.clone()) else {
                continue;
            };
            self.push(
                value,
                path,
                source,
                span.range.start,
                format!("{key}={value}"),
            );
        }
    }

    /// `region = "…"` in each `[<env>.<command>.parameters]` table of a `samconfig.toml`.
    fn samconfig_toml(&mut self, path: &str, source: &str) {
        use toml::de::{DeTable, DeValue};
        let Ok(document) = DeTable::parse(source) else {
            return;
        };
        fn table<'a, 'i>(value: &'a toml::Spanned<DeValue<'i>>) -> Option<&'a DeTable<'i>> {
            match value.get_ref() {
                DeValue::Table(table) => Some(table),
                _ => None,
            }
        }
        for environment in document.get_ref().values().filter_map(table) {
            for command in environment.values().filter_map(table) {
                let parameters = command
                    .iter()
                    .filter(|(key, _)| key.get_ref() == "parameters")
                    .filter_map(|(_, value)| table(value));
                for parameters in parameters {
                    for (key, value) in parameters {
                        if key.get_ref() == "region"
                            && let DeValue::String(region) = value.get_ref()
                        {
                            let what = format!("region = \"{region}\"");
                            self.push(region, path, source, value.span().start, what);
                        }
                    }
                }
            }
        }
    }

    /// The Region statements of a YAML file, as `statement` picks them out of its scalar
    /// values with their key paths.
    fn yaml(
        &mut self,
        path: &str,
        source: &str,
        statement: fn(&[String], &str) -> Option<Statement>,
    ) {
        let Ok(tree) = crate::extract::yaml::parse_tree(source) else {
            return;
        };
        for (keys, range) in yaml_values(tree.root_node(), source) {
            let Some(value) = source.get(range.clone()) else {
                continue;
            };
            if let Some(found) = statement(&keys, value.trim()) {
                self.push(&found.region, path, source, range.start, found.what);
            }
        }
    }

    /// `provider "aws"` blocks, `variable` defaults.
    fn terraform(&mut self, path: &str, source: &str) {
        let Ok(tree) = crate::extract::hcl::parse_tree(source) else {
            return;
        };
        let dir = directory(path).to_owned();
        for block in hcl_top_level(tree.root_node(), "block") {
            let Some((kind, labels, body)) = hcl_block(block, source) else {
                continue;
            };
            match (kind, labels.as_slice()) {
                ("provider", [name]) if name == "aws" => {
                    let attributes = hcl_attributes(body, source);
                    // An aliased provider is a secondary Region, used only by the
                    // resources that name it (often `us-east-1` for CloudFront).
                    if attributes.iter().any(|(name, _)| name == "alias") {
                        continue;
                    }
                    let provider = "provider \"aws\"";
                    for (name, value) in attributes {
                        match value {
                            HclValue::Literal(region, offset) if name == "region" => {
                                let what = format!("{provider} region = \"{region}\"");
                                self.push(&region, path, source, offset, what);
                            }
                            HclValue::Var(var) if name == "region" => {
                                self.var_regions.push(VarRegion {
                                    dir: dir.clone(),
                                    provider: format!("{provider} region = var.{var}"),
                                    name: var,
                                });
                            }
                            _ => {}
                        }
                    }
                }
                ("variable", [name]) => {
                    for (attribute, value) in hcl_attributes(body, source) {
                        if attribute != "default" {
                            continue;
                        }
                        let (value, line, what) = match value {
                            HclValue::Literal(text, offset) => (
                                Some(text.clone()),
                                line_of(source, offset),
                                format!("variable \"{name}\" {{ default = \"{text}\" }}"),
                            ),
                            _ => (None, 0, String::new()),
                        };
                        self.var_values
                            .entry((dir.clone(), name.clone()))
                            .or_default()
                            .push(VarValue {
                                rank: 0,
                                path: path.to_owned(),
                                line,
                                value,
                                what,
                            });
                    }
                }
                _ => {}
            }
        }
    }

    /// The top-level assignments of a tfvars file: values for the variables of its
    /// directory.
    fn tfvars(&mut self, path: &str, source: &str, auto: bool) {
        let Ok(tree) = crate::extract::hcl::parse_tree(source) else {
            return;
        };
        let dir = directory(path).to_owned();
        for attribute in hcl_top_level(tree.root_node(), "attribute") {
            let Some((name, value)) = hcl_attribute(attribute, source) else {
                continue;
            };
            let (value, line, what) = match value {
                HclValue::Literal(text, offset) => (
                    Some(text.clone()),
                    line_of(source, offset),
                    format!("{name} = \"{text}\""),
                ),
                _ => (None, line_of(source, attribute.start_byte()), String::new()),
            };
            self.var_values
                .entry((dir.clone(), name))
                .or_default()
                .push(VarValue {
                    rank: if auto { 2 } else { 1 },
                    path: path.to_owned(),
                    line,
                    value,
                    what,
                });
        }
    }

    /// `env: { region: "…" }` (and `const env = { region: "…" }`) in a CDK app or stack.
    fn cdk_script(&mut self, path: &str, source: &str, dialect: Dialect) {
        let Ok(tree) = crate::extract::typescript::parse_tree(source, dialect) else {
            return;
        };
        let mut environments = Vec::new();
        for_each_node(tree.root_node(), |node| match node.kind() {
            "pair" => {
                let key = node.child_by_field_name("key");
                let value = node.child_by_field_name("value");
                if let (Some(key), Some(value)) = (key, value)
                    && script_key(key, source).as_deref() == Some("env")
                    && value.kind() == "object"
                {
                    environments.push(value);
                }
            }
            "variable_declarator" => {
                let name = node.child_by_field_name("name");
                let typed = node.child_by_field_name("type").is_some_and(|t| {
                    node_text(t, source)
                        .trim_start_matches(':')
                        .trim()
                        .ends_with("Environment")
                });
                if let Some(value) = node.child_by_field_name("value")
                    && value.kind() == "object"
                    && (typed || name.is_some_and(|n| node_text(n, source) == "env"))
                {
                    environments.push(value);
                }
            }
            _ => {}
        });
        let mut regions = CdkRegions::default();
        for object in environments {
            let mut region = None;
            for child in object.named_children(&mut object.walk()) {
                match child.kind() {
                    "pair" => {
                        let key = child.child_by_field_name("key");
                        let value = child.child_by_field_name("value");
                        if let (Some(key), Some(value)) = (key, value)
                            && script_key(key, source).as_deref() == Some("region")
                        {
                            region = Some(script_string(value, source));
                        }
                    }
                    // `{ region }`: a variable.
                    "shorthand_property_identifier" if node_text(child, source) == "region" => {
                        region = Some(None);
                    }
                    _ => {}
                }
            }
            regions.add(region.flatten().map(|(region, offset)| {
                let what = format!("env: {{ region: \"{region}\" }}");
                (region, offset, what)
            }));
        }
        regions.finish(self, path, source);
    }

    /// `Environment(region="…")` and `env={"region": "…"}` in a CDK app in Python.
    fn cdk_python(&mut self, path: &str, source: &str) {
        let Ok(tree) = crate::extract::python::parse_tree(source) else {
            return;
        };
        let mut regions = CdkRegions::default();
        for_each_node(tree.root_node(), |node| match node.kind() {
            "call" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return;
                };
                let callee = node_text(function, source);
                let last = callee.rsplit('.').next().unwrap_or(callee).trim();
                let Some(arguments) = node.child_by_field_name("arguments") else {
                    return;
                };
                if last != "Environment" {
                    return;
                }
                let region = arguments
                    .named_children(&mut arguments.walk())
                    .filter_map(|argument| keyword_argument(argument, source))
                    .find(|(name, _)| name == "region")
                    .and_then(|(_, value)| python_string(value, source));
                regions.add(region.map(|(region, offset)| {
                    let what = format!("{callee}(region=\"{region}\")");
                    (region, offset, what)
                }));
            }
            "keyword_argument" => {
                if let Some((name, value)) = keyword_argument(node, source)
                    && name == "env"
                    && value.kind() == "dictionary"
                {
                    let region = value
                        .named_children(&mut value.walk())
                        .filter(|pair| pair.kind() == "pair")
                        .find(|pair| {
                            pair.child_by_field_name("key")
                                .and_then(|key| python_string(key, source))
                                .is_some_and(|(key, _)| key == "region")
                        })
                        .and_then(|pair| pair.child_by_field_name("value"))
                        .and_then(|value| python_string(value, source));
                    regions.add(region.map(|(region, offset)| {
                        let what = format!("env={{\"region\": \"{region}\"}}");
                        (region, offset, what)
                    }));
                }
            }
            _ => {}
        });
        regions.finish(self, path, source);
    }

    /// `context.region` and `context.aws_region` in `cdk.json`.
    fn cdk_json(&mut self, path: &str, source: &str) {
        let Ok(tree) = crate::extract::json::parse_tree(source) else {
            return;
        };
        let Some(root) = tree
            .root_node()
            .named_child(0)
            .filter(|n| n.kind() == "object")
        else {
            return;
        };
        for (key, context) in json_pairs(root, source) {
            if key != "context" || context.kind() != "object" {
                continue;
            }
            for (key, value) in json_pairs(context, source) {
                if !(key.eq_ignore_ascii_case("region") || key.eq_ignore_ascii_case("aws_region"))
                    || value.kind() != "string"
                {
                    continue;
                }
                let region = crate::extract::json::unescape(value, source);
                let what = format!("context.{key}: \"{region}\"");
                let offset = value.start_byte();
                self.push(&region, path, source, offset, what);
            }
        }
    }
}

/// The stack environments of one CDK file.
#[derive(Default)]
struct CdkRegions<'s> {
    /// The literal Regions: text, offset, `what`.
    literals: Vec<(&'s str, usize, String)>,
    /// Whether an environment's Region is computed (`process.env.CDK_DEFAULT_REGION`,
    /// `params.region`) or left out (taken from the CLI's configuration).
    computed: bool,
}

impl<'s> CdkRegions<'s> {
    /// One environment: its literal Region, or None when it has none.
    fn add(&mut self, literal: Option<(&'s str, usize, String)>) {
        match literal {
            Some(literal) => self.literals.push(literal),
            None => self.computed = true,
        }
    }

    /// The literal Regions are sources unless some environment of the file has a
    /// computed Region: then the app deploys where it is told to, and the stacks pinned to
    /// a literal Region are secondary (a CloudFront WAF or certificate stack, which has to
    /// be in `us-east-1`).
    fn finish(self, found: &mut Found, path: &str, source: &str) {
        if self.computed {
            return;
        }
        for (region, offset, what) in self.literals {
            found.push(region, path, source, offset, what);
        }
    }
}

/// A Region read from a YAML value, and how to describe it.
struct Statement {
    region: String,
    what: String,
}

/// `<env>: <command>: parameters: region: …` in `samconfig.yaml`.
fn samconfig_yaml(keys: &[String], value: &str) -> Option<Statement> {
    match keys {
        [_, _, parameters, region] if parameters == "parameters" && region == "region" => {
            Some(Statement {
                region: value.to_owned(),
                what: format!("region: {value}"),
            })
        }
        _ => None,
    }
}

/// Top-level `provider: region: …` in `serverless.yml`, a literal or the last fallback of a
/// Serverless variable (`${opt:region, 'eu-west-1'}`).
fn serverless(keys: &[String], value: &str) -> Option<Statement> {
    if keys != ["provider", "region"] {
        return None;
    }
    if is_region_name(value) {
        return Some(Statement {
            region: value.to_owned(),
            what: format!("provider.region: {value}"),
        });
    }
    Some(Statement {
        region: serverless_fallback(value)?.to_owned(),
        what: format!("provider.region: {value}"),
    })
}

/// The fallback of a Serverless variable `${source:address, fallback}`: the last
/// top-level comma-separated part, unquoted, itself a variable's fallback if it is one.
fn serverless_fallback(value: &str) -> Option<&str> {
    let inner = value.strip_prefix("${")?.strip_suffix('}')?;
    let mut depth = 0usize;
    let mut last = None;
    for (i, b) in inner.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    let fallback = inner[last? + 1..].trim();
    if fallback.starts_with("${") {
        return serverless_fallback(fallback);
    }
    let unquoted = ['\'', '"'].iter().find_map(|&q| {
        fallback
            .strip_prefix(q)
            .and_then(|rest| rest.strip_suffix(q))
    });
    Some(unquoted.unwrap_or(fallback))
}

/// Every scalar value of a mapping entry in a YAML tree (each document of it), with the
/// keys of the entries that hold it, outermost first, and the byte range of its contents.
fn yaml_values(root: Node, source: &str) -> Vec<(Vec<String>, std::ops::Range<usize>)> {
    use crate::extract::treesitter::{Step, walk};
    use crate::extract::yaml::{key_text, scalar_contents};
    let mut values = Vec::new();
    let mut keys: Vec<(usize, String)> = Vec::new();
    walk(root, |step| match step {
        Step::Enter { node, .. } => {
            if !matches!(node.kind(), "block_mapping_pair" | "flow_pair") {
                return;
            }
            let key = node
                .child_by_field_name("key")
                .and_then(|key| key_text(key, source))
                .unwrap_or_default();
            keys.push((node.id(), key));
            let scalar = node.child_by_field_name("value").and_then(|value| {
                value
                    .named_children(&mut value.walk())
                    .find_map(|child| scalar_contents(child, source))
            });
            if let Some(range) = scalar {
                values.push((keys.iter().map(|(_, k)| k.clone()).collect(), range));
            }
        }
        Step::Leave(node) => {
            if keys.last().is_some_and(|(id, _)| *id == node.id()) {
                keys.pop();
            }
        }
    });
    values
}

/// A value in HCL, as far as a Region is concerned.
enum HclValue {
    /// A quoted string without interpolation, with the offset of its contents.
    Literal(String, usize),
    /// `var.NAME`.
    Var(String),
    /// Anything else.
    Other,
}

/// The top-level nodes of kind `kind` (`block` or `attribute`) of an HCL file.
fn hcl_top_level<'t>(root: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let Some(body) = root.named_child(0).filter(|n| n.kind() == "body") else {
        return Vec::new();
    };
    body.named_children(&mut body.walk())
        .filter(|n| n.kind() == kind)
        .collect()
}

/// A block's type, its labels and its body.
fn hcl_block<'t, 's>(block: Node<'t>, source: &'s str) -> Option<(&'s str, Vec<String>, Node<'t>)> {
    let mut kind = None;
    let mut labels = Vec::new();
    let mut body = None;
    for child in block.named_children(&mut block.walk()) {
        match child.kind() {
            "identifier" if kind.is_none() => kind = Some(child),
            "identifier" => labels.push(node_text(child, source).to_owned()),
            "string_lit" => labels.push(hcl_string(child, source)?.0),
            "body" => body = Some(child),
            _ => {}
        }
    }
    Some((node_text(kind?, source), labels, body?))
}

/// The attributes of a block body, by name.
fn hcl_attributes(body: Node, source: &str) -> Vec<(String, HclValue)> {
    body.named_children(&mut body.walk())
        .filter(|n| n.kind() == "attribute")
        .filter_map(|attribute| hcl_attribute(attribute, source))
        .collect()
}

/// An attribute's name and value.
fn hcl_attribute(attribute: Node, source: &str) -> Option<(String, HclValue)> {
    let name = attribute
        .named_child(0)
        .filter(|n| n.kind() == "identifier")?;
    let expression = attribute
        .named_child(1)
        .filter(|n| n.kind() == "expression")?;
    let parts: Vec<Node> = expression.named_children(&mut expression.walk()).collect();
    let value = match parts.as_slice() {
        [literal] if literal.kind() == "literal_value" => literal
            .named_child(0)
            .filter(|n| n.kind() == "string_lit")
            .and_then(|string| hcl_string(string, source))
            .map_or(HclValue::Other, |(text, offset)| {
                HclValue::Literal(text, offset)
            }),
        [variable, attr]
            if variable.kind() == "variable_expr"
                && node_text(*variable, source) == "var"
                && attr.kind() == "get_attr" =>
        {
            match attr.named_child(0) {
                Some(id) if id.kind() == "identifier" => {
                    HclValue::Var(node_text(id, source).to_owned())
                }
                _ => HclValue::Other,
            }
        }
        _ => HclValue::Other,
    };
    Some((node_text(name, source).to_owned(), value))
}

/// The contents of a plain HCL string (`string_lit`, never a template) and their offset.
fn hcl_string(string: Node, source: &str) -> Option<(String, usize)> {
    let range = crate::extract::hcl::quoted_contents(string);
    Some((source.get(range.clone())?.to_owned(), range.start))
}

/// The name a TypeScript/JavaScript object key stands for: an identifier or a plain string.
fn script_key(key: Node, source: &str) -> Option<String> {
    match key.kind() {
        "property_identifier" => Some(node_text(key, source).to_owned()),
        "string" => script_string(key, source).map(|(text, _)| text.to_owned()),
        _ => None,
    }
}

/// The contents of a TypeScript/JavaScript string or template without substitutions, and
/// their offset.
fn script_string<'s>(node: Node, source: &'s str) -> Option<(&'s str, usize)> {
    let plain = match node.kind() {
        "string" => true,
        "template_string" => !node
            .named_children(&mut node.walk())
            .any(|child| child.kind() == "template_substitution"),
        _ => false,
    };
    let range = node.byte_range();
    if !plain || range.len() < 2 {
        return None;
    }
    Some((source.get(range.start + 1..range.end - 1)?, range.start + 1))
}

/// A Python keyword argument's name and value.
fn keyword_argument<'t>(node: Node<'t>, source: &str) -> Option<(String, Node<'t>)> {
    if node.kind() != "keyword_argument" {
        return None;
    }
    let name = node.child_by_field_name("name")?;
    Some((
        node_text(name, source).to_owned(),
        node.child_by_field_name("value")?,
    ))
}

/// The contents of a Python string without interpolation, and their offset.
fn python_string<'s>(node: Node, source: &'s str) -> Option<(&'s str, usize)> {
    if node.kind() != "string"
        || node
            .named_children(&mut node.walk())
            .any(|child| child.kind() == "interpolation")
    {
        return None;
    }
    let range = crate::extract::python::string_range(node);
    Some((source.get(range.clone())?, range.start))
}

/// The key and value of each pair of a JSON object.
fn json_pairs<'t>(object: Node<'t>, source: &str) -> Vec<(String, Node<'t>)> {
    object
        .named_children(&mut object.walk())
        .filter(|n| n.kind() == "pair")
        .filter_map(|pair| {
            let key = pair.child_by_field_name("key")?;
            let value = pair.child_by_field_name("value")?;
            Some((crate::extract::json::unescape(key, source), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary repository holding `files` (path, text).
    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// The sources found in a repository holding `files`.
    fn found(files: &[(&str, &str)]) -> Vec<RegionSource> {
        RepositoryRegion::discover(repo(files).path()).sources
    }

    fn source(region: &str, path: &str, line: usize, what: &str) -> RegionSource {
        RegionSource {
            region: region.to_owned(),
            path: path.to_owned(),
            line,
            what: what.to_owned(),
        }
    }

    #[test]
    fn dotenv_files_at_any_level() {
        assert_eq!(
            found(&[
                (".env", "AWS_REGION=eu-west-1\n"),
                (
                    ".env.production",
                    "# deploy\nexport AWS_REGION=\"eu-west-1\"\n"
                ),
                (
                    "services/api/.env.example",
                    "APP=x\nAWS_DEFAULT_REGION='eu-west-1'\nBEDROCK_REGION=us-east-1\n",
                ),
            ]),
            [
                source("eu-west-1", ".env", 1, "AWS_REGION=eu-west-1"),
                source("eu-west-1", ".env.production", 2, "AWS_REGION=eu-west-1"),
                source(
                    "eu-west-1",
                    "services/api/.env.example",
                    2,
                    "AWS_DEFAULT_REGION=eu-west-1"
                ),
            ]
        );
    }

    #[test]
    fn samconfig_toml_parameters_tables() {
        let toml = "version = 0.1\n\
                    [default.deploy.parameters]\n\
                    stack_name = \"app\"\n\
                    region = \"eu-central-1\"\n\
                    [prod.global.parameters]\n\
                    region = 'eu-central-1'\n\
                    [tool]\n\
                    region = \"us-west-2\"\n\
                    [default.build]\n\
                    region = \"us-west-2\"\n";
        assert_eq!(
            found(&[("samconfig.toml", toml)]),
            [
                source(
                    "eu-central-1",
                    "samconfig.toml",
                    4,
                    "region = \"eu-central-1\""
                ),
                source(
                    "eu-central-1",
                    "samconfig.toml",
                    6,
                    "region = \"eu-central-1\""
                ),
            ]
        );
    }

    #[test]
    fn samconfig_yaml_parameters() {
        let yaml = "version: 0.1\ndefault:\n  deploy:\n    parameters:\n      stack_name: app\n      \
                    region: \"ap-northeast-1\"\nregion: us-west-2\n";
        assert_eq!(
            found(&[("app/samconfig.yml", yaml)]),
            [source(
                "ap-northeast-1",
                "app/samconfig.yml",
                6,
                "region: ap-northeast-1"
            )]
        );
    }

    #[test]
    fn serverless_provider_region_and_fallbacks() {
        let plain = "service: app\nprovider:\n  name: aws\n  region: eu-west-2\nfunctions:\n  f:\n    \
                     region: us-east-1\n";
        let fallback = "provider:\n  region: ${opt:region, 'eu-west-2'}\n";
        let nested =
            "provider: {name: aws, region: '${opt:region, ${env:AWS_REGION, \"eu-west-2\"}}'}\n";
        assert_eq!(
            found(&[
                ("serverless.yml", plain),
                ("a/serverless.yaml", fallback),
                ("b/serverless.yml", nested),
            ]),
            [
                source(
                    "eu-west-2",
                    "a/serverless.yaml",
                    2,
                    "provider.region: ${opt:region, 'eu-west-2'}"
                ),
                source(
                    "eu-west-2",
                    "b/serverless.yml",
                    1,
                    "provider.region: ${opt:region, ${env:AWS_REGION, \"eu-west-2\"}}"
                ),
                source(
                    "eu-west-2",
                    "serverless.yml",
                    4,
                    "provider.region: eu-west-2"
                ),
            ]
        );
        assert_eq!(serverless_fallback("${opt:region}"), None);
        assert_eq!(
            serverless_fallback("${opt:region, us-east-1}"),
            Some("us-east-1")
        );
        assert_eq!(
            serverless_fallback("${opt:region, self:custom.region}"),
            Some("self:custom.region")
        );
    }

    #[test]
    fn terraform_provider_literals_but_not_aliases() {
        let tf = "terraform {\n  backend \"s3\" {\n    region = \"us-east-1\"\n  }\n}\n\
                  provider \"aws\" {\n  region = \"sa-east-1\"\n}\n\
                  provider \"aws\" {\n  alias  = \"edge\"\n  region = \"us-east-1\"\n}\n\
                  provider \"google\" {\n  region = \"us-central1\"\n}\n";
        assert_eq!(
            found(&[("infra/providers.tf", tf)]),
            [source(
                "sa-east-1",
                "infra/providers.tf",
                7,
                "provider \"aws\" region = \"sa-east-1\""
            ),]
        );
    }

    #[test]
    fn aws_provider_prefilter() {
        assert!(mentions_aws_provider("provider \"aws\" {}"));
        assert!(mentions_aws_provider("provider   aws {}"));
        assert!(mentions_aws_provider("x\nprovider\n  \"aws\"{}"));
        assert!(!mentions_aws_provider("required_providers { aws = {} }"));
        assert!(!mentions_aws_provider(
            "provider \"google\" {}\nprovider = aws.east"
        ));
        assert!(!mentions_aws_provider("# the provider awsome"));
    }

    #[test]
    fn terraform_provider_variables() {
        let provider = |var: &str| format!("provider \"aws\" {{\n  region = var.{var}\n}}\n");
        let default = |var: &str, region: &str| {
            format!("variable \"{var}\" {{\n  type    = string\n  default = \"{region}\"\n}}\n")
        };
        let (a, b, c, d) = (
            provider("region"),
            default("region", "ca-central-1"),
            provider("aws_region"),
            default("aws_region", "us-east-1"),
        );
        assert_eq!(
            found(&[
                // The default in the same directory.
                ("infra/main.tf", &a),
                ("infra/variables.tf", &b),
                // terraform.tfvars over the default, *.auto.tfvars over both.
                ("stage/main.tf", &c),
                ("stage/variables.tf", &d),
                ("stage/terraform.tfvars", "aws_region = \"eu-north-1\"\n"),
                ("prod/main.tf", &c),
                ("prod/variables.tf", &d),
                ("prod/terraform.tfvars", "aws_region = \"eu-north-1\"\n"),
                ("prod/z.auto.tfvars", "\naws_region = \"eu-south-1\"\n"),
                // A variable of another directory does not count.
                ("other/main.tf", &a),
            ]),
            [
                source(
                    "ca-central-1",
                    "infra/variables.tf",
                    3,
                    "provider \"aws\" region = var.region; \
                     variable \"region\" { default = \"ca-central-1\" }"
                ),
                source(
                    "eu-south-1",
                    "prod/z.auto.tfvars",
                    2,
                    "provider \"aws\" region = var.aws_region; aws_region = \"eu-south-1\""
                ),
                source(
                    "eu-north-1",
                    "stage/terraform.tfvars",
                    1,
                    "provider \"aws\" region = var.aws_region; aws_region = \"eu-north-1\""
                ),
            ]
        );
    }

    #[test]
    fn cdk_typescript_and_javascript() {
        let app = "#!/usr/bin/env node\nimport * as cdk from 'aws-cdk-lib';\n\
                   const app = new cdk.App();\nnew AppStack(app, 'AppStack', {\n  \
                   env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'eu-west-3' },\n});\n";
        let stack = "const env: cdk.Environment = {\n  \"region\": \"eu-west-3\",\n};\n";
        let env = "const env = { region: `eu-west-3` };\n";
        let elsewhere = "new S(app, 'S', { env: { region: 'us-east-1' } });\n";
        // A stack pinned to us-east-1 beside stacks whose Region is computed or left to
        // the CLI: the file says nothing about where the app runs.
        let computed = "new Waf(app, 'Waf', { env: { region: 'us-east-1' } });\n\
                        new Main(app, 'Main', { env: { region: params.region } });\n";
        let shorthand = "new Waf(app, 'Waf', { env: { region: 'us-east-1' } });\n\
                         new Main(app, 'Main', { env: { region } });\n";
        let agnostic = "new Waf(app, 'Waf', { env: { region: 'us-east-1' } });\n\
                        new Main(app, 'Main', { env: { account: '1' } });\n";
        assert_eq!(
            found(&[
                ("bin/app.ts", app),
                ("lib/stack.ts", stack),
                ("cdk/bin/app.js", env),
                ("src/other.ts", elsewhere),
                ("lib/types.d.ts", elsewhere),
                ("lib/compiled.js", elsewhere),
                ("a/bin/app.ts", computed),
                ("b/bin/app.ts", shorthand),
                ("c/lib/stacks.ts", agnostic),
            ]),
            [
                source(
                    "eu-west-3",
                    "bin/app.ts",
                    5,
                    "env: { region: \"eu-west-3\" }"
                ),
                source(
                    "eu-west-3",
                    "cdk/bin/app.js",
                    1,
                    "env: { region: \"eu-west-3\" }"
                ),
                source(
                    "eu-west-3",
                    "lib/stack.ts",
                    2,
                    "env: { region: \"eu-west-3\" }"
                ),
            ]
        );
    }

    #[test]
    fn cdk_python_app() {
        let app = "import aws_cdk as cdk\napp = cdk.App()\n\
                   Stack(app, \"S\", env=cdk.Environment(account=\"1\", region=\"us-west-1\"))\n\
                   Stack(app, \"T\", env={\"account\": \"1\", \"region\": 'us-west-1'})\n\
                   boto3.client(\"s3\", region_name=\"us-east-2\")\n";
        let computed = "Waf(app, \"W\", env=Environment(region=\"us-east-1\"))\n\
                        Main(app, \"M\", env=Environment(region=os.environ[\"CDK_DEFAULT_REGION\"]))\n";
        let dict = "Waf(app, \"W\", env={\"region\": \"us-east-1\"})\n\
                    Main(app, \"M\", env={\"account\": ACCOUNT})\n";
        assert_eq!(
            found(&[
                ("cdk/app.py", app),
                ("cdk/other.py", app),
                ("a/app.py", computed),
                ("b/app.py", dict),
            ]),
            [
                source(
                    "us-west-1",
                    "cdk/app.py",
                    3,
                    "cdk.Environment(region=\"us-west-1\")"
                ),
                source(
                    "us-west-1",
                    "cdk/app.py",
                    4,
                    "env={\"region\": \"us-west-1\"}"
                ),
            ]
        );
    }

    #[test]
    fn cdk_json_context() {
        let json = "{\n  \"app\": \"npx ts-node bin/app.ts\",\n  \"context\": {\n    \
                    \"region\": \"ap-south-1\",\n    \"AWS_REGION\": \"ap-south-1\",\n    \
                    \"other\": { \"region\": \"us-east-1\" }\n  },\n  \"region\": \"us-east-1\"\n}\n";
        assert_eq!(
            found(&[("cdk.json", json)]),
            [
                source(
                    "ap-south-1",
                    "cdk.json",
                    4,
                    "context.region: \"ap-south-1\""
                ),
                source(
                    "ap-south-1",
                    "cdk.json",
                    5,
                    "context.AWS_REGION: \"ap-south-1\""
                ),
            ]
        );
    }

    #[test]
    fn agreeing_sources_are_unambiguous() {
        let dir = repo(&[
            ("serverless.yml", "provider:\n  region: eu-west-1\n"),
            (".env.example", "AWS_REGION=eu-west-1\n"),
            (
                "infra/main.tf",
                "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
            ),
        ]);
        let found = RepositoryRegion::discover(dir.path());
        assert_eq!(found.sources.len(), 3);
        assert_eq!(
            found.unambiguous(),
            Some(&source(
                "eu-west-1",
                ".env.example",
                1,
                "AWS_REGION=eu-west-1"
            ))
        );
    }

    #[test]
    fn disagreeing_sources_are_ambiguous() {
        let dir = repo(&[
            ("serverless.yml", "provider:\n  region: eu-west-1\n"),
            (".env.example", "AWS_REGION=us-east-1\n"),
        ]);
        let found = RepositoryRegion::discover(dir.path());
        assert_eq!(found.sources.len(), 2);
        assert_eq!(found.unambiguous(), None);
    }

    /// In a repository of several projects, a source governs its own directory and below.
    #[test]
    fn a_source_governs_its_directory_and_below() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("php/app")).unwrap();
        std::fs::create_dir_all(root.join("python/app")).unwrap();
        std::fs::write(root.join("php/.env"), "AWS_REGION=eu-west-1\n").unwrap();
        let found = RepositoryRegion::discover(root);
        assert_eq!(found.sources.len(), 1);
        let php = found
            .for_file(root, &root.join("php/app/index.php"))
            .unwrap();
        assert_eq!(php.region, "eu-west-1");
        assert_eq!(found.for_file(root, &root.join("python/app/main.py")), None);
        std::fs::write(root.join(".env"), "AWS_REGION=us-east-1\n").unwrap();
        let found = RepositoryRegion::discover(root);
        assert_eq!(
            found
                .for_file(root, &root.join("python/app/main.py"))
                .unwrap()
                .region,
            "us-east-1"
        );
        // Under php/ both govern and disagree.
        assert_eq!(found.for_file(root, &root.join("php/app/index.php")), None);
    }

    /// Walking only the directories between a file and the root finds exactly the sources
    /// the whole walk finds for that file: ignore files of the root still apply, ignored,
    /// hidden and dependency directories are still skipped, and so is what lies too deep.
    #[test]
    fn governing_sources_are_those_of_the_whole_walk() {
        let deep = "a/b/c/d/e/f";
        let dir = repo(&[
            (".gitignore", "ignored/\n/build\n"),
            (".env", "AWS_REGION=us-east-1\n"),
            ("svc/.env", "AWS_REGION=eu-west-1\n"),
            (
                "svc/infra/main.tf",
                "provider \"aws\" {\n  region = var.region\n}\n",
            ),
            (
                "svc/infra/variables.tf",
                "variable \"region\" {\n  default = \"eu-west-1\"\n}\n",
            ),
            ("svc/infra/terraform.tfvars", "region = \"eu-central-1\"\n"),
            ("other/serverless.yml", "provider:\n  region: ap-south-1\n"),
            ("ignored/.env", "AWS_REGION=sa-east-1\n"),
            ("build/.env", "AWS_REGION=sa-east-1\n"),
            ("node_modules/x/.env", "AWS_REGION=sa-east-1\n"),
            (".hidden/.env", "AWS_REGION=sa-east-1\n"),
            (&format!("{deep}/.env"), "AWS_REGION=sa-east-1\n"),
            (&format!("{deep}/g/app.py"), ""),
            ("svc/infra/app.py", ""),
        ]);
        // The walker honours .gitignore only inside a git repository.
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let root = dir.path();
        let whole = RepositoryRegion::discover(root);
        assert!(whole.sources.len() >= 4, "{whole:?}");
        for sub in [
            "",
            "svc",
            "svc/infra",
            "other",
            "ignored",
            "build",
            "node_modules/x",
            ".hidden",
            "a/b/c/d/e",
            deep,
            &format!("{deep}/g"),
            "missing/dir",
        ] {
            let file = root.join(sub).join("app.py");
            let governing = RepositoryRegion::governing(root, file.parent().unwrap());
            let expected: Vec<&RegionSource> = whole
                .sources
                .iter()
                .filter(|s| {
                    let source_dir = Path::new(&s.path).parent().unwrap();
                    Path::new(sub).starts_with(source_dir)
                })
                .collect();
            assert_eq!(
                governing.sources.iter().collect::<Vec<_>>(),
                expected,
                "{sub}"
            );
            assert_eq!(
                governing.for_file(root, &file),
                whole.for_file(root, &file),
                "{sub}"
            );
        }
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(
            RepositoryRegion::governing(root, outside.path()),
            RepositoryRegion::default()
        );
    }

    #[test]
    fn nothing_found() {
        let empty = RepositoryRegion::discover(repo(&[]).path());
        assert_eq!(empty, RepositoryRegion::default());
        assert_eq!(empty.unambiguous(), None);
        let unrelated = repo(&[
            ("config.yml", "provider:\n  region: eu-west-1\n"),
            (
                "src/app.ts",
                "new S(app, 'S', { env: { region: 'eu-west-1' } });\n",
            ),
            ("main.py", "cdk.Environment(region='eu-west-1')\n"),
            ("env.txt", "AWS_REGION=eu-west-1\n"),
        ]);
        assert_eq!(RepositoryRegion::discover(unrelated.path()).sources, []);
        let missing = Path::new("/nonexistent/bedrock-migrate/region-evidence");
        assert_eq!(RepositoryRegion::discover(missing).unambiguous(), None);
    }

    #[test]
    fn non_region_values_are_ignored() {
        assert_eq!(
            found(&[
                (
                    ".env",
                    "AWS_REGION=${REGION}\nAWS_DEFAULT_REGION=\"${AWS_REGION}\"\n\
                     AWS_REGION=${REGION:-us-east-1}\nAWS_REGION=\"${REGION:-us-east-1}\"\n\
                     export AWS_REGION=your-region-here\nAWS_REGION=\n",
                ),
                ("main.tf", "provider \"aws\" {\n  region = var.region\n}\n"),
                (
                    "b/main.tf",
                    "provider \"aws\" {\n  region = \"${var.region}\"\n}\n\
                     provider \"aws\" {\n  region = local.region\n}\n\
                     variable \"region\" {\n  default = null\n}\n",
                ),
                (
                    "bin/app.ts",
                    "new S(app, 'S', { env: { region: process.env.CDK_DEFAULT_REGION } });\n"
                ),
                (
                    "bin/tpl.ts",
                    "const env = { region: `${prefix}-west-1` };\n"
                ),
                ("serverless.yml", "provider:\n  region: ${opt:region}\n"),
                (
                    "samconfig.toml",
                    "[default.deploy.parameters]\nregion = \"REGION\"\n"
                ),
                ("app.py", "Environment(region=f\"{geo}-west-1\")\n"),
                ("cdk.json", "{\"context\": {\"region\": \"\"}}\n"),
            ]),
            []
        );
    }

    #[test]
    fn gitignored_hidden_and_dependency_files_are_not_read() {
        assert_eq!(
            found(&[
                (".gitignore", ".env\ndeploy/\n"),
                (".env", "AWS_REGION=us-east-1\n"),
                ("deploy/serverless.yml", "provider:\n  region: us-east-1\n"),
                (
                    ".aws-sam/build/samconfig.toml",
                    "[a.b.parameters]\nregion = \"us-east-1\"\n"
                ),
                (".github/.env", "AWS_REGION=us-east-1\n"),
                (
                    "node_modules/pkg/bin/cli.ts",
                    "const env = { region: 'us-east-1' };\n"
                ),
                ("cdk.out/app.py", "Environment(region='us-east-1')\n"),
                (".env.example", "AWS_REGION=eu-west-1\n"),
            ]),
            [source(
                "eu-west-1",
                ".env.example",
                1,
                "AWS_REGION=eu-west-1"
            )]
        );
    }

    #[test]
    fn large_and_deep_files_are_not_read() {
        let large = format!(
            "provider:\n  region: us-east-1\n#{}\n",
            "x".repeat(MAX_FILE_SIZE as usize)
        );
        assert_eq!(
            found(&[
                ("big/serverless.yml", &large),
                ("a/b/c/d/e/.env", "AWS_REGION=eu-west-1\n"),
                ("a/b/c/d/e/f/.env", "AWS_REGION=us-east-1\n"),
            ]),
            [source(
                "eu-west-1",
                "a/b/c/d/e/.env",
                1,
                "AWS_REGION=eu-west-1"
            )]
        );
    }

    #[test]
    fn repository_root_of_files_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::create_dir_all(root.join("repo/src/deep")).unwrap();
        std::fs::write(root.join("repo/src/deep/app.py"), "").unwrap();
        std::fs::create_dir_all(root.join("worktree/src")).unwrap();
        std::fs::write(root.join("worktree/.git"), "gitdir: elsewhere\n").unwrap();
        std::fs::create_dir_all(root.join("plain/src")).unwrap();
        std::fs::write(root.join("plain/src/app.py"), "").unwrap();

        let repo = root.join("repo");
        assert_eq!(repository_root(&repo.join("src/deep/app.py")), repo);
        assert_eq!(repository_root(&repo.join("src/deep")), repo);
        assert_eq!(repository_root(&repo), repo);
        assert_eq!(
            repository_root(&root.join("worktree/src")),
            root.join("worktree")
        );
        // Without `.git`: the directory itself, or a file's parent.
        assert_eq!(
            repository_root(&root.join("plain/src")),
            root.join("plain/src")
        );
        assert_eq!(
            repository_root(&root.join("plain/src/app.py")),
            root.join("plain/src")
        );
    }
}
