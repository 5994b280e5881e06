"""The segmenter interface: normalized text → spaCy Doc with sentences.

One `zh` Language object per process. It uses spaCy's character segmenter for now; the pkuseg pipeline
(installed at set-up, never downloaded) plugs in behind `get_nlp()` without touching the callers.
"""
from __future__ import annotations

from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

# A sentence ends at these; a colon ends one too (主要表现在:一是…), except between digits (16:11).
SENTENCE_END = set("。!?;")
COLON = ":"


@Language.component("zh_sentences")
def zh_sentences(doc: Doc) -> Doc:
    """Sentence starts after Chinese sentence-final punctuation, colons and line breaks.

    Set as one array: assigning token.is_sent_start token by token re-scans the Doc each time (quadratic).
    """
    text = doc.text
    starts = numpy.full((len(doc), 1), -1, dtype="int32")
    start_next = True
    for token in doc:
        if token.is_space:
            start_next = start_next or "\n" in token.text
            continue
        if start_next or token.i == 0:
            starts[token.i, 0] = 1
        start_next = "\n" in token.whitespace_
        ch = token.text[-1]
        if ch in SENTENCE_END:
            start_next = True
        elif ch == COLON:
            end = token.idx + len(token.text)
            start_next = not (text[token.idx - 1:token.idx].isdigit() and text[end:end + 1].isdigit())
    if len(doc):
        starts[0, 0] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))   # spaCy reads -1 back from the wrapped value
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline; loaded once."""
    nlp = spacy.blank("zh")   # default segmenter: characters
    nlp.add_pipe("zh_sentences")
    return nlp


def make_doc(text: str) -> Doc:
    return get_nlp()(text)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the non-blank sentences, stripped of surrounding white space."""
    if not len(doc):
        return []
    text = doc.text   # Doc.text is rebuilt from the tokens on every access
    flags = doc.to_array(SENT_START)
    offsets = doc.to_array(IDX)
    bounds = [int(offsets[i]) for i in numpy.flatnonzero(flags == 1)] + [len(text)]
    spans = []
    for s, e in zip(bounds, bounds[1:]):
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            s += len(chunk) - len(chunk.lstrip())
            spans.append((s, s + len(stripped)))
    return spans
