"""The shared decoding of ``ingest.encoding``: each encoding Windows and other tools save is read as written
and named, by the corpus loader and the eval set reader alike; a line that is not text is reported alone."""

from __future__ import annotations

import io

import pytest

from ingest.encoding import UndecodableText, decode_bytes, lines_note, read_lines

TEXT = "Members’ allowances – a £60 gift must be registered “within 28 days”.\r\nSecond line: café.\r\n"


@pytest.mark.parametrize("encoding, named, note", [
    ("utf-8", "utf-8", False),
    ("utf-8-sig", "utf-8-sig", False),
    ("utf-16", "utf-16", True),
    ("utf-32", "utf-32", True),
    ("cp1252", "cp1252", True),
])
def test_each_encoding_is_read_as_written_and_named(encoding, named, note):
    decoded = decode_bytes(TEXT.encode(encoding))
    assert decoded.text == TEXT
    assert decoded.encoding == named
    assert (decoded.note == f"read as {named} (it is not UTF-8)") if note else decoded.note is None


@pytest.mark.parametrize("data", [TEXT.encode("utf-16-le"), bytes(range(256)) * 8])  # UTF-16 needs its byte-order mark
def test_bytes_that_are_not_recognisable_text_are_refused_with_a_reason(data):
    with pytest.raises(UndecodableText, match="binary"):
        decode_bytes(data)


def test_a_short_windows_1252_text_is_not_taken_for_another_code_page():
    # charset-normalizer alone ranks cp932 or cp1250 first for text this short; "£" must stay "£"
    assert decode_bytes("A £60 gift?".encode("cp1252")).text == "A £60 gift?"
    assert decode_bytes("Zażółć gęślą jaźń, żółw i łódź".encode("cp1250")).encoding == "cp1250"


def test_lines_are_decoded_one_by_one_so_a_bad_line_costs_only_itself():
    data = b"\n".join([
        "Who wrote the guidance?".encode("utf-8"),
        "A £60 gift?".encode("cp1252"),
        b"\x00\x01\x02\x03binary",
        b"",
        "Can I tweet “this”?".encode("utf-8"),
    ])
    lines = list(read_lines(io.BytesIO(data)))
    assert [(line.number, line.text, bool(line.problem)) for line in lines] == [
        (1, "Who wrote the guidance?", False), (2, "A £60 gift?", False), (3, "", True),
        (4, "", False), (5, "Can I tweet “this”?", False),
    ]
    assert lines[2].problem == "it looks like binary data, not text"
    assert lines_note(lines) == "line(s) 2 read as cp1252 (not UTF-8)"


def test_lines_are_read_as_they_arrive():
    """A batch piped in is answered while it is written: the first line is read before the stream ends."""
    class OneLineAtATime(io.BytesIO):
        def read(self, *_):  # reading to the end would wait for the writer: the test fails if it is called
            raise AssertionError("read the whole stream")

    first = next(read_lines(OneLineAtATime("A £60 gift?\nSecond\n".encode("cp1252"))))
    assert (first.number, first.text, first.encoding) == (1, "A £60 gift?", "cp1252")


def test_a_utf16_corpus_text_file_is_loaded(tmp_path):
    from ingest.load import load_file

    path = tmp_path / "notes.txt"
    path.write_bytes(TEXT.encode("utf-16"))  # Notepad's "Unicode"; refused as binary before
    assert load_file(path).text == TEXT.replace("\r\n", "\n")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16"])
def test_an_eval_csv_from_excel_loads_in_each_encoding_it_saves(tmp_path, encoding):
    from guidance.evaluation.dataset import load_eval_set

    path = tmp_path / "set.csv"
    path.write_bytes("id,question,behaviour,expected_sections\r\ngift,Can I accept a £60 gift?,answer,3.3\r\n".encode(encoding))
    notes = []
    [case] = load_eval_set(path, on_note=notes.append)
    assert case.id == "gift" and case.question == "Can I accept a £60 gift?"
    assert notes == ([] if encoding == "utf-8-sig" else [f"{path} read as {encoding} (it is not UTF-8)"])


def test_a_hand_edited_file_with_one_accented_letter_among_ids_and_hashes_is_read_as_windows_1252():
    """Over all code pages charset-normalizer read this as HP Roman-8 ("Bl÷ggs"), or not, by chance of the ids and
    hashes beside it: the corrections test that saves such a file failed one run in several."""
    text = ("%YAML 1.1\n---\ncorrections:\n- id: 1a2b3c4d\n  question: Who wrote the guidance?\n"
            "  section: social-media-guidance#8.0\n  quote: null\n  note: checked by Jo Blöggs\n  officer: Jo Bloggs\n"
            "  created: '2026-12-06T22:00:00+00:00'\n  doc_version: '1.0'\n"
            "  fingerprint: 5f1c0d5e7b8a9c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d\n")
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("cp1252", text)
    for other, encoding in (("Привет, как дела? Это тестовый текст на русском языке.", "cp1251"),
                            ("Καλημέρα, αυτό είναι ένα κείμενο δοκιμής στα ελληνικά.", "cp1253")):
        assert decode_bytes(other.encode(encoding)).text == other  # Windows-1252 first, not Windows-1252 always
