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
