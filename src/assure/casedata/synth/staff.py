"""The authority's teams and staff (ssd_department, ssd_professionals)."""

from dataclasses import dataclass


@dataclass
class Team:
    team_id: str
    name: str
    parent_id: str
    parent_name: str
    kind: str  # "assessment", "protection", "conference", "legal"


@dataclass
class Professional:
    prof_id: str
    name: str
    job_title: str
    team_id: str
