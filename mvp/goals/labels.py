"""The reader's words for the goals' codes: sub-goals, sources, target kinds, statuses."""

from flask_babel import lazy_gettext as _l

from mvp.goals import follow_up
from mvp.goals.models import Source, SubGoal, TargetKind

SUB_GOAL_LABELS = {
    SubGoal.POWER.value: _l("Power and influence"),
    SubGoal.ECONOMY.value: _l("Economic equality"),
    SubGoal.EDUCATION.value: _l("Equality in education"),
    SubGoal.HEALTH.value: _l("Equality in health"),
    SubGoal.UNPAID_WORK.value: _l("Equal distribution of unpaid housework and care"),
    SubGoal.VIOLENCE.value: _l("Men's violence against women must end"),
}
SOURCE_LABELS = {
    Source.KOLADA.value: _l("Kolada key figure"),
    Source.OWN.value: _l("The application's own figure"),
    Source.TYPED.value: _l("Figures typed in"),
}
TARGET_KIND_LABELS = {
    TargetKind.VALUES.value: _l("A value for women and for men"),
    TargetKind.GAP.value: _l("A largest allowed gap between women and men"),
    TargetKind.TOTAL.value: _l("A value for the total"),
}
STATUS_LABELS = {
    follow_up.ON_TRACK: _l("on track"),
    follow_up.NOT_ON_TRACK: _l("not on track"),
    follow_up.NO_DATA: _l("no data"),
}
DIRECTION_LABELS = {
    follow_up.NARROWING: _l("narrowing"),
    follow_up.WIDENING: _l("widening"),
    follow_up.UNCHANGED: _l("unchanged"),
}
