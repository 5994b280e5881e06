"""Saved web pages: the article only. trafilatura drops navigation (首页 > 当前位置), footers (网站地图,
ICP备, 公网安备), share widgets and related-link lists; when it finds no article the whole page text is used
and the input-quality line says so."""
from __future__ import annotations

from . import Extracted


def extract(text: str, encoding: str) -> Extracted:
    import trafilatura
    doc = trafilatura.bare_extraction(text, include_comments=False, include_tables=True, include_links=False,
                                      include_images=False, favor_recall=True, with_metadata=True)
    article = doc.text if doc else None
    if article and doc.title and not article.lstrip().startswith(doc.title.strip()):
        article = doc.title.strip() + "\n" + article   # the headline is metadata to trafilatura, a title to us
    page = trafilatura.html2txt(text) or ""
    notes = {}
    if article and article.strip():
        dropped = max(0, sum(not c.isspace() for c in page) - sum(not c.isspace() for c in article))
        if dropped:
            notes["web page furniture dropped (chars)"] = dropped
    else:
        article = page
        notes["no article found: whole page text used"] = 1
    return Extracted(article, f"html/{encoding}", None, notes)
