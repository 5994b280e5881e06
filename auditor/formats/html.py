"""Saved web pages: the article only. trafilatura drops navigation (首页 > 当前位置), footers (网站地图,
ICP备, 公网安备), share widgets and related-link lists; when it finds no article the whole page text is used
and the input-quality line says so.

A page nested deeper than the HTML parser goes (256 levels; a page generator's runaway <div>s) would come out
empty, so such a page is first flattened below MAX_DEPTH levels: its text is all kept, only the deepest
tags go (a block tag becomes a line break)."""
from __future__ import annotations

from html.parser import HTMLParser

from . import Extracted

MAX_DEPTH = 200   # below lxml's 256 without XML_PARSE_HUGE, which trafilatura parses with
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK = frozenset("address article aside blockquote dd div dl dt fieldset figure footer form h1 h2 h3 h4 h5 h6 "
                   "header li main nav ol p pre section table tbody td tfoot th thead tr ul".split())
_NOT_NESTED = frozenset("p li td th tr option dt dd".split())   # a second one closes the first


def extract(text: str, encoding: str) -> Extracted:
    import trafilatura
    notes = {}
    if _too_deep(text):
        text = _flatten(text)
        notes[f"page nested deeper than {MAX_DEPTH} levels: flattened"] = 1
    doc = trafilatura.bare_extraction(text, include_comments=False, include_tables=True, include_links=False,
                                      include_images=False, favor_recall=True, with_metadata=True)
    article = doc.text if doc else None
    if article and doc.title and not article.lstrip().startswith(doc.title.strip()):
        article = doc.title.strip() + "\n" + article   # the headline is metadata to trafilatura, a title to us
    page = trafilatura.html2txt(text) or ""
    if article and article.strip():
        dropped = max(0, sum(not c.isspace() for c in page) - sum(not c.isspace() for c in article))
        if dropped:
            notes["web page furniture dropped (chars)"] = dropped
    else:
        article = page
        notes["no article found: whole page text used"] = 1
    return Extracted(article, f"html/{encoding}", None, notes)


def _too_deep(text: str) -> bool:
    """Whether lxml gives up on the page for its depth (it then drops everything below)."""
    from lxml import etree
    parser = etree.HTMLParser(encoding="utf-8", collect_ids=False, default_doctype=False, remove_comments=True,
                              remove_pis=True)
    try:
        etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        return False
    return any("depth" in (e.message or "").lower() for e in parser.error_log)


class _Flattener(HTMLParser):
    """Re-emits a page with every tag below MAX_DEPTH open elements dropped; text, entities and the tags
    above are kept as written. Works on a stream of tags, so no depth costs it stack."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []   # open elements: (tag, emitted)
        self.emitted = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            self.out.append(self.get_starttag_text())
            return
        if tag in _NOT_NESTED and self.stack and self.stack[-1][0] == tag:
            self._pop(len(self.stack) - 1)
        keep = self.emitted < MAX_DEPTH
        self.out.append(self.get_starttag_text() if keep else "<br>" if tag in _BLOCK else "")
        self.stack.append((tag, keep))
        self.emitted += keep

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        # look a little way down only: an end tag that closes nothing near the top is a stray one
        for i in range(len(self.stack) - 1, max(-1, len(self.stack) - 65), -1):
            if self.stack[i][0] == tag:
                self._pop(i)
                return

    def _pop(self, i: int) -> None:
        """Close the element at stack[i] and everything opened inside it (the browser closes those too)."""
        tag, kept = self.stack[i]
        for _, k in self.stack[i + 1:]:
            self.emitted -= k
        del self.stack[i:]
        self.emitted -= kept
        self.out.append(f"</{tag}>" if kept else "<br>" if tag in _BLOCK else "")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")


def _flatten(text: str) -> str:
    flattener = _Flattener()
    flattener.feed(text)
    flattener.close()
    return "".join(flattener.out)
