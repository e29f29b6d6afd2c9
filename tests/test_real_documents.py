"""Real council documents (../shared/corpora, read in place), each parsed alone and all ingested together with
the seed: the sections they print (keys and titles read from the documents), their titles and kinds, no words
glued that the source keeps apart, and no page furniture in any passage."""

from __future__ import annotations

import pytest

from tests.real_documents import DOCUMENTS, PAGE_FOOTER, long_tokens, reference_text


def _cases():
    return [pytest.param(d, id=d.file) for d in DOCUMENTS]


@pytest.fixture(scope="module")
def parsed(shared_corpora):
    from ingest.load import load_file
    from ingest.sections import parse_documents

    return {d.file: parse_documents(load_file(shared_corpora / d.file).text, d.file) for d in DOCUMENTS}


@pytest.mark.parametrize("expected", _cases())
def test_title_kind_and_sections(parsed, expected):
    (document,) = parsed[expected.file]
    assert (document.title, document.kind) == (expected.title, expected.kind)
    found = {s.key: s.title for s in document.sections}
    assert {key: found.get(key) for key in expected.sections} == expected.sections
    assert len(document.sections) == expected.section_count, sorted(found)
    assert not any(s.title.rstrip().endswith(("—", ":")) for s in document.sections), "a lead-in used as a title"
    assert len({s.key for s in document.sections}) == len(document.sections)


@pytest.mark.parametrize("expected", _cases())
def test_no_glued_words_or_page_furniture(parsed, shared_corpora, expected):
    (document,) = parsed[expected.file]
    passages = [p.text for s in document.sections for p in s.passages]
    glued = long_tokens(" ".join(passages)) - long_tokens(reference_text(shared_corpora / expected.file))
    assert not glued, f"words run together that the source keeps apart: {sorted(glued)[:10]}"
    for text in passages:
        assert not PAGE_FOOTER.search(text), text
        for furniture in expected.furniture:
            assert furniture not in text, text
    for section in document.sections:
        assert not PAGE_FOOTER.search(section.title) and section.title not in expected.furniture


def test_all_together_with_the_seed_ingest_with_unique_ids_and_kinds(real_corpus_index):
    from ingest.index import open_index

    report, index_dir = real_corpus_index
    assert not report.skipped
    index = open_index(index_dir)
    assert len({c.chunk_id for c in index.chunks}) == len(index.chunks)
    kinds = {d.doc_id: d.kind for d in index.documents}
    assert (kinds["social-media-guidance"], kinds["committee-report"]) == ("guidance", "report")
    assert sum(kind == "code_of_conduct" for kind in kinds.values()) >= 2  # the Welsh and Ayton codes at least


@pytest.mark.parametrize(("environment", "outcome"), [({}, "skip"), ({"REQUIRE_SHARED_CORPORA": "1"}, "fail"),
                                                      ({"CI": "true"}, "fail"), ({"CI": "false"}, "skip")])
def test_absent_real_documents_skip_in_a_plain_checkout_and_fail_under_ci(monkeypatch, tmp_path, environment, outcome):
    from tests.conftest import corpora_folder_or_skip

    for variable in ("REQUIRE_SHARED_CORPORA", "CI"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises({"skip": pytest.skip.Exception, "fail": pytest.fail.Exception}[outcome]) as raised:
        corpora_folder_or_skip(tmp_path / "absent")
    assert str(tmp_path / "absent") in str(raised.value)
    assert corpora_folder_or_skip(tmp_path) == tmp_path
