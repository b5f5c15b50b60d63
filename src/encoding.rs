//! Text encodings: read a file's bytes as text, and write text back in the same encoding.
//!
//! Every later stage works on a Rust `String`; this module decides how a file's bytes became
//! that string, so that a rewrite can turn it back into bytes of the same kind:
//!
//! - **UTF-8**, with or without a byte-order mark (the mark stays in the text, as U+FEFF);
//! - **UTF-16LE / UTF-16BE with a byte-order mark** (`FF FE` / `FE FF`; the mark is decoded
//!   to U+FEFF and kept at the start of the text, like UTF-8's). Without a mark a UTF-16 file
//!   is not recognised: its NUL bytes make it binary;
//! - **windows-1252** for any other file that is not valid UTF-8 (the usual "Latin-1": the
//!   WHATWG encoding that the labels `latin1` and `iso-8859-1` name too). Five bytes are
//!   undefined in windows-1252 (`81 8D 8F 90 9D`); a file holding one is in some other
//!   encoding (Shift_JIS, GBK, …), which this tool does not guess: it is unreadable.
//!
//! A decoding is accepted only when encoding the text again gives the file's bytes back
//! exactly, so writing a rewritten file changes nothing but the rewritten characters. The
//! decoders and the windows-1252 encoder are `encoding_rs`'s; UTF-16 is encoded with the
//! standard library's `encode_utf16`.
//!
//! Positions: lines and columns count characters of the decoded text, which are the
//! characters an editor shows. Byte offsets in reports (JSON `range`, SARIF `byteOffset`)
//! are offsets in the file's own bytes, translated by [`ByteMap`].

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How a file's bytes encode its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TextEncoding {
    /// UTF-8 (a byte-order mark, if any, is part of the text).
    #[default]
    Utf8,
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
    /// windows-1252 (Latin-1 and its superset).
    Windows1252,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecodable {
    /// NUL bytes outside UTF-16: a binary file.
    Binary,
    /// Text in no encoding this tool reads; the message says where it goes wrong.
    Invalid(String),
}

/// A character that the file's encoding cannot represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unencodable {
    /// The character.
    pub character: char,
    /// The encoding.
    pub encoding: TextEncoding,
}

impl std::fmt::Display for Unencodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` (U+{:04X}) cannot be written in {}",
            self.character,
            u32::from(self.character),
            self.encoding.name()
        )
    }
}

/// The bytes that windows-1252 leaves undefined (encoding_rs maps them to C1 controls).
const UNDEFINED_IN_WINDOWS_1252: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

impl TextEncoding {
    /// The encoding's name, as in messages.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// True for UTF-8, the encoding every stage works in.
    pub fn is_utf8(self) -> bool {
        self == TextEncoding::Utf8
    }

    /// The first character of `text` that this encoding cannot represent.
    pub fn unencodable(self, text: &str) -> Option<Unencodable> {
        let character = match self {
            TextEncoding::Utf8 | TextEncoding::Utf16Le | TextEncoding::Utf16Be => None,
            TextEncoding::Windows1252 => text.chars().find(|c| {
                let mut buf = [0; 4];
                !c.is_ascii() && WINDOWS_1252.encode(c.encode_utf8(&mut buf)).2
            }),
        }?;
        Some(Unencodable {
            character,
            encoding: self,
        })
    }

    /// `text` in this encoding, or the first character it cannot represent.
    pub fn encode<'a>(self, text: &'a str) -> Result<Cow<'a, [u8]>, Unencodable> {
        match self {
            TextEncoding::Utf8 => Ok(Cow::Borrowed(text.as_bytes())),
            TextEncoding::Utf16Le => Ok(Cow::Owned(
                text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            )),
            TextEncoding::Utf16Be => Ok(Cow::Owned(
                text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            )),
            TextEncoding::Windows1252 => {
                let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
                if unmappable {
                    Err(self.unencodable(text).unwrap_or(Unencodable {
                        character: char::REPLACEMENT_CHARACTER,
                        encoding: self,
                    }))
                } else {
                    Ok(bytes)
                }
            }
        }
    }

    /// How many bytes `c` takes in this encoding (encodable characters only).
    fn width(self, c: char) -> usize {
        match self {
            TextEncoding::Utf8 => c.len_utf8(),
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2 * c.len_utf16(),
            TextEncoding::Windows1252 => 1,
        }
    }
}

/// Take away the fixes of `findings` whose new text `encoding` cannot represent, saying why
/// in their reason: a rewrite must not write a character the file's encoding does not have.
/// (Model IDs are ASCII, so this only matters for a rules file that names a replacement
/// with other characters.)
pub fn refuse_unencodable(findings: &mut [crate::finding::Finding], encoding: TextEncoding) {
    if encoding.is_utf8() {
        return;
    }
    for finding in findings {
        let Some(error) = finding.fix.as_ref().and_then(|fix| {
            fix.edits
                .iter()
                .find_map(|edit| encoding.unencodable(&edit.content))
        }) else {
            continue;
        };
        finding.fix = None;
        finding.reason = format!(
            "not rewritten: {error}, the file's encoding; convert the file to UTF-8, or change it by hand"
        );
    }
}

/// Read `bytes` as text: UTF-16 when they start with its byte-order mark, else binary when
/// they hold a NUL byte, else UTF-8 when valid, else windows-1252 (see the module
/// documentation). Takes the buffer so that UTF-8, by far the most common case, is not
/// copied.
pub fn decode(bytes: Vec<u8>) -> Result<(String, TextEncoding), (Vec<u8>, Undecodable)> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some((UTF_16LE, TextEncoding::Utf16Le)),
        Some([0xFE, 0xFF]) => Some((UTF_16BE, TextEncoding::Utf16Be)),
        _ => None,
    };
    if let Some((decoder, encoding)) = utf16 {
        let body = &bytes[2..];
        let text = match decoder.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) if body.len().is_multiple_of(2) => text,
            _ => {
                let why = format!(
                    "not valid {} after its byte-order mark (an odd number of bytes or an unpaired surrogate)",
                    encoding.name()
                );
                return Err((bytes, Undecodable::Invalid(why)));
            }
        };
        if text.contains('\0') {
            return Err((bytes, Undecodable::Binary));
        }
        let mut out = String::with_capacity(text.len() + 3);
        out.push('\u{feff}');
        out.push_str(&text);
        return Ok((out, encoding));
    }
    if memchr::memchr(0, &bytes).is_some() {
        return Err((bytes, Undecodable::Binary));
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, TextEncoding::Utf8)),
        Err(e) => e.into_bytes(),
    };
    let invalid_utf8 = || {
        let at = std::str::from_utf8(&bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let (line, column) = line_column(&bytes, at, TextEncoding::Utf8);
        format!("line {line}, column {column}")
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        let why = format!(
            "not valid UTF-8 although it starts with a UTF-8 byte-order mark (first invalid byte at {})",
            invalid_utf8()
        );
        return Err((bytes, Undecodable::Invalid(why)));
    }
    if let Some(at) = bytes
        .iter()
        .position(|b| UNDEFINED_IN_WINDOWS_1252.contains(b))
    {
        let (line, column) = line_column(&bytes, at, TextEncoding::Windows1252);
        let why = format!(
            "neither UTF-8 (first invalid byte at {}) nor windows-1252 (byte 0x{:02X} at line {line}, column {column} is undefined there); convert it to UTF-8 to have it checked",
            invalid_utf8(),
            bytes[at]
        );
        return Err((bytes, Undecodable::Invalid(why)));
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
    let text = text.into_owned();
    // The decoding must be undone exactly by the encoder, or a rewrite would change
    // bytes it did not mean to.
    if TextEncoding::Windows1252.encode(&text).as_deref() != Ok(&bytes[..]) {
        let why = "not UTF-8, and windows-1252 does not read it back byte for byte".to_string();
        return Err((bytes, Undecodable::Invalid(why)));
    }
    Ok((text, TextEncoding::Windows1252))
}

/// 1-based line and column (in characters of `encoding`, a single-byte one or UTF-8 read as
/// far as it is valid) of byte `at`.
fn line_column(bytes: &[u8], at: usize, encoding: TextEncoding) -> (usize, usize) {
    let before = &bytes[..at];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let column = match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count(),
        _ => before.len() - line_start,
    } + 1;
    (line, column)
}

/// Translates byte offsets in a file's decoded (UTF-8) text into offsets in the file's own
/// bytes, for files in another encoding.
///
/// An offset in the file is `scale` times the offset in the text, corrected after each
/// non-ASCII character by the difference of its widths; only those corrections are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteMap {
    scale: usize,
    /// (text offset just past a non-ASCII character, total correction up to there).
    steps: Vec<(usize, isize)>,
}

impl ByteMap {
    /// The map for `text` decoded from `encoding`; `None` for UTF-8, where the offsets are
    /// the file's already.
    pub fn new(text: &str, encoding: TextEncoding) -> Option<ByteMap> {
        if encoding.is_utf8() {
            return None;
        }
        let scale = encoding.width('a');
        let mut steps = Vec::new();
        let mut correction = 0isize;
        for (i, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
            correction += encoding.width(c) as isize - (scale * c.len_utf8()) as isize;
            steps.push((i + c.len_utf8(), correction));
        }
        Some(ByteMap { scale, steps })
    }

    /// The file offset of text offset `offset` (a character boundary).
    pub fn file_offset(&self, offset: usize) -> usize {
        let i = self.steps.partition_point(|(end, _)| *end <= offset);
        let correction = i.checked_sub(1).map_or(0, |i| self.steps[i].1);
        ((self.scale * offset) as isize + correction).max(0) as usize
    }

    /// [`ByteMap::file_offset`] of both ends of `range`.
    pub fn file_range(&self, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.file_offset(range.start)..self.file_offset(range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf8_is_read_as_is_with_its_bom() {
        let (text, enc) = decode(b"\xEF\xBB\xBFx = 1\n".to_vec()).unwrap();
        assert_eq!(
            (text.as_str(), enc),
            ("\u{feff}x = 1\n", TextEncoding::Utf8)
        );
        assert_eq!(
            enc.encode(&text).unwrap(),
            b"\xEF\xBB\xBFx = 1\n".as_slice()
        );
    }

    #[test]
    fn utf16_with_a_bom_round_trips() {
        for le in [true, false] {
            let source = "# café 🙂\r\nM = \"anthropic.claude-v2\"\n";
            let bytes = utf16(source, le);
            let (text, enc) = decode(bytes.clone()).unwrap();
            assert_eq!(text, format!("\u{feff}{source}"));
            assert_eq!(
                enc,
                if le {
                    TextEncoding::Utf16Le
                } else {
                    TextEncoding::Utf16Be
                }
            );
            assert_eq!(enc.encode(&text).unwrap().as_ref(), bytes.as_slice());
        }
    }

    #[test]
    fn broken_utf16_is_invalid_and_nul_is_binary() {
        let mut odd = utf16("ab", true);
        odd.push(b'c');
        assert!(matches!(decode(odd), Err((_, Undecodable::Invalid(m))) if m.contains("UTF-16LE")));
        // An unpaired high surrogate.
        let lone = vec![0xFE, 0xFF, 0xD8, 0x00, 0x00, 0x61];
        assert!(matches!(decode(lone), Err((_, Undecodable::Invalid(_)))));
        assert!(matches!(
            decode(utf16("a\0b", true)),
            Err((_, Undecodable::Binary))
        ));
        assert!(matches!(
            decode(b"a\0b".to_vec()),
            Err((_, Undecodable::Binary))
        ));
    }

    #[test]
    fn other_bytes_are_windows_1252_unless_undefined_there() {
        // é in Latin-1, “ ” and € in windows-1252.
        let bytes = b"# caf\xE9 \x93q\x94 \x80\nM = 'x'\n".to_vec();
        let (text, enc) = decode(bytes.clone()).unwrap();
        assert_eq!(enc, TextEncoding::Windows1252);
        assert_eq!(text, "# café “q” €\nM = 'x'\n");
        assert_eq!(enc.encode(&text).unwrap().as_ref(), bytes.as_slice());
        let Err((_, Undecodable::Invalid(why))) = decode(b"ok\nab\x81c\n".to_vec()) else {
            panic!()
        };
        assert_eq!(
            why,
            "neither UTF-8 (first invalid byte at line 2, column 3) nor windows-1252 (byte 0x81 at line 2, column 3 is undefined there); convert it to UTF-8 to have it checked"
        );
        let Err((_, Undecodable::Invalid(why))) = decode(b"\xEF\xBB\xBFa\n\xE9\n".to_vec()) else {
            panic!()
        };
        assert!(why.contains("UTF-8 byte-order mark (first invalid byte at line 2, column 1)"));
    }

    #[test]
    fn characters_outside_windows_1252_are_refused() {
        let enc = TextEncoding::Windows1252;
        assert_eq!(enc.encode("é€").unwrap().as_ref(), b"\xE9\x80".as_slice());
        let err = enc.encode("aé→").unwrap_err();
        assert_eq!(err.character, '→');
        assert_eq!(
            err.to_string(),
            "`→` (U+2192) cannot be written in windows-1252"
        );
        assert_eq!(enc.unencodable("plain ascii é"), None);
        assert_eq!(TextEncoding::Utf16Le.unencodable("→🙂"), None);
    }

    #[test]
    fn fixes_that_the_encoding_cannot_write_are_refused() {
        use crate::plan::{PlanOptions, plan_file};
        let rules = crate::rules::load_default().unwrap();
        let options = PlanOptions {
            resolve: crate::rules::ResolveOptions {
                as_of: "2026-11-21".parse().unwrap(),
                ..Default::default()
            },
            ..Default::default()
        };
        let source = "M = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'\n";
        let mut findings =
            plan_file(source, crate::extract::Language::Python, &rules, &options).findings;
        assert!(findings[0].fix.is_some());
        // A replacement with a character windows-1252 lacks (no real ID has one).
        let mut odd = findings.clone();
        odd[0].fix.as_mut().unwrap().edits[0].content = "us.anthropic.claude→".into();
        refuse_unencodable(&mut odd, TextEncoding::Utf16Le);
        assert!(odd[0].fix.is_some());
        refuse_unencodable(&mut odd, TextEncoding::Windows1252);
        assert!(odd[0].fix.is_none());
        assert_eq!(
            odd[0].reason,
            "not rewritten: `→` (U+2192) cannot be written in windows-1252, the file's encoding; convert the file to UTF-8, or change it by hand"
        );
        // ASCII replacements are kept.
        refuse_unencodable(&mut findings, TextEncoding::Windows1252);
        assert!(findings[0].fix.is_some());
    }

    #[test]
    fn byte_maps_give_file_offsets() {
        // windows-1252: one byte per character.
        let text = "é = 'anthropic'";
        let map = ByteMap::new(text, TextEncoding::Windows1252).unwrap();
        let at = text.find("anthropic").unwrap();
        assert_eq!(map.file_offset(at), 5);
        assert_eq!(map.file_range(&(at..at + 9)), 5..14);
        assert_eq!(map.file_offset(0), 0);
        // UTF-16: the BOM (3 bytes in UTF-8, 2 in the file), then 2 or 4 bytes a character.
        let text = "\u{feff}🙂é 'anthropic'";
        for enc in [TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            let map = ByteMap::new(text, enc).unwrap();
            let at = text.find("anthropic").unwrap();
            let file = enc.encode(text).unwrap();
            let expected = enc.encode(&text[..at]).unwrap().len();
            assert_eq!(map.file_offset(at), expected);
            assert_eq!(
                &file[expected..expected + 2],
                enc.encode("a").unwrap().as_ref()
            );
            assert_eq!(map.file_offset(text.len()), file.len());
        }
        assert!(ByteMap::new("x", TextEncoding::Utf8).is_none());
    }
}
