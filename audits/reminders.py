"""What an agency's leads hear about their self-assessment return, through the outbox.

`send_return_notices(today)` is the whole job; Celery beat runs it daily through
`audits.tasks.send_return_notices_task`, opening a cycle queues it at once (so the invitation goes
the day the cycle opens), and `manage.py send_return_notices` runs it by hand.

- **Invitation**: every return not yet submitted tells its agency's leads it is asked for, once.
- **Due soon**: HUB_RETURN_REMINDER_DAYS before the cycle's due date (due today included), once
  per due date.
- **Overdue**: after the due date, once per due date, so moving a cycle's date re-arms both.

A return submitted or agreed is never chased. The leads are the agency's agency leads with an
address, each asked of the access policy (`can_view`), so nobody hears of a return they may not
open. The email names the cycle, the agency and the date and links to the return: never a rating,
narrative or challenge, which stay behind the sign-in. Each notice is claimed once by
`hub.outbox.send_batch` under (stage, return, person, due date), so two runs at once, a retry or
a rerun after a crash send each notice once.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hub.formats import long_date, site_url
from hub.outbox import Letter, send_batch
from partnership.access import can_view
from partnership.models import Role

from .models import AgencyReturn, ReturnState

logger = logging.getLogger(__name__)

INVITED, DUE_SOON, OVERDUE = "return_invited", "return_due_soon", "return_overdue"
SUBJECTS = {
    INVITED: "Your agency's {cycle} return is open",
    DUE_SOON: "Your agency's {cycle} return is due on {due}",
    OVERDUE: "Your agency's {cycle} return was due on {due}",
}
UNSUBMITTED = (ReturnState.NOT_STARTED, ReturnState.IN_PROGRESS)


@dataclasses.dataclass
class Sent:
    invited: int = 0
    due_soon: int = 0
    overdue: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def notice_key(stage: str, return_id: int, recipient_id: int, due: date) -> str:
    return f"audits.{stage}:return={return_id}:to={recipient_id}:due={due.isoformat()}"


def stages_for(due: date, today: date) -> list[str]:
    """The notices a return not yet submitted is owed on `today`, in the order they go."""
    stages = [INVITED]
    if today > due:
        stages.append(OVERDUE)
    elif (due - today).days <= settings.HUB_RETURN_REMINDER_DAYS:
        stages.append(DUE_SOON)
    return stages


def _agency_leads(agency_ids) -> dict[int, list]:
    leads = defaultdict(list)
    people = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.AGENCY_LEAD.label,
            membership__agency_id__in=agency_ids,
        )
        .exclude(email="")
        .select_related("membership")
        .order_by("pk")
    )
    for person in people:
        leads[person.membership.agency_id].append(person)
    return leads


def send_return_notices(today: date | None = None) -> Sent:
    today = today or timezone.localdate()
    returns = list(
        AgencyReturn.objects.filter(state__in=UNSUBMITTED, cycle__due_date__isnull=False)
        .select_related("cycle", "agency")
        .order_by("pk")
    )
    leads = _agency_leads({r.agency_id for r in returns})
    letters = [
        Letter(
            key=notice_key(stage, agency_return.pk, person.pk, agency_return.cycle.due_date),
            kind=stage,
            about=AgencyReturn,
            about_id=agency_return.pk,
            recipient_id=person.pk,
            occasion=agency_return.cycle.due_date.isoformat(),
            data=(agency_return, person),
        )
        for agency_return in returns
        for stage in stages_for(agency_return.cycle.due_date, today)
        for person in leads[agency_return.agency_id]
        if can_view(person, agency_return)
    ]
    sent = Sent()
    for letter in send_batch(letters, _build):
        field = letter.kind.removeprefix("return_")
        setattr(sent, field, getattr(sent, field) + 1)
    logger.info("self-assessment notices for %s: %s", today.isoformat(), sent.as_dict())
    return sent


def _build(held):
    for letter in held:
        agency_return, person = letter.data
        yield letter, _email(letter.kind, agency_return, person)


def _email(stage: str, agency_return: AgencyReturn, person) -> EmailMessage:
    cycle = agency_return.cycle
    due = long_date(cycle.due_date)
    body = render_to_string(
        "audits/email/return_notice.txt",
        {
            "stage": stage,
            "name": person.get_full_name() or person.get_username(),
            "cycle": cycle,
            "agency": agency_return.agency,
            "due": due,
            "url": site_url(reverse("audit-return", args=[agency_return.pk])),
        },
    )
    subject = SUBJECTS[stage].format(cycle=cycle.title, due=due)
    return EmailMessage(subject, body, None, [person.email])
