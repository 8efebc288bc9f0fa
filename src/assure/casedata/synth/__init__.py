"""A synthetic local authority's case data, written as the CSV files of the case data contract.

`generate(out_dir, children, seed, as_of)` writes every `ssd_*` and `assure_*` file of
docs/domain.md section 5 for `children` synthetic children. Everything is decided by one
`random.Random(seed)` and the as-of date, so the same arguments give byte-identical files.
Children are generated and written one at a time, so memory does not grow with `children`.

The data is shaped like England's national figures over about three years before the as-of date
(about a third of children have a section 47 enquiry, about 80% of initial conferences are held
within 15 working days of the strategy discussion, plan lengths with a median of about nine
months) and deliberately includes met, late and overdue (or breached) cases for every indicator
of docs/domain.md section 4. No real person is described: names are "Child 000123" and staff
names are drawn from short fixed lists.

`write_cin_xml(out_file, children, seed, as_of)` writes the same authority's children as the
Children in Need census of the last year ending by the as-of date, as a careful authority
would submit it (see `census`).

The modules: `authority` (the generator, staff), `child` (a child's story: enquiry, conference,
plan), `plans`, `legal` and `flags` (parts of that story, one group of tables each),
`records` (a child as a structure), `vocabulary` (codes and words drawn), `dates`, `files`
(the CSV files; the columns come from `assure.casedata.contract`) and `census` (the CIN XML).
A new table's generator goes in a module of its own: staff-level tables are written from
`files.generate`, a child's from `child.ChildBuilder.build`.
"""

from assure.casedata.synth.authority import Synthesiser
from assure.casedata.synth.census import write_cin_xml
from assure.casedata.synth.dates import DEFAULT_AS_OF
from assure.casedata.synth.files import PERSON_EXTRA_COLUMNS, TABLE_COLUMNS, generate, iter_children
from assure.casedata.synth.records import ChildRecord

__all__ = [
    "DEFAULT_AS_OF",
    "PERSON_EXTRA_COLUMNS",
    "TABLE_COLUMNS",
    "ChildRecord",
    "Synthesiser",
    "generate",
    "iter_children",
    "write_cin_xml",
]
