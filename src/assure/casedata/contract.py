"""The case data contract (docs/domain.md section 5): each table's file, columns and types.

Declared once, here, in plain Python (no Django): the importer's reading and checks, the
models' stored fields, `assure synth`'s files and the CIN census reader's rows (each column's
`cin` element) all derive from it. Table and column names are a public contract: local
authorities build extracts to them.
Tables are listed in the order they are validated and written: a table comes after every
table it refers to (the one exception, a plan naming its ICPC, is checked at the end).
"""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a column's text is read."""

    ID = "id"  # the row's own id: required, unique within the file
    REF = "ref"  # the id of a row in another table
    SOFT_REF = "soft_ref"  # the id of a row in another table, kept as text (no foreign key)
    DATE = "date"
    MONTH = "month"  # a date, kept only as its month and year
    FLAG = "flag"
    CODE = "code"  # one of `choices` when given; otherwise a short code
    TEXT = "text"
    PRESENCE = "presence"  # free text of which only "is there any?" is kept


ID_MAX_LENGTH = 64
CODE_MAX_LENGTH = 48
TEXT_MAX_LENGTH = 200

CATEGORIES = ("NEG", "PHY", "SAB", "EMO", "MUL")
LEGAL_ROUTES = ("meeting", "declined")
LEGAL_DECISIONS = ("issue", "pre_proceedings", "no_order", "assessment", "other")
VIABILITY_OUTCOMES = ("positive", "negative", "withdrawn")
# The DfE's ethnicity codes (CIN census); an SSD extract may use its own, so not `choices`.
ETHNICITIES = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
)
SUPERVISION_TYPES = ("formal", "reflective", "group")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    field: str | None = None  # the model field it is stored in; None: checked, not stored
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""  # for REF and SOFT_REF: the table referred to
    cin: str = ""  # the CIN census element it is read from (docs/domain.md section 5), if any

    @property
    def max_length(self) -> int:
        if self.kind in (Kind.ID, Kind.REF, Kind.SOFT_REF):
            return ID_MAX_LENGTH
        if self.kind == Kind.CODE:
            return CODE_MAX_LENGTH
        return TEXT_MAX_LENGTH

    @property
    def expected(self) -> str:
        """What a valid value looks like, for problem reports."""
        match self.kind:
            case Kind.DATE | Kind.MONTH:
                return "a date as YYYY-MM-DD or DD/MM/YYYY"
            case Kind.FLAG:
                return "Y or N (also 1/0, true/false)"
            case Kind.CODE if self.choices:
                return "one of " + ", ".join(self.choices)
            case _:
                return f"at most {self.max_length} characters"


@dataclass(frozen=True)
class Order:
    """Within one row: `later` must not be before `earlier` (when both are known)."""

    later: str
    earlier: str
    message: str


@dataclass(frozen=True)
class CrossOrder:
    """`column`'s date must not be before the date `other_column` of the row `ref_column` names."""

    column: str
    ref_column: str
    other_table: str
    other_column: str
    message: str


@dataclass(frozen=True)
class Table:
    name: str
    model: str  # model class name in assure.casedata.models; "" when merged into another
    columns: tuple[Column, ...]
    orders: tuple[Order, ...] = ()
    cross_orders: tuple[CrossOrder, ...] = ()
    required_file: bool = False
    merge_into: str = ""  # for assure_plo_filing: the table its rows complete

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def id_column(self) -> Column:
        return next(c for c in self.columns if c.kind == Kind.ID)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _id(name: str, cin: str = "") -> Column:
    return Column(name, Kind.ID, "ssd_id", required=True, cin=cin)


def _person(name: str, cin: str = "") -> Column:
    return Column(name, Kind.REF, "person", required=True, ref="ssd_person", cin=cin)


def _plan(name: str, required: bool = True, cin: str = "") -> Column:
    return Column(name, Kind.REF, "plan", required=required, ref="ssd_cp_plans", cin=cin)


def _professional(name: str, field_name: str, required: bool = False) -> Column:
    return Column(name, Kind.REF, field_name, required=required, ref="ssd_professionals")


def _date(name: str, field_name: str, required: bool = False, cin: str = "") -> Column:
    return Column(name, Kind.DATE, field_name, required=required, cin=cin)


def _flag(name: str, field_name: str, cin: str = "") -> Column:
    return Column(name, Kind.FLAG, field_name, cin=cin)


def _text(name: str, field_name: str) -> Column:
    return Column(name, Kind.TEXT, field_name)


def _code(
    name: str,
    field_name: str,
    choices: tuple[str, ...] = (),
    required: bool = False,
    cin: str = "",
) -> Column:
    return Column(name, Kind.CODE, field_name, required=required, choices=choices, cin=cin)


TABLES: tuple[Table, ...] = (
    Table(
        "ssd_person",
        "Person",
        (
            _id("pers_person_id", cin="ChildIdentifiers/LAchildID"),
            _code("pers_sex", "sex", cin="ChildIdentifiers/Sex"),
            _code("pers_ethnicity", "ethnicity", cin="ChildCharacteristics/Ethnicity"),
            Column("pers_dob", Kind.MONTH, "birth_month", cin="ChildIdentifiers/PersonBirthDate"),
            Column(
                "pers_expected_dob",
                Kind.MONTH,
                "expected_birth_month",
                cin="ChildIdentifiers/ExpectedPersonBirthDate",
            ),
            _date("pers_death_date", "death_date", cin="ChildIdentifiers/PersonDeathDate"),
        ),
        required_file=True,
    ),
    Table(
        "ssd_department",
        "Team",
        (
            _id("dept_team_id"),
            _text("dept_team_name", "name"),
            Column("dept_team_parent_id", Kind.SOFT_REF, "parent_ssd_id", ref=""),
            _text("dept_team_parent_name", "parent_name"),
        ),
    ),
    Table(
        "ssd_professionals",
        "Professional",
        (
            _id("prof_professional_id"),
            _text("prof_professional_name", "name"),
            _text("prof_professional_job_title", "job_title"),
            _text("prof_professional_department", "team"),
        ),
    ),
    Table(
        "ssd_involvements",
        "Involvement",
        (
            _id("invo_involvements_id"),
            _professional("invo_professional_id", "professional", required=True),
            _person("invo_person_id"),
            _code("invo_professional_role_id", "role"),
            _text("invo_professional_team", "team"),
            _date("invo_involvement_start_date", "start_date", required=True),
            _date("invo_involvement_end_date", "end_date"),
        ),
        orders=(
            Order(
                "invo_involvement_end_date",
                "invo_involvement_start_date",
                "The involvement cannot end before it starts",
            ),
        ),
    ),
    Table(
        "ssd_s47_enquiry",
        "S47Enquiry",
        (
            _id("s47e_s47_enquiry_id", cin="Section47"),
            _person("s47e_person_id", cin="ChildIdentifiers/LAchildID"),
            _date(
                "s47e_s47_start_date",
                "start_date",
                required=True,
                cin="Section47/S47ActualStartDate",
            ),
            _date("s47e_s47_end_date", "end_date"),
            _flag("s47e_s47_nfa", "nfa", cin="Section47/ICPCnotRequired"),
            _text("s47e_s47_completed_by_team", "team"),
            _professional("s47e_s47_completed_by_worker_id", "worker"),
        ),
        orders=(
            Order(
                "s47e_s47_end_date",
                "s47e_s47_start_date",
                "The enquiry cannot end before it starts",
            ),
        ),
    ),
    Table(
        "assure_strategy_discussions",
        "StrategyDiscussion",
        (
            _id("stra_strategy_id"),
            _person("stra_person_id"),
            Column("stra_s47_enquiry_id", Kind.REF, "s47", ref="ssd_s47_enquiry"),
            _date("stra_date", "date", required=True),
        ),
    ),
    Table(
        "ssd_cp_plans",
        "CPPlan",
        (
            _id("cppl_cp_plan_id", cin="ChildProtectionPlans"),
            _person("cppl_person_id", cin="ChildIdentifiers/LAchildID"),
            Column(
                "cppl_icpc_id",
                Kind.SOFT_REF,
                "icpc_ref",
                ref="ssd_initial_cp_conference",
                cin="DateOfInitialCPC",
            ),
            _date(
                "cppl_cp_plan_start_date",
                "start_date",
                required=True,
                cin="ChildProtectionPlans/CPPstartDate",
            ),
            _date("cppl_cp_plan_end_date", "end_date", cin="ChildProtectionPlans/CPPendDate"),
            _code(
                "cppl_cp_plan_initial_category",
                "initial_category",
                CATEGORIES,
                cin="ChildProtectionPlans/InitialCategoryOfAbuse",
            ),
            _code(
                "cppl_cp_plan_latest_category",
                "latest_category",
                CATEGORIES,
                cin="ChildProtectionPlans/LatestCategoryOfAbuse",
            ),
        ),
        orders=(
            Order(
                "cppl_cp_plan_end_date",
                "cppl_cp_plan_start_date",
                "The plan cannot end before it starts",
            ),
        ),
    ),
    Table(
        "ssd_initial_cp_conference",
        "InitialConference",
        (
            _id("icpc_icpc_id", cin="DateOfInitialCPC"),
            _person("icpc_person_id", cin="ChildIdentifiers/LAchildID"),
            Column("icpc_icpc_meeting_id", Kind.SOFT_REF, "meeting_id"),
            Column("icpc_s47_enquiry_id", Kind.REF, "s47", ref="ssd_s47_enquiry", cin="Section47"),
            _plan("icpc_cp_plan_id", required=False, cin="ChildProtectionPlans/CPPstartDate"),
            _flag("icpc_icpc_transfer_in", "transfer_in"),
            _date("icpc_icpc_target_date", "target_date", cin="Section47/InitialCPCtarget"),
            _date("icpc_icpc_date", "date", cin="DateOfInitialCPC"),
            _flag(
                "icpc_icpc_outcome_cp_flag", "outcome_cp", cin="ChildProtectionPlans/CPPstartDate"
            ),
            _text("icpc_icpc_team", "team"),
            _professional("icpc_icpc_worker_id", "worker"),
        ),
        cross_orders=(
            CrossOrder(
                "icpc_icpc_date",
                "icpc_s47_enquiry_id",
                "ssd_s47_enquiry",
                "s47e_s47_start_date",
                "The conference cannot be before its section 47 enquiry started",
            ),
        ),
    ),
    Table(
        "ssd_cp_reviews",
        "ReviewConference",
        (
            _id("cppr_cp_review_id", cin="ChildProtectionPlans/Reviews/CPPreviewDate"),
            _person("cppr_person_id", cin="ChildIdentifiers/LAchildID"),
            _plan("cppr_cp_plan_id", cin="ChildProtectionPlans"),
            _date("cppr_cp_review_due", "due_date"),
            _date("cppr_cp_review_date", "date", cin="ChildProtectionPlans/Reviews/CPPreviewDate"),
            Column("cppr_cp_review_meeting_id", Kind.SOFT_REF, "meeting_id"),
            _flag("cppr_cp_review_outcome_continue_cp", "outcome_continue_cp"),
            _flag("cppr_cp_review_quorate", "quorate"),
        ),
        cross_orders=(
            CrossOrder(
                "cppr_cp_review_date",
                "cppr_cp_plan_id",
                "ssd_cp_plans",
                "cppl_cp_plan_start_date",
                "The review conference cannot be before its plan started",
            ),
        ),
    ),
    Table(
        "assure_conference_chairs",
        "ConferenceChair",
        (
            Column("chai_meeting_id", Kind.ID, "ssd_id", required=True),
            _professional("chai_chair_professional_id", "chair", required=True),
        ),
    ),
    Table(
        "ssd_cp_visits",
        "CPVisit",
        (
            _id("cppv_cp_visit_id"),
            _person("cppv_person_id"),
            _plan("cppv_cp_plan_id"),
            _date("cppv_cp_visit_date", "date", required=True),
            _flag("cppv_cp_visit_seen", "seen"),
            _flag("cppv_cp_visit_seen_alone", "seen_alone"),
        ),
    ),
    Table(
        "assure_core_groups",
        "CoreGroup",
        (
            _id("cogr_core_group_id"),
            _person("cogr_person_id"),
            _plan("cogr_cp_plan_id"),
            _date("cogr_meeting_date", "date", required=True),
            _date("cogr_recorded_date", "recorded_date"),
        ),
        orders=(
            Order(
                "cogr_recorded_date",
                "cogr_meeting_date",
                "The record cannot be written before the meeting",
            ),
        ),
        cross_orders=(
            CrossOrder(
                "cogr_meeting_date",
                "cogr_cp_plan_id",
                "ssd_cp_plans",
                "cppl_cp_plan_start_date",
                "The core group cannot meet before its plan started",
            ),
        ),
    ),
    Table(
        "assure_midway_reviews",
        "MidwayReview",
        (
            _id("midw_id"),
            _person("midw_person_id"),
            _plan("midw_cp_plan_id"),
            _date("midw_date", "date", required=True),
            _professional("midw_chair_professional_id", "chair"),
        ),
    ),
    Table(
        "assure_plan_actions",
        "PlanAction",
        (
            _id("plac_action_id"),
            _plan("plac_cp_plan_id"),
            _person("plac_person_id"),
            Column("plac_outcome", Kind.PRESENCE, "has_outcome"),
            Column("plac_risk", Kind.PRESENCE, "has_risk"),
            Column("plac_timeframe", Kind.PRESENCE, "has_timeframe"),
            Column("plac_responsible", Kind.PRESENCE, "has_responsible"),
        ),
    ),
    Table(
        "assure_legal_planning",
        "LegalPlanning",
        (
            _id("lgpl_id"),
            _person("lgpl_person_id"),
            _date("lgpl_requested_date", "requested_date", required=True),
            _code("lgpl_route", "route", LEGAL_ROUTES, required=True),
            _date("lgpl_decision_date", "decision_date"),
            _code("lgpl_decision", "decision", LEGAL_DECISIONS),
            _date("lgpl_recorded_date", "recorded_date"),
            _flag("lgpl_threshold_disagreement", "threshold_disagreement"),
        ),
        orders=(
            Order(
                "lgpl_decision_date",
                "lgpl_requested_date",
                "The decision cannot be before the request",
            ),
            Order(
                "lgpl_recorded_date",
                "lgpl_decision_date",
                "The decision cannot be recorded before it was made",
            ),
        ),
    ),
    Table(
        "ssd_pre_proceedings",
        "PreProceedings",
        (
            _id("prep_table_id", cin="PreProceedingsandFGDM"),
            _person("prep_person_id", cin="ChildIdentifiers/LAchildID"),
            _date(
                "prep_pre_pro_decision_date",
                "decision_date",
                cin="PreProceedingsandFGDM/PPStartDate",
            ),
            _date(
                "prep_pre_pro_letter_date", "letter_date", cin="PreProceedingsandFGDM/LBPSentDate"
            ),
            _date(
                "prep_initial_pre_pro_meeting_date",
                "initial_meeting_date",
                cin="PreProceedingsandFGDM/InitialPPMeetingDate",
            ),
            _code("prep_pre_pro_outcome", "outcome", cin="PreProceedingsandFGDM/PPOutcome"),
            _date(
                "prep_agree_stepdown_issue_date",
                "stepdown_issue_date",
                cin="PreProceedingsandFGDM/StepDecisionDate",
            ),
        ),
    ),
    Table(
        "assure_plo_filing",
        "",
        (
            Column("plof_table_id", Kind.ID, None, required=True, ref="ssd_pre_proceedings"),
            _date("plof_letter_filed_date", "letter_filed_date"),
            _date("plof_meeting_filed_date", "meeting_filed_date"),
        ),
        merge_into="ssd_pre_proceedings",
    ),
    Table(
        "assure_viability_assessments",
        "ViabilityAssessment",
        (
            _id("viab_id"),
            _person("viab_person_id"),
            _date("viab_requested_date", "requested_date", required=True),
            _date("viab_completed_date", "completed_date"),
            _date("viab_qa_date", "qa_date"),
            _code("viab_outcome", "outcome", VIABILITY_OUTCOMES),
            _text("viab_team", "team"),
        ),
        orders=(
            Order(
                "viab_completed_date",
                "viab_requested_date",
                "The assessment cannot be completed before it was requested",
            ),
            Order(
                "viab_qa_date",
                "viab_completed_date",
                "The assessment cannot be quality-assured before it was completed",
            ),
        ),
    ),
    Table(
        "assure_case_flags",
        "CaseFlag",
        (
            _id("flag_id"),
            _person("flag_person_id"),
            _code("flag_code", "code", required=True),
            _date("flag_start_date", "start_date", required=True),
            _date("flag_end_date", "end_date"),
            _date("flag_last_review_date", "last_review_date"),
        ),
        orders=(Order("flag_end_date", "flag_start_date", "The flag cannot end before it starts"),),
    ),
)

# docs/domain.md section 9: the workforce extension tables.
WORKFORCE_TABLES: tuple[Table, ...] = (
    Table(
        "assure_supervision",
        "Supervision",
        (
            _id("supe_id"),
            _professional("supe_professional_id", "professional", required=True),
            _date("supe_date", "date", required=True),
            _code("supe_type", "type", SUPERVISION_TYPES),
            _flag("supe_welfare_discussed", "welfare_discussed"),
        ),
    ),
    Table(
        "assure_case_oversight",
        "CaseOversight",
        (
            _id("over_id"),
            _person("over_person_id"),
            _date("over_date", "date", required=True),
            _professional("over_professional_id", "professional"),
        ),
    ),
)
TABLES += WORKFORCE_TABLES

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Each table's column naming the child: the person table's id, else its reference to it.
PERSON_COLUMNS: dict[str, str] = {
    t.name: c.name
    for t in TABLES
    for c in t.columns
    if c.ref == "ssd_person" or (t.name == "ssd_person" and c.kind == Kind.ID)
}
# The tables a CIN census fills, in contract order, and the element each column comes from.
CIN_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if any(c.cin for c in t.columns))
CIN_ELEMENTS: dict[str, str] = {c.name: c.cin for t in TABLES for c in t.columns if c.cin}

# Meetings a conference chair can be recorded for: (table, column holding the meeting id).
MEETING_SOURCES = (
    ("ssd_initial_cp_conference", "icpc_icpc_meeting_id"),
    ("ssd_cp_reviews", "cppr_cp_review_meeting_id"),
)


def table_name(key: str) -> str:
    """A source key ("ssd_person", "ssd_person.csv", "SSD_Person.CSV") as a table name."""
    key = key.strip().rsplit("/", 1)[-1]
    if key.lower().endswith(".csv"):
        key = key[:-4]
    return key.lower()
