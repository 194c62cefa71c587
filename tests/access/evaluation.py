"""Access rules of the evaluation: the dashboard, downloads, the lead's texts and the API."""

from tests.access import CENTRAL, FORBIDDEN, LOGIN, OK, Rule, expect

# Everyone signed in reads the (suppressed) evaluation; a coordinator within their schools.
READ = expect(viewer=OK, coordinator=OK)

RULES = {
    "evaluation.index": Rule(lambda w: "/evaluation/", READ),
    "evaluation.section": Rule(lambda w: "/evaluation/section/effectiveness", READ),
    "evaluation.school": Rule(
        lambda w: f"/evaluation/schools/{w.own_school.id}",
        READ,
        other_url=lambda w: f"/evaluation/schools/{w.other_school.id}",
    ),
    "evaluation.texts": Rule(lambda w: "/evaluation/texts", CENTRAL),
    "evaluation.texts POST": Rule(lambda w: "/evaluation/texts", CENTRAL, data=lambda w: {}),
    "evaluation.api": Rule(
        lambda w: "/api/v1/evaluation",
        expect(anonymous=401, viewer=OK, coordinator=OK, lead=OK, admin=OK),
    ),
    "reports.pdf": Rule(lambda w: "/evaluation/report.pdf", READ),
    "reports.xlsx": Rule(lambda w: "/evaluation/report.xlsx", READ),
    "reports.answers": Rule(
        lambda w: "/evaluation/answers.csv",
        expect(anonymous=LOGIN, viewer=FORBIDDEN, coordinator=FORBIDDEN, lead=OK, admin=OK),
    ),
}
