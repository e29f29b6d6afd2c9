"""Named documents: which loaded documents a question names, so a question naming two is answered from each."""

from __future__ import annotations

from types import SimpleNamespace

from guidance.answering.named_documents import DocumentNames, document_names


def _groups(question: str, documents) -> list[frozenset[str]]:
    return DocumentNames(documents).groups(question)


def _documents(*titles: tuple[str, str]):
    return [SimpleNamespace(doc_id=doc_id, citation_title=title) for doc_id, title in titles]


def test_a_document_is_named_by_its_title_or_a_trailing_part_of_two_words_or_more():
    names = document_names("Example Borough Council Members’ Code of Conduct")
    assert "code of conduct" in names and "example borough council members' code of conduct" == names[0]
    assert "of conduct" not in names and "conduct" not in names
    assert document_names("New Bradwell Parish Council – Complaints Procedure")[-1] == "complaints procedure"
    assert "– complaints procedure" not in document_names("New Bradwell Parish Council – Complaints Procedure")


def test_questions_name_the_documents_they_mention_and_no_others():
    loaded = _documents(("report", "Committee report"), ("guidance", "Social Media Guidance"),
                        ("code", "Example Borough Council Members' Code of Conduct"))
    both = _groups("What do the Code of Conduct and the social media guidance say about respect?", loaded)
    assert sorted(map(sorted, both)) == [["code"], ["guidance"]]
    assert _groups("Does the social media guidance cover blogs?", loaded) == [frozenset({"guidance"})]
    assert _groups("Can I post about a planning application?", loaded) == []
    # "media" or "conduct" alone is not a document's name
    assert _groups("Is my conduct on social media covered?", loaded) == []


def test_two_codes_named_by_the_same_words_are_one_group():
    loaded = _documents(("welsh", "Manordeilo and Salem Community Council Code of Conduct"), ("english", "Code of Conduct"),
                        ("guidance", "Social Media Guidance"))
    groups = _groups("Do the code of conduct and the social media guidance both ban insults?", loaded)
    assert sorted(map(sorted, groups)) == [["english", "welsh"], ["guidance"]]
