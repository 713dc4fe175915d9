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
what it claimed, a chunk of `CLAIM_CHUNK` at a time, then marks it sent. A claim row is never
deleted unsent, which is what lets a run skip every action that has one. Should a run die between
claiming and marking, its claims go stale after `HUB_ACTION_NOTICE_RETRY_MINUTES` and the next run
takes them over (SKIP LOCKED on PostgreSQL) and sends them: a notice is never lost. The one window
left is a crash after the mail server accepted a message but before its chunk was marked sent;
that notice may go a second time, the choice that never loses one. A send that fails with an error
marks what went out and makes the rest stale at once, so the task's retry sends only those.
"""

from __future__ import annotations

import dataclasses
import logging
import time
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

from hub.formats import long_date, site_url
from partnership.access import visible_to
from partnership.models import Role

from .models import ACTION_STAGES, RAG, Action, ActionNotice, NoticeStage, digest_period

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
CLAIM_CHUNK = 200
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
        self.retry_stale_claims()
        self.send_action_notices()
        if self.today.weekday() >= settings.HUB_ACTION_DIGEST_WEEKDAY:
            self.send_digests()
        return self.counts

    # Claims -------------------------------------------------------------------------------

    def _claim(self, claims: list[ActionNotice]) -> list[tuple]:
        """Insert the claims and return the ones this run holds: those carrying its token, as
        (pk, stage, action, agency, recipient). Sorted, so two runs inserting overlapping
        claims take their locks in the same order and cannot deadlock."""
        claims.sort(key=lambda n: (n.action_id or 0, n.agency_id or 0, n.stage, n.recipient_id))
        with transaction.atomic():
            ActionNotice.objects.bulk_create(claims, ignore_conflicts=True, batch_size=1000)
        return self._held({c.stage for c in claims})

    def _held(self, stages) -> list[tuple]:
        return list(
            ActionNotice.objects.filter(claim=self.token, sent_at__isnull=True, stage__in=stages)
            .order_by("pk")
            .values_list("pk", "stage", "action_id", "agency_id", "recipient_id")
        )

    def retry_stale_claims(self) -> None:
        """Take over the claims of runs that died before sending them, and send them now.

        On PostgreSQL the stale rows are locked with SKIP LOCKED, so a run doing the same at the
        same moment takes none of them, and the update re-checks that each is still unsent and
        stale. A notice that no longer applies (the action closed, its due date moved, the
        person may no longer see it) is dropped instead of sent."""
        now = timezone.now()
        with transaction.atomic():
            stale = ActionNotice.objects.stale(now)
            if db_connection.features.has_select_for_update_skip_locked:
                pks = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
            else:
                pks = list(stale.values_list("pk", flat=True))
            taken = stale.filter(pk__in=pks).update(claim=self.token, claimed_at=now)
        if not taken:
            return
        self.progress(f"Retrying {taken} notices claimed by a run that stopped.")
        held = self._held(ACTION_STAGES)
        action_ids = sorted({action_id for _pk, _stage, action_id, _a, _r in held})
        for start in range(0, len(action_ids), self.batch_size):
            chunk = set(action_ids[start : start + self.batch_size])
            rows = {
                row["pk"]: row
                for row in Action.objects.open().filter(pk__in=chunk).values(*ROW_FIELDS)
            }
            mine = [h for h in held if h[2] in chunk]
            self.directory.load(h[4] for h in mine)
            asked = defaultdict(set)
            for _pk, _stage, action_id, _agency, recipient_id in mine:
                asked[recipient_id].add(action_id)
            allowed = visible_pairs(asked, self.directory)
            keep, drop = [], []
            for notice in mine:
                notice_pk, stage, action_id, _agency, recipient_id = notice
                row = rows.get(action_id)
                still = (
                    row is not None
                    and (recipient_id, action_id) in allowed
                    and stage in self._stages(row, already_sent=False)
                )
                (keep if still else drop).append(notice)
            ActionNotice.objects.filter(pk__in=[n[0] for n in drop], claim=self.token).delete()
            self._send_action_notices(keep, rows)
        digests = self._held([NoticeStage.DIGEST])
        if digests:
            self._send_digest_notices(digests, self._agency_names())

    # Reminders and escalations ------------------------------------------------------------

    def candidates(self):
        """Open actions with a notice still to claim: the Exists filters make a second run on
        the same day read nothing but the index. A notice once claimed is always sent (by its
        run, or by the run that takes it over), so its existence means it is handled."""

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
            .values(*ROW_FIELDS, "due_soon_done", "overdue_done", "escalation_done")
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

    def _stages(self, row, already_sent=True) -> list[NoticeStage]:
        due = row["due_date"]
        stages = []
        if self.today <= due <= self.window_end:
            if not (already_sent and row["due_soon_done"]):
                stages.append(NoticeStage.DUE_SOON)
        if due < self.today and not (already_sent and row["overdue_done"]):
            stages.append(NoticeStage.OVERDUE)
        if due < self.escalate_before and not (already_sent and row["escalation_done"]):
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

        claims = [
            ActionNotice(
                stage=stage,
                action_id=row["pk"],
                recipient_id=user_id,
                period=row["due_date"],
                claim=self.token,
            )
            for row, stages in staged
            for stage in stages
            for user_id in self._recipients(row, stage, allowed)
        ]
        claims.sort(key=lambda n: (n.action_id, n.stage, n.recipient_id))
        by_pk = {row["pk"]: row for row in rows}
        before = self.counts.reminders + self.counts.escalations
        # Claimed a chunk at a time, just before sending it: a claim is never older than the
        # time one chunk takes to send, far inside HUB_ACTION_NOTICE_RETRY_MINUTES.
        for start in range(0, len(claims), CLAIM_CHUNK):
            held = self._claim(claims[start : start + CLAIM_CHUNK])
            self._send_action_notices(held, by_pk)
        return self.counts.reminders + self.counts.escalations - before

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

    def _send_action_notices(self, held, rows) -> None:
        """Build and send the held notices; one rendering serves every recipient of an action."""
        rendered = {}
        messages = []
        for notice_pk, stage, action_id, _agency_id, recipient_id in held:
            key = (action_id, stage)
            if key not in rendered:
                rendered[key] = self._render_notice(rows[action_id], stage)
            subject, text, html = rendered[key]
            message = EmailMultiAlternatives(
                subject, text, None, [self.directory.get(recipient_id).email]
            )
            message.attach_alternative(html, "text/html")
            messages.append((notice_pk, stage, message))
        for stage in self._deliver(messages):
            if stage == NoticeStage.ESCALATION:
                self.counts.escalations += 1
            else:
                self.counts.reminders += 1

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

    def _deliver(self, messages) -> list[str]:
        """Send over one connection, then mark what went out. If sending fails part way, what
        was sent is marked and the rest made stale at once, so the task's retry (or the next
        run) takes them over and sends only what is missing."""
        sent_pks, sent_stages = [], []
        if not messages:
            return sent_stages
        try:
            with get_connection() as mail:
                for notice_pk, stage, message in messages:
                    mail.send_messages([message])
                    sent_pks.append(notice_pk)
                    sent_stages.append(stage)
        except Exception:
            retry_now = timezone.now() - timedelta(
                minutes=settings.HUB_ACTION_NOTICE_RETRY_MINUTES + 1
            )
            ActionNotice.objects.filter(claim=self.token, sent_at__isnull=True).exclude(
                pk__in=sent_pks
            ).update(claimed_at=retry_now)
            raise
        finally:
            if sent_pks:
                ActionNotice.objects.filter(pk__in=sent_pks).update(sent_at=timezone.now())
        logger.info("action notices sent: %s", len(sent_pks))
        return sent_stages

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
            ActionNotice.objects.filter(stage=NoticeStage.DIGEST, period=period).values_list(
                "agency_id", "recipient_id"
            )
        )
        agencies = self._agency_names()
        claims = [
            ActionNotice(
                stage=NoticeStage.DIGEST,
                agency_id=agency_id,
                recipient_id=user.pk,
                period=period,
                claim=self.token,
            )
            for agency_id in sorted(agencies)
            for user in self.directory.agency_leads.get(agency_id, [])
            if (agency_id, user.pk) not in done
        ]
        before = self.counts.digests
        if claims:
            self._send_digest_notices(self._claim(claims), agencies)
        self.progress(f"Digests: {self.counts.digests - before} sent.")

    def _send_digest_notices(self, held, agencies) -> None:
        """Build each digest from what its recipient may see now; one that would list nothing
        is dropped rather than sent."""
        template = self.templates["action_digest.txt"]
        self.directory.load(h[4] for h in held)
        messages, empty = [], []
        for notice_pk, stage, _action_id, agency_id, recipient_id in held:
            user = self.directory.get(recipient_id)
            content = self._digest_content(user, agency_id) if user else None
            if content is None:
                empty.append(notice_pk)
                continue
            period = digest_period(self.today)
            context = {
                **content,
                "agency": agencies[agency_id],
                "week_of": long_date(period),
                "url": my_actions_url(),
                "reminder_days": settings.HUB_ACTION_REMINDER_DAYS,
            }
            subject = f"Weekly actions digest: {agencies[agency_id]}, week of {long_date(period)}"
            messages.append(
                (
                    notice_pk,
                    stage,
                    EmailMultiAlternatives(subject, template.render(context), None, [user.email]),
                )
            )
        ActionNotice.objects.filter(pk__in=empty, claim=self.token).delete()
        self.counts.digests += len(self._deliver(messages))

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


def bench_send_action_reminders(
    actions: int = 100_000, today: date | None = None, leads_per_agency: int = 3
) -> dict:
    """Time the job over `actions` fictional open actions, for `make bench`.

    Builds (once, keyed on the BENCH- reference prefix) actions spread over every agency with due
    dates from 60 days overdue to 120 days ahead, a third of them with a named lead, then times a
    first run, which sends everything due, and a second, which must send nothing. Mail goes to
    Django's dummy backend: the messages are built in full, not delivered."""
    import resource

    from django.contrib.auth.models import Group
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext, override_settings

    from partnership import demo
    from partnership.models import Agency, Membership

    today = today or timezone.localdate()
    if not Agency.objects.exists():
        demo.build(demo.World(), scale=1)
    agencies = list(Agency.objects.select_related("partnership").order_by("pk"))
    User = get_user_model()
    group = Group.objects.get(name=Role.AGENCY_LEAD.label)
    wanted = [f"bench-lead-{a.pk}-{i}" for a in agencies for i in range(leads_per_agency)]
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    new = [
        User(username=u, email=f"{u}@example.org", first_name="Bench", password="!")
        for u in wanted
        if u not in have
    ]
    User.objects.bulk_create(new)
    created = User.objects.filter(username__in=[u.username for u in new])
    by_agency = {a.pk: a for a in agencies}
    Membership.objects.bulk_create(
        Membership(
            user=u,
            partnership_id=by_agency[int(u.username.split("-")[2])].partnership_id,
            agency_id=int(u.username.split("-")[2]),
        )
        for u in created
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in created
    )
    leads = defaultdict(list)
    for pk, username in User.objects.filter(username__in=wanted).values_list("pk", "username"):
        leads[int(username.split("-")[2])].append(pk)

    existing = Action.objects.filter(reference__startswith="BENCH-").count()
    batch = []
    for n in range(existing, actions):
        agency = agencies[n % len(agencies)]
        batch.append(
            Action(
                reference=f"BENCH-{n:07d}",
                description="Audit a sample of neglect referrals against the refreshed toolkit.",
                partnership_id=agency.partnership_id,
                owner_agency_id=agency.pk,
                lead_id=leads[agency.pk][n % leads_per_agency] if n % 3 == 0 else None,
                due_date=today + timedelta(days=(n * 7919) % 181 - 60),
            )
        )
        if len(batch) == 5000:
            Action.objects.bulk_create(batch)
            batch = []
    Action.objects.bulk_create(batch)
    ActionNotice.objects.filter(action__reference__startswith="BENCH-").delete()
    ActionNotice.objects.filter(stage=NoticeStage.DIGEST, period=digest_period(today)).delete()

    results = {"actions": Action.objects.filter(reference__startswith="BENCH-").count()}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for name in ("first", "second"):
            with CaptureQueriesContext(db) as queries:
                started = time.perf_counter()
                counts = send_action_reminders(today)
                results[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
            results[f"{name}_counts"] = str(counts)
            results[f"{name}_queries"] = len(queries)
    results["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return results
