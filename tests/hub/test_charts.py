"""Charts (hub.charts): bars in proportion, every value written, a title and a summary for
screen readers, nothing a label holds ever read as markup, and the same chart as a file."""

import xml.etree.ElementTree as ET

from django.test import RequestFactory

from hub import charts

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**options):
    return charts.stacked(
        "RAG by agency",
        "Actions by agency",
        "Two agencies.",
        [charts.Series("Red", charts.RED), charts.Series("Green", charts.GREEN)],
        [("Police", [3, 1]), ("Health <b>", [0, 2])],
        **options,
    )


def test_bars_are_in_proportion_and_a_zero_draws_nothing():
    chart = _chart()
    police, health = chart.rows
    assert [part.value for part in police.parts] == [3, 1]
    assert [part.value for part in health.parts] == [2]
    assert police.parts[0].width == 3 * health.parts[0].width / 2
    # Stacked: each part starts where the one before it ends.
    assert police.parts[1].x == police.parts[0].x + police.parts[0].width
    assert chart.key == "rag-by-agency" and not chart.is_empty


def test_the_svg_is_an_image_with_a_title_and_summary_and_escapes_labels():
    chart = _chart()
    root = ET.fromstring(chart.svg(standalone=True).split("?>", 1)[1])
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Actions by agency" and desc.text == "Two agencies."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Health <b>" in texts  # escaped in the file, read back as text
    assert {"3", "1", "2", "4"} <= set(texts)  # each value and each total


def test_an_empty_chart_says_so():
    chart = charts.single("none", "Nothing", "No rows.", [("A", 0)])
    assert chart.is_empty


def test_the_chart_asked_for_downloads_as_an_svg_file():
    chart = _chart()
    request = RequestFactory().get("/report/", {"rag": "red", "chart": "rag-by-agency"})
    charts.with_download(request, chart)
    assert "rag=red" in chart.download_url and "chart=rag-by-agency" in chart.download_url
    response = charts.download_response(request, chart)
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="rag-by-agency.svg"'
    assert charts.download_response(RequestFactory().get("/report/"), chart) is None
