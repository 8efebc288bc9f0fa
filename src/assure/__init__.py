"""Assure: assurance for safeguarding children partnerships."""
