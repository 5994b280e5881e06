"""The segmenter interface: normalized text → spaCy Doc with sentences.

One `zh` Language object per process. It uses spaCy's character segmenter for now; the pkuseg pipeline
(installed at set-up, never downloaded) plugs in behind `get_nlp()` without touching the callers.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# A sentence ends at these; a colon ends one too (主要表现在:一是…), except between digits (16:11).
SENTENCE_END = set("。!?;")
COLON = ":"


@Language.component("zh_sentences")
def zh_sentences(doc: Doc) -> Doc:
    """Sentence starts after Chinese sentence-final punctuation, colons and line breaks."""
    text = doc.text
    start_next = True
    for token in doc:
        token.is_sent_start = token.i == 0 or (start_next and not token.is_space)
        if token.is_space:
            start_next = start_next or "\n" in token.text
            continue
        start_next = "\n" in token.whitespace_
        ch = token.text[-1]
        if ch in SENTENCE_END:
            start_next = True
        elif ch == COLON:
            end = token.idx + len(token.text)
            start_next = not (text[token.idx - 1:token.idx].isdigit() and text[end:end + 1].isdigit())
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
    spans = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        chunk = doc.text[s:e]
        stripped = chunk.strip()
        if stripped:
            s += len(chunk) - len(chunk.lstrip())
            spans.append((s, s + len(stripped)))
    return spans
