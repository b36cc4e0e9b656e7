"""The benchmark fills the requests' summaries as N requests would, and leaves them as it found them."""

from django.db.models import Sum
from django.utils import timezone

from esep.appeals.models import AppealStat
from esep.dashboard import bench


def _counters() -> list[tuple]:
    return sorted(AppealStat.objects.values_list("scope", "month", "category_id", "registered", "forwarded"))


def test_filled_counters_add_up_to_the_volume_at_every_level(world) -> None:
    counter_rows, histogram_rows = bench.fill(500, today=timezone.localdate())
    assert counter_rows == AppealStat.objects.count() and histogram_rows > 0
    country = AppealStat.objects.filter(scope="").aggregate(n=Sum("registered"))["n"]
    regions = (
        AppealStat.objects.filter(scope__endswith="0000000").exclude(scope="").aggregate(n=Sum("registered"))
    )
    assert country == regions["n"] == 500


def test_a_run_times_each_page_of_each_volume_and_recounts_the_summaries_after(world, monkeypatch) -> None:
    before = _counters()
    seen = []
    monkeypatch.setattr(bench, "measure", lambda url, repeat, host: seen.append(url) or 10.0)
    timings = bench.run([300, 900], repeat=1, rounds=1)
    assert [(t.requests, t.page) for t in timings] == [
        (300, "country"),
        (300, "region"),
        (300, "district"),
        (900, "country"),
        (900, "region"),
        (900, "district"),
    ]
    assert seen[0] == "/dashboard/" and seen[1].endswith("0000000/") and seen[2].endswith("00000/")
    assert _counters() == before  # recounted from the requests themselves
