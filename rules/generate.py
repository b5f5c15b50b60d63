#!/usr/bin/env python3
"""Generate rules/bedrock.toml (the bedrock-migrate lifecycle table) from the reference.

Usage (from /work/main):

    python3 rules/generate.py ../shared/reference > rules/bedrock.toml

Inputs, both in the reference directory:
  * bedrock-lifecycle.tsv -- one row per model ID (235 rows): dates, official replacements,
    profile prefixes, source citation.
  * bedrock-lifecycle.md  -- the fact sheet. Tables read: §1 (source keys), §4 (geography
    prefixes), §5 (Legacy/EOL rows: AWS replacement + "needs profile?" flag, secondary
    suggestions, notes), §6 (non-AWS suggestions), §7 (active rows: bare-ID on-demand
    Regions, mantle-only IDs, notes), §8 (provisioned-throughput / context-window variants).

Python 3.11 standard library only. The output is byte-for-byte deterministic: no clocks,
no environment, every set is sorted before it is written. Any inconsistency in the inputs
or any failed check aborts with a message on stderr and exit status 1; the TOML goes to
stdout only when every check passed.

The schema is documented in rules/README.md and mirrored by src/rules/schema.rs; do not
add keys here that the loader does not know (it uses deny_unknown_fields).
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import re
import sys
from pathlib import Path

TSV_NAME = "bedrock-lifecycle.tsv"
MD_NAME = "bedrock-lifecycle.md"
TSV_COLUMNS = [
    "model_id", "provider", "family", "state", "legacy_date", "extended_access_date",
    "eol_date", "replacement_id", "replacement_requires_profile", "profile_prefixes", "source",
]
EXPECTED_TSV_ROWS = 235
SCHEMA_VERSION = 1


class GenError(Exception):
    """A failed check; reported on stderr, exit status 1."""


def fail(msg: str) -> None:
    raise GenError(msg)


def warn(msg: str) -> None:
    print(f"generate.py: warning: {msg}", file=sys.stderr)


def info(msg: str) -> None:
    print(f"generate.py: {msg}", file=sys.stderr)


# ---------------------------------------------------------------------------------------
# Explicit tables (edit these, not bedrock.toml)
# ---------------------------------------------------------------------------------------

# Request-body family by model ID. First matching rule wins; a rule is (kind of match,
# pattern, body, kind). "prefix" matches the start of the ID, "exact" the whole ID.
# "Same body" means the same InvokeModel request/response JSON; swapping between bodies
# breaks InvokeModel callers (md §3 item 3). Providers not listed fall back to
# body = provider, kind = "text" (see body_and_kind()).
BODY_RULES: list[tuple[str, str, str, str]] = [
    # Anthropic Text Completions API (prompt / max_tokens_to_sample): Claude v1 ("Claude
    # v1.3"), v2, v2.1, Instant v1 and their PT variants (md §3 item 3, AWS
    # model-parameters-anthropic-claude-text-completion page).
    ("prefix", "anthropic.claude-v1", "anthropic-text-completions", "text"),
    ("prefix", "anthropic.claude-v2", "anthropic-text-completions", "text"),
    ("prefix", "anthropic.claude-instant-v1", "anthropic-text-completions", "text"),
    # Every other Anthropic ID speaks the Messages API (bedrock-runtime and the
    # bedrock-mantle short IDs alike, md §1 S21).
    ("prefix", "anthropic.", "anthropic-messages", "text"),
    # Amazon Titan Text (inputText / textGenerationConfig); titan-tg1-large is the
    # preview-era Titan Text Large.
    ("prefix", "amazon.titan-text-", "titan-text", "text"),
    ("exact", "amazon.titan-tg1-large", "titan-text", "text"),
    # Titan embeddings, incl. preview-era IDs titan-e1t-medium ("Titan Embeddings - Text
    # v1.1", mapping uncertain, md §9.7) and titan-embed-g1-text-02 (matched by the prefix).
    ("prefix", "amazon.titan-embed", "embedding", "embedding"),
    ("exact", "amazon.titan-e1t-medium", "embedding", "embedding"),
    ("prefix", "amazon.titan-image-generator-", "titan-image", "image"),
    # Nova: media models first, then the multimodal embeddings, then the understanding
    # (messages-v1) models: micro/lite/pro/premier, nova-2-lite, nova-2-pro-preview.
    ("prefix", "amazon.nova-canvas-", "nova-canvas", "image"),
    ("prefix", "amazon.nova-reel-", "nova-reel", "video"),
    ("prefix", "amazon.nova-sonic-", "nova-sonic", "speech"),
    ("prefix", "amazon.nova-2-sonic-", "nova-sonic", "speech"),
    ("prefix", "amazon.nova-2-multimodal-embeddings-", "embedding", "embedding"),
    ("prefix", "amazon.nova-", "nova-messages", "text"),
    ("prefix", "amazon.rerank-", "rerank", "rerank"),
    # AI21: Jurassic-2 (prompt / maxTokens) vs Jamba (messages) (md §3 item 3).
    ("prefix", "ai21.j2-", "ai21-jurassic", "text"),
    ("prefix", "ai21.jamba", "ai21-jamba", "text"),
    # Cohere: Command v14 (prompt) vs Command R/R+ (message / chat_history).
    ("prefix", "cohere.embed", "embedding", "embedding"),
    ("prefix", "cohere.rerank", "rerank", "rerank"),
    ("prefix", "cohere.command-r", "cohere-command-r", "text"),
    ("prefix", "cohere.command-text-v14", "cohere-command", "text"),
    ("prefix", "cohere.command-light-text-v14", "cohere-command", "text"),
    # Meta Llama: all share prompt / max_gen_len (chat template differs, md §5 notes).
    ("prefix", "meta.", "meta-llama", "text"),
    # Stability: SDXL (text_prompts, response "artifacts") vs the newer image services
    # (prompt, response "images") -- md §3 item 3. Every stability ID generates images.
    ("prefix", "stability.stable-diffusion-xl", "stability-sdxl", "image"),
    ("prefix", "stability.", "stability-image", "image"),
    ("prefix", "mistral.", "mistral", "text"),       # incl. Pixtral, Voxtral (text output)
    ("prefix", "openai.", "openai-chat", "text"),
    ("prefix", "deepseek.", "deepseek", "text"),
    ("prefix", "qwen.", "qwen", "text"),
    # TwelveLabs: Marengo is an embedding model; Pegasus is video understanding (video in,
    # text out) -- kind "video" so it never looks interchangeable with a text LLM.
    ("prefix", "twelvelabs.marengo-embed", "embedding", "embedding"),
    ("prefix", "twelvelabs.pegasus", "twelvelabs-pegasus", "video"),
    ("prefix", "luma.", "luma", "video"),             # Ray v2: video generation
    # Moonshot: runtime IDs use "moonshot.", mantle/newer IDs "moonshotai." (md §3 item 5);
    # same vendor and body, so one family.
    ("prefix", "moonshot.", "moonshot", "text"),
    ("prefix", "moonshotai.", "moonshot", "text"),
    # writer, google, minimax, nvidia, xai, zai: body = provider (fallback below).
]

# Models the md calls profile-only only in prose (md §3 item 1: "Every Claude model from
# Sonnet 4 / Opus 4 onward ... Llama 3.2 11B/90B ... are profile-only"), for rows whose
# table cells carry no on-demand information (they are Legacy/EOL rows of §5, which has no
# on-demand column). Everything else comes from the tables.
MD_S3_PROFILE_ONLY = [
    "anthropic.claude-opus-4-20250514-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "meta.llama3-2-11b-instruct-v1:0",
    "meta.llama3-2-90b-instruct-v1:0",
]

# Per-model caveats that the md states only in prose (md §3 item 4, breaking request
# changes of replacement targets); table cells already carry the others (e.g. Opus 4.7/4.8/5
# "sampling params rejected"). Appended to the model's notes.
MD_S3_NOTES = {
    "anthropic.claude-sonnet-4-5-20250929-v1:0": [
        "Returns HTTP 400 when both temperature and top_p are set: a Claude 3.x -> 4.5 swap "
        "can break callers that send both (Anthropic's Claude 4.5 migration guide)."],
    "anthropic.claude-haiku-4-5-20251001-v1:0": [
        "Returns HTTP 400 when both temperature and top_p are set: a Claude 3.x -> 4.5 swap "
        "can break callers that send both (Anthropic's Claude 4.5 migration guide)."],
    "anthropic.claude-opus-4-6-v1": [
        "Claude 4.6 models reject assistant prefill (HTTP 400) (S20)."],
    "anthropic.claude-sonnet-4-6": [
        "Claude 4.6 models reject assistant prefill (HTTP 400) (S20)."],
    "anthropic.claude-fable-5": [
        "Rejects temperature/top_p/top_k (HTTP 400 \"temperature is deprecated for this "
        "model\"), also when set via Converse inferenceConfig, and budget-based thinking "
        "(S20)."],
}

# Request parameters that replacement targets reject (md §3 item 4), as data the planner
# checks against the parameters visible at a call site: id -> (rejected alone, rejected
# together). Sonnet/Haiku 4.5 return 400 when temperature and top_p are both set (Anthropic's
# Claude 4.5 migration guides); Opus 4.7/4.8/5 and Fable 5 reject temperature, top_p and
# top_k (S20).
PARAMETER_RULES = {
    "anthropic.claude-sonnet-4-5-20250929-v1:0": ([], ["temperature", "top_p"]),
    "anthropic.claude-haiku-4-5-20251001-v1:0": ([], ["temperature", "top_p"]),
    "anthropic.claude-opus-4-7": (["temperature", "top_p", "top_k"], []),
    "anthropic.claude-opus-4-8": (["temperature", "top_p", "top_k"], []),
    "anthropic.claude-opus-5": (["temperature", "top_p", "top_k"], []),
    "anthropic.claude-fable-5": (["temperature", "top_p", "top_k"], []),
}

# Notes printed with findings must say what changes for the code that calls the model:
# request/response body, sampling parameters, prefill, thinking, tool use, chat template,
# embeddings. Everything else about a row (conflicts, scan observations) is provenance.
USER_FACING = re.compile(
    r"body|request|InvokeModel|Converse|temperature|top_p|top_k|prefill|thinking|tool use|"
    r"chat template|sampling|embed|vector|dimension",
    re.IGNORECASE,
)

# Suggestions found in md §5/§6 that name an exact model ID but must NOT become a
# `provenance = "suggested"` replacement of that row. (old id, suggested id) -> reason.
# Every entry must match something in the md (checked), so a stale entry is noticed.
REJECTED_SUGGESTIONS = {
    ("anthropic.claude-opus-4-20250514-v1:0", "anthropic.claude-opus-4-8"):
        "md §5 says S17 suggests it 'for Opus 4.1' (the official replacement), not for "
        "Opus 4; the chain Opus 4 -> Opus 4.1 -> Opus 4.8 reaches it",
    ("amazon.titan-text-express-v1", "amazon.nova-lite-v1:0"):
        "older S16 version, conflicts with AWS (md §9.4: use AWS)",
    ("amazon.titan-text-lite-v1", "amazon.nova-micro-v1:0"):
        "older S16 version, conflicts with AWS (md §9.4: use AWS)",
}

# [sources] citations: a short label (paraphrasing the md §1 entry) and where the URL
# comes from. "url:X" -- X must occur verbatim in the md §1 entry of that key;
# "gh:owner/repo[/rest]" -- owner/repo must occur in the md §1 entry, URL is
# https://github.com/owner/repo[/rest]; "aws:page.html" -- the md §1 entry names the page
# file of the AWS Bedrock User Guide; None -- the md gives no URL (said so in the value).
SOURCE_LABELS: dict[str, tuple[str, str | None]] = {
    "S1": ("AWS Bedrock Model lifecycle page, snapshot ~2025-11-13 (has recommended "
           "replacement IDs)",
           "url:https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html"),
    "S2": ("AWS Bedrock Model lifecycle page (Markdown form), snapshot ~2026-05-26..28",
           "url:https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.md"),
    "S3": ("AWS Bedrock Model lifecycle (Legacy) page, snapshot ~Sep-Oct 2026",
           "url:https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.html"),
    "S4": ("AWS Bedrock Supported foundation models page, fetched 2026-02-15 (saved copy "
           "in diasba/bedrock-rag-eval)", "gh:diasba/bedrock-rag-eval"),
    "S5": ("mirai73/bedrock-models: daily ListFoundationModels/ListInferenceProfiles and "
           "bedrock-mantle scans of every Region, 2025-11-22..2026-08-21 (API-derived, "
           "third party)", "gh:mirai73/bedrock-models"),
    "S6": ("aws/aws-cdk aws-bedrock/lib/foundation-model.ts: AWS-published model-ID "
           "constants incl. preview-era and context-window variant IDs", "gh:aws/aws-cdk"),
    "S7": ("Anthropic docs, Claude on Amazon Bedrock (legacy / Opus 4.6 and earlier)",
           "url:https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock-legacy"),
    "S8": ("Anthropic docs, Claude in Amazon Bedrock (Messages-API endpoint)",
           "url:https://platform.claude.com/docs/en/build-with-claude/claude-in-amazon-bedrock"),
    "S9": ("LiteLLM model_prices_and_context_window.json (BerriAI/litellm, read via mirror "
           "RoCry/llm-api-price @ 2026-07-24; secondary)", "gh:BerriAI/litellm"),
    "S10": ("awslabs/startups plugin reference ai-model-lifecycle.md (as of 2026-05-26) "
            "and its PRs #131, #307 (secondary)", "gh:awslabs/startups"),
    "S11": ("AWS Bedrock API/CloudFormation reference: model and inference-profile "
            "identifier patterns",
            "url:https://docs.aws.amazon.com/bedrock/latest/APIReference/API_EvaluationBedrockModel.html"),
    "S12": ("api-evangelist/amazon-nova lifecycle/amazon-nova-lifecycle.yml, generated "
            "2026-09-01 (secondary)", "gh:api-evangelist/amazon-nova"),
    "S13": ("AWS Bedrock model cards for Claude 3 Haiku and Claude 3.5 Haiku (EOL dates)",
            "aws:model-card-anthropic-claude-3-haiku.html"),
    "S14": ("AWS customer notification e-mail for Claude 3.5 Sonnet v1, quoted in "
            "posit-dev/positron issue #9339 (2025-09-08)",
            "gh:posit-dev/positron/issues/9339"),
    "S15": ("Error text for bare-ID calls to profile-only models (Qiita)",
            "url:https://qiita.com/k5ki/items/7c4f4567043482bb4521"),
    "S16": ("stdapi-ai/stdapi.ai DEPRECATED_MODELS mapping, two versions (secondary; "
            "contradicts S1 on Titan Express/Lite)", "gh:stdapi-ai/stdapi.ai"),
    "S17": ("GAISe model registry doc, audited 2026-08-20 (secondary; suggested "
            "replacements)", None),
    "S18": ("research note with a July 2026 ListInferenceProfiles sample (Region-less "
            "global foundation-model ARN)", None),
    "S19": ("vercel/ai release @ai-sdk/amazon-bedrock@5.0.99 / @4.0.186 (2026-09-28): "
            "adds anthropic.claude-sonnet-5-5", "gh:vercel/ai"),
    "S20": ("Claude Opus 4.7+ breaking changes: OpenRouter migration guide and GitHub "
            "reports of HTTP 400 'temperature is deprecated'",
            "url:https://openrouter.ai/docs/guides/evaluate-and-optimize/model-migrations/claude-4-7"),
    "S21": ("AWS Bedrock, Inference using the Anthropic Messages API (bedrock-runtime and "
            "bedrock-mantle)",
            "url:https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html"),
    "S22": ("community PRs (md S22/S23): strands-agents/samples #299 (2026-08-31), "
            "browser-use/browser-use #5448 (2026-08-11), aws-samples/aws-genai-llm-chatbot "
            "#733, javaBin/platform #47", "gh:strands-agents/samples/pull/299"),
    "S23": ("community PRs (md S22/S23): strands-agents/samples #299, browser-use/browser-use "
            "#5448, aws-samples/aws-genai-llm-chatbot #733, javaBin/platform #47",
            "gh:strands-agents/samples/pull/299"),
}
AWS_USERGUIDE = "https://docs.aws.amazon.com/bedrock/latest/userguide/"

STATE_VALUES = {"active", "legacy", "eol", "unknown"}
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
REGION_RE = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d")
# A source key; "S7-n/a" (md: source not applicable to this row) is not a citation.
SOURCE_KEY_RE = re.compile(r"\bS(\d{1,2})\b(?!-n/a)")
ID_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9.:_*-]*")


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------

def parse_date(text: str, where: str) -> _dt.date:
    if not DATE_RE.fullmatch(text):
        fail(f"{where}: not a YYYY-MM-DD date: {text!r}")
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{where}: invalid calendar date: {text!r}")
    raise AssertionError


def source_keys(text: str) -> set[str]:
    return {f"S{int(n)}" for n in SOURCE_KEY_RE.findall(text)}


def key_order(key: str) -> int:
    return int(key[1:])


def split_top(text: str, seps: str) -> list[str]:
    """Split on any char of `seps` that is outside (), [] and double quotes."""
    out, cur, depth, quoted = [], [], 0, False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0 and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def balanced_paren_after(text: str, pos: int) -> str | None:
    """If text[pos:] starts (after spaces) with '(', return the balanced inner text."""
    i = pos
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text) or text[i] != "(":
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
    return None


def clean_citation(paren: str) -> str:
    """'S17, S10 PR#307: "replacement: Claude Haiku 4.5"' -> 'S17, S10 PR#307'."""
    text = re.sub(r'"[^"]*"', "", paren)
    text = text.split(":", 1)[0]
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" ,;")


def split_sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    if not text:
        return []
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return [p.strip() for p in parts if p.strip()]


# ---------------------------------------------------------------------------------------
# Reading the inputs
# ---------------------------------------------------------------------------------------

def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        fail(f"{path}: empty")
    header = lines[0].rstrip("\r").split("\t")
    if header != TSV_COLUMNS:
        fail(f"{path}: unexpected header {header}")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.rstrip("\r").split("\t")
        if len(cells) != len(TSV_COLUMNS):
            fail(f"{path}:{n}: {len(cells)} columns, expected {len(TSV_COLUMNS)}")
        row = {k: v.strip() for k, v in zip(TSV_COLUMNS, cells)}
        row["_line"] = str(n)
        if row["state"] not in STATE_VALUES:
            fail(f"{path}:{n}: unknown state {row['state']!r}")
        rows.append(row)
    return rows


class Md:
    """The parts of bedrock-lifecycle.md the generator uses."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.sections = self._sections()
        m = re.search(r"As-of date for the `state` column: \*\*(\d{4}-\d{2}-\d{2})\*\*",
                      self.text)
        if not m:
            fail(f"{path}: as-of date not found")
        self.as_of = parse_date(m.group(1), f"{path}: as-of date")

    def _sections(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        cur = None
        for line in self.text.split("\n"):
            m = re.match(r"## (\d+)\. ", line)
            if m:
                cur = int(m.group(1))
                out[cur] = []
            elif cur is not None:
                out[cur].append(line)
        return out

    def table(self, sec: int) -> list[list[str]]:
        """Rows (without header and separator) of the first table of section `sec`."""
        rows, started = [], False
        for line in self.sections.get(sec, []):
            if line.startswith("|"):
                started = True
                body = line.strip()
                if not body.endswith("|"):
                    fail(f"{self.path} §{sec}: table row does not end with '|': {line[:60]}")
                cells = re.split(r"(?<!\\)\|", body[1:-1])
                rows.append([c.replace("\\|", "|").strip() for c in cells])
            elif started:
                break
        if len(rows) < 2:
            fail(f"{self.path} §{sec}: no table found")
        width = len(rows[0])
        for r in rows:
            if len(r) != width:
                fail(f"{self.path} §{sec}: row with {len(r)} cells, header has {width}: "
                     f"{r[0]}")
        return rows[2:]

    def source_entries(self) -> dict[str, str]:
        """§1 bullets '- **S1** — text' (and '**S22/S23**') -> key -> text."""
        out = {}
        for line in self.sections.get(1, []):
            m = re.match(r"- \*\*(S\d+(?:/S\d+)*)\*\* — (.*)$", line)
            if m:
                for key in m.group(1).split("/"):
                    out[key] = m.group(2)
        return out

    def geo_prefixes(self) -> list[str]:
        out = []
        for row in self.table(4):
            m = re.fullmatch(r"`([a-z-]+)\.`", row[0])
            if not m:
                fail(f"{self.path} §4: bad prefix cell {row[0]!r}")
            out.append(m.group(1))
        return out


def strip_ticks(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith("`") and cell.endswith("`"):
        return cell[1:-1]
    return cell


def split_notes(cell: str) -> tuple[str, str]:
    """'free text [sources]' -> ('free text', 'sources'); the last balanced [...] group."""
    cell = cell.strip()
    if not cell.endswith("]"):
        return cell, ""
    depth = 0
    for i in range(len(cell) - 1, -1, -1):
        if cell[i] == "]":
            depth += 1
        elif cell[i] == "[":
            depth -= 1
            if depth == 0:
                return cell[:i].strip(), cell[i + 1:-1].strip()
    return cell, ""


# ---------------------------------------------------------------------------------------
# Lifecycle date cells -> per-Region groups
# ---------------------------------------------------------------------------------------

def parse_date_cell(cell: str, where: str):
    """'2025-08-25[us-east-1,us-east-2];2026-01-30[ap-northeast-1]' or '2026-01-27;
    2026-04-30[us-gov-east-1]' -> (default date or None, {region: date}, conflicts).

    A part without brackets applies to every Region not named elsewhere in the column.
    A Region named in two parts of one column is a source CONFLICT: the parts are written
    oldest source first (e.g. Claude 3 Sonnet: S1 2025 dates, then S2 2026 dates), so the
    LAST listed part wins -- the later source (S2) is newer than S1.
    """
    default = None
    per_region: dict[str, _dt.date] = {}
    conflicts = []
    if not cell:
        return default, per_region, conflicts
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"([0-9-]+)(?:\[([^\]]*)\])?", part)
        if not m:
            fail(f"{where}: cannot parse date part {part!r}")
        d = parse_date(m.group(1), where)
        if m.group(2) is None:
            if default is not None:
                fail(f"{where}: two date parts without Regions")
            default = d
            continue
        regions = [r.strip() for r in m.group(2).split(",") if r.strip()]
        if not regions:
            fail(f"{where}: empty Region list in {part!r}")
        for r in regions:
            if not REGION_RE.fullmatch(r):
                fail(f"{where}: bad Region {r!r}")
            if r in per_region and per_region[r] != d:
                conflicts.append((r, per_region[r], d))
            per_region[r] = d  # later part wins (newer source)
    return default, per_region, conflicts


def build_groups(row: dict[str, str]):
    """-> (groups, conflict notes). A group is {'regions': [...], 'legacy': date|None,
    'extended_access': ..., 'eol': ...}; regions == [] is the bracket-less default."""
    cols = [("legacy", "legacy_date"), ("extended_access", "extended_access_date"),
            ("eol", "eol_date")]
    parsed = {}
    notes = []
    for key, col in cols:
        where = f"TSV line {row['_line']} ({row['model_id']}) {col}"
        default, per_region, conflicts = parse_date_cell(row[col], where)
        parsed[key] = (default, per_region)
        by_pair: dict[tuple[_dt.date, _dt.date], list[str]] = {}
        for r, old, new in conflicts:
            by_pair.setdefault((old, new), []).append(r)
        for (old, new), regions in sorted(by_pair.items()):
            notes.append(
                f"CONFLICT resolved by the generator: {key.replace('_', ' ')} date for "
                f"{', '.join(sorted(regions))} is listed twice ({old} and {new}); the later "
                f"listed, newer source wins: {new}.")
    regions = sorted({r for _, (_, pr) in parsed.items() for r in pr})
    triples: dict[tuple, list[str]] = {}
    for r in regions:
        triple = tuple(pr.get(r, default) for default, pr in
                       (parsed[k] for k, _ in cols))
        triples.setdefault(triple, []).append(r)
    default_triple = tuple(parsed[k][0] for k, _ in cols)

    def mk(regs, triple):
        return {"regions": regs, "legacy": triple[0], "extended_access": triple[1],
                "eol": triple[2]}

    far = _dt.date.max
    groups = [mk(sorted(regs), t) for t, regs in triples.items()]
    groups.sort(key=lambda g: (g["eol"] or far, g["legacy"] or far,
                               g["extended_access"] or far, g["regions"]))
    if any(d is not None for d in default_triple):
        groups.append(mk([], default_triple))
    return groups, notes


def check_group_order(model_id: str, groups) -> None:
    for g in groups:
        seq = [(k, g[k]) for k in ("legacy", "extended_access", "eol") if g[k] is not None]
        for (k1, d1), (k2, d2) in zip(seq, seq[1:]):
            if d1 > d2:
                fail(f"{model_id}: lifecycle group {g['regions'] or '(all)'}: "
                     f"{k1} {d1} is after {k2} {d2}")


def derived_state(groups, as_of: _dt.date) -> str:
    """Same rule as src/rules/lifecycle.rs with no Region: earliest date of each kind."""
    def earliest(k):
        ds = [g[k] for g in groups if g[k] is not None]
        return min(ds) if ds else None
    eol, legacy, ext = earliest("eol"), earliest("legacy"), earliest("extended_access")
    if eol is not None and eol <= as_of:
        return "eol"
    if (legacy is not None and legacy <= as_of) or (ext is not None and ext <= as_of):
        return "legacy"
    return "active"


# ---------------------------------------------------------------------------------------
# Body / kind / name
# ---------------------------------------------------------------------------------------

def body_and_kind(model_id: str) -> tuple[str, str]:
    for how, pat, body, kind in BODY_RULES:
        if (how == "prefix" and model_id.startswith(pat)) or \
           (how == "exact" and model_id == pat):
            return body, kind
    provider = model_id.split(".", 1)[0]
    return provider, "text"


def s1_display_name(source: str) -> str | None:
    m = re.search(r'S1 ?\(name "([^"]+)"', source)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------
# Flags "(yes|no|region-dependent(...)|n/a(...))" and §7 on-demand cells
# ---------------------------------------------------------------------------------------

def flag_on_demand(flag: str, where: str):
    """Replacement 'needs profile?' flag -> (on_demand or None, regions)."""
    flag = flag.strip()
    if flag == "yes":
        return False, []
    if flag == "no" or flag.startswith("no("):
        return True, []
    m = re.fullmatch(r"region-dependent\(on-demand in ([a-z0-9 -]+)\)", flag)
    if m:
        regs = m.group(1).split()
        for r in regs:
            if not REGION_RE.fullmatch(r):
                fail(f"{where}: bad Region {r!r} in flag {flag!r}")
        return True, sorted(regs)
    if flag.startswith("n/a"):
        return None, []
    fail(f"{where}: unknown replacement flag {flag!r}")
    raise AssertionError


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------

class Model:
    def __init__(self, model_id: str) -> None:
        self.id = model_id
        self.name = ""
        self.provider = model_id.split(".", 1)[0]
        self.body = ""
        self.kind = "text"
        self.state: str | None = None
        self.on_demand: bool | None = None  # None: unknown -> default (true), key omitted
        self.on_demand_regions: list[str] = []
        self.profiles: list[str] = []
        self.endpoint: str | None = None
        self.variant_of: str | None = None
        self.sources: set[str] = set()
        self.citation = ""
        self.notes: list[str] = []
        self.lifecycle: list[dict] = []
        self.replacements: list[dict] = []
        self.tsv_state = ""
        self.family = ""
        self.on_demand_evidence: list[tuple[str, bool | None, list[str]]] = []
        self.notes_generated: list[str] = []


def generate(ref: Path) -> str:
    tsv = read_tsv(ref / TSV_NAME)
    md = Md(ref / MD_NAME)
    as_of = md.as_of

    # ---- ids, duplicates, md table coverage ------------------------------------------
    tsv_ids = [r["model_id"] for r in tsv]
    seen: set[str] = set()
    for r in tsv:
        if r["model_id"] in seen:
            fail(f"duplicate model id in TSV: {r['model_id']}")
        seen.add(r["model_id"])
    if len(tsv) != EXPECTED_TSV_ROWS:
        fail(f"TSV has {len(tsv)} rows, expected {EXPECTED_TSV_ROWS}")

    md5 = {strip_ticks(r[0]): r for r in md.table(5)}
    md7 = {strip_ticks(r[0]): r for r in md.table(7)}
    md8 = {strip_ticks(r[0]): r for r in md.table(8)}
    md6 = md.table(6)
    for name, tab in (("§5", md.table(5)), ("§7", md.table(7)), ("§8", md.table(8))):
        ids = [strip_ticks(r[0]) for r in tab]
        if len(ids) != len(set(ids)):
            fail(f"md {name}: duplicate ids")
    overlap = (set(md5) & set(md7)) | (set(md5) & set(md8)) | (set(md7) & set(md8))
    if overlap:
        fail(f"md: ids in more than one of §5/§7/§8: {sorted(overlap)}")
    md_ids = set(md5) | set(md7) | set(md8)
    missing_in_md = sorted(seen - md_ids)
    if missing_in_md:
        fail(f"TSV ids not in md §5/§7/§8: {missing_in_md}")
    extra_5_8 = sorted((set(md5) | set(md8)) - seen)
    if extra_5_8:
        fail(f"md §5/§8 ids not in the TSV (only §7 extras are accepted): {extra_5_8}")
    extra_7 = sorted(set(md7) - seen)  # md order would also do; sorted is deterministic
    if extra_7:
        info(f"md §7 lists {len(extra_7)} active id(s) the TSV lacks; included: "
             f"{', '.join(extra_7)}")

    # ---- geo prefixes, sources --------------------------------------------------------
    geo = md.geo_prefixes()
    if len(geo) != len(set(geo)):
        fail("md §4: duplicate geography prefixes")
    md_sources = md.source_entries()

    # ---- base model objects from the TSV (+ §7 extras) --------------------------------
    models: dict[str, Model] = {}
    order: list[str] = []
    for r in tsv:
        m = Model(r["model_id"])
        m.tsv_state = r["state"]
        m.family = r["family"]
        m.citation = r["source"]
        m.sources |= source_keys(r["source"])
        prefixes = [p.strip() for p in r["profile_prefixes"].split(",") if p.strip()]
        for p in prefixes:
            if p not in geo:
                fail(f"{m.id}: profile prefix {p!r} is not in md §4")
        if len(prefixes) != len(set(prefixes)):
            fail(f"{m.id}: duplicate profile prefixes")
        m.profiles = prefixes  # TSV order (as in the md), kept
        models[m.id] = m
        order.append(m.id)
    for mid in extra_7:
        row = md7[mid]
        m = Model(mid)
        m.tsv_state = "active"
        m.family = row[1].split(" / ", 1)[-1]
        notes_text, src = split_notes(row[4])
        m.citation = src
        m.sources |= source_keys(src)
        m.profiles = [] if row[3] in ("—", "") else [p.strip() for p in row[3].split(",")]
        models[mid] = m
        order.append(mid)
    all_ids = set(order)
    tsv_by_id = {r["model_id"]: r for r in tsv}

    # ---- variants (md §8) --------------------------------------------------------------
    for vid in md8:
        base = vid
        while ":" in base:
            base = base.rsplit(":", 1)[0]
            if base in all_ids and base not in md8:
                break
        else:
            fail(f"md §8 variant {vid}: no base model row found")
        models[vid].variant_of = base
    for mid in order:
        if "variant" in models[mid].family.lower() and models[mid].variant_of is None:
            fail(f"{mid}: TSV family says variant but md §8 does not list it")

    # ---- body, kind ---------------------------------------------------------------------
    for mid in order:
        m = models[mid]
        m.body, m.kind = body_and_kind(mid)
    for mid in order:
        m = models[mid]
        if m.variant_of:
            b = models[m.variant_of]
            if (m.body, m.kind) != (b.body, b.kind):
                fail(f"{mid}: body/kind {m.body}/{m.kind} differs from base "
                     f"{b.id} {b.body}/{b.kind}")

    # ---- names --------------------------------------------------------------------------
    fam_count: dict[str, int] = {}
    for mid in order:
        fam_count[models[mid].family] = fam_count.get(models[mid].family, 0) + 1
    for mid in order:
        m = models[mid]
        s1 = s1_display_name(m.citation)
        if m.variant_of:
            continue  # named after their base, below
        if s1:
            m.name = s1  # AWS display name (S1 lifecycle table)
        elif fam_count[m.family] == 1:
            m.name = m.family
        else:  # family shared by several IDs (e.g. "Qwen3"): add the model part of the ID
            m.name = f"{m.family} [{mid.split('.', 1)[1]}]"
    for mid in order:
        m = models[mid]
        if m.variant_of:
            # "Claude 3 Opus (PT context-window variant)" -> base name + "(PT
            # context-window variant :12k)"
            desc = re.search(r"\(([^()]*variant)\)\s*$", m.family)
            if not desc:
                fail(f"{mid}: cannot find the variant description in family {m.family!r}")
            m.name = (f"{models[m.variant_of].name} "
                      f"({desc.group(1)} {mid[len(m.variant_of):]})")
    for mid in order:
        if not models[mid].name:
            fail(f"{mid}: empty name")

    # ---- lifecycle groups ---------------------------------------------------------------
    for mid in order:
        m = models[mid]
        if mid in tsv_by_id:
            m.lifecycle, conflict_notes = build_groups(tsv_by_id[mid])
            m.notes_generated = conflict_notes
        else:
            m.lifecycle, m.notes_generated = [], []
        check_group_order(mid, m.lifecycle)
    for mid in order:
        m = models[mid]
        if m.variant_of:
            base = models[m.variant_of]
            if not m.lifecycle:
                m.lifecycle = [dict(g, regions=list(g["regions"])) for g in base.lifecycle]
            elif m.lifecycle != base.lifecycle:
                warn(f"{mid}: TSV dates differ from base {base.id}; the variant's own TSV "
                     f"dates are used")

    # ---- state: explicit only for rows with no dates at all ------------------------------
    state_counts: dict[str, int] = {}
    for mid in order:
        m = models[mid]
        state_counts[m.tsv_state] = state_counts.get(m.tsv_state, 0) + 1
        if m.lifecycle:
            got = derived_state(m.lifecycle, as_of)
            if got != m.tsv_state:
                fail(f"{mid}: dates give state {got!r} on {as_of}, TSV says "
                     f"{m.tsv_state!r}")
        elif m.tsv_state in ("eol", "legacy"):
            m.state = m.tsv_state
        elif m.tsv_state == "unknown":
            pass  # no state key: the loader has no "unknown"; see README caveats
        # active without dates: nothing to write

    for pid in PARAMETER_RULES:
        if pid not in models:
            fail(f"PARAMETER_RULES names {pid}, which is not in the reference")

    # ---- notes and md cross-checks -----------------------------------------------------
    for mid in order:
        m = models[mid]
        row = md5.get(mid) or md7.get(mid)
        notes: list[str] = []
        if row is not None:
            notes_text, bracket = split_notes(row[-1])
            if bracket != m.citation:
                fail(f"{mid}: md sources bracket differs from the TSV source column")
            notes += split_sentences(notes_text)
            m.sources |= source_keys(notes_text)
        elif mid in md8:
            if md8[mid][3] != m.citation:
                fail(f"{mid}: md §8 sources differ from the TSV source column")
        # Source caveats (CONFLICT / PARTIAL / UNCERTAIN) stay in `citation`, where
        # `rules show` prints them; `notes` travel with every finding, so they keep only
        # what changes for the caller (see USER_FACING).
        notes = [n for n in notes if USER_FACING.search(n)]
        notes += MD_S3_NOTES.get(mid, [])
        if m.tsv_state == "unknown":
            notes.append("Lifecycle state unknown: AWS lists no dates for it, so the table "
                         "treats it as active; verify before use.")
        dedup: list[str] = []
        for n in notes:
            if n not in dedup:
                dedup.append(n)
        m.notes = dedup
        for n in m.notes:
            m.sources |= source_keys(n)

    # ---- on-demand ------------------------------------------------------------------------
    def evidence(target: str, what: str, od: bool | None, regs: list[str]) -> None:
        if target not in models:
            fail(f"{what}: unknown model {target}")
        models[target].on_demand_evidence.append((what, od, regs))

    # md §5 "AWS replacement (replacement needs profile?)" and the TSV columns.
    for mid in order:
        r = tsv_by_id.get(mid)
        if r is None:
            continue
        rep = r["replacement_id"]
        flags = r["replacement_requires_profile"]
        reps = [x.strip() for x in rep.split("|")] if rep else []
        fls = [x.strip() for x in flags.split("|")] if flags else []
        if len(reps) != len(fls):
            fail(f"{mid}: {len(reps)} replacement ids but {len(fls)} profile flags")
        if mid in md5:
            cell = md5[mid][6]
            if cell.startswith("—"):
                md_reps, md_flags = [], []
            else:
                mm = re.fullmatch(r"(\S+) \((.*)\)", cell)
                if not mm:
                    fail(f"md §5 {mid}: cannot parse AWS replacement cell {cell!r}")
                md_reps = mm.group(1).split("|")
                md_flags = split_top(mm.group(2), "|")
            if md_reps != reps or md_flags != fls:
                fail(f"{mid}: md §5 AWS replacement {cell!r} disagrees with TSV "
                     f"{rep!r} ({flags!r})")
        elif reps:
            fail(f"{mid}: TSV replacement but row is not in md §5")
        for target, fl in zip(reps, fls):
            od, regs = flag_on_demand(fl, f"{mid} replacement flag")
            if target in models:
                evidence(target, f"md §5 flag on {mid}", od, regs)

    # md §5 notes "Profile-only ..." (without "except") for Legacy/EOL rows.
    for mid, row in md5.items():
        for sent in split_sentences(split_notes(row[-1])[0]):
            if sent.startswith("Profile-only") and "except" not in sent:
                evidence(mid, "md §5 note 'Profile-only'", False, [])
    # md §3 item 1 prose (table above).
    for mid in MD_S3_PROFILE_ONLY:
        evidence(mid, "md §3 item 1", False, [])
    # md §7 "bare-ID on-demand Regions observed".
    for mid, row in md7.items():
        cell = row[2]
        if cell == "none (profile-only)":
            evidence(mid, "md §7", False, [])
        elif cell == "mantle-only ID":
            models[mid].endpoint = "mantle"
        elif cell.startswith("n/a"):
            # Not observed (newer than the API scan). A model that has system profiles is
            # taken as profile-only: a bare rewrite to it could fail at run time, while a
            # prefixed one cannot (md §3 item 1: every Claude model since Sonnet 4 is).
            if models[mid].profiles:
                evidence(mid, "md §7 n/a with profiles", False, [])
        else:
            regs = [x.strip() for x in cell.split(",")]
            for x in regs:
                if not REGION_RE.fullmatch(x):
                    fail(f"md §7 {mid}: bad Region {x!r}")
            evidence(mid, "md §7", True, sorted(regs))
    # md §8: variants are provisioned-throughput / context-window IDs, "not valid
    # on-demand IDs".
    for vid in md8:
        evidence(vid, "md §8", False, [])

    for mid in order:
        m = models[mid]
        ev = [(w, od, regs) for w, od, regs in m.on_demand_evidence if od is not None]
        if not ev:
            continue
        values = {od for _, od, _ in ev}
        if len(values) != 1:
            fail(f"{mid}: contradictory on-demand evidence: {ev}")
        m.on_demand = values.pop()
        region_sets = {tuple(regs) for _, _, regs in ev if regs}
        if len(region_sets) > 1:
            fail(f"{mid}: different on-demand Region lists: {sorted(region_sets)}")
        if region_sets:
            m.on_demand_regions = list(region_sets.pop())
    mantle = [mid for mid in order if models[mid].endpoint == "mantle"]
    for mid in mantle:
        if models[mid].on_demand is False or models[mid].profiles:
            fail(f"{mid}: mantle-only ID with profile information")

    # ---- replacements -----------------------------------------------------------------------
    # Official: TSV replacement_id split on '|', in order (AWS S1).
    for mid in order:
        r = tsv_by_id.get(mid)
        if r and r["replacement_id"]:
            for target in r["replacement_id"].split("|"):
                models[mid].replacements.append(
                    {"id": target.strip(), "provenance": "official", "source": "S1"})
                models[mid].sources.add("S1")

    providers = {x.split(".", 1)[0] for x in all_ids}
    used_rejections: set[tuple[str, str]] = set()
    unmapped: list[str] = []

    def add_suggestion(old: str, target: str, citation: str, where: str) -> None:
        m = models[old]
        if (old, target) in REJECTED_SUGGESTIONS:
            used_rejections.add((old, target))
            return
        if target == old:
            return
        if any(x["id"] == target for x in m.replacements):
            return  # already official, or already suggested by an earlier column (§5 wins)
        if not citation:
            fail(f"{where}: suggestion {target} for {old} has no citation; add it to "
                 f"REJECTED_SUGGESTIONS or fix the md")
        m.replacements.append({"id": target, "provenance": "suggested", "source": citation})
        m.sources |= source_keys(citation)

    def suggestions_in(text: str, backticked: bool):
        """Yield (id, citation) for each exact known id in the cell, in order."""
        if backticked:
            it = ((mt.group(1), mt.end()) for mt in re.finditer(r"`([^`]+)`", text))
        else:
            it = ((mt.group(0).rstrip(".,;:)"), mt.end()) for mt in ID_TOKEN_RE.finditer(text))
        for tok, end in it:
            if tok in all_ids:
                paren = balanced_paren_after(text, end)
                yield tok, clean_citation(paren) if paren is not None else ""
            elif tok.split(".", 1)[0] in providers:
                unmapped.append(f"{tok} (not a model row)")

    # md §5 "secondary replacement suggestions (NOT AWS)".
    for mid, row in md5.items():
        cell = row[8]
        for target, cit in suggestions_in(cell, backticked=False):
            add_suggestion(mid, target, cit, f"md §5 {mid}")
    # md §6 "non-AWS suggestions seen" (old ids in the first column; globs expanded).
    for row in md6:
        olds: list[str] = []
        for tok in re.findall(r"`([^`]+)`", row[0]):
            if "*" in tok:
                hits = sorted(x for x in all_ids if fnmatch.fnmatchcase(x, tok))
                if not hits:
                    fail(f"md §6: pattern {tok} matches no model")
                olds += hits
            elif tok in all_ids:
                olds.append(tok)
            else:
                fail(f"md §6: unknown old id {tok}")
        for target, cit in suggestions_in(row[4], backticked=True):
            for old in olds:
                add_suggestion(old, target, cit, f"md §6 {old}")

    for mid in order:
        m = models[mid]
        if m.kind == "embedding" and m.replacements:
            m.notes.append("Embedding model: a replacement produces vectors in a different "
                           "space; re-embed stored data, never swap the ID alone.")
    for mid in MD_S3_NOTES:
        if mid not in models:
            fail(f"MD_S3_NOTES: unknown model {mid}")

    stale = sorted(set(REJECTED_SUGGESTIONS) - used_rejections)
    if stale:
        fail(f"REJECTED_SUGGESTIONS entries no longer found in the md: {stale}")

    # ---- hard checks ----------------------------------------------------------------------
    for mid in order:
        m = models[mid]
        for x in m.replacements:
            if x["id"] not in all_ids:
                fail(f"{mid}: replacement {x['id']} is not a model row")
        ids = [x["id"] for x in m.replacements]
        if len(ids) != len(set(ids)):
            fail(f"{mid}: duplicate replacement")
        if m.variant_of and m.replacements:
            fail(f"{mid}: variant rows take no replacements")
        for p in m.profiles:
            if p not in geo:
                fail(f"{mid}: profile {p} not in geo_prefixes")
    used_sources = set()
    for mid in order:
        used_sources |= models[mid].sources
        for x in models[mid].replacements:
            if x["provenance"] == "official":
                used_sources.add(x["source"])
    sources_out: dict[str, str] = {}
    for key in sorted(used_sources, key=key_order):
        if key not in md_sources:
            fail(f"source key {key} is used but not defined in md §1")
        if key not in SOURCE_LABELS:
            fail(f"source key {key} has no entry in SOURCE_LABELS")
        label, spec = SOURCE_LABELS[key]
        entry = md_sources[key]
        if spec is None:
            url = "no URL given in the reference"
        elif spec.startswith("url:"):
            url = spec[4:]
            if url not in entry:
                fail(f"{key}: URL {url} does not occur in md §1")
        elif spec.startswith("gh:"):
            path = spec[3:]
            repo = "/".join(path.split("/")[:2])
            if repo not in entry:
                fail(f"{key}: repository {repo} does not occur in md §1")
            url = "https://github.com/" + path
        elif spec.startswith("aws:"):
            page = spec[4:]
            if page not in entry:
                fail(f"{key}: page {page} does not occur in md §1")
            url = AWS_USERGUIDE + page
        else:
            fail(f"{key}: bad URL spec {spec!r}")
        sources_out[key] = f"{label} — {url}"
    for mid in order:
        for key in models[mid].sources:
            if key not in sources_out:
                fail(f"{mid}: source {key} not defined in [sources]")

    # ---- summary on stderr ----------------------------------------------------------------
    n_off = sum(1 for mid in order for x in models[mid].replacements
                if x["provenance"] == "official")
    n_sug = sum(1 for mid in order for x in models[mid].replacements
                if x["provenance"] == "suggested")
    info(f"as-of {as_of}; {len(tsv)} TSV rows, {len(order)} model rows "
         f"({len(md8)} variants, {len(mantle)} mantle-only)")
    info("TSV state counts: " + ", ".join(f"{k}={state_counts[k]}"
                                          for k in sorted(state_counts)))
    info(f"replacements: official={n_off} suggested={n_sug}; "
         f"explicit state on {sum(1 for mid in order if models[mid].state)} rows")
    for u in sorted(set(unmapped)):
        info(f"md suggestion not mapped: {u}")

    return render(models, order, geo, sources_out, as_of)


# ---------------------------------------------------------------------------------------
# TOML output
# ---------------------------------------------------------------------------------------

def q(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def arr(items: list[str]) -> str:
    return "[" + ", ".join(q(x) for x in items) + "]"


def render(models, order, geo, sources, as_of) -> str:
    L: list[str] = []
    L.append(f"# Generated by rules/generate.py from shared/reference (bedrock-lifecycle.md "
             f"and .tsv), as-of date {as_of}.")
    L.append("# Do not edit by hand: edit rules/generate.py (or layer a user overlay with "
             "--rules). Format: rules/README.md.")
    L.append("# Regenerate from /work/main: python3 rules/generate.py ../shared/reference > "
             "rules/bedrock.toml")
    L.append("")
    L.append(f"schema_version = {SCHEMA_VERSION}")
    L.append(f"geo_prefixes = {arr(geo)}")
    L.append("")
    L.append("[sources]")
    for k, v in sources.items():
        L.append(f"{k} = {q(v)}")
    for mid in order:
        m = models[mid]
        L.append("")
        L.append("[[model]]")
        L.append(f"id = {q(m.id)}")
        L.append(f"name = {q(m.name)}")
        L.append(f"provider = {q(m.provider)}")
        L.append(f"body = {q(m.body)}")
        L.append(f"kind = {q(m.kind)}")
        if m.state:
            L.append(f"state = {q(m.state)}")
        if m.on_demand is False:
            L.append("on_demand = false")
        elif m.on_demand is True and m.on_demand_regions:
            L.append("on_demand = true")
        if m.on_demand_regions:
            L.append(f"on_demand_regions = {arr(m.on_demand_regions)}")
        if m.profiles:
            L.append(f"profiles = {arr(m.profiles)}")
        if m.endpoint:
            L.append(f"endpoint = {q(m.endpoint)}")
        if m.variant_of:
            L.append(f"variant_of = {q(m.variant_of)}")
        if m.sources:
            L.append(f"sources = {arr(sorted(m.sources, key=key_order))}")
        if m.citation:
            L.append(f"citation = {q(m.citation)}")
        if m.notes:
            L.append("notes = [")
            for n in m.notes:
                L.append(f"  {q(n)},")
            L.append("]")
        rejects, together = PARAMETER_RULES.get(m.id, ([], []))
        if rejects:
            L.append(f"rejects = {arr(rejects)}")
        if together:
            L.append(f"rejects_together = {arr(together)}")
        for g in m.lifecycle:
            L.append("")
            L.append("[[model.lifecycle]]")
            if g["regions"]:
                L.append(f"regions = {arr(g['regions'])}")
            for k in ("legacy", "extended_access", "eol"):
                if g[k] is not None:
                    L.append(f"{k} = {g[k].isoformat()}")
        for x in m.replacements:
            L.append("")
            L.append("[[model.replacement]]")
            L.append(f"id = {q(x['id'])}")
            L.append(f"provenance = {q(x['provenance'])}")
            L.append(f"source = {q(x['source'])}")
    return "\n".join(L) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python3 rules/generate.py REFERENCE_DIR > rules/bedrock.toml",
              file=sys.stderr)
        return 2
    try:
        out = generate(Path(argv[1]))
    except GenError as e:
        print(f"generate.py: error: {e}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(out.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
