"""The learned event detector: one encoder pass per sentence proposes events without a lexicon.

The model (``models/detector``, trained by ``make train`` from the project's own annotated
sentences plus plv_train, see ``train/train_detector.py``) labels every word-piece as "no
trigger" or a PLOVER type, scores every (trigger, word-piece) pair as actor / recipient /
neither, and gives the trigger a status. :meth:`Detector.detect` turns that into
:class:`Proposal` records with character spans relative to the sentence. Inference needs only
numpy, onnxruntime and tokenizers.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import DyadsError

DEFAULT_PATH = Path(__file__).resolve().parent / "models" / "detector"


class DetectorModelMissing(DyadsError):
    """The detector artefact is not installed."""


@dataclass
class Proposal:
    """One event proposed by the detector; spans are (start, end) offsets into the sentence."""

    type: str
    score: float
    trigger: tuple[int, int]
    actor: list[tuple[int, int]] = field(default_factory=list)
    recipient: list[tuple[int, int]] = field(default_factory=list)
    status: str = "asserted"
    status_score: float = 1.0
    type_scores: dict[str, float] = field(default_factory=dict)


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = x - x.max(axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


class Detector:
    _cache: dict[str, "Detector"] = {}
    _lock = threading.Lock()

    def __init__(self, path: Path, session, tokenizer, meta: dict):
        self.path = path
        self.session = session
        self.tokenizer = tokenizer
        self.meta = meta
        self.labels: list[str] = meta["trigger_labels"]
        self.statuses: list[str] = meta["statuses"]
        self.max_len = int(meta.get("max_len", 128))
        self.threshold = float(meta.get("threshold", 0.5))
        # padded tokens per encoder call. The int8 model quantises its activations per call, so a
        # sentence batched with others can come out a little differently than alone; with one
        # sentence per call (the default) a sentence is coded the same in any article, as the
        # one-sentence evaluations see it, and it is also faster than 2,048-token batches (a
        # 35-sentence article on one thread: 88-95 ms against 94-116 ms; 512 tokens: 58-76 ms)
        self.batch_tokens = int(meta.get("batch_tokens", 1))

    @classmethod
    def load(cls, path: str | Path | None = None, *, threads: int | None = None) -> "Detector":
        p = Path(path) if path is not None else DEFAULT_PATH
        key = str(p.resolve())
        with cls._lock:
            if key in cls._cache:
                return cls._cache[key]
            for f in ("model.onnx", "tokenizer.json", "labels.json"):
                if not (p / f).is_file():
                    raise DetectorModelMissing(f"event detector artefact missing: {p / f} not found; "
                                               "run `make train` to build it")
            import onnxruntime as ort
            from tokenizers import Tokenizer

            so = ort.SessionOptions()
            so.intra_op_num_threads = threads or 1
            so.inter_op_num_threads = 1
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(str(p / "model.onnx"), sess_options=so, providers=["CPUExecutionProvider"])
            tok = Tokenizer.from_file(str(p / "tokenizer.json"))
            tok.no_padding()
            tok.no_truncation()
            obj = cls(p, session, tok, json.loads((p / "labels.json").read_text()))
            obj.biaffine = np.load(p / "roles.npy") if (p / "roles.npy").is_file() else None
            cls._cache[key] = obj
            return obj

    # ------------------------------------------------------------------ inference
    def _encode(self, texts: list[str]):
        encs = self.tokenizer.encode_batch(texts)
        out = []
        for e in encs:
            ids = list(e.ids)
            offs = [tuple(o) for o in e.offsets]
            words = [-1 if w is None else w for w in e.word_ids]
            if len(ids) > self.max_len:
                ids = ids[: self.max_len - 1] + [ids[-1]]
                offs = offs[: self.max_len - 1] + [(0, 0)]
                words = words[: self.max_len - 1] + [-1]
            out.append((ids, offs, words))
        return out

    def raw(self, texts: list[str]):
        """Per sentence: (offsets, word ids, trigger probs [n,17], status probs [n,4], role projections)."""
        enc = self._encode(texts)
        res: list = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(enc[i][0]))
        b = 0
        while b < len(order):
            L = len(enc[order[b]][0])
            e = b
            while e < len(order) and (e - b + 1) * len(enc[order[e]][0]) <= self.batch_tokens:
                e += 1
            e = max(e, b + 1)
            idx = order[b:e]
            L = max(len(enc[i][0]) for i in idx)
            ids = np.zeros((len(idx), L), dtype=np.int64)
            att = np.zeros((len(idx), L), dtype=np.int64)
            for k, i in enumerate(idx):
                n = len(enc[i][0])
                ids[k, :n] = enc[i][0]
                att[k, :n] = 1
            feed = {"input_ids": ids, "attention_mask": att}
            if self.biaffine is None:  # an older export with the full role tensor
                trig, stat, full = self.session.run(["trigger", "status", "roles"], feed)
            else:
                trig, stat, u, v = self.session.run(["trigger", "status", "role_trigger", "role_argument"], feed)
            for k, i in enumerate(idx):
                n = len(enc[i][0])
                roles = full[k, :n, :n] if self.biaffine is None else (u[k, :n], v[k, :n])
                res[i] = (enc[i][1], enc[i][2], _softmax(trig[k, :n]), _softmax(stat[k, :n]), roles)
            b = e
        return res

    def detect(self, texts: list[str], threshold: float | None = None) -> list[list[Proposal]]:
        th = self.threshold if threshold is None else threshold
        return [self._decode(r, th) for r in self.raw(texts)]

    def _decode(self, raw, th: float) -> list[Proposal]:
        offs, words, tp, sp, roles = raw
        n = len(offs)
        real = [j for j in range(n) if offs[j] != (0, 0) and words[j] >= 0]
        special = [j for j in range(n) if offs[j] == (0, 0)]
        # one label per word (the tokenizer's words: punctuation stands alone); the first
        # piece decides, the others follow it
        word_of = {j: words[j] for j in real}
        first_piece: dict[int, int] = {}
        for j in real:
            first_piece.setdefault(word_of[j], j)
        is_trig: dict[int, int] = {}
        for wi, j in first_piece.items():
            p = tp[j]
            if p[0] < 1.0 - th:
                k = int(np.argmax(p[1:])) + 1
                is_trig[wi] = k
        # contiguous words with one type form one trigger
        groups: list[list[int]] = []
        prev_w, prev_k = None, None
        for wi in sorted(is_trig):
            k = is_trig[wi]
            if groups and prev_w == wi - 1 and prev_k == k:
                groups[-1].append(wi)
            else:
                groups.append([wi])
            prev_w, prev_k = wi, k
        props: list[Proposal] = []
        for g in groups:
            pieces = [j for j in real if word_of[j] in g]
            k = is_trig[g[0]]
            probs = tp[[first_piece[wi] for wi in g]].mean(0)
            st = sp[pieces].mean(0)
            if self.biaffine is None:
                rl = _softmax(roles[pieces].mean(0))
            else:
                u, v = roles
                # biaffine role scores of the trigger's pieces against every piece: [n, 3]
                w = np.tensordot(u[pieces].mean(0), self.biaffine, axes=([0], [1]))  # [3, D]
                rl = _softmax(v @ w.T)
            role_of = np.argmax(rl, axis=1).tolist()
            for j in special:
                role_of[j] = 0
            for j in pieces:
                role_of[j] = 0
            props.append(Proposal(
                type=self.labels[k], score=float(probs[k]),
                trigger=(offs[pieces[0]][0], offs[pieces[-1]][1]),
                actor=_runs(role_of, offs, 1), recipient=_runs(role_of, offs, 2),
                status=self.statuses[int(np.argmax(st))], status_score=float(st.max()),
                type_scores={self.labels[i]: float(probs[i]) for i in range(1, len(self.labels))}))
        return props


def _runs(role_of: list[int], offs, role: int) -> list[tuple[int, int]]:
    """Contiguous runs of pieces with ``role`` as character spans (a lone piece inside a word
    extends to the whole word)."""
    spans: list[tuple[int, int]] = []
    cur = None
    for j, r in enumerate(role_of):
        if offs[j] == (0, 0):
            continue
        if r == role:
            if cur is None:
                cur = [offs[j][0], offs[j][1]]
            else:
                cur[1] = offs[j][1]
        elif cur is not None:
            spans.append((cur[0], cur[1]))
            cur = None
    if cur is not None:
        spans.append((cur[0], cur[1]))
    # pieces of one word: extend to the word's pieces on either side
    out = []
    for a, b in spans:
        for j in range(len(offs)):
            s, e = offs[j]
            if (s, e) == (0, 0):
                continue
            if e == a and s < a:
                a = s
            if s == b and e > b:
                b = e
        out.append((a, b))
    return out
