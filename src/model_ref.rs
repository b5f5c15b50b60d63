//! The model-ID grammar: where a Bedrock model reference starts and ends inside a string,
//! what its parts are, and how to write a replacement in the same form.
//!
//! A reference is `[ARN prefix][geo "."]provider "." name`, for example
//!
//! ```text
//! anthropic.claude-3-5-sonnet-20240620-v1:0
//! us.anthropic.claude-3-haiku-20240307-v1:0
//! arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2
//! arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-…
//! bedrock/anthropic.claude-v2            (LiteLLM; only the ID part is the reference)
//! /model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke   (URL-encoded `:`)
//! ```
//!
//! The grammar is deliberately loose about the *name* (`claude-opus-4-6-v1`, `v3.2`,
//! `gpt-oss-120b-1:0` all occur) and strict about *boundaries*: a reference starts at a known
//! provider prefix (taken from the rules table, not hard-coded) that is not glued to a longer
//! word, and extends over every ID character, so `anthropic.claude-v2` never matches inside
//! `anthropic.claude-v2:1`. Whether the token is a known model is the rules table's decision
//! ([`crate::rules`]); this module only offers [`looks_like_model_id`] for spotting typos.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

/// The ARN around a model reference (`arn:PARTITION:bedrock:REGION:ACCOUNT:TYPE/…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// `aws`, `aws-us-gov`, `aws-cn`, …
    pub partition: String,
    /// The Region, possibly empty (`arn:aws:bedrock:::foundation-model/…` in global profiles)
    /// or `*` (IAM policies).
    pub region: String,
    /// The 12-digit account, empty for foundation-model ARNs, `*` in IAM policies.
    pub account: String,
    /// `foundation-model` or `inference-profile`.
    pub resource_type: ArnResource,
}

/// The resource types of Bedrock ARNs that name a model by its ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArnResource {
    /// `…::foundation-model/BASE_ID`
    FoundationModel,
    /// `…:ACCOUNT:inference-profile/GEO.BASE_ID`
    InferenceProfile,
}

/// What a reference is a segment of, judged from the text around it up to the nearest
/// whitespace, quote or bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InPath {
    /// Not part of a path or URL (an ARN's resource is part of the ARN: see
    /// [`ModelRef::arn`]).
    #[default]
    No,
    /// A Bedrock endpoint: any URL on a Bedrock host (`bedrock-runtime.….amazonaws.com`), or
    /// the runtime path `…/model/<id>/invoke` (`/converse`, `/count-tokens`, streaming
    /// variants) on any host. The ID there *is* the model called.
    BedrockUrl,
    /// LiteLLM's model string, `bedrock/<id>` or `bedrock/converse/<id>`.
    LiteLlm,
    /// A segment of a storage path (`s3://bucket/runs/<id>/out.jsonl`, `file://…`,
    /// `results/<id>/`) or of a URL that is not a Bedrock endpoint: the ID names where data
    /// is, not the model called.
    Storage,
}

/// One model reference found in a piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRef {
    /// Byte range of the whole reference, ARN prefix included.
    pub range: Range<usize>,
    /// Byte range of the geo prefix plus the ID (what a rewrite replaces). The ARN prefix
    /// and anything around the reference (`bedrock/`, URL path) stay untouched.
    pub profile_range: Range<usize>,
    /// The surrounding ARN, if the reference is the resource of one.
    pub arn: Option<Arn>,
    /// The geography prefix of a cross-Region inference profile (`us`, `eu`, `global`…).
    pub geo: Option<String>,
    /// The model ID, decoded (`%3A` → `:`).
    pub id: String,
    /// How `:` is written in the original: `None` for a plain `:`, `Some("%3A")` or
    /// `Some("%3a")` for URL-encoded references.
    pub colon_encoding: Option<&'static str>,
    /// True when the reference touches an interpolation hole (`f"{geo}.anthropic.…"`,
    /// `` `anthropic.claude-${v}` ``): the text holds only part of the real ID.
    pub split: bool,
    /// True when a hole follows the ID directly (`anthropic.claude-{v}`,
    /// `anthropic.claude-v2{suffix}`): the ID may go on at run time, so even a known ID is
    /// not known to be the whole ID. [`ModelRef::split`] is then set too.
    pub hole_after: bool,
    /// The path or URL the reference is a segment of, if any.
    pub in_path: InPath,
}

impl ModelRef {
    /// The text that replaces [`ModelRef::profile_range`] to refer to `id` through the
    /// geography prefix `geo`, written in the same encoding as the original.
    pub fn render(&self, geo: Option<&str>, id: &str) -> String {
        let id = match self.colon_encoding {
            Some(enc) => id.replace(':', enc),
            None => id.to_string(),
        };
        match geo {
            Some(g) => format!("{g}.{id}"),
            None => id,
        }
    }

    /// The provider part of the ID (`anthropic` in `anthropic.claude-v2`).
    pub fn provider(&self) -> &str {
        self.id.split('.').next().unwrap_or("")
    }
}

/// Finds model references in text. Built once from the rules table's providers and
/// geography prefixes; cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Grammar {
    /// Matches `provider.` for every provider of the table.
    providers: AhoCorasick,
    /// The same patterns as a SIMD "packed" searcher (Teddy), for the whole-file
    /// prefilter; `None` where the CPU or the pattern set does not allow one.
    prefilter: Option<aho_corasick::packed::Searcher>,
    /// No pattern is a prefix of another, so `prefilter` also finds what `providers` does.
    prefix_free: bool,
    /// Geography prefixes, longest first so that `us-gov` wins over `us`.
    geo_prefixes: Vec<String>,
}

/// Bytes that can occur inside a model ID.
fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':')
}

/// Bytes that glue a token to the word before or after it (`my_anthropic.x`, `titan_utils`).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Grammar {
    /// A grammar for the given providers (`anthropic`, `amazon`, …) and geography prefixes
    /// (`us`, `eu`, `global`, …).
    pub fn new<P: AsRef<str>, G: AsRef<str>>(providers: &[P], geo_prefixes: &[G]) -> Grammar {
        let patterns: Vec<String> = providers
            .iter()
            .map(|p| format!("{}.", p.as_ref()))
            .collect();
        let providers = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("provider patterns are plain strings and always build");
        // Teddy checks 16–32 bytes per step for a few dozen short literals, as ripgrep does
        // for `-F -f`; the automaton's rare-byte prefilter keys on bytes such as `.` that
        // code is full of.
        let prefilter = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&patterns)
            .build();
        let mut geo_prefixes: Vec<String> = geo_prefixes
            .iter()
            .map(|g| g.as_ref().to_string())
            .collect();
        geo_prefixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let prefix_free = patterns.iter().all(|p| {
            patterns
                .iter()
                .all(|q| std::ptr::eq(p, q) || !q.starts_with(p.as_str()))
        });
        Grammar {
            providers,
            prefilter,
            prefix_free,
            geo_prefixes,
        }
    }

    /// True when `bytes` contain any provider prefix: the one-pass prefilter that lets
    /// files without a candidate skip parsing altogether.
    pub fn may_contain_reference(&self, bytes: &[u8]) -> bool {
        match &self.prefilter {
            Some(teddy) => teddy.find(bytes).is_some(),
            None => self.providers.is_match(bytes),
        }
    }

    /// The byte ranges of every provider prefix (`anthropic.`, `amazon.` …) in `text`, in
    /// order and without overlaps. Every reference [`Grammar::find`] returns holds one of
    /// these occurrences, so text that intersects none of them holds no reference; an
    /// extractor uses them to skip the parts of a syntax tree that cannot matter
    /// ([`crate::extract::Focus`]).
    pub fn anchors(&self, text: &str) -> Vec<Range<usize>> {
        self.prefixes(text.as_bytes()).collect()
    }

    /// The provider prefixes in `bytes`, leftmost first, without overlaps. With the packed
    /// searcher when no prefix is a prefix of another (each is a provider name and one `.`;
    /// names have no `.`): at any position at most one matches then, so its leftmost-first
    /// matches are the automaton's leftmost-longest ones.
    fn prefixes<'h>(&'h self, bytes: &'h [u8]) -> Box<dyn Iterator<Item = Range<usize>> + 'h> {
        match &self.prefilter {
            Some(teddy) if self.prefix_free => Box::new(teddy.find_iter(bytes).map(|m| m.range())),
            _ => Box::new(self.providers.find_iter(bytes).map(|m| m.range())),
        }
    }

    /// The geography prefixes this grammar knows, longest first.
    pub fn geo_prefixes(&self) -> &[String] {
        &self.geo_prefixes
    }

    /// Every model reference in `text`, in order. Ranges are relative to `text`.
    pub fn find(&self, text: &str) -> Vec<ModelRef> {
        self.find_with_holes(text, &[])
    }

    /// Like [`Grammar::find`] for template text whose `holes` (ranges relative to `text`,
    /// sorted) are interpolations. References inside a hole are skipped (the extractor
    /// returns nested literals as spans of their own); references that touch a hole are
    /// returned with [`ModelRef::split`] set, including `{geo}.provider.…` where the hole
    /// stands for a geography prefix.
    pub fn find_with_holes(&self, text: &str, holes: &[Range<usize>]) -> Vec<ModelRef> {
        let bytes = text.as_bytes();
        let mut refs = Vec::new();
        let mut resume = 0;
        for m in self.prefixes(bytes) {
            if m.start < resume || holes.iter().any(|h| h.contains(&m.start)) {
                continue;
            }
            if let Some(r) = self.reference_at(text, m.start, m.end, holes) {
                resume = r.range.end;
                refs.push(r);
            }
        }
        refs
    }

    /// Try to read a reference whose provider prefix occupies `start..dot_end`.
    fn reference_at(
        &self,
        text: &str,
        start: usize,
        dot_end: usize,
        holes: &[Range<usize>],
    ) -> Option<ModelRef> {
        let bytes = text.as_bytes();
        let ends_hole = |i: usize| holes.iter().any(|h| h.end == i);
        let geo = self.geo_before(bytes, start);
        let mut split = ends_hole(start);
        if geo.is_none() && start > 0 && !split {
            if bytes[start - 1] == b'.' && ends_hole(start - 1) {
                split = true;
            } else if glued(bytes, start) {
                return None;
            }
        }
        let (end, scanned_end, colon_encoding) = scan_token(bytes, dot_end)?;
        if end < bytes.len() && bytes[end] == b'_' {
            return None;
        }
        let hole_after = holes.iter().any(|h| h.start == scanned_end);
        split |= hole_after;
        let raw = &text[start..end];
        let id = match colon_encoding {
            Some(enc) => raw.replace(enc, ":"),
            None => raw.to_string(),
        };
        if id.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let profile_start = geo.as_ref().map_or(start, |g| start - g.len() - 1);
        let (arn, ref_start) = match arn_before(&text[..profile_start]) {
            Some((arn, arn_len)) => (Some(arn), profile_start - arn_len),
            None => (None, profile_start),
        };
        let in_path = if arn.is_some() {
            InPath::No
        } else {
            in_path(text, ref_start, end, holes)
        };
        Some(ModelRef {
            range: ref_start..end,
            profile_range: profile_start..end,
            arn,
            geo,
            id,
            colon_encoding,
            split,
            hole_after,
            in_path,
        })
    }

    /// Whether a reference may start at the provider prefix at `start` of a file's raw
    /// text, as far as the bytes before it tell (the candidate check runs before any
    /// parse, so spans and interpolation holes are not known yet). False only when the
    /// prefix is glued to the word before it (`software.amazon.`, `www.amazon.`,
    /// `import.meta.`, `my_anthropic.`, `x-anthropic.`), that word is no geography prefix,
    /// and nothing before the word could end an interpolation that the reference follows
    /// (`%s.`, `%(geo)s.`, `$GEO.`, `{geo}.`, `${var.geo}.`, `\(geo).`): then
    /// [`Grammar::find_with_holes`] finds no reference there in any span.
    pub fn may_start_reference(&self, bytes: &[u8], start: usize) -> bool {
        if !glued(bytes, start) || self.geo_before(bytes, start).is_some() {
            return true;
        }
        let word_start = bytes[..start]
            .iter()
            .rposition(|&b| !(is_word_byte(b) || matches!(b, b'.' | b'-')))
            .map_or(0, |i| i + 1);
        word_start > 0
            && matches!(
                bytes[word_start - 1],
                b'%' | b'$' | b'}' | b')' | b'@' | b'#'
            )
    }

    /// The geography prefix that ends right before `start` (`us.` in `us.anthropic.…`).
    fn geo_before(&self, bytes: &[u8], start: usize) -> Option<String> {
        if start == 0 || bytes[start - 1] != b'.' {
            return None;
        }
        let head = &bytes[..start - 1];
        self.geo_prefixes
            .iter()
            .find(|g| {
                head.ends_with(g.as_bytes()) && {
                    let at = head.len() - g.len();
                    !glued(head, at)
                }
            })
            .cloned()
    }
}

/// True when the token starting at `at` is glued to the text before it (`my_anthropic.`,
/// `x-anthropic.`, `www.amazon.`), which makes it part of a longer word rather than a
/// reference. The letter that ends an escape sequence (`\n` in `"models:\nanthropic.…"`) is
/// not glue: the literal's text has a line break there.
fn glued(bytes: &[u8], at: usize) -> bool {
    at > 0
        && (is_word_byte(bytes[at - 1]) || matches!(bytes[at - 1], b'.' | b'-'))
        && !ends_with_escape(&bytes[..at])
}

/// True when `head` ends with a backslash escape whose last byte is a letter or digit:
/// `\n`, `\t`, `\r`, `\0`, `\x20`, `\u0020`, `\U00000020`, octal `\101`.
fn ends_with_escape(head: &[u8]) -> bool {
    let n = head.len();
    // The backslash at `i` starts an escape when an odd number of backslashes ends there.
    let starts_escape =
        |i: usize| head[..=i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1;
    let hex = |r: std::ops::Range<usize>| head[r].iter().all(u8::is_ascii_hexdigit);
    let escape_at = |len: usize, marker: Option<u8>, body: &dyn Fn(usize) -> bool| {
        n >= len
            && head[n - len] == b'\\'
            && marker.is_none_or(|m| head[n - len + 1] == m)
            && body(n - len)
            && starts_escape(n - len)
    };
    escape_at(2, None, &|i| b"nrtvfabe0'\"".contains(&head[i + 1]))
        || escape_at(4, Some(b'x'), &|i| hex(i + 2..n))
        || escape_at(6, Some(b'u'), &|i| hex(i + 2..n))
        || escape_at(10, Some(b'U'), &|i| hex(i + 2..n))
        || (2..=4).any(|len| {
            escape_at(len, None, &|i| {
                head[i + 1..n].iter().all(|b| (b'0'..=b'7').contains(b))
            })
        })
}

/// Extend a token from `from` over ID bytes (and `%3A`), then drop trailing punctuation.
/// Returns the end, the end before trimming, and the colon encoding used, or `None` for an
/// empty name.
fn scan_token(bytes: &[u8], from: usize) -> Option<(usize, usize, Option<&'static str>)> {
    let mut i = from;
    let mut encoding = None;
    while i < bytes.len() {
        if is_id_byte(bytes[i]) {
            i += 1;
        } else if bytes[i] == b'%' && bytes.get(i + 1) == Some(&b'3') {
            match bytes.get(i + 2) {
                Some(b'A') => encoding = Some("%3A"),
                Some(b'a') => encoding = Some("%3a"),
                _ => break,
            }
            i += 3;
        } else {
            break;
        }
    }
    let scanned_end = i;
    // Trailing `.`, `:`, `-` (end of a sentence, `key: value` separators) are not part of
    // an ID; neither is a dangling `%3A`.
    loop {
        if i > from && matches!(bytes[i - 1], b'.' | b':' | b'-') {
            i -= 1;
        } else if let Some(enc) = encoding
            && i >= from + 3
            && &bytes[i - 3..i] == enc.as_bytes()
        {
            i -= 3;
        } else {
            break;
        }
    }
    (i > from).then_some((i, scanned_end, encoding))
}

/// The ARN prefix that `head` ends with, and its length.
fn arn_before(head: &str) -> Option<(Arn, usize)> {
    static ARN: OnceLock<Regex> = OnceLock::new();
    let re = ARN.get_or_init(|| {
        Regex::new(
            r"arn:(aws(?:-[a-z]+)*|\$\{[^}]*\}):bedrock:([a-z0-9-]*|\*|\$\{[^}]*\}):([0-9]{12}|\*|\$\{[^}]*\})?:(foundation-model|inference-profile)/$",
        )
        .expect("static regex")
    });
    // An ARN prefix is at most ~90 bytes; look no further back than that.
    let window_start = head.len().saturating_sub(128);
    let window_start = (window_start..head.len())
        .find(|&i| head.is_char_boundary(i))
        .unwrap_or(head.len());
    let caps = re.captures(&head[window_start..])?;
    let whole = caps.get(0)?;
    let resource_type = match &caps[4] {
        "foundation-model" => ArnResource::FoundationModel,
        _ => ArnResource::InferenceProfile,
    };
    Some((
        Arn {
            partition: caps[1].to_string(),
            region: caps[2].to_string(),
            account: caps.get(3).map_or("", |m| m.as_str()).to_string(),
            resource_type,
        },
        whole.len(),
    ))
}

/// Bytes that end the word a reference is part of: whitespace, quotes, brackets and list
/// separators.
fn ends_word(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"'`()[]{}<>,;|".contains(&b)
}

/// What the reference at `start..end` of `text` is a segment of, from the word around it
/// (interpolation holes end the word too).
fn in_path(text: &str, start: usize, end: usize, holes: &[Range<usize>]) -> InPath {
    let bytes = text.as_bytes();
    let in_hole = |i: usize| holes.iter().any(|h| h.contains(&i));
    let head_start = (0..start)
        .rev()
        .find(|&i| ends_word(bytes[i]) || in_hole(i))
        .map_or(0, |i| i + 1);
    let tail_end = (end..bytes.len())
        .find(|&i| ends_word(bytes[i]) || in_hole(i))
        .unwrap_or(bytes.len());
    let (head, tail) = (&text[head_start..start], &text[end..tail_end]);
    if !head.contains('/') && !tail.starts_with('/') {
        return InPath::No;
    }
    let (scheme, rest) = match head.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, head),
    };
    // `bedrock-runtime.us-east-1.amazonaws.com`, `bedrock.…`, a VPC endpoint
    // `vpce-….bedrock-runtime.….vpce.amazonaws.com`; not an S3 bucket named `bedrock-…`.
    let host = rest.split('/').next().unwrap_or_default();
    let bedrock_host = matches!(scheme, None | Some("https" | "http"))
        && host.split('.').any(|label| {
            label == "bedrock"
                || label.strip_prefix("bedrock-").is_some_and(|service| {
                    service
                        .split('-')
                        .all(|part| matches!(part, "runtime" | "agent" | "fips" | "mantle"))
                })
        })
        && [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"]
            .iter()
            .any(|domain| host.ends_with(domain));
    let runtime_action = ["/invoke", "/converse", "/count-tokens"]
        .iter()
        .any(|action| tail.starts_with(action));
    let model_path = head == "model/" || head.ends_with("/model/");
    if bedrock_host || (model_path && runtime_action) {
        InPath::BedrockUrl
    } else if scheme.is_none() && head.starts_with("bedrock/") {
        InPath::LiteLlm
    } else {
        InPath::Storage
    }
}

/// True when `id` has the shape of a Bedrock model ID (`provider.name` where the name holds
/// a digit and a `-` or `:`), used to report unknown IDs — likely typos — without flagging
/// `amazon.com`, `meta.url` or `amazon.s3`.
pub fn looks_like_model_id(id: &str) -> bool {
    let Some((provider, name)) = id.split_once('.') else {
        return false;
    };
    !provider.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.bytes().any(|b| b.is_ascii_digit())
        && name.bytes().any(|b| b == b'-' || b == b':')
}

/// The geography prefixes that serve an AWS Region, most specific first: the candidates
/// for a profile prefix when the code's Region is known (an ARN's Region, the client's Region
/// at the call, `--region`, the repository's configuration).
pub fn geos_for_region(region: &str) -> &'static [&'static str] {
    match region {
        r if r.starts_with("us-gov-") => &["us-gov"],
        r if r.starts_with("us-") => &["us"],
        r if r.starts_with("ca-") => &["ca", "us"],
        r if r.starts_with("eu-") || r.starts_with("il-") => &["eu"],
        "ap-northeast-1" | "ap-northeast-3" => &["jp", "apac"],
        "ap-southeast-2" | "ap-southeast-4" | "ap-southeast-6" => &["au", "apac"],
        "ap-south-1" | "ap-south-2" => &["in", "apac"],
        r if r.starts_with("ap-") => &["apac"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packed searcher's prefixes are the automaton's, overlapping names included
    /// (`moonshot.` / `moonshotai.`, `ai21.` inside `xai21.`).
    #[test]
    fn packed_prefixes_are_the_automatons() {
        let g = grammar();
        assert!(g.prefix_free);
        let text = "moonshotai.kimi moonshot.x amazon.com meta.metaanthropic.anthropic..amazon.\
                    deepseek.r1 xmeta.y anthropic.claude-v2 moonshotai.moonshot.";
        let automaton: Vec<Range<usize>> = g
            .providers
            .find_iter(text.as_bytes())
            .map(|m| m.range())
            .collect();
        assert_eq!(automaton.len(), 12, "{automaton:?}");
        if g.prefilter.is_some() {
            assert_eq!(g.anchors(text), automaton);
        }
        let mut shared = Grammar::new(&["ab", "abc"], &["us"]);
        assert!(shared.prefix_free);
        shared.prefix_free = false;
        assert_eq!(shared.anchors("x abc.ab.d"), [2..6, 6..9]);
    }

    fn grammar() -> Grammar {
        Grammar::new(
            &[
                "anthropic",
                "amazon",
                "meta",
                "moonshot",
                "moonshotai",
                "deepseek",
                "openai",
                "cohere",
            ],
            &["us", "eu", "apac", "jp", "au", "us-gov", "global"],
        )
    }

    fn ids(text: &str) -> Vec<String> {
        grammar().find(text).into_iter().map(|r| r.id).collect()
    }

    fn one(text: &str) -> ModelRef {
        let refs = grammar().find(text);
        assert_eq!(refs.len(), 1, "{text}: {refs:?}");
        refs.into_iter().next().unwrap()
    }

    #[test]
    fn bare_ids_of_every_shape() {
        for id in [
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "amazon.titan-text-express-v1",
            "meta.llama3-8b-instruct-v1:0",
            "anthropic.claude-3-haiku-20240307-v1:0:200k",
            "anthropic.claude-opus-4-6-v1",
            "anthropic.claude-sonnet-4-6",
            "openai.gpt-oss-120b-1:0",
            "deepseek.v3.2",
            "moonshot.kimi-k2-thinking",
            "moonshotai.kimi-k2.5",
            "amazon.nova-premier-v1:0:mm",
        ] {
            let r = one(id);
            assert_eq!(r.id, id);
            assert_eq!(r.range, 0..id.len());
            assert_eq!(r.geo, None);
            assert_eq!(r.arn, None);
        }
    }

    #[test]
    fn token_boundaries_take_the_whole_id() {
        assert_eq!(ids("anthropic.claude-v2:1"), ["anthropic.claude-v2:1"]);
        assert_eq!(ids("\"anthropic.claude-v2\""), ["anthropic.claude-v2"]);
        assert_eq!(ids("x anthropic.claude-v2, y"), ["anthropic.claude-v2"]);
        assert_eq!(ids("Use anthropic.claude-v2."), ["anthropic.claude-v2"]);
        assert_eq!(ids("model: anthropic.claude-v2:"), ["anthropic.claude-v2"]);
        assert_eq!(ids("(anthropic.claude-v2)"), ["anthropic.claude-v2"]);
    }

    #[test]
    fn not_references() {
        assert!(ids("import amazon.titan_utils").is_empty());
        assert!(ids("software.amazon.awssdk").is_empty());
        assert!(ids("import.meta.url").is_empty());
        assert!(ids("myanthropic.claude-v2").is_empty());
        assert!(ids("x-anthropic.claude-v2").is_empty());
        assert!(ids("anthropic.claude-v2_backup").is_empty());
        assert!(ids("amazon.").is_empty());
        assert!(ids("Amazon.Titan-v1").is_empty());
        // `www.amazon.com` has a `.` before the provider and no geo prefix.
        assert!(ids("https://www.amazon.com/x").is_empty());
    }

    #[test]
    fn ids_after_escape_sequences() {
        for text in [
            r"models:\nanthropic.claude-v2",
            r"\tus.anthropic.claude-v2",
            r"line\r\nanthropic.claude-v2",
            r"\x20anthropic.claude-v2",
            r"\u0020anthropic.claude-v2",
            r"\U00000020anthropic.claude-v2",
            r"\101anthropic.claude-v2",
            r"\0anthropic.claude-v2",
        ] {
            assert_eq!(ids(text), ["anthropic.claude-v2"], "{text}");
        }
        // An escaped backslash followed by a letter is a backslash and a glued letter.
        assert!(ids(r"\\nanthropic.claude-v2").is_empty());
        assert!(ids(r"xnanthropic.claude-v2").is_empty());
    }

    #[test]
    fn geo_prefixes() {
        let r = one("us.anthropic.claude-3-haiku-20240307-v1:0");
        assert_eq!(r.geo.as_deref(), Some("us"));
        assert_eq!(r.id, "anthropic.claude-3-haiku-20240307-v1:0");
        assert_eq!(r.profile_range, r.range);
        let r = one("'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0'");
        assert_eq!(r.geo.as_deref(), Some("us-gov"));
        assert_eq!(r.range.start, 1);
        let r = one("global.anthropic.claude-sonnet-4-6");
        assert_eq!(r.geo.as_deref(), Some("global"));
        // Not a geo prefix: glued to a longer word.
        assert!(ids("bus.anthropic.claude-v2").is_empty());
        assert!(ids("xx.anthropic.claude-v2").is_empty());
        // Guardrail profiles look like profiles but name no model provider.
        assert!(ids("us.guardrail.v1:0").is_empty());
    }

    #[test]
    fn arns_in_every_partition() {
        let text = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2";
        let r = one(text);
        assert_eq!(r.range, 0..text.len());
        assert_eq!(&text[r.profile_range.clone()], "anthropic.claude-v2");
        let arn = r.arn.unwrap();
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.region, "us-east-1");
        assert_eq!(arn.account, "");
        assert_eq!(arn.resource_type, ArnResource::FoundationModel);

        let text = "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-3-haiku-20240307-v1:0";
        let r = one(text);
        assert_eq!(r.range.start, 0);
        assert_eq!(r.geo.as_deref(), Some("us-gov"));
        let arn = r.arn.unwrap();
        assert_eq!(arn.partition, "aws-us-gov");
        assert_eq!(arn.account, "123456789012");
        assert_eq!(arn.resource_type, ArnResource::InferenceProfile);

        let r = one("arn:aws-cn:bedrock:cn-north-1::foundation-model/meta.llama3-8b-instruct-v1:0");
        assert_eq!(r.arn.unwrap().partition, "aws-cn");
        let r = one("arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1");
        assert_eq!(r.arn.unwrap().region, "");
        // Application inference profiles and provisioned models hold no model ID.
        assert!(
            ids(
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123def456"
            )
            .is_empty()
        );
        // IAM policies use wildcards for the Region and account.
        let r = one("arn:aws:bedrock:*::foundation-model/anthropic.claude-v2");
        let arn = r.arn.unwrap();
        assert_eq!((arn.region.as_str(), arn.account.as_str()), ("*", ""));
        assert_eq!(arn.resource_type, ArnResource::FoundationModel);
        let r = one("arn:aws:bedrock:*:*:inference-profile/us.anthropic.claude-v2");
        assert_eq!(r.arn.unwrap().account, "*");
        assert_eq!(r.geo.as_deref(), Some("us"));
        // CloudFormation `!Sub` and Terraform interpolate the partition, Region and account.
        let text = "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/us.anthropic.claude-v2";
        let r = one(text);
        assert_eq!(r.range.start, 0);
        assert_eq!(r.arn.unwrap().region, "${AWS::Region}");
        let r = one("arn:aws:bedrock:${var.region}::foundation-model/anthropic.claude-v2");
        assert_eq!(r.arn.unwrap().resource_type, ArnResource::FoundationModel);
    }

    #[test]
    fn embedded_in_longer_strings() {
        assert_eq!(ids("bedrock/anthropic.claude-v2"), ["anthropic.claude-v2"]);
        assert_eq!(
            ids("bedrock/converse/us.anthropic.claude-3-haiku-20240307-v1:0"),
            ["anthropic.claude-3-haiku-20240307-v1:0"]
        );
        assert_eq!(ids("bedrock:anthropic.claude-v2"), ["anthropic.claude-v2"]);
        assert_eq!(
            ids("https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke"),
            ["anthropic.claude-v2"]
        );
        assert_eq!(
            ids("two: anthropic.claude-v2 and meta.llama3-8b-instruct-v1:0"),
            ["anthropic.claude-v2", "meta.llama3-8b-instruct-v1:0"]
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn paths_and_urls_around_a_reference() {
        let at = |text: &str| one(text).in_path;
        assert_eq!(at("anthropic.claude-v2"), InPath::No);
        assert_eq!(at("model: anthropic.claude-v2, ok"), InPath::No);
        assert_eq!(
            at("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"),
            InPath::No
        );
        // Bedrock endpoints and LiteLLM strings name the model called.
        for text in [
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke",
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse-stream",
            "https://bedrock.us-east-1.amazonaws.com/foundation-models/anthropic.claude-v2",
            "http://localhost:8080/model/anthropic.claude-v2/invoke-with-response-stream",
            "/model/us.anthropic.claude-v2/invoke",
            "https://vpce-0a1b.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/anthropic.claude-v2/invoke",
        ] {
            assert_eq!(at(text), InPath::BedrockUrl, "{text}");
        }
        assert_eq!(at("bedrock/anthropic.claude-v2"), InPath::LiteLlm);
        assert_eq!(
            at("bedrock/converse/us.anthropic.claude-3-haiku-20240307-v1:0"),
            InPath::LiteLlm
        );
        // Storage paths and other URLs name where data is.
        for text in [
            "s3://bucket/eval-results/anthropic.claude-3-5-sonnet-20240620-v1:0/results.jsonl",
            "file:///tmp/anthropic.claude-v2/out",
            "results/anthropic.claude-v2",
            "anthropic.claude-v2/summary.csv",
            "/data/model/anthropic.claude-v2",
            "s3://bedrock-logs.s3.amazonaws.com/anthropic.claude-v2/x",
            "https://bedrock-logs.s3.amazonaws.com/anthropic.claude-v2/x",
            "https://example.com/models/anthropic.claude-v2",
            "https://example.com/x?model=anthropic.claude-v2",
            "see (s3://b/anthropic.claude-v2/x) here",
        ] {
            assert_eq!(at(text), InPath::Storage, "{text}");
        }
        // Holes end the word: `{bucket}` says nothing, the `/` after it does.
        let g = grammar();
        let refs = g.find_with_holes("{root}/anthropic.claude-v2", &[0..6]);
        assert_eq!(refs[0].in_path, InPath::Storage);
        let refs = g.find_with_holes("{base}/model/anthropic.claude-v2/invoke", &[0..6]);
        assert_eq!(refs[0].in_path, InPath::BedrockUrl);
    }

    #[test]
    fn url_encoded_colon() {
        let text = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke";
        let r = one(text);
        assert_eq!(r.id, "anthropic.claude-3-sonnet-20240229-v1:0");
        assert_eq!(r.colon_encoding, Some("%3A"));
        assert_eq!(
            &text[r.range.clone()],
            "anthropic.claude-3-sonnet-20240229-v1%3A0"
        );
        assert_eq!(
            r.render(None, "anthropic.claude-sonnet-4-5-20250929-v1:0"),
            "anthropic.claude-sonnet-4-5-20250929-v1%3A0"
        );
        let r = one("meta.llama3-8b-instruct-v1%3a0");
        assert_eq!(r.colon_encoding, Some("%3a"));
        assert_eq!(r.render(Some("us"), "a.b-v1:0"), "us.a.b-v1%3a0");
        // A dangling encoded colon is not part of the ID.
        assert_eq!(ids("anthropic.claude-v2%3A"), ["anthropic.claude-v2"]);
    }

    #[test]
    fn render_keeps_form() {
        let r = one("us.anthropic.claude-3-haiku-20240307-v1:0");
        assert_eq!(
            r.render(Some("us"), "anthropic.claude-haiku-4-5-20251001-v1:0"),
            "us.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(r.provider(), "anthropic");
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn references_touching_interpolation_holes() {
        let g = grammar();
        // f"{geo}.anthropic.claude-3-haiku-20240307-v1:0"
        let text = "{geo}.anthropic.claude-3-haiku-20240307-v1:0";
        let refs = g.find_with_holes(text, &[0..5]);
        assert_eq!(refs.len(), 1);
        assert!(refs[0].split);
        assert!(!refs[0].hole_after);
        assert_eq!(refs[0].id, "anthropic.claude-3-haiku-20240307-v1:0");
        // f"anthropic.claude-{version}"
        let refs = g.find_with_holes("anthropic.claude-{version}", &[17..26]);
        assert_eq!(refs.len(), 1);
        assert!(refs[0].split && refs[0].hole_after);
        assert_eq!(refs[0].id, "anthropic.claude");
        // "anthropic.claude-v2{suffix}": a known ID may go on at run time.
        let refs = g.find_with_holes("anthropic.claude-v2{suffix}", &[19..27]);
        assert!(refs[0].split && refs[0].hole_after);
        // References inside a hole belong to the nested literal, not to this one.
        assert!(
            g.find_with_holes("{m['anthropic.claude-v2']}", &[0..26])
                .is_empty()
        );
        // Untouched references in a template are whole.
        let refs = g.find_with_holes("{x} anthropic.claude-v2", &[0..3]);
        assert!(!refs[0].split);
        // Without holes, `.` before the provider still rejects.
        assert!(g.find("{geo}.anthropic.claude-v2").is_empty());
    }

    #[test]
    fn non_ascii_around_references() {
        let text = "modèle → anthropic.claude-v2 ✓";
        let r = one(text);
        assert_eq!(&text[r.range], "anthropic.claude-v2");
    }

    #[test]
    fn prefilter() {
        let g = grammar();
        assert!(g.may_contain_reference(b"x = 'anthropic.claude-v2'"));
        assert!(!g.may_contain_reference(b"print('hello')"));
    }

    #[test]
    fn shape_of_unknown_ids() {
        assert!(looks_like_model_id(
            "anthropic.claude-3-haiku-20240307-v1:1"
        ));
        assert!(looks_like_model_id("amazon.titan-text-express-v2"));
        assert!(!looks_like_model_id("amazon.com"));
        assert!(!looks_like_model_id("meta.url"));
        assert!(!looks_like_model_id("amazon.s3"));
        assert!(!looks_like_model_id("amazon.co.uk"));
        assert!(!looks_like_model_id("anthropic"));
    }

    #[test]
    fn region_to_geo() {
        assert_eq!(geos_for_region("us-east-1"), ["us"]);
        assert_eq!(geos_for_region("us-gov-west-1"), ["us-gov"]);
        assert_eq!(geos_for_region("eu-west-3"), ["eu"]);
        assert_eq!(geos_for_region("ap-northeast-1"), ["jp", "apac"]);
        assert_eq!(geos_for_region("ap-southeast-2"), ["au", "apac"]);
        assert_eq!(geos_for_region("ap-south-1"), ["in", "apac"]);
        assert_eq!(geos_for_region("ap-southeast-1"), ["apac"]);
        assert_eq!(geos_for_region("ca-central-1"), ["ca", "us"]);
        assert!(geos_for_region("sa-east-1").is_empty());
        assert!(geos_for_region("").is_empty());
    }
}
