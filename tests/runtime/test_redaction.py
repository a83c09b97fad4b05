from __future__ import annotations

import io

from brickyard.runtime.redaction import REDACTED, RedactingWriter, Redactor


def test_redactor_longest_first_and_json() -> None:
    redactor = Redactor()
    assert not redactor.active
    redactor.register("")
    assert not redactor.active
    redactor.register("abc")
    redactor.register("abcdef")
    assert redactor.redact("x abcdef y abc") == f"x {REDACTED} y {REDACTED}"
    value = {"a": ["abc", 1, {"b": "zabcz"}], "n": None}
    assert redactor.redact_json(value) == {"a": [REDACTED, 1, {"b": f"z{REDACTED}z"}], "n": None}


def test_writer_is_line_buffered_and_redacts_split_secrets() -> None:
    target = io.StringIO()
    redactor = Redactor()
    redactor.register("secret")
    writer = RedactingWriter(target, redactor, "stdout")
    writer.write("sec")
    assert target.getvalue() == ""
    writer.write("ret here\nnext")
    assert target.getvalue() == f"{REDACTED} here\n"
    writer.flush()
    assert target.getvalue() == f"{REDACTED} here\nnext"
    assert writer.name == "stdout" and writer.writable() and not writer.isatty()


def test_listeners_and_uncaptured_writes() -> None:
    target = io.StringIO()
    writer = RedactingWriter(target, Redactor(), "stdout")
    captured: list[str] = []
    writer.write("before ")
    writer.add_listener(captured.append)
    writer.write("one\ntwo")
    writer.write_uncaptured("log only\n")
    writer.remove_listener(captured.append)
    writer.write(" after\n")
    assert captured == ["one\n", "two"]
    assert target.getvalue() == "before one\ntwolog only\n after\n"
