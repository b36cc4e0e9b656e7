import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from esep.core import ratelimit
from esep.core.models import RateCounter


@pytest.mark.django_db
def test_hits_count_per_key_and_window() -> None:
    assert [ratelimit.hit("k", window_seconds=60, now=1000.0) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("other", window_seconds=60, now=1000.0) == 1
    assert ratelimit.hit("k", window_seconds=60, now=1080.0) == 1  # the next window starts afresh
    assert ratelimit.peek("k", window_seconds=60, now=1000.0) == 3


@pytest.mark.django_db
def test_prune_forgets_ended_windows() -> None:
    ratelimit.hit("old", window_seconds=60, now=1000.0)
    ratelimit.hit("new", window_seconds=60)
    ratelimit.prune()
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_the_decorator_answers_429_after_the_limit() -> None:
    @ratelimit.rate_limited("test", per_user=100, per_ip=2, window_seconds=3600)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()

    def post(address: str):
        request = factory.post("/x", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        return view(request)

    assert [post("1.1.1.1").status_code for _ in range(3)] == [200, 200, 429]
    assert post("2.2.2.2").status_code == 200
    get = factory.get("/x", REMOTE_ADDR="1.1.1.1")
    get.user = AnonymousUser()
    assert view(get).status_code == 200  # reading is never limited


@override_settings(ESEP_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_counts() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2"
    )
    assert ratelimit.client_ip(request) == "198.51.100.2"
