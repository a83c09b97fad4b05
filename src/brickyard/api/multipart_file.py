"""A ``multipart/form-data`` upload read from disk rather than memory.

The legacy CLI's ``databricks fs cp`` posts files of up to 2 GB to ``dbfs/put`` as one
multipart form. The body is first written to a staging file as it arrives; the parts are then
found in it through ``mmap`` (the operating system pages it in as needed) and the file part is
copied out in chunks, so no upload is ever held in memory whole.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Final

from brickyard.errors import InvalidInputError

COPY_CHUNK_BYTES: Final = 1024 * 1024


@dataclass(frozen=True)
class Part:
    """One part of the form: its field name, file name (for a file) and where its bytes are."""

    name: str
    filename: str | None
    start: int
    end: int


def boundary_of(content_type: str) -> bytes:
    """The boundary named by a ``multipart/form-data`` content type."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise InvalidInputError("Malformed multipart request body: no boundary")
    return boundary.encode("latin-1")


def parts_of(body: Path, boundary: bytes) -> list[Part]:
    """The parts of the multipart body stored in ``body``."""
    if body.stat().st_size == 0:
        return []
    delimiter = b"--" + boundary
    found: list[Part] = []
    with body.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = data.find(delimiter)
        while position >= 0:
            position += len(delimiter)
            if data[position : position + 2] == b"--":
                break
            header_start = position + 2  # past the CRLF after the delimiter
            header_end = data.find(b"\r\n\r\n", header_start)
            if header_end < 0:
                raise InvalidInputError("Malformed multipart request body: a part has no headers")
            headers = data[header_start:header_end].decode("latin-1")
            start = header_end + 4
            end = data.find(b"\r\n" + delimiter, start)
            if end < 0:
                raise InvalidInputError("Malformed multipart request body: no closing boundary")
            found.append(_part(headers, start, end))
            position = end + 2
    return found


def _part(headers: str, start: int, end: int) -> Part:
    disposition = Message()
    for line in headers.split("\r\n"):
        name, _, text = line.partition(":")
        if name.strip().lower() == "content-disposition":
            disposition["content-disposition"] = text.strip()
    field = disposition.get_param("name", header="content-disposition")
    filename = disposition.get_param("filename", header="content-disposition")
    return Part(
        field if isinstance(field, str) else "",
        filename if isinstance(filename, str) else None,
        start,
        end,
    )


def read_part(body: Path, part: Part) -> bytes:
    """A (small) part's bytes."""
    with body.open("rb") as file:
        file.seek(part.start)
        return file.read(part.end - part.start)


def copy_part(body: Path, part: Part, target: Path) -> None:
    """Write a part's bytes to ``target``, a chunk at a time."""
    with body.open("rb") as source, target.open("wb") as out:
        source.seek(part.start)
        left = part.end - part.start
        while left > 0:
            chunk = source.read(min(COPY_CHUNK_BYTES, left))
            if not chunk:
                break
            out.write(chunk)
            left -= len(chunk)
