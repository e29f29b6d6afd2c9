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
