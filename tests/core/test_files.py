"""The kernel's content check for uploaded documents: the type is judged by the first bytes,
never by the name or the browser's content type."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import document_check

PDF = b"%PDF-1.4\n%%EOF\n"
ZIP = b"PK\x03\x04rest of an office file"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check(name, content, extensions=("pdf", "odt", "docx", "txt"), max_size=1024):
    return document_check(
        SimpleUploadedFile(name, content, content_type="application/pdf"),
        extensions=extensions,
        max_size=max_size,
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Proposal.PDF", PDF, ("pdf", "application/pdf")),
        ("plan.odt", ZIP, ("odt", "application/vnd.oasis.opendocument.text")),
        ("plan.docx", ZIP, ("docx", DOCX)),
        ("notes.txt", "Notes with ñ and ç".encode(), ("txt", "text/plain")),
    ],
)
def test_accepted_by_content(name, content, expected):
    assert check(name, content) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tool.pdf", b"MZ\x90\x00 an executable", "disguised"),
        ("plan.odt", PDF, "disguised"),
        ("notes.txt", b"\x00\x01binary", "disguised"),
        ("run.exe", b"MZ\x90\x00", "type"),
        ("slides.pptx", ZIP, "type"),  # a known type, but not one this place accepts
        ("noname", PDF, "type"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", PDF + b"x" * 2000, "too_large"),
    ],
)
def test_refused_with_a_code(name, content, code):
    with pytest.raises(ValidationError) as caught:
        check(name, content)
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_missing_upload_is_refused():
    with pytest.raises(ValidationError) as caught:
        document_check(None, extensions=("pdf",), max_size=10)
    assert caught.value.code == "missing"


def test_size_message_names_the_sizes_and_may_be_worded_by_the_caller():
    with pytest.raises(ValidationError) as caught:
        document_check(
            SimpleUploadedFile("big.pdf", PDF + b"x" * 2048),
            extensions=("pdf",),
            max_size=1024,
            too_large_message="%(size)s over %(max_size)s (%(max)s)",
        )
    assert caught.value.messages == ["2.0\xa0KB over 1.0\xa0KB (1.0\xa0KB)"]
