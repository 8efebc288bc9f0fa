"""ICPC within 15 working days of the section 47 enquiry starting (DfE basis).

The same obligation as `icpc_15wd_strategy`, clocked from the enquiry's start date as the DfE
measures it, so it needs no strategy discussion: every enquiry (not linked to a transfer-in
conference) counts.
"""

from assure.indicators.catalogue.icpc_15wd_strategy import KEY, icpc_obligations
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register


def compute(window: Window) -> Columns:
    return icpc_obligations(window, from_strategy=False)


INDICATOR = register(
    Indicator(
        id="icpc_15wd_s47",
        title="Initial conferences within 15 working days of the section 47 start",
        measures=(
            "Section 47 enquiries whose initial child protection conference was held within "
            "15 working days of the enquiry starting"
        ),
        basis="Statutory (DfE measure): Children in Need census, from the section 47 start",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_s47_enquiry", "ssd_initial_cp_conference"),
        compute=compute,
    )
)
