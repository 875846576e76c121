from django.test import Client

from mognad.surveys.demo import ensure_demo_measurement
from mognad.surveys.tests.factories import standard_instrument


def test_the_demo_measurement_is_open_with_working_links_and_is_idempotent(ankeby, settings):
    settings.BASE_URL = "http://testserver"
    standard_instrument()
    links = ensure_demo_measurement(ankeby)
    assert len(links) == 6 and links[-1][0] == "open link"
    assert ensure_demo_measurement(ankeby) == links
    for _who, link in links:
        assert Client().get(link.removeprefix("http://testserver")).status_code == 200
