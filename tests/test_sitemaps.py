"""/sitemap.xml (an index of sections) and /robots.txt: valid XML, the public pages only."""

import xml.etree.ElementTree as ET

from claims import sitemaps
from tests.reader_world import more_claims

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url, tag="url"):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on XML that is not well formed
    assert root.tag == f"{{{NS['s']}}}{'urlset' if tag == 'url' else 'sitemapindex'}"
    return [el.text for el in root.findall(f"s:{tag}/s:loc", NS)]


def test_the_sitemap_index_lists_one_sitemap_per_kind_of_page(client, world):
    found = locations(client, "/sitemap.xml", tag="sitemap")
    assert found == [
        f"http://testserver/sitemap-{section}.xml"
        for section in ("claims", "actors", "events", "sources", "tags", "indexes")
    ]


def test_the_sitemap_lists_the_browse_indexes_and_pictures(client, world):
    found = locations(client, "/sitemap-indexes.xml")
    paths = [url.removeprefix("http://testserver") for url in found]
    indexes = ["/claims/", "/actors/", "/sources/", "/events/", "/tags/"]
    assert paths == [*indexes, "/map/", "/timeline/"]
    for path in paths:
        assert client.get(path).status_code == 200


def test_each_sitemap_lists_exactly_the_public_pages(client, world):
    claims = locations(client, "/sitemap-claims.xml")
    assert claims == [f"http://testserver{world.claim.get_absolute_url()}"]
    actors = set(locations(client, "/sitemap-actors.xml"))
    assert f"http://testserver{world.claimant.get_absolute_url()}" in actors
    assert set(locations(client, "/sitemap-sources.xml")) == {
        f"http://testserver{world.source_a.get_absolute_url()}",
        f"http://testserver{world.source_b.get_absolute_url()}",
    }
    assert locations(client, "/sitemap-tags.xml") == ["http://testserver/tags/arms-transfer/"]
    for url in claims + sorted(actors):
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_a_large_sitemap_is_split_into_pages(client, world, monkeypatch):
    monkeypatch.setattr(sitemaps.SITEMAPS["claims"], "limit", 5)
    more_claims(world, 11)
    index = locations(client, "/sitemap.xml", tag="sitemap")
    assert "http://testserver/sitemap-claims.xml?p=3" in index
    pages = [locations(client, f"/sitemap-claims.xml?p={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert client.get("/sitemap-claims.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_the_rest(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ("/admin/", "/api/", "/claims/export.", "/claims/?"):
        assert f"Disallow: {path}\n" in text
