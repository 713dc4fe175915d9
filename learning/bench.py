"""`make bench`'s reminder row: the daily action reminder job over many fictional actions.

The job runs as Celery beat runs it (`send_action_reminders`, through the outbox), so that the
time, queries and memory measured are those of the real path."""

from __future__ import annotations

import resource
import time
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection as db
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from hub.models import Notice
from partnership import demo
from partnership.models import Agency, Membership, Role

from .models import Action, NoticeStage, digest_period
from .reminders import send_action_reminders


def bench_send_action_reminders(
    actions: int = 100_000, today: date | None = None, leads_per_agency: int = 3
) -> dict:
    """Time the job over `actions` fictional open actions, for `make bench`.

    Builds (once, keyed on the BENCH- reference prefix) actions spread over every agency with due
    dates from 60 days overdue to 120 days ahead, a third of them with a named lead, then times a
    first run, which sends everything due, and a second, which must send nothing. Mail goes to
    Django's dummy backend: the messages are built in full, not delivered."""
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
    Notice.objects.about(Action).filter(
        object_id__in=Action.objects.filter(reference__startswith="BENCH-").values("pk")
    ).delete()
    Notice.objects.about(Agency).filter(
        kind=NoticeStage.DIGEST, occasion=digest_period(today).isoformat()
    ).delete()

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
