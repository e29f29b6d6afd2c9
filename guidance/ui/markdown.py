"""Safe Markdown: text shown in Streamlit's Markdown (labels, captions, messages) made literal, so nothing a
member types or a document says can become a link, an image, emphasis, a directive or math."""

from __future__ import annotations

import re

# Markdown (CommonMark + Streamlit's :directives[] and $math$) gives meaning to ASCII punctuation;
# a backslash before any of it makes it literal.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: no links, images, emphasis, directives or math can come out of it."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
