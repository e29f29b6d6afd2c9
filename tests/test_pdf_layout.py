"""PDF layout shapes seen in real council PDFs, drawn by hand with invented text: words set one by one
without space characters, page furniture (a running header, a "Page | n" footer, a running title with its
page number typed into the body), a justified line with wide word gaps, a word hyphenated at a line end, a
footnote mark set above the line, and, without paragraph spacing, a statutory paragraph number ("6.—(1)"), a
list of definitions, a row set back under a list marker and a web address too long for its line."""

from __future__ import annotations

from pathlib import Path


def _draw(path: Path, pages: list[list[tuple[float, float, str, int, bool]]]) -> Path:
    """Each page's pieces of text as (x, y, text, size, bold); a piece whose text has spaces is set word by
    word with narrow gaps and no space characters, as some word processors write a PDF."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for pieces in pages:
        for x, y, text, size, bold in pieces:
            font = "Helvetica-Bold" if bold else "Helvetica"
            pdf.setFont(font, size)
            for word in text.split():
                pdf.drawString(x, y, word)
                x += stringWidth(word, font, size) + 0.2 * size
        pdf.showPage()
    pdf.save()
    return path


def _page(number: int, body: list[tuple[float, float, str, int, bool]]) -> list[tuple[float, float, str, int, bool]]:
    return [(72, 800, "EXAMPLE PARISH COUNCIL", 9, True), *body, (480, 40, f"Page | {number}", 9, False)]


def test_words_set_one_by_one_keep_their_spaces(tmp_path):
    from ingest.formats.pdf import load_pdf

    path = _draw(tmp_path / "words.pdf", [[(72, 700, "I do not disclose information given to me in confidence", 11, False)]])
    assert load_pdf(path).strip() == "I do not disclose information given to me in confidence"


def test_page_furniture_is_dropped_and_paragraphs_run_on_over_pages(tmp_path):
    from ingest.formats.pdf import load_pdf

    running_title = "Members' Handbook Procedure"  # typed into the body of each page after the first, with its number
    pages = [
        _page(1, [(72, 700, "1. Gifts", 14, True), (72, 670, "A member must register any gift worth more than", 11, False),
                  (72, 656, "fifty pounds within twenty-eight days of receiving", 11, False)]),
        _page(2, [(72, 740, "it, and must say who gave it.", 11, False), (72, 700, f"{running_title} 2", 11, False),
                  (72, 670, "2. Hospitality", 14, True), (72, 640, "Hospitality is registered in the same way.", 11, False)]),
        _page(3, [(72, 740, f"{running_title} 3", 11, False), (72, 700, "3. Declarations", 14, True),
                  (72, 670, "A member declares an interest at the start of the meeting.", 11, False)]),
    ]
    text = load_pdf(_draw(tmp_path / "code.pdf", pages))
    assert "EXAMPLE PARISH COUNCIL" not in text and "Page |" not in text and running_title not in text
    assert text.split("\n\n") == [
        "1. Gifts",
        "A member must register any gift worth more than fifty pounds within twenty-eight days of receiving it, "
        "and must say who gave it.",
        "2. Hospitality", "Hospitality is registered in the same way.",
        "3. Declarations", "A member declares an interest at the start of the meeting.\n",
    ]


def test_justified_line_is_not_a_table_and_line_end_hyphens_join(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ingest.formats.pdf import load_pdf

    first = "The clerk will answer within ten days of"
    gap = 72 + stringWidth(first, "Helvetica", 11) + 14  # a justified line's wide gap, 1.3 font sizes
    pages = [[(72, 700, first, 11, False), (gap, 700, "receiving a com-", 11, False),
              (72, 686, "plaint about the council, and will say what happens next.", 11, False)]]
    text = load_pdf(_draw(tmp_path / "justified.pdf", pages))
    assert text.strip() == ("The clerk will answer within ten days of receiving a complaint about the council, "
                            "and will say what happens next.")


def test_footnote_mark_stays_in_its_line(tmp_path):
    from ingest.formats.pdf import load_pdf

    pages = [[(72, 700, "Members must follow the code of conduct", 11, False), (282, 704, "1", 7, False),
              (72, 686, "at every meeting of the council and its committees.", 11, False)]]
    text = load_pdf(_draw(tmp_path / "footnote.pdf", pages))
    assert text.strip() == "Members must follow the code of conduct 1 at every meeting of the council and its committees."


def test_statutory_numbers_definitions_and_rows_under_a_list_marker_start_blocks(tmp_path):
    """Without paragraph spacing: "6.—(1)" opens a paragraph, a quoted term being defined opens the next entry
    of a list of definitions, and a row set back under a list item's marker is past the item."""
    from ingest.formats.pdf import load_pdf

    pages = [[(72, 700, "A member must act in the public interest and must not misuse the office of member.", 11, False),
              (72, 686, "6.—(1) You must —", 11, False),
              (72, 672, "“member” includes, unless the context requires otherwise, an invented co-opted member;", 11, False),
              (72, 658, "“register” means the register of interests the invented council keeps.", 11, False),
              (72, 644, "•", 11, False), (90, 644, "Members may use phones, tablets and laptops at every meeting", 11, False),
              (72, 630, "Drawbacks", 11, False),
              (72, 616, "Phones may distract members from the business of the meeting.", 11, False)]]
    assert load_pdf(_draw(tmp_path / "plain.pdf", pages)).split("\n\n") == [
        "A member must act in the public interest and must not misuse the office of member.",
        "6.—(1) You must —",
        "“member” includes, unless the context requires otherwise, an invented co-opted member;",
        "“register” means the register of interests the invented council keeps.",
        "- Members may use phones, tablets and laptops at every meeting",
        "Drawbacks",
        "Phones may distract members from the business of the meeting.\n",
    ]


def test_a_web_address_too_long_for_the_line_does_not_end_the_paragraph(tmp_path):
    from ingest.formats.pdf import load_pdf

    address = "https://www.example-council.gov.uk/invented/documents/members/code-of-conduct-2024-final-version.pdf"
    pages = [[(72, 700, "The invented council publishes the code of conduct and the register of interests", 11, False),
              (72, 686, "on its website, at", 11, False), (72, 672, address, 11, False)]]
    assert load_pdf(_draw(tmp_path / "address.pdf", pages)).strip() == (
        "The invented council publishes the code of conduct and the register of interests on its website, at "
        + address)


def test_the_column_edge_is_where_many_lines_end_not_an_overrunning_line():
    from ingest.formats.pdf_layout import _column_edge

    ragged = [380.0, 455.5, 470.0, 488.0, 511.0, 514.5, 515.0, 516.2, 517.3]
    assert _column_edge(ragged + [545.0, 553.4, 911.0], 10.0) == 517.3
    assert _column_edge([300.0, 420.0], 10.0) == 420.0  # too few lines to tell: the longest
