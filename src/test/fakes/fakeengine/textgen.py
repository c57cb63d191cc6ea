"""Deterministic text generation, token counting and embeddings shared by the fakes.

Rule (documented in ../README.md):
  * A token is a whitespace-separated word; prompt tokens = words in the prompt (chat: words of
    every message content, roles and templates are not counted).
  * The generation key is the prompt text (chat: "role: content" lines joined by "\\n").
    h = sha256(key). The reply is words from VOCAB: word i = VOCAB[(start + i*step) % 32] with
    start = h % 32, step = 2*((h >> 8) % 16) + 1; the natural length is 8 + (h >> 40) % 17 words
    (8..24). Content pieces are "w0", " w1", " w2", ... so concatenated pieces == full text.
  * Budget = max tokens (None = unlimited). finish "length" when the budget runs out before the
    natural end (budget <= natural length), otherwise "stop" on EOS (matched = EOS_TOKEN_ID).
  * Stop strings: the text is cut before the earliest stop string, finish "stop", matched = that
    string; the token that contained it is still counted in completion tokens.
  * Thinking: 4..8 reasoning words from key "think:" + key come first and share the budget.
  * JSON (schema or plain json mode): a value built from the schema (see json_for_schema),
    serialised with ", " / ": " separators; each whitespace-separated chunk is one token.
  * ignore_eos: ignore the natural end, generate until the budget (capped at HARD_CAP).
"""
import base64
import hashlib
import json
import math
import re
import struct
from dataclasses import dataclass, field

VOCAB = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
         "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
         "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray",
         "yankee", "zulu", "amber", "basalt", "cobalt", "dune", "ember", "fjord")
EOS_TOKEN_ID = 151645
TOKEN_ID_BASE = 1000
EMBED_DIM = 16
HARD_CAP = 4096


def count_tokens(text):
    return len(text.split()) if isinstance(text, str) else 0


def content_text(content):
    """Text of an OpenAI/Ollama message content: a string or a list of {type:text,text} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def chat_key(messages):
    return "\n".join(f"{m.get('role', '')}: {content_text(m.get('content'))}"
                     for m in messages if isinstance(m, dict))


def chat_prompt_tokens(messages):
    return sum(count_tokens(content_text(m.get("content"))) for m in messages if isinstance(m, dict))


def _hash(key):
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest(), "big")


def word_token_id(word):
    """Token id of a prompt/output word (vocabulary words get TOKEN_ID_BASE + index)."""
    if word in VOCAB:
        return TOKEN_ID_BASE + VOCAB.index(word)
    return TOKEN_ID_BASE + 100 + _hash(word) % 30000


def words_for(key, count):
    h = _hash(key)
    start, step = h % 32, 2 * ((h >> 8) % 16) + 1
    return [VOCAB[(start + i * step) % 32] for i in range(count)]


def natural_length(key):
    return 8 + (_hash(key) >> 40) % 17


@dataclass
class Piece:
    kind: str  # "reasoning" or "content"
    text: str
    token_id: int


@dataclass
class Generation:
    pieces: list = field(default_factory=list)
    finish: str = "stop"          # "stop" | "length"
    matched: object = EOS_TOKEN_ID  # EOS_TOKEN_ID, a stop string, or None (length)
    completion_tokens: int = 0

    @property
    def text(self):
        return "".join(p.text for p in self.pieces if p.kind == "content")

    @property
    def reasoning(self):
        return "".join(p.text for p in self.pieces if p.kind == "reasoning")

    @property
    def output_ids(self):
        return [p.token_id for p in self.pieces]


def _earliest_stop(text, stops):
    best = None
    for s in stops:
        pos = text.find(s)
        if s and pos >= 0 and (best is None or pos < best[0]):
            best = (pos, s)
    return best


def generate(key, max_tokens=None, stop=None, ignore_eos=False, think=False, schema=None, choice=None):
    """Deterministic reply for `key`. schema: None, "json" or a JSON-schema dict; choice: list."""
    budget = HARD_CAP if max_tokens is None or max_tokens < 0 else min(max_tokens, HARD_CAP)
    stops = [stop] if isinstance(stop, str) else [s for s in (stop or []) if isinstance(s, str)]
    gen = Generation()
    if think:
        rkey = "think:" + key
        for i, w in enumerate(words_for(rkey, 4 + _hash(rkey) % 5)[:budget]):
            gen.pieces.append(Piece("reasoning", (" " if i else "") + w, word_token_id(w)))
        budget -= len(gen.pieces)
        gen.completion_tokens = len(gen.pieces)
    if choice:
        parts = re.findall(r"\s*\S+", str(choice[_hash(key) % len(choice)]))
    elif schema is not None:
        value = json_for_schema(schema if isinstance(schema, dict) else {}, key)
        parts = re.findall(r"\s*\S+", json.dumps(value, separators=(", ", ": ")))
    else:
        parts = None
    natural = len(parts) if parts is not None else natural_length(key)
    if ignore_eos and parts is None:
        natural = HARD_CAP
    words = words_for(key, min(natural, budget)) if parts is None else None
    content, text = [], ""
    for i in range(natural + 1):
        if i >= budget:  # the EOS would be one token more than the budget allows
            gen.finish, gen.matched = "length", None
            break
        if i == natural:
            gen.finish, gen.matched = "stop", EOS_TOKEN_ID
            break
        piece = parts[i] if parts is not None else (" " if i else "") + words[i]
        gen.completion_tokens += 1
        hit = _earliest_stop(text + piece, stops)
        content.append(piece)
        if hit:
            text = _cut(content, hit[0])
            gen.finish, gen.matched = "stop", hit[1]
            break
        text += piece
    for piece in content:
        if piece:
            gen.pieces.append(Piece("content", piece, word_token_id(piece.strip())))
    return gen


def _cut(pieces, pos):
    """Truncates the list of pieces in place so that their concatenation has length pos."""
    total, kept = 0, []
    for p in pieces:
        if total + len(p) >= pos:
            kept.append(p[:pos - total])
            break
        kept.append(p)
        total += len(p)
    pieces[:] = kept
    return "".join(kept)


def json_for_schema(schema, key, depth=0):
    """A value satisfying simple JSON schemas: object/properties (all emitted, so `required`
    holds), string, number, integer (minimum/maximum), boolean, null, array (items,
    minItems/maxItems), enum, const, anyOf/oneOf/allOf (first branch). A schema without
    properties (plain json mode) yields {"answer": "<words>"}."""
    if not isinstance(schema, dict):
        schema = {}
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][_hash(key) % len(schema["enum"])]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(combinator), list) and schema[combinator]:
            return json_for_schema(schema[combinator][0], key, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema or depth == 0 else "array" if "items" in schema else "string"
    h = _hash(key)
    if kind == "object":
        props = schema.get("properties")
        if not isinstance(props, dict) or not props or depth > 6:
            return {"answer": " ".join(words_for(key, 4))}
        return {name: json_for_schema(sub, f"{key}/{name}", depth + 1) for name, sub in props.items()}
    if kind == "array":
        count = max(int(schema.get("minItems", 2)), 0)
        count = min(count, int(schema.get("maxItems", count)))
        return [json_for_schema(schema.get("items", {"type": "string"}), f"{key}[{i}]", depth + 1)
                for i in range(count)]
    if kind == "integer":
        low, high = int(schema.get("minimum", 0)), int(schema.get("maximum", 100))
        return low + h % (max(high - low, 0) + 1)
    if kind == "number":
        low, high = float(schema.get("minimum", 0)), float(schema.get("maximum", 100))
        return round(low + (h % 1000) / 1000 * (high - low), 2)
    if kind == "boolean":
        return h % 2 == 0
    if kind == "null":
        return None
    return " ".join(words_for(key, 2))


def embed(text, dim=EMBED_DIM):
    """Deterministic unit vector of `dim` floats from sha256 of the text."""
    values, counter = [], 0
    while len(values) < dim:
        digest = hashlib.sha256(f"{counter}:{text}".encode("utf-8")).digest()
        values.extend(x / 2 ** 31 - 1.0 for x in struct.unpack(">8I", digest))
        counter += 1
    values = values[:dim]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [round(v / norm, 8) for v in values]


def embed_base64(vector):
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def relevance(query, document):
    """A reranker's score in [0, 1], deterministic: the share of the query's distinct words (lower case,
    letters and digits) that the document contains, squeezed to 0.001..0.999 as a sigmoid output is."""
    def words(text):
        return set("".join(c if c.isalnum() else " " for c in text.lower()).split())
    wanted = words(query)
    share = len(wanted & words(document)) / len(wanted) if wanted else 0.0
    return round(0.001 + 0.998 * share, 6)
