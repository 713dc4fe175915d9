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

Once and only once: each notice is first *claimed* by inserting an `ActionNotice` row, which unique
constraints allow once per (stage, action, recipient, due date) or (digest, agency, recipient,
week); the insert ignores conflicts, so of two runs at once only one holds each claim. The run sends
what it claimed, then marks it sent. Should a run die between claiming and marking, its claims go
stale after `HUB_ACTION_NOTICE_RETRY_MINUTES` and the next run releases and claims them again: a
notice is never lost. The one window left is a crash after the mail server accepted a message but
before its batch was marked sent; that notice may be sent a second time, the choice that never
loses one. A send that fails with an error marks what went out and releases the rest at once.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import get_template
from django.utils import timezone

from partnership.access import visible_to
from partnership.models import Role

from .models import RAG, Action, ActionNotice, NoticeStage, digest_period

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
DIGEST_LIST_LIMIT = 25


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
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if reference is None:
        return f"{base}/my-actions/"
    return f"{base}/my-actions/{quote(reference, safe='')}/"


def release_stale_claims(now=None) -> int:
    """Delete claims whose run died before sending, so this run can claim them afresh.

    On PostgreSQL the rows are locked with SKIP LOCKED first: a run releasing them at the same
    moment takes the others instead of waiting, and the delete re-checks that each is still
    unsent and stale."""
    now = now or timezone.now()
    stale = ActionNotice.objects.stale(now)
    with transaction.atomic():
        if db_connection.features.has_select_for_update_skip_locked:
            pks = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
            if not pks:
                return 0
            stale = stale.filter(pk__in=pks)
        deleted, _ = stale.delete()
    return deleted


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
    """One run of the job. Holds the day, the settings read once, and the run's claim token."""

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
        self.token = uuid.uuid4()
        self.counts = ReminderCounts()
        self.directory = Directory()
        self.notice_template = get_template("learning/email/action_notice.txt")
        self.notice_html_template = get_template("learning/email/action_notice.html")
        self.subject_template = get_template("learning/email/action_notice_subject.txt")

    def run(self) -> ReminderCounts:
        released = release_stale_claims()
        if released:
            self.progress(f"Released {released} claims left unsent by a run that stopped.")
        self.send_action_notices()
        if self.today.weekday() >= settings.HUB_ACTION_DIGEST_WEEKDAY:
            self.send_digests()
        return self.counts

    def candidates(self):
        """Open actions with a notice still to send: the Exists filters make a second run on
        the same day read nothing but the index."""

        def already(stage):
            return Exists(
                ActionNotice.objects.filter(
                    stage=stage, action=OuterRef("pk"), period=OuterRef("due_date")
                )
            )

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
            .values(
                "pk",
                "reference",
                "description",
                "due_date",
                "lead_id",
                "owner_agency_id",
                "owner_agency__name",
                "partnership_id",
                "due_soon_done",
                "overdue_done",
                "escalation_done",
            )
        )

    def batches(self):
        """Keyset pages in primary key order: constant memory, each page a fresh read of what
        other runs have claimed meanwhile, and every run claims rows in the same order, so
        concurrent inserts cannot deadlock."""
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
        if self.today <= due <= self.window_end and not row["due_soon_done"]:
            stages.append(NoticeStage.DUE_SOON)
        if due < self.today and not row["overdue_done"]:
            stages.append(NoticeStage.OVERDUE)
        if due < self.escalate_before and not row["escalation_done"]:
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

        claims = []
        for row, stages in staged:
            for stage in stages:
                for user_id in self._recipients(row, stage, allowed):
                    claims.append(
                        ActionNotice(
                            stage=stage,
                            action_id=row["pk"],
                            recipient_id=user_id,
                            period=row["due_date"],
                            claim=self.token,
                        )
                    )
        if not claims:
            return 0
        by_pk = {row["pk"]: row for row in rows}
        ours = self._claim(claims)
        messages = [
            (notice_pk, stage, self._notice_message(by_pk[action_id], stage, recipient_id))
            for notice_pk, stage, action_id, _agency_id, recipient_id in ours
        ]
        sent = self._deliver(messages)
        for stage in sent:
            if stage == NoticeStage.ESCALATION:
                self.counts.escalations += 1
            else:
                self.counts.reminders += 1
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

    def _claim(self, claims: list[ActionNotice]) -> list[tuple]:
        """Insert the claims and return the ones this run holds: those carrying its token, as
        (pk, stage, action, agency, recipient). Sorted, so two runs inserting overlapping
        claims take their locks in the same order and cannot deadlock."""
        claims.sort(key=lambda n: (n.action_id or 0, n.agency_id or 0, n.stage, n.recipient_id))
        with transaction.atomic():
            ActionNotice.objects.bulk_create(claims, ignore_conflicts=True, batch_size=1000)
        return list(
            ActionNotice.objects.filter(
                claim=self.token, sent_at__isnull=True, stage__in={c.stage for c in claims}
            )
            .order_by("pk")
            .values_list("pk", "stage", "action_id", "agency_id", "recipient_id")
        )

    def _deliver(self, messages) -> list[str]:
        """Send over one connection, then mark what went out. If sending fails part way, what
        was sent is marked and the rest released, so a retry sends only what is missing."""
        sent_pks, sent_stages = [], []
        try:
            with get_connection() as mail:
                for notice_pk, stage, message in messages:
                    mail.send_messages([message])
                    sent_pks.append(notice_pk)
                    sent_stages.append(stage)
        except Exception:
            ActionNotice.objects.filter(claim=self.token, sent_at__isnull=True).exclude(
                pk__in=sent_pks
            ).delete()
            raise
        finally:
            if sent_pks:
                ActionNotice.objects.filter(pk__in=sent_pks).update(sent_at=timezone.now())
        logger.info("action notices sent: %s", len(sent_pks))
        return sent_stages

    def _notice_message(self, row, stage, recipient_id):
        recipient = self.directory.get(recipient_id)
        due = row["due_date"]
        context = {
            "stage": stage,
            "reference": row["reference"],
            "description": row["description"],
            "due_date": due,
            "agency": row["owner_agency__name"],
            "days_left": (due - self.today).days,
            "days_overdue": (self.today - due).days,
            "escalation_days": self.escalation_days,
            "recipient_name": recipient.first_name or recipient.get_username(),
            "url": my_actions_url(row["reference"]),
        }
        subject = " ".join(self.subject_template.render(context).split())
        message = EmailMultiAlternatives(
            subject, self.notice_template.render(context), None, [recipient.email]
        )
        message.attach_alternative(self.notice_html_template.render(context), "text/html")
        return message

    def send_digests(self) -> None:
        period = digest_period(self.today)
        done = set(
            ActionNotice.objects.filter(stage=NoticeStage.DIGEST, period=period).values_list(
                "agency_id", "recipient_id"
            )
        )
        agencies = dict(
            Action.objects.open()
            .order_by()
            .values_list("owner_agency_id", "owner_agency__name")
            .distinct()
        )
        contents, claims = {}, []
        for agency_id in sorted(agencies):
            for user in self.directory.agency_leads.get(agency_id, []):
                if (agency_id, user.pk) in done:
                    continue
                content = self._digest_content(user, agency_id)
                if content is None:
                    continue
                contents[(agency_id, user.pk)] = content
                claims.append(
                    ActionNotice(
                        stage=NoticeStage.DIGEST,
                        agency_id=agency_id,
                        recipient_id=user.pk,
                        period=period,
                        claim=self.token,
                    )
                )
        if not claims:
            self.progress("Digests: none to send this week.")
            return
        ours = self._claim(claims)
        template = get_template("learning/email/action_digest.txt")
        messages = []
        for notice_pk, stage, _action_id, agency_id, recipient_id in ours:
            user = self.directory.get(recipient_id)
            context = {
                **contents[(agency_id, recipient_id)],
                "agency": agencies[agency_id],
                "week_of": period,
                "recipient_name": user.first_name or user.get_username(),
                "url": my_actions_url(),
                "reminder_days": settings.HUB_ACTION_REMINDER_DAYS,
            }
            subject = (
                f"Weekly actions digest: {agencies[agency_id]}, week of {period.day} {period:%B %Y}"
            )
            messages.append(
                (
                    notice_pk,
                    stage,
                    EmailMultiAlternatives(subject, template.render(context), None, [user.email]),
                )
            )
        self.counts.digests += len(self._deliver(messages))
        self.progress(f"Digests: {self.counts.digests} sent.")

    def _digest_list(self, actions) -> list[dict]:
        first = actions.order_by("due_date", "reference")[:DIGEST_LIST_LIMIT]
        listed = list(first.values("reference", "description", "due_date"))
        for item in listed:
            item["url"] = my_actions_url(item["reference"])
            item["days"] = abs((item["due_date"] - self.today).days)
        return listed

    def _digest_content(self, user, agency_id) -> dict | None:
        """The agency's open actions this person may see, by RAG, with the red and amber ones
        listed; None when they may see none."""
        actions = visible_to(user, Action.objects.open().filter(owner_agency_id=agency_id))
        rated = actions.with_rag(self.today)
        by_rag = dict(rated.order_by().values_list("rag").annotate(n=Count("pk")))
        if not by_rag:
            return None
        overdue = self._digest_list(rated.filter(rag=RAG.RED))
        due_soon = self._digest_list(rated.filter(rag=RAG.AMBER))
        return {
            "overdue_count": by_rag.get(RAG.RED, 0),
            "due_soon_count": by_rag.get(RAG.AMBER, 0),
            "on_track_count": by_rag.get(RAG.GREEN, 0),
            "overdue": overdue,
            "due_soon": due_soon,
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
