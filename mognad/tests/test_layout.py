def test_the_front_page_is_swedish_by_default_with_skip_link_and_landmarks(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
    assert "Digital mognad i offentlig sektor" in html


def test_the_language_switch_turns_the_page_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Digital maturity in the public sector" in html
    assert "På svenska" in html


def test_every_page_carries_a_content_security_policy_without_unsafe_inline(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_an_unknown_address_gets_the_friendly_404_page(client, db):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_a_logged_in_visitor_is_pointed_to_their_organizations(client, db):
    from mognad.test import make_user

    user = make_user("kim@example.se")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Gå till mina organisationer" in html
    assert 'href="/orgs/"' in html
