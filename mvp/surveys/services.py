"""The surveys area's services in one place, for callers that say `services.x`.

The work itself lives in modules with one job each:
- mvp.surveys.waves: waves, their access codes and dates (staff);
- mvp.surveys.answers: storing answers, the pupil's online answer among them;
- mvp.surveys.batches: paper and imported batches;
- mvp.surveys.pairing: pairing before with after answers, and where that runs;
- mvp.surveys.overview: the wave list and the wave page's counts.
"""

from mvp.extensions import db
from mvp.surveys import linkage
from mvp.surveys.answers import (
    AlreadySubmitted,
    NotOpen,
    ResponseData,
    check_answer_date,
    check_group_size,
    count_responses,
    default_answer_date,
    instrument_items,
    store_responses,
    submit_online,
)
from mvp.surveys.batches import (
    add_batch,
    batch_responses,
    batch_with_file,
    delete_batch,
    get_batch,
    list_batches,
    replace_batch,
)
from mvp.surveys.overview import (
    LinkSummary,
    WaveOverview,
    WaveRow,
    code_problems,
    list_waves,
    wave_overview,
)
from mvp.surveys.pairing import (
    LATER_PHASES,
    CohortCodes,
    cohort_codes,
    cohort_of,
    ensure_paired,
    pair_cohort,
    relink_all,
    relink_cohort,
)
from mvp.surveys.waves import (
    CODE_ALPHABET,
    CODE_LENGTH,
    WaveData,
    create_wave,
    delete_wave,
    find_wave,
    get_wave,
    has_responses,
    instruments_for,
    local_today,
    new_code,
    normalise_code,
    set_shared_device,
    suggested_instrument,
    update_wave,
    wave_status,
    waves_of_group,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "LATER_PHASES",
    "AlreadySubmitted",
    "CohortCodes",
    "LinkSummary",
    "NotOpen",
    "ResponseData",
    "WaveData",
    "WaveOverview",
    "WaveRow",
    "add_batch",
    "batch_responses",
    "batch_with_file",
    "check_answer_date",
    "check_group_size",
    "code_problems",
    "cohort_codes",
    "cohort_of",
    "count_responses",
    "create_wave",
    "db",
    "default_answer_date",
    "delete_batch",
    "delete_wave",
    "ensure_paired",
    "find_wave",
    "get_batch",
    "get_wave",
    "has_responses",
    "instrument_items",
    "instruments_for",
    "linkage",
    "list_batches",
    "list_waves",
    "local_today",
    "new_code",
    "normalise_code",
    "pair_cohort",
    "relink_all",
    "relink_cohort",
    "replace_batch",
    "set_shared_device",
    "store_responses",
    "submit_online",
    "suggested_instrument",
    "update_wave",
    "wave_overview",
    "wave_status",
    "waves_of_group",
]
