from reviews import demo
from reviews.models import SETTLED_STATUSES, Finding, Recommendation, Review, ReviewType


def test_demo_reviews_cover_every_type_and_rerun_without_duplicates(world):
    demo.build(world, scale=1)
    counts = (Review.objects.count(), Finding.objects.count(), Recommendation.objects.count())
    demo.build(world, scale=1)
    assert (
        Review.objects.count(),
        Finding.objects.count(),
        Recommendation.objects.count(),
    ) == counts

    assert set(Review.objects.values_list("review_type", flat=True)) == set(ReviewType.values)
    lcspr = Review.objects.get(reference="WIR-LCSPR-2025-02")
    assert lcspr.converted_from.reference == "WIR-RR-2025-11"
    cross = Review.objects.get(reference="WIR-RR-2026-05")
    assert [p.short_name for p in cross.participating_partnerships.all()] == ["Liverpool"]
    for review in Review.objects.all():
        assert 2 <= review.findings.count() <= 4
        assert review.confidential_details.startswith("[fictional]")
        assert review.latest_revision_id is not None
    # A restricted review can share a finding with the region.
    assert Finding.objects.filter(
        review__sharing_level="restricted", sharing_level__in=["regional", "public"]
    ).exists()
    assert {r.lead_partnership.short_name for r in Review.objects.all()} >= {
        "Wirral",
        "Liverpool",
        "Sefton",
        "Halton",
    }


def test_scaled_demo_adds_reviews_in_bulk(world):
    demo.build(world, scale=2)
    demo.build(world, scale=2)
    bench = Review.objects.filter(reference__startswith="BENCH-")
    assert bench.count() == 200
    # Settled reviews carry 20 findings each, reviews still in hand 2: at scale 50 that is the
    # 50,000 searchable findings the search benchmark needs.
    settled = bench.filter(status__in=SETTLED_STATUSES)
    assert settled.count() == 100
    assert Finding.objects.filter(review__in=settled).count() == 2000
    assert Finding.objects.filter(review__in=bench).exclude(review__in=settled).count() == 200
