"""The one error type a page can raise: it names the problem in Spanish, never with a traceback."""

from __future__ import annotations


class ContentError(Exception):
    """A page asked for something the model cannot give, or the model no longer agrees with the page.

    The macros adapter reports it as ``<página>: <mensaje>`` and fails the build. Raise it (or let a
    model input error such as ``ManifestError``/``ScenarioError``/``QuantityError`` propagate: the
    adapter converts those) with a message that says what is wrong and where.
    """


class ExpectationError(ContentError):
    """The page states an expected result (``espera=...``) that the model no longer produces."""

    def __init__(self, what: str, expected: object, got: object) -> None:
        super().__init__(f"la página espera {what} = {expected!r}, pero el modelo da {got!r}; revisa el texto de la página")
        self.expected = expected
        self.got = got


def expect(what: str, expected: object | None, got: object) -> None:
    """Check a page's stated expectation; ``None`` means the page states none."""
    if expected is not None and expected != got:
        raise ExpectationError(what, expected, got)
