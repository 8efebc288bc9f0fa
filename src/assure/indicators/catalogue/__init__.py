"""The indicator catalogue (docs/domain.md section 4): one module per indicator, in this order.

Importing this package imports every module, in `ORDER`; each registers its indicator in
`assure.indicators.engine.REGISTRY`, so the registry lists them in catalogue order.
"""

from importlib import import_module

ORDER: tuple[str, ...] = (
    "icpc_15wd_strategy",
    "icpc_15wd_s47",
    "core_group_first_10wd",
    "core_group_interval",
    "core_group_recorded_5wd",
    "rcpc_timeliness",
    "chair_consistency",
    "midway_review",
    "cp_visit_10wd",
    "plan_action_quality",
    "legal_decision_recorded_10wd",
    "plo_letter_filed_10wd",
    "plo_duration_16w",
    "viability_10wd",
    "viability_qa_5wd",
    "csafe_review_3m",
    "repeat_plan_2y",
    "long_plan_2y",
    # docs/domain.md section 9
    "supervision_4w",
    "csafe_oversight_4w",
)

for _name in ORDER:
    import_module(f"{__name__}.{_name}")
