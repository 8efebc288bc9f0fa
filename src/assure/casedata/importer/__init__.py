"""Importing a case data extract (docs/domain.md section 5).

`run.import_tables` checks every table first and writes all or nothing; see `contract` for
the tables and columns, `reading` for the formats accepted, `validation` for the checks and
`writing` for how a new snapshot replaces the previous one. Nothing is imported here, so that
`reading` (no Django) can start before Django does (`reading.read_ahead`).
"""
