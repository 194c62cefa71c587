"""The Evaluation: plain dataclasses that every rendering (web, PDF, Excel, JSON) draws.

Every figure is already rounded and suppressed here. A figure (`Fig`) is a number, ".."
when suppressed (too few pupils) or None when it does not apply (no data, no test). Shares
are fractions between 0 and 1; indexes run 0–100; changes are in index points.
"""

import dataclasses
from dataclasses import dataclass, field

Fig = int | float | str | None

# Pupils' self-reported sex in questionnaires, and the registered counts of pupil groups.
PUPIL_SEXES = ("girl", "boy", "other", "no_answer")
GROUP_SEXES = ("girls", "boys", "others")
LEADER_SEXES = ("woman", "man", "other")


@dataclass
class Meta:
    """What the evaluation covers and how it was made."""

    municipality: str
    programme: str
    period: str
    school_years: list[str]
    schools: list[str]
    grades: list[int]
    plans: list[str]
    made_on: str
    language: str
    suppression_min: int
    all_schools: bool
    filters: dict


@dataclass
class KeyFigure:
    """One figure of the one-page summary."""

    key: str
    label: str
    value: Fig
    unit: str  # "count", "share", "hours", "index"


@dataclass
class Summary:
    """Key figures and the plain-language findings: after the lessons, at follow-up, whether
    schools continue, and how far the rollout has come."""

    figures: list[KeyFigure] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    follow_up: list[str] = field(default_factory=list)
    maintenance: str = ""
    rollout: str = ""


# --- Reach -----------------------------------------------------------------------------------


@dataclass
class PupilRow:
    """Pupils in MVP groups (registered counts) of one school, or of all."""

    key: str
    name: str
    groups: int
    girls: Fig
    boys: Fig
    others: Fig
    total: Fig
    pupils_in_grades: int
    share_of_grades: Fig


@dataclass
class PhaseResponses:
    """Questionnaires answered in one phase, by self-reported sex, and the response rate."""

    phase: str
    groups_with_wave: int
    groups: int
    responses: Fig
    by_sex: dict[str, Fig]
    rate: Fig
    rate_girls: Fig
    rate_boys: Fig


@dataclass
class SchoolResponses:
    """One school's questionnaires per phase."""

    phase: str
    responses: Fig
    rate: Fig


@dataclass
class Reach:
    """Reach: how many pupils, which share, who answered."""

    schools: list[PupilRow] = field(default_factory=list)
    total: PupilRow | None = None
    responses: list[PhaseResponses] = field(default_factory=list)
    # Phases in which a small group of "other" or "prefer not to say" was set aside.
    set_aside: list[str] = field(default_factory=list)


# --- Adoption --------------------------------------------------------------------------------


@dataclass
class LeaderCounts:
    """Leaders by sex (staff in their professional role; not suppressed)."""

    woman: int = 0
    man: int = 0
    other: int = 0
    total: int = 0


@dataclass
class RoleRow:
    """Trained leaders of one profession."""

    role: str
    label: str
    trained: LeaderCounts


@dataclass
class AdoptionSchool:
    """One school's steps towards MVP and its leaders."""

    key: str
    name: str
    groups: int
    leaders: int
    trained: int
    active: int
    anchoring_on: str | None
    staff_day_on: str | None


@dataclass
class Adoption:
    """Adoption: schools and staff taking part."""

    schools_participating: int = 0
    schools_total: int = 0
    leaders: LeaderCounts = field(default_factory=LeaderCounts)
    trained: LeaderCounts = field(default_factory=LeaderCounts)
    active: LeaderCounts = field(default_factory=LeaderCounts)
    trained_by_role: list[RoleRow] = field(default_factory=list)
    schools: list[AdoptionSchool] = field(default_factory=list)


# --- Implementation --------------------------------------------------------------------------


@dataclass
class ImplementationRow:
    """Fidelity of one school or all: dose, leader pairs, delivery, attendance, supervision."""

    key: str
    name: str
    groups: int
    groups_with_plan: int
    groups_full_dose: int
    lessons_planned: int
    lessons_held: int
    dose: Fig
    held_lessons: int
    repeat_lessons: int
    full_pair_share: Fig
    delivered_fully: Fig
    delivered_partly: Fig
    delivered_not: Fig
    attendance: dict[str, Fig]
    supervision_hours: float
    supervision_hours_per_leader: Fig


@dataclass
class Implementation:
    """Implementation per school and in total."""

    schools: list[ImplementationRow] = field(default_factory=list)
    total: ImplementationRow | None = None
    central_supervision_hours: float = 0.0


# --- Effectiveness ---------------------------------------------------------------------------


@dataclass
class PairedResult:
    """Linked pupils: before and later, the mean change with its 95 % CI, d_z and Wilcoxon p."""

    n: Fig = None
    before_mean: Fig = None
    before_index: Fig = None
    later_mean: Fig = None
    later_index: Fig = None
    change: Fig = None
    ci_low: Fig = None
    ci_high: Fig = None
    d_z: Fig = None
    p: Fig = None
    p_holm: Fig = None


@dataclass
class UnpairedResult:
    """All answers before against all answers later: Hedges' g and Mann–Whitney p."""

    n_before: Fig = None
    before_mean: Fig = None
    before_index: Fig = None
    n_later: Fig = None
    later_mean: Fig = None
    later_index: Fig = None
    difference: Fig = None
    hedges_g: Fig = None
    p: Fig = None
    p_holm: Fig = None


@dataclass
class SubgroupResult:
    """A scale's result for one sex, school or grade; or, with `sex` set, for one sex of a
    school or grade (`key` and `label` then name the school or grade)."""

    key: str
    label: str
    paired: PairedResult
    unpaired: UnpairedResult
    sex: str | None = None
    sex_label: str = ""


@dataclass
class AlphaGroup:
    """Cronbach's alpha of a scale in one phase for one sex."""

    key: str
    label: str
    n: Fig
    alpha: Fig


@dataclass
class AlphaResult:
    """Cronbach's alpha of a scale in one phase, from complete answers."""

    phase: str
    n: Fig
    alpha: Fig
    by_sex: list[AlphaGroup] = field(default_factory=list)


@dataclass
class ScaleResult:
    """One scale's outcome: overall and broken down by sex, school and grade."""

    key: str
    name: str
    construct: str
    kind: str
    items: int
    paired: PairedResult
    unpaired: UnpairedResult
    by_sex: list[SubgroupResult] = field(default_factory=list)
    by_school: list[SubgroupResult] = field(default_factory=list)
    by_grade: list[SubgroupResult] = field(default_factory=list)
    alpha: list[AlphaResult] = field(default_factory=list)
    finding: str = ""
    findings_by_sex: list[str] = field(default_factory=list)
    # Each school and each grade by sex (SubgroupResult.sex set).
    by_school_sex: list[SubgroupResult] = field(default_factory=list)
    by_grade_sex: list[SubgroupResult] = field(default_factory=list)


@dataclass
class ItemShare:
    """Answers to an item in one phase: how many, the share positive and the share "vet ej"."""

    n: Fig = None
    positive: Fig = None
    dont_know: Fig = None


@dataclass
class ItemRow:
    """An item's answers before and later, for all pupils or one sex."""

    key: str
    label: str
    before: ItemShare
    later: ItemShare


@dataclass
class ItemResult:
    """One question: positive answers (top two steps, or "yes") and "vet ej", before and later."""

    key: str
    text: str
    scale: str
    kind: str
    reverse: bool
    rows: list[ItemRow] = field(default_factory=list)


@dataclass
class LinkageGroup:
    """Linkage of one sex: answers before (a pair counts with the sex given before) and
    later (with the sex given later), pairs, and the shares linked."""

    key: str
    label: str
    before: Fig = None
    later: Fig = None
    pairs: Fig = None
    rate_before: Fig = None
    rate_later: Fig = None


@dataclass
class Linkage:
    """How many before-answers could be paired with a later answer of the same pupil."""

    before: Fig = None
    later: Fig = None
    pairs: Fig = None
    exact: Fig = None
    one_differs: Fig = None
    rate_before: Fig = None
    rate_later: Fig = None
    sex_differs: Fig = None
    by_sex: list[LinkageGroup] = field(default_factory=list)


@dataclass
class BaselineRow:
    """A scale before the lessons: pupils later linked against those never linked."""

    key: str
    name: str
    n_linked: Fig
    linked_index: Fig
    n_unlinked: Fig
    unlinked_index: Fig
    difference: Fig
    hedges_g: Fig
    p: Fig
    # The same comparison for each sex (key and name are then the sex's).
    by_sex: list["BaselineRow"] = field(default_factory=list)


@dataclass
class Comparison:
    """Before against after (effectiveness) or before against follow-up (maintenance)."""

    later_phase: str
    available: bool = False
    message: str = ""
    linkage: Linkage = field(default_factory=Linkage)
    low_linkage: bool = False
    scales: list[ScaleResult] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    baseline: list[BaselineRow] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


# --- Maintenance, schools, method, texts -----------------------------------------------------


@dataclass
class ContinuationRow:
    """Whether a school has MVP groups the school year after."""

    key: str
    name: str
    school_year: str
    next_year: str
    groups_next: int | None
    status: str  # "continues", "stopped" or "not_yet" (the next year has not begun)


@dataclass
class Maintenance:
    """Maintenance: results at follow-up, and schools that continue."""

    follow_up: Comparison = field(default_factory=lambda: Comparison("follow_up"))
    continuation: list[ContinuationRow] = field(default_factory=list)
    finding: str = ""


# --- Rollout ---------------------------------------------------------------------------------


@dataclass
class RolloutStageRow:
    """How many schools are at one rollout stage."""

    key: str
    label: str
    schools: int


@dataclass
class RolloutBandRow:
    """Pupils reached in a grade band (registry counts) against all the band's pupils."""

    key: str
    label: str
    pupils_total: int
    pupils_reached: int
    share: Fig


@dataclass
class RolloutTermRow:
    """One term of the plan: the schools starting and the projected state at its end."""

    key: str  # 2026-HT
    label: str  # HT 2026
    current: bool
    starting: list[str]
    schools_running: int
    schools_share: Fig
    leaders_to_train_minimum: int
    leaders_to_train_recommended: int
    pupils_starting: int
    pupils_reached: int
    bands: list[RolloutBandRow] = field(default_factory=list)


@dataclass
class RolloutSchoolRow:
    """One school's place in the rollout: stage, target term and readiness."""

    key: str
    name: str
    stage: str
    stage_label: str
    target_term: str | None
    pupils_targeted: int
    trained_leaders: int
    ready_items: int
    total_items: int


@dataclass
class Rollout:
    """Rollout: how far the municipality (or the selection's schools) is from MVP in every
    school. About schools and registered pupil numbers, so neither by sex nor suppressed.

    `scope` is "municipality" (every active school: the plan as leads and viewers see it,
    when no school is chosen) or "schools" (only the chosen schools, or a coordinator's own:
    their stages and readiness, no projection by term).
    """

    scope: str = "municipality"
    as_of: str = ""
    current_term: str = ""
    schools_active: int = 0
    schools_eligible: int = 0
    schools_running: int = 0
    running_share: Fig = None
    schools_remaining: int = 0
    complete_in: str | None = None
    team_min: int = 0  # the recommended team of leaders (TEAM_SIZE_MIN)
    stages: list[RolloutStageRow] = field(default_factory=list)
    now: list[RolloutBandRow] = field(default_factory=list)
    terms: list[RolloutTermRow] = field(default_factory=list)
    schools: list[RolloutSchoolRow] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    unplanned: list[str] = field(default_factory=list)
    not_targeted: list[str] = field(default_factory=list)
    finding: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class SchoolScale:
    """One scale at one school: overall and by sex and grade."""

    key: str
    name: str
    paired: PairedResult
    unpaired: UnpairedResult
    by_sex: list[SubgroupResult] = field(default_factory=list)
    by_grade: list[SubgroupResult] = field(default_factory=list)
    finding: str = ""
    # Each grade by sex (SubgroupResult.sex set), and the finding for girls and for boys.
    by_grade_sex: list[SubgroupResult] = field(default_factory=list)
    findings_by_sex: list[str] = field(default_factory=list)


@dataclass
class SchoolSection:
    """Everything about one school, for its own page."""

    key: str
    name: str
    pupils: PupilRow
    responses: list[SchoolResponses]
    adoption: AdoptionSchool
    implementation: ImplementationRow
    scales: list[SchoolScale] = field(default_factory=list)


@dataclass
class ScaleInfo:
    """A scale as the method appendix describes it."""

    key: str
    name: str
    construct: str
    kind: str
    items: int
    reverse_items: int


@dataclass
class Method:
    """The method appendix: instrument, linkage, suppression and the tests used."""

    instruments: list[str] = field(default_factory=list)
    scales: list[ScaleInfo] = field(default_factory=list)
    linkage: list[str] = field(default_factory=list)
    suppression: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)


@dataclass
class ReportTexts:
    """The project lead's own text for one school year."""

    school_year: str
    lessons_learned: str
    next_steps: str


@dataclass
class Evaluation:
    """The whole evaluation of one selection, suppressed and ready to render."""

    meta: Meta
    has_data: bool
    notices: list[str]
    summary: Summary
    reach: Reach
    adoption: Adoption
    implementation: Implementation
    effectiveness: Comparison
    maintenance: Maintenance
    rollout: Rollout
    schools: list[SchoolSection]
    method: Method
    texts: list[ReportTexts]

    def as_dict(self) -> dict:
        """Plain dicts and lists, as the JSON API sends them."""
        return dataclasses.asdict(self)
