"""Click's own words in the language in force: the help option's text, the `Usage:` prefix and usage errors
(a missing argument, an unknown option, a wrong value). Typer passes only its own framing words through gettext;
the vendored click builds these in English, so they are rebuilt here from the exception's parts.
"""
from __future__ import annotations

import re
import types

import typer

from .i18n import N_, _
from .run import say


def localized(command):
    """The click command tree with what typer lets us put in the language in force: the help option's text and
    the `Usage:` prefix (click's own words do not pass through gettext)."""
    from typer._click.decorators import help_option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=_("Usage: "))

    stack = [command]
    while stack:
        cmd = stack.pop()
        help_option(["--help"])(cmd)
        cmd._help_option = cmd.params.pop()   # noqa: SLF001 - click caches its help option there
        cmd._help_option.help = _("Show this message and exit.")
        cmd.format_usage = types.MethodType(format_usage, cmd)
        for param in cmd.params:   # an argument's metavar says what it is; typer's <list[Path]> is Python's word
            if param.param_type_name == "argument" and param.metavar:
                param.display_type_rich = lambda ctx: None
        stack.extend(getattr(cmd, "commands", {}).values())
    return command


_CLICK_MESSAGES = [   # click's English for a wrong value, as far as it can be read back
    (r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$", N_("{value!r} is not one of {choices}.")),
    (r"^'(?P<value>.*)' is not a valid integer\.$", N_("{value!r} is not a whole number.")),
    (r"^'(?P<value>.*)' is not a valid float\.$", N_("{value!r} is not a number.")),
    (r"^(?P<value>\S+) is not in the range (?P<range>.*)\.$", N_("{value} is not in the range {range}.")),
    (r"^Input should be greater than or equal to (?P<n>\S+)$", N_("must be {n} or more")),
    (r"^Input should be less than or equal to (?P<n>\S+)$", N_("must be {n} or less")),
    (r"^Input should be a valid integer\b.*$", N_("a whole number expected")),
    (r"^Input should be a valid number\b.*$", N_("a number expected")),
    (r"^Input should be a valid boolean\b.*$", N_("yes or no (true / false) expected")),
    (r"^Option '(?P<name>[^']*)' requires an argument\.$", N_("option '{name}' needs a value.")),
    (r"^Option '(?P<name>[^']*)' requires (?P<n>\d+) arguments\.$", N_("option '{name}' needs {n} values.")),
    (r"^Option '(?P<name>[^']*)' does not take a value\.$", N_("option '{name}' takes no value.")),
    (r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$", N_("unexpected extra arguments ({args})")),
]


def _words(message: str) -> str:
    """click's (or pydantic's) English message in the language in force, when it is one of those known."""
    message = re.sub(r"^Value error, ", "", message)   # pydantic's prefix, typer's coercion leaves it
    for pattern, text in _CLICK_MESSAGES:
        if m := re.match(pattern, message):
            return _(text).format(**m.groupdict())
    return message


def show(e) -> None:
    """A usage error as click shows it, in the language in force."""
    from typer._click import exceptions as ce
    if isinstance(e, ce.NoArgsIsHelpError):   # `auditor` alone: the help, on stderr, exit 2 (as click does)
        e.show()
        return
    ctx = e.ctx
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(_("Try '{command} --help' for help.").format(command=ctx.command_path) + "\n", err=True)
    hint = None
    if isinstance(e, ce.BadParameter):
        hint = e.param_hint if e.param_hint is not None else e.param.get_error_hint() if e.param else None
        hint = " / ".join(f"'{h}'" for h in hint) if isinstance(hint, (list, tuple)) else hint
    if isinstance(e, ce.MissingParameter):
        kind = e.param_type or (e.param.param_type_name if e.param else "parameter")
        message = (_("Missing argument {hint}.") if kind == "argument" else _("Missing option {hint}.") if
                   kind == "option" else _("Missing parameter {hint}.")).format(hint=hint or "")
    elif isinstance(e, ce.NoSuchOption):
        message = (_("No such option: {name}; did you mean {names}?") if e.possibilities else
                   _("No such option: {name}")).format(name=e.option_name, names=", ".join(sorted(e.possibilities or ())))
    elif isinstance(e, ce.BadParameter):
        message = (_("Invalid value for {hint}: {message}") if hint else _("Invalid value: {message}")).format(
            hint=hint, message=_words(e.message))
    else:
        message = _words(e.format_message())
    say(_("Error: {message}").format(message=message))
