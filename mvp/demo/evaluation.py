"""Demo step: the project lead's own sections of the pilot round's evaluation report."""

from mvp.demo import DemoContext
from mvp.evaluation.models import ReportText
from mvp.extensions import db

LESSONS_LEARNED = """\
Piloten visar att MVP går att genomföra i ordinarie skolverksamhet när skolledningen står \
bakom arbetet. På båda skolorna var förankringssamtalet med rektor och den gemensamma \
personalhalvdagen avgörande för att ledarparen fick tid i schemat.

Ledarparen uppskattade handledningen mest av allt stöd. Där handledningen blev inställd \
under hösten föll andelen lektioner som hölls enligt plan. Lektionerna i halvgrupp \
fungerade bättre än helklass för de svåra scenarierna om sexualiserat våld.

Enkäterna före och efter gav oss ett underlag som vi inte haft tidigare. Andelen svar som \
kunde kopplas ihop blev lägre i de klasser där enkäten gjordes en annan dag än lektionen, \
och vi behöver därför planera in enkäten i själva lektionstiden."""

NEXT_STEPS = """\
Under läsåret utbildar vi ytterligare sex ledare, så att varje skola har minst två ledarpar \
och är mindre sårbar när någon slutar. Handledningen läggs fast i schemat redan i augusti, \
tre tillfällen per termin.

Norrgårdsskolan och Västra skolan påbörjar förankringen under våren inför start hösten \
därpå. Resultaten från uppföljningsenkäten redovisas för skolledarna i juni."""


def seed(context: DemoContext) -> None:
    """The lead's lessons learned and next steps for the finished pilot round."""
    texts = ReportText(
        school_year=context.pilot_year, lessons_learned=LESSONS_LEARNED, next_steps=NEXT_STEPS
    )
    db.session.add(texts)
    db.session.flush()
    context.extra["report_text"] = texts
