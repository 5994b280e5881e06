"""The error catalogue: every code and its text live here, and nowhere else (English ids, shown translated).

An error prints as one line, `path:line: [code] message`, so a user (or an editor) can jump to it.
"""
from __future__ import annotations

import errno as _errno
from pathlib import Path

from .i18n import N_, _

CATALOGUE: dict[str, str] = {
    # input files (E1xx)
    "E101": N_("no such file or folder"),
    "E102": N_("cannot read the file: {reason}"),
    "E103": N_("the file is empty"),
    "E104": N_("cannot tell the text encoding (tried UTF-8, UTF-16, GB18030/GBK, Big5); save it as UTF-8 text"),
    "E105": N_("{kind} files cannot be read directly; save it as .docx (or install LibreOffice, which the auditor "
            "then uses to convert it)"),
    "E106": N_("no report files (.txt, .docx, .pdf, .html, .doc, .wps) in this folder"),
    "E107": N_("the file holds no readable text ({encoding}); is it an image, an archive or another binary file?"),
    "E108": N_("not a valid {kind} file ({reason}); it may be damaged or truncated"),
    "E109": N_("the {kind} file is password-protected; save an unprotected copy and audit that"),
    "E110": N_("the PDF has no text layer ({pages} page(s) of images, a scan?); run OCR on it first "
            "(e.g. ocrmypdf) and audit the result"),
    "E111": N_("the file is too large ({size} MB; the limit is {limit} MB)"),
    "E112": N_("the .docx would expand to {size} MB (limit {limit} MB); refused as a possible zip bomb"),
    "E113": N_("unsupported file type '{suffix}'; the auditor reads .txt, .docx, .pdf, .html/.htm (and .doc/.wps "
            "through LibreOffice)"),
    "E114": N_("LibreOffice could not convert the file ({reason}); save it as .docx and audit that"),
    "E115": N_("not a regular file but {kind}, which may block or never end; save the content to a file and name "
            "that"),
    "E116": N_("cannot read the file as {encoding} text ({reason}); save it as UTF-8"),
    "E117": N_("the file holds {amount} of text, more than any report (the limit is {limit}); audit the report "
            "on its own, not a compilation or a generated file"),
    "E199": N_("internal error while auditing this file ({reason}); the batch went on; please report it with the file"),
    # rules (E2xx)
    "E201": N_("not valid YAML: {reason}"),
    "E202": N_("a rule file must hold one mapping of keys, found {found}"),
    "E203": N_("unknown key '{key}'{hint}"),
    "E204": N_("{field}: {reason}"),
    "E205": N_("id '{rule_id}' does not match the file name '{stem}'; rename one of them"),
    "E206": N_("duplicate rule id '{rule_id}' (also in {other})"),
    "E207": N_("missing required key '{key}'"),
    "E208": N_("the rule can never match: {reason}"),
    "E209": N_("example does not behave as declared: {example!r} should be {expected}, got {got}"),
    "E210": N_("no rule files (*.yaml) found; pass --rules DIR"),
    "E211": N_("profile: {reason}"),
    "E212": N_("waiver file: {reason}"),
    "E213": N_("baseline: {reason}"),
    "E214": N_("labels file: {reason}"),
    # usage (E3xx)
    "E301": N_("{reason}"),
    # installation (E4xx)
    "E401": N_("the word-segmentation model cannot be loaded: {reason}; fix: {fix}"),
}


class AuditorError(Exception):
    """A problem the user can fix, with a code from CATALOGUE and the place it was found."""

    def __init__(self, code: str, path: str | Path | None = None, line: int | None = None, **fields):
        self.code = code
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = _(CATALOGUE[code]).format(**fields)   # in the language in force
        super().__init__(self.format())

    def __reduce__(self):   # crosses process boundaries (parallel batches) with its code and text intact
        return _restore, (self.code, self.path, self.line, self.message)

    def format(self) -> str:
        place = ""
        if self.path:
            place = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        from .shown import text   # one printable line, whatever a file name or a parser's reason holds
        return text(f"{place}[{self.code}] {self.message}")

    def as_dict(self) -> dict:
        return {"code": self.code, "path": self.path, "line": self.line, "message": self.message}


class RuleErrors(Exception):
    """Several rule-file problems found in one pass, reported together."""

    def __init__(self, errors: list[AuditorError]):
        self.errors = errors
        super().__init__("\n".join(e.format() for e in errors))


def _restore(code: str, path: str | None, line: int | None, message: str) -> AuditorError:
    err = AuditorError.__new__(AuditorError)
    err.code, err.path, err.line, err.message = code, path, line, message
    Exception.__init__(err, err.format())
    return err


_OS_REASONS = {_errno.ENOENT: N_("no such file or folder"), _errno.EACCES: N_("permission denied"),
               _errno.EPERM: N_("operation not permitted"), _errno.ENOSPC: N_("no space left on the device"),
               _errno.EDQUOT: N_("disk quota exceeded"), _errno.EROFS: N_("the file system is read-only"),
               _errno.EISDIR: N_("it is a folder"), _errno.ENOTDIR: N_("a part of the path is not a folder"),
               _errno.EFBIG: N_("the file is too large for the file system"), _errno.EIO: N_("input/output error"),
               _errno.ENAMETOOLONG: N_("the file name is too long"), _errno.ELOOP: N_("too many levels of links"),
               _errno.EAGAIN: N_("the read would block")}


def os_reason(exc: OSError) -> str:
    """An operating-system error in the reader's language: the common ones by errno, else the system's text."""
    if exc.errno in _OS_REASONS:
        return _(_OS_REASONS[exc.errno])
    return exc.strerror or type(exc).__name__
