"""Word and PDF documents, and files that cannot be read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from assure.reviewdocs import AgencyName, ReviewDocumentError, parse_document

from .builders import pdf_bytes, write_docx
from .conftest import BRS, COUNCIL, POLICE, SOLENT


def test_docx_paragraphs_headings_bold_and_bullets(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    path = write_docx(
        tmp_path / "review.docx",
        [
            ("Child B review", "Title"),
            ("Date: 01/02/2021", None),
            ("Recommendation 1", "Heading 2"),
            ("Agencies to share learning.", None),
            (" has shared learning with all officers.", "List Bullet"),
            ("Solent NHS Trust will audit records within three months.", "List Bullet"),
            ("The Building Resilience Service (BRS)", "List Bullet"),
            ("Its specification has been strengthened.", "List Bullet 2"),
        ],
        bold_prefix={4: "Hampshire Constabulary"},
    )
    draft = parse_document(path, agencies).to_json()
    assert draft["title"] == "Child B review"
    rec = draft["recommendations"][0]
    assert (rec["number"], rec["text"]) == (1, "Agencies to share learning.")
    by_agency = {r["agency"]: r for r in rec["responses"]}
    assert list(by_agency) == [POLICE, SOLENT, BRS]
    assert by_agency[POLICE]["actions"][0]["status"] == "done"
    assert by_agency[SOLENT]["actions"][0]["due"] == "2021-05-01"
    assert (
        by_agency[BRS]["text"]
        == "- The Building Resilience Service (BRS)\n  - Its specification has been strengthened."
    )
    assert draft["unparsed"] == []


def test_docx_numbered_list_style(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = write_docx(
        tmp_path / "review.docx",
        [
            ("Recommendations", "Heading 1"),
            ("Share learning.", "List Number"),
            ("Children's Services have reviewed the policy.", None),
            ("Audit plans.", "List Number"),
        ],
    )
    recs = parse_document(path, agencies).to_json()["recommendations"]
    assert [(r["number"], r["text"]) for r in recs] == [(1, "Share learning."), (2, "Audit plans.")]
    assert recs[0]["responses"][0]["agency"] == COUNCIL


def test_docx_table_that_is_not_an_action_plan_is_read_as_text(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    path = write_docx(
        tmp_path / "review.docx",
        [("Review", "Title")],
        table=[["Recommendation 1: Share learning", "Solent NHS Trust has shared it."]],
    )
    rec = parse_document(path, agencies).to_json()["recommendations"][0]
    assert rec["text"] == "Share learning"
    assert rec["responses"][0]["agency"] == SOLENT


def test_pdf_text_layer(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "review.pdf"
    path.write_bytes(
        pdf_bytes(
            [
                [
                    "Review of Child C",
                    "Published: 12 March 2021",
                    "Recommendation 1",
                    "To improve training.",
                    "Hampshire Constabulary will deliver training within the next 4 months.",
                ],
                ["Recommendation 2: Share learning.", "Solent NHS Trust has completed the audit."],
            ]
        )
    )
    draft = parse_document(path, agencies).to_json()
    assert draft["title"] == "Review of Child C"
    recs = draft["recommendations"]
    assert [(r["number"], r["text"]) for r in recs] == [
        (1, "To improve training."),
        (2, "Share learning."),
    ]
    assert recs[0]["responses"][0]["actions"][0]["due"] == "2021-07-12"
    assert recs[1]["responses"][0]["actions"][0]["status"] == "done"


def test_pdf_without_text_is_an_error(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[]]))
    with pytest.raises(ReviewDocumentError, match=r"scan\.pdf: .*no text layer"):
        parse_document(path, agencies)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("review.docx", b"not a zip file", r"review\.docx: could not be read as a Word \.docx"),
        ("review.pdf", b"%PDF-1.4 garbage", r"review\.pdf: could not be read as a PDF"),
        ("plan.xlsx", b"PK\x03\x04 broken", r"plan\.xlsx: could not be read as an Excel"),
        ("review.txt", b"\x00\x01\x02binary", r"review\.txt: .*binary file; expected plain text"),
        ("review.txt", b"", r"review\.txt: the file is empty"),
        ("review.odt", b"x", r"review\.odt: an OpenDocument file: save it as \.docx"),
        ("review.doc", b"x", r"review\.doc: an old Word \.doc file"),
        ("review.png", b"x", r"review\.png: an unsupported file type \(\.png\); expected a"),
    ],
)
def test_bad_files(
    tmp_path: Path, agencies: list[AgencyName], name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReviewDocumentError, match=message):
        parse_document(path, agencies)


@pytest.mark.parametrize(
    ("name", "content"),
    [("review.docx", b"not a zip file"), ("review.pdf", b"%PDF-1.4 garbage"), ("plan.xlsx", b"PK")],
)
def test_unreadable_file_message_holds_no_server_path(
    tmp_path: Path, agencies: list[AgencyName], name: str, content: bytes
) -> None:
    path = tmp_path / "upload-1234"
    path.write_bytes(content)
    with pytest.raises(ReviewDocumentError) as caught:
        parse_document(path, agencies, source_name=name)
    message = str(caught.value)
    assert message.startswith(f"{name}: could not be read as ")
    assert "expected a" in message
    assert str(tmp_path) not in message
    assert "upload-1234" not in message


def test_docx_zip_without_word_content(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ReviewDocumentError, match=r"fake\.docx: could not be read as a Word"):
        parse_document(path, agencies)


def test_missing_file(tmp_path: Path, agencies: list[AgencyName]) -> None:
    with pytest.raises(ReviewDocumentError, match=r"gone\.txt: file not found"):
        parse_document(tmp_path / "gone.txt", agencies)


def test_source_name_decides_format_and_messages(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    path = tmp_path / "upload-1234"
    path.write_text("Recommendation 1: Share learning.\n", encoding="utf-8")
    draft = parse_document(path, agencies, source_name="Child D review.md")
    assert draft.recommendations[0].text == "Share learning."
    with pytest.raises(ReviewDocumentError, match=r"^Child D\.pdf: could not be read as a PDF"):
        parse_document(path, agencies, source_name="Child D.pdf")
