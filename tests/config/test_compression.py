"""Pages travel gzip-compressed to browsers that ask for it (most phones on a data plan)."""

import gzip


def test_a_page_is_compressed_when_the_browser_accepts_gzip(client, home):
    response = client.get(home.url, headers={"accept-encoding": "gzip, deflate, br"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert html.startswith("<!doctype html>") and home.title in html


def test_a_page_is_plain_for_a_client_that_does_not_ask(client, home):
    response = client.get(home.url)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content.decode().startswith("<!doctype html>")
