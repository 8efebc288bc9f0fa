"""The dashboard's figures as one table for CSV and Excel: counts only, no child, no note."""

from assure.escalations.figures import Figures

HEADERS = ["Figure", "Group", "Met", "Late", "Overdue", "Count"]


def rows(found: Figures) -> list[list]:
    window = f"{found.start.isoformat()} to {found.end.isoformat()}"
    median = found.median_working_days_to_resolve
    lines: list[list] = [
        ["Window", window, "", "", "", ""],
        ["Raised", "", "", "", "", found.raised],
        ["Ended", "", "", "", "", found.ended],
        ["Resolved", "", "", "", "", found.resolved],
        ["Resolved at stage 1", "", "", "", "", found.resolved_at_stage_1],
        ["Median working days to resolve", "", "", "", "", "" if median is None else median],
    ]
    for number, counts in found.stages.items():
        lines.append(
            [
                f"Stage {number} timeliness",
                "",
                counts["met"],
                counts["late"],
                counts["overdue"],
                sum(counts.values()),
            ]
        )
    lines += [["Raised by agency", name, "", "", "", n] for name, n in found.by_raising_agency]
    lines += [["About agency", name, "", "", "", n] for name, n in found.by_about_agency]
    lines += [["Category", name, "", "", "", n] for name, n in found.category_rows()]
    lines += [["Month raised", f"{month:%Y-%m}", "", "", "", n] for month, n in found.by_month]
    return [[_safe(cell) for cell in line] for line in lines]


def _safe(value: object) -> object:
    from assure.reviews.exports import safe

    return value if isinstance(value, int | float) else safe(value)
