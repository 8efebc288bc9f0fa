"""The one error the parser raises."""


class ReviewDocumentError(Exception):
    """A file could not be read: the message names the file and what was expected."""
