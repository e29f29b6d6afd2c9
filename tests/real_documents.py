"""Test helper: the real council documents in ../shared/corpora (never copied into the repository; tests reach
the folder through the ``shared_corpora`` fixture), what each was read to contain (section keys and titles,
title, kind, page furniture, read from the documents themselves), and the checks every parse of them must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

LONG_TOKEN = re.compile(r"[A-Za-z]{20,}")
PAGE_FOOTER = re.compile(r"\bPage\s*[|:]?\s*\d+(\s+of\s+\d+)?\b")


@dataclass
class RealDocument:
    file: str
    title: str
    kind: str
    sections: dict[str, str | None]  # key -> title, as printed in the document (a subset where it has many);
    # None: no section has that key (a paragraph read as its sub-paragraphs)
    section_count: int  # the sections the document has, counted by reading it (every one must be found)
    furniture: list[str] = field(default_factory=list)  # lines the document prints as page furniture
    pdf: bool = False


DOCUMENTS = [
    RealDocument(
        "welsh-model-code-of-conduct-manordeilo-salem-cc-2016.html",
        "Manordeilo and Salem Community Council Code of Conduct", "code_of_conduct",
        # 17 paragraphs; those printed "10.—(1) …" are divided into their sub-paragraphs (1), (2), (2A) …
        {"1.1": "Interpretation", "1.2": "Interpretation", "2.1": "General Provisions", "3": "General Provisions",
         "4": "General Provisions", "6.2": "General Provisions", "9": "General Provisions",
         "10.1": "Personal Interests", "10.2": "Personal Interests", "11.7": "Disclosure of Personal Interests",
         "12.3": "Prejudicial Interests", "13": "Overview and Scrutiny Committees",
         "14.2A": "Participation in Relation to Disclosed Interests",
         "14.2B": "Participation in Relation to Disclosed Interests",
         "14.4": "Participation in Relation to Disclosed Interests", "15.6": "Registration of Personal Interests",
         "16.3": "Sensitive information", "17": "Registration of Gifts and Hospitality", "10": None, "14": None},
        41),
    RealDocument(
        "ayton-community-council-code-of-conduct-scottish-borders.md",
        "Code of Conduct for Community Councillors", "code_of_conduct",
        {"1.1": "General", "2.3": "Service to the Community", "3.2": "Duty to Uphold the Law",
         "4.1": "Community Interest", "7.1": "Hospitality", "13.2": "Declarations", "13.3": "Declarations",
         "13.7": "Declarations", "14.1": "Respect",
         "15.1": "Relations With Scottish Borders Council Councillors", "18.1": "Personal Conduct"}, 31),
    RealDocument(
        "manordeilo-salem-cc-online-policy.html", "Manordeilo & Salem Community Council Online Policy", "policy",
        {"1": "Introduction", "2": "Establishing a new online presence", "6": "Absence of the ‘lead’",
         "7": "Online Misconduct", "8": "Guidelines and Parameters for Online Activity",
         "9": "Passwords and Security", "10": "Elections", "11": "Merger or dissolution of the Community Council"}, 11),
    RealDocument(
        "manordeilo-salem-cc-online-strategy.html", "Manordeilo & Salem Community Council Online Strategy",
        "guidance",
        {"Introduction": "Introduction", "Benefits of Social Media": "Benefits of Social Media",
         "Drawbacks": "Drawbacks", "Policy Statement": "Policy Statement",
         "Guidance for Councillors - social media and meetings": "Guidance for Councillors - social media and meetings",
         "Facebook Strategy": "Facebook Strategy", "Website": "Website"},
        13),  # twelve headings, and its footnotes under "Notes"
    RealDocument(
        "manordeilo-salem-cc-local-resolution-protocol.html", "Local Resolution Protocol", "procedure",
        {"Background": "Background",
         "Issues which should be considered under this process": "Issues which should be considered under this process",
         "Issues which should not be considered under this process":
             "Issues which should not be considered under this process",
         "The complaint": "The complaint", "Resolution Process": "Resolution Process",
         "Possible results of the process": "Possible results of the process",
         "Time for the process": "Time for the process"},
        8, furniture=["Chairperson"]),  # seven headings, and the adoption line printed under its title
    RealDocument(
        "hertingfordbury-pc-code-of-conduct.pdf", "Code of Conduct", "code_of_conduct",
        {"Introduction": "Introduction", "Seven principles of public life": "Seven principles of public life",
         "Definitions": "Definitions", "1": "Member obligations", "6": "Member obligations",
         "7": "Registration of interests", "10": "Registration of interests",
         "11": "Declaration of interests at meetings", "15": "Declaration of interests at meetings",
         "16": "Dispensations"}, 21, furniture=["HERTINGFORDBURY PARISH COUNCIL"], pdf=True),
    RealDocument(
        "new-bradwell-pc-complaints-procedure.pdf", "New Bradwell Parish Council – Complaints Procedure", "procedure",
        {"1": "Paragraph 1", "4": "Paragraph 4", "6.a": "Paragraph 6", "6.b": "Paragraph 6", "13": "Paragraph 13"},
        14, pdf=True),
    RealDocument(
        "new-bradwell-pc-data-protection-policy.pdf", "Data Protection and the Use of Personal Data", "policy",
        {"Introduction": "Introduction", "Definitions used": "Definitions used",
         "The Rules of Fair Processing- Key Principles": "The Rules of Fair Processing- Key Principles",
         "Staff Responsibility": "Staff Responsibility",
         "Personal Data Requests & Filing": "Personal Data Requests & Filing", "Document Control": "Document Control"},
        # six headings: "The individual has consented to the Processing" is the condition "… unless:" introduces
        6, furniture=["Data Protection/Use of Personal Data Procedure"], pdf=True),
    RealDocument(
        # The rules' numbers are not in the PDF's text (Word numbering), so its headings are its sections.
        "new-bradwell-pc-standing-orders-jun21.pdf", "Model Standing Orders", "standing_orders",
        {key: key for key in ("Rules of debate at meetings", "Disorderly conduct at meetings", "Meetings generally",
                              "Committees and sub-committees", "Ordinary council meetings", "Previous resolutions",
                              "Draft minutes", "Code of conduct and dispensations", "Code of conduct complaints",
                              "Proper officer", "Handling staff matters", "Restrictions on councillor activities",
                              "Motions for a meeting that require written notice to be given to the proper officer",
                              "Accounts and accounting statements")},
        25, pdf=True),  # 26 in its contents page, of which "Standing orders generally" is not in its text
]


def reference_text(path: Path) -> str:
    """The document's words as a maintained reader gives them, to tell glue the source has from glue we add."""
    if path.suffix == ".pdf":
        import pypdf

        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    if path.suffix == ".html":
        from bs4 import BeautifulSoup

        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    return path.read_text(encoding="utf-8")


def long_tokens(text: str) -> set[str]:
    return set(LONG_TOKEN.findall(text))
