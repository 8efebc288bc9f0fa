"""Quality assurance case audits (domain.md section 7)."""
