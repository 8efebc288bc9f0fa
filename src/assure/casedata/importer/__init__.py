"""Importing a case data extract (docs/domain.md section 5).

`import_tables` checks every table first and writes all or nothing; see `contract` for the
tables and columns, `reading` for the formats accepted, `validation` for the checks and
`writing` for how a new snapshot replaces the previous one.
"""

from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import ImportResult, import_tables
from assure.casedata.importer.validation import Problem

__all__ = ["ImportResult", "Problem", "import_tables", "sources_from_folder"]
