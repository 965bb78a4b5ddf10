"""Marking Dutch texts for the English catalogue (issue 13).

The domain knows no language: it writes its labels and refusals in Dutch, the source of truth for
every policy term, and marks them with `N_` so that `make translations` extracts them. They are
translated where they are shown (`labels.label`, the service errors), in the reader's language.
"""


def N_(text: str) -> str:
    """The text itself; the mark tells the extractor it belongs in the catalogue."""
    return text
