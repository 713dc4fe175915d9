"""Reminders, escalations and weekly digests about follow-up actions.

`send_action_reminders(today)` is the whole job; Celery beat runs it daily through
`learning.tasks.send_action_reminders_task`, and `manage.py send_action_reminders` runs it by hand.

- **Due soon**: an open action due within `HUB_ACTION_REMINDER_DAYS` (due today included) tells
  its lead, once per due date.
- **Overdue**: an open action past its due date tells its lead, once per due date.
- **Escalation**: an open action overdue by more than `HUB_ACTION_ESCALATION_DAYS` tells the
  members of the owning partnership's executive group, once per due date.
- **Digest**: on the first run of each ISO week (on or after `HUB_ACTION_DIGEST_WEEKDAY`), each
  agency lead hears about their agency's open actions, once per agency per week.

The lead is the action's named lead when they can receive it (active, with an address, and allowed
to see the action); otherwise the owning agency's agency leads. Every recipient is checked against
the access policy, so nobody is told about an action they may not see.

Once and only once: every notice goes through the outbox's `send_batch` (`hub/outbox.py`), under
a key of (stage, action, recipient, due date) or (digest, agency, recipient, week), claimed, sent
and committed a chunk at a time over one mail connection. Two runs at once send each notice once;
a run killed part way leaves no claim behind, so the next run (or the task's retry) sends what it
had not committed, and what no longer applies by then (the action closed, its due date moved, the
person may no longer see it) is simply not sent. The one window left is the outbox's: a crash
after the mail server accepted a chunk's messages but before it committed sends them again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.template.loader import get_template
from django.utils import timezone

from hub.formats import long_date, site_url
from hub.models import Notice
from hub.outbox import Letter, send_batch
from partnership.access import visible_to
from partnership.models import Agency, Role

from .models import RAG, Action, NoticeStage, digest_period

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
DIGEST_LIST_LIMIT = 25
ROW_FIELDS = (
    "pk",
    "reference",
    "description",
    "due_date",
    "lead_id",
    "owner_agency_id",
    "owner_agency__name",
    "partnership_id",
)


def action_notice_key(stage: str, action_id: int, recipient_id: int, due: date) -> str:
    """The outbox key of a reminder or escalation: once per stage, action, person and due date,
    so an agreed extension that moves the due date re-arms all three."""
    return f"learning.{stage}:action={action_id}:to={recipient_id}:due={due.isoformat()}"


def digest_key(agency_id: int, recipient_id: int, week: date) -> str:
    """The outbox key of a digest: once per agency, person and ISO week (its Monday)."""
    return f"learning.digest:agency={agency_id}:to={recipient_id}:week={week.isoformat()}"


@dataclasses.dataclass
class ReminderCounts:
    """What one run sent: due-soon and overdue reminders, digests, escalations."""

    reminders: int = 0
    digests: int = 0
    escalations: int = 0

    def __str__(self):
        return f"reminders={self.reminders} digests={self.digests} escalations={self.escalations}"

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def my_actions_url(reference: str | None = None) -> str:
    """The link to the My actions page: emails carry the link, never the detail behind it."""
    if reference is None:
        return site_url("/my-actions/")
    return site_url(f"/my-actions/{quote(reference, safe='')}/")


class Directory:
    """The people who hear about actions, read once per run and shared by every batch, so the
    policy's per-user caches (membership, roles) are filled once per person."""

    def __init__(self):
        self.users: dict[int, object] = {}
        self.agency_leads: dict[int, list] = defaultdict(list)
        self.executives: dict[int, list] = defaultdict(list)
        for user in (
            self._reachable()
            .filter(groups__name=Role.AGENCY_LEAD.label, membership__agency__isnull=False)
            .select_related("membership")
        ):
            user = self.users.setdefault(user.pk, user)
            self.agency_leads[user.membership.agency_id].append(user)
        for user in (
            self._reachable()
            .filter(groups__name=Role.EXECUTIVE_GROUP.label)
            .select_related("membership")
        ):
            user = self.users.setdefault(user.pk, user)
            self.executives[user.membership.partnership_id].append(user)

    @staticmethod
    def _reachable():
        return (
            get_user_model()
            .objects.filter(is_active=True, membership__isnull=False)
            .exclude(email="")
            .order_by("pk")
        )

    def load(self, user_ids) -> None:
        missing = {pk for pk in user_ids if pk and pk not in self.users}
        if missing:
            for user in self._reachable().filter(pk__in=missing):
                self.users[user.pk] = user

    def get(self, user_id):
        return self.users.get(user_id)


def visible_pairs(pairs: dict[int, set[int]], directory: Directory) -> set[tuple[int, int]]:
    """(user, action) pairs the policy lets through: one query per person, not per pair."""
    allowed = set()
    for user_id, action_ids in pairs.items():
        user = directory.get(user_id)
        if user is None or not action_ids:
            continue
        shown = visible_to(user, Action.objects.filter(pk__in=action_ids)).values_list(
            "pk", flat=True
        )
        allowed.update((user_id, pk) for pk in shown)
    return allowed


class ReminderRun:
    """One run of the job. Holds the day and the settings, read once."""

    def __init__(
        self,
        today: date,
        *,
        progress: Callable[[str], None] | None = None,
        batch_size: int = BATCH_SIZE,
    ):
        self.today = today
        self.progress = progress or (lambda message: None)
        self.batch_size = batch_size
        self.window_end = today + timedelta(days=settings.HUB_ACTION_REMINDER_DAYS)
        self.escalation_days = settings.HUB_ACTION_ESCALATION_DAYS
        # Overdue by more than N days: due before today - N.
        self.escalate_before = today - timedelta(days=self.escalation_days)
        self.counts = ReminderCounts()
        self.directory = Directory()
        self.templates = {
            name: get_template(f"learning/email/{name}")
            for name in (
                "action_notice_subject.txt",
                "action_notice.txt",
                "action_notice.html",
                "action_digest.txt",
            )
        }

    def run(self) -> ReminderCounts:
        self.send_action_notices()
        if self.today.weekday() >= settings.HUB_ACTION_DIGEST_WEEKDAY:
            self.send_digests()
        return self.counts

    # Reminders and escalations ------------------------------------------------------------

    def candidates(self):
        """Open actions with a notice still to send: the Exists filters make a second run on
        the same day read nothing but the index. A committed notice is a sent one (the outbox
        commits the claim with the send), so its existence means it is handled."""
        notices = Notice.objects.filter(
            content_type=ContentType.objects.get_for_model(Action),
            object_id=OuterRef("pk"),
            occasion=Cast(OuterRef("due_date"), output_field=CharField()),
        )

        def already(stage):
            return Exists(notices.filter(kind=stage))

        return (
            Action.objects.open()
            .filter(due_date__lte=self.window_end)
            .annotate(
                due_soon_done=already(NoticeStage.DUE_SOON),
                overdue_done=already(NoticeStage.OVERDUE),
                escalation_done=already(NoticeStage.ESCALATION),
            )
            .filter(
                Q(due_date__gte=self.today, due_soon_done=False)
                | Q(due_date__lt=self.today, overdue_done=False)
                | Q(due_date__lt=self.escalate_before, escalation_done=False)
            )
            .order_by("pk")
            .values(*ROW_FIELDS, "due_soon_done", "overdue_done", "escalation_done")
        )

    def batches(self):
        """Keyset pages in primary key order: constant memory, and each page a fresh read of
        what other runs have sent meanwhile."""
        last = 0
        candidates = self.candidates()
        while True:
            rows = list(candidates.filter(pk__gt=last)[: self.batch_size])
            if not rows:
                return
            last = rows[-1]["pk"]
            yield rows

    def send_action_notices(self) -> None:
        for number, rows in enumerate(self.batches(), start=1):
            sent = self._send_batch(rows)
            self.progress(f"Batch {number}: {len(rows)} actions, {sent} notices sent.")

    def _stages(self, row) -> list[NoticeStage]:
        due = row["due_date"]
        stages = []
        if self.today <= due <= self.window_end:
            if not row["due_soon_done"]:
                stages.append(NoticeStage.DUE_SOON)
        if due < self.today and not (row["overdue_done"]):
            stages.append(NoticeStage.OVERDUE)
        if due < self.escalate_before and not (row["escalation_done"]):
            stages.append(NoticeStage.ESCALATION)
        return stages

    def _send_batch(self, rows) -> int:
        directory = self.directory
        directory.load(row["lead_id"] for row in rows)
        staged = [(row, self._stages(row)) for row in rows]

        # Everyone who might hear about each action, checked against the policy in bulk.
        asked: dict[int, set[int]] = defaultdict(set)
        for row, stages in staged:
            people = []
            if any(s != NoticeStage.ESCALATION for s in stages):
                people += [row["lead_id"]] if directory.get(row["lead_id"]) else []
                people += [u.pk for u in directory.agency_leads[row["owner_agency_id"]]]
            if NoticeStage.ESCALATION in stages:
                people += [u.pk for u in directory.executives[row["partnership_id"]]]
            for pk in people:
                asked[pk].add(row["pk"])
        allowed = visible_pairs(asked, directory)

        letters = [
            Letter(
                key=action_notice_key(stage, row["pk"], user_id, row["due_date"]),
                kind=stage,
                about=Action,
                about_id=row["pk"],
                recipient_id=user_id,
                occasion=row["due_date"].isoformat(),
                data=row,
            )
            for row, stages in staged
            for stage in stages
            for user_id in self._recipients(row, stage, allowed)
        ]
        sent = send_batch(letters, self._action_messages)
        escalations = sum(letter.kind == NoticeStage.ESCALATION for letter in sent)
        self.counts.escalations += escalations
        self.counts.reminders += len(sent) - escalations
        return len(sent)

    def _recipients(self, row, stage, allowed) -> list[int]:
        action_id = row["pk"]
        if stage == NoticeStage.ESCALATION:
            people = [u.pk for u in self.directory.executives[row["partnership_id"]]]
            return [pk for pk in people if (pk, action_id) in allowed]
        lead_id = row["lead_id"]
        if lead_id and (lead_id, action_id) in allowed:
            return [lead_id]
        people = [u.pk for u in self.directory.agency_leads[row["owner_agency_id"]]]
        return [pk for pk in people if (pk, action_id) in allowed]

    def _action_messages(self, held):
        """The messages of the notices the outbox holds; one rendering serves every recipient
        of an action."""
        rendered = {}
        for letter in held:
            row = letter.data
            key = (row["pk"], letter.kind)
            if key not in rendered:
                rendered[key] = self._render_notice(row, letter.kind)
            subject, text, html = rendered[key]
            message = EmailMultiAlternatives(
                subject, text, None, [self.directory.get(letter.recipient_id).email]
            )
            message.attach_alternative(html, "text/html")
            yield letter, message

    def _render_notice(self, row, stage) -> tuple[str, str, str]:
        due = row["due_date"]
        context = {
            "stage": stage,
            "reference": row["reference"],
            "description": row["description"],
            # Formatted here, once: the date filter costs more than the rest of the template.
            "due_date": long_date(due),
            "agency": row["owner_agency__name"],
            "days_left": (due - self.today).days,
            "days_overdue": (self.today - due).days,
            "escalation_days": self.escalation_days,
            "url": my_actions_url(row["reference"]),
        }
        subject = " ".join(self.templates["action_notice_subject.txt"].render(context).split())
        return (
            subject,
            self.templates["action_notice.txt"].render(context),
            self.templates["action_notice.html"].render(context),
        )

    # Digests ------------------------------------------------------------------------------

    def _agency_names(self) -> dict[int, str]:
        return dict(
            Action.objects.open()
            .order_by()
            .values_list("owner_agency_id", "owner_agency__name")
            .distinct()
        )

    def send_digests(self) -> None:
        period = digest_period(self.today)
        done = set(
            Notice.objects.about(Agency)
            .filter(kind=NoticeStage.DIGEST, occasion=period.isoformat())
            .values_list("object_id", "recipient_id")
        )
        agencies = self._agency_names()
        letters = [
            Letter(
                key=digest_key(agency_id, user.pk, period),
                kind=NoticeStage.DIGEST,
                about=Agency,
                about_id=agency_id,
                recipient_id=user.pk,
                occasion=period.isoformat(),
            )
            for agency_id in sorted(agencies)
            for user in self.directory.agency_leads.get(agency_id, [])
            if (agency_id, user.pk) not in done
        ]
        sent = send_batch(letters, lambda held: self._digest_messages(held, agencies, period))
        self.counts.digests += len(sent)
        self.progress(f"Digests: {len(sent)} sent.")

    def _digest_messages(self, held, agencies, period):
        """Each digest built from what its recipient may see now; one that would list nothing
        is dropped rather than sent."""
        template = self.templates["action_digest.txt"]
        for letter in held:
            agency_id = letter.about_id
            user = self.directory.get(letter.recipient_id)
            content = self._digest_content(user, agency_id) if user else None
            if content is None:
                yield letter, None
                continue
            context = {
                **content,
                "agency": agencies[agency_id],
                "week_of": long_date(period),
                "url": my_actions_url(),
                "reminder_days": settings.HUB_ACTION_REMINDER_DAYS,
            }
            subject = f"Weekly actions digest: {agencies[agency_id]}, week of {long_date(period)}"
            yield (
                letter,
                EmailMultiAlternatives(subject, template.render(context), None, [user.email]),
            )

    def _digest_list(self, actions) -> list[dict]:
        first = actions.order_by("due_date", "reference")[:DIGEST_LIST_LIMIT]
        listed = list(first.values("reference", "description", "due_date"))
        for item in listed:
            item["url"] = my_actions_url(item["reference"])
            item["days"] = abs((item["due_date"] - self.today).days)
            item["due_date"] = long_date(item["due_date"])
        return listed

    def _digest_content(self, user, agency_id) -> dict | None:
        """The agency's open actions this person may see, by RAG, with the red and amber ones
        listed; None when they may see none."""
        actions = visible_to(user, Action.objects.open().filter(owner_agency_id=agency_id))
        rated = actions.with_rag(self.today)
        by_rag = dict(rated.order_by().values_list("rag").annotate(n=Count("pk")))
        if not by_rag:
            return None
        return {
            "overdue_count": by_rag.get(RAG.RED, 0),
            "due_soon_count": by_rag.get(RAG.AMBER, 0),
            "on_track_count": by_rag.get(RAG.GREEN, 0),
            "overdue": self._digest_list(rated.filter(rag=RAG.RED)),
            "due_soon": self._digest_list(rated.filter(rag=RAG.AMBER)),
        }


def send_action_reminders(
    today: date | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ReminderCounts:
    """Send every reminder, escalation and digest due on `today` that no run has sent yet."""
    today = today or timezone.localdate()
    counts = ReminderRun(today, progress=progress, batch_size=batch_size).run()
    logger.info("action reminders for %s: %s", today.isoformat(), counts)
    return counts
