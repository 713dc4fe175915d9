"""The report queries: exact funnel and RAG numbers on a small world, each reader's own share."""

from learning import reports
from learning.models import RAG

from .conftest import TODAY


def test_the_funnel_of_a_partnership_counts_each_stage(reports_world, people):
    funnel = reports.funnel(people["manager"], TODAY)
    total = funnel.total
    assert total.stages == [
        ("Recommendations", 5),
        ("With actions", 4),
        ("Actions completed", 2),
        ("Impact evidenced", 2),
        ("Embedded", 1),
    ]
    assert (total.actions, total.done, total.completed_on_time) == (7, 4, 3)
    assert (total.overdue, total.better_off, total.actions_embedded) == (1, 3, 2)
    assert [row.review.reference for row in funnel.reviews] == ["WIR-LR-1", "WIR-LR-2"]
    first = funnel.reviews[0]
    assert [n for _, n in first.stages] == [4, 3, 2, 2, 1]
    assert first.actions == 5
    assert dict(funnel.impact_by_type) == {"Re-audit": 1, "Practitioner survey": 1}


def test_rag_counts_by_agency(reports_world, people):
    summary = reports.action_summary(people["manager"], TODAY)
    assert summary["by_rag"].totals == {
        RAG.RED: 1,
        RAG.AMBER: 1,
        RAG.GREEN: 1,
        RAG.BLUE: 4,
        RAG.GREY: 0,
    }


def test_a_restricted_action_is_counted_only_for_those_who_may_see_it(reports_world, people):
    # The independent scrutineer is not named on WIR-E1, which is restricted to its lead, its
    # agency's leads, and the partnership's managers and quality assurance.
    funnel = reports.funnel(people["scrutineer"], TODAY)
    assert [n for _, n in funnel.total.stages] == [5, 3, 2, 2, 1]
    assert funnel.total.actions == 6
    assert reports.action_summary(people["scrutineer"], TODAY)["by_rag"].totals[RAG.AMBER] == 0
    # Quality assurance signs actions off, so it oversees the restricted one too.
    overseen = reports.funnel(people["qa"], TODAY)
    assert [n for _, n in overseen.total.stages] == [5, 4, 2, 2, 1]
    assert overseen.total.actions == 7
    assert reports.action_summary(people["qa"], TODAY)["by_rag"].totals[RAG.AMBER] == 1


def test_liverpool_counts_none_of_wirrals_actions(reports_world, people, liverpool_qa):
    for user in (liverpool_qa, people["liverpool.manager"]):
        funnel = reports.funnel(user, TODAY)
        assert [row.review.reference for row in funnel.reviews] == ["LIV-LR-1"]
        summary = reports.action_summary(user, TODAY)
        assert summary["by_state"].total == 2
        refs = set(reports.report_actions(user, TODAY).values_list("reference", flat=True))
        assert not {r for r in refs if r.startswith("WIR-")}
    manager = reports.funnel(people["liverpool.manager"], TODAY).total
    assert (manager.actions, manager.overdue) == (2, 1)


def test_filters_narrow_the_report(reports_world, people, world):
    manager = people["manager"]
    police = world.agencies[("Wirral", "Police")]
    refs = reports.report_actions(manager, TODAY, {"owner_agency": police, "rag": RAG.BLUE})
    assert sorted(refs.values_list("reference", flat=True)) == ["WIR-A1", "WIR-B1"]
    audit = reports.report_actions(manager, TODAY, {"source": "audit"})
    assert list(audit.values_list("reference", flat=True)) == ["WIR-F1"]
    themed = reports.report_actions(manager, TODAY, {"theme": reports_world.review.themes.get()})
    assert list(themed.values_list("reference", flat=True)) == ["WIR-F1"]


def test_the_evidence_pack_costs_the_same_queries_however_many_actions(
    reports_world, people, make_action
):
    from learning.models import Evidence

    def pack_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            pack = reports.evidence_pack(people["manager"], reports_world.review, TODAY)
            for action in reports.pack_actions(pack):
                list(action.evidence.all()), list(action.events.all())
                str(action.owner_agency), str(action.lead), str(action.embedded_by)
        return len(ctx.captured_queries)

    pack_queries()  # the reader's membership and roles are read once, then cached on the user
    before = pack_queries()
    for i in range(10):
        action = make_action(recommendation=reports_world.recs["C"], reference=f"WIR-C{i}")
        Evidence.objects.create(action=action, kind="completion", text="Done.")
    # Five for the pack itself, one for the evidence other apps count (training follow-ups),
    # one to ask whether the reader may change the review (if not, the pack is shared without
    # the subject's pseudonym).
    assert pack_queries() == before == 7
