"""Drives `interdict serve` with the unmodified `yente-client` SDK from PyPI.

The server must already be running (see run.sh): INTERDICT_URL is its base URL,
INTERDICT_SCREEN_KEY / INTERDICT_ADMIN_KEY are keys with those scopes. It serves
the bundled sample list (dataset `interdict_sample`).
"""

import asyncio
import os

import httpx
import pytest

from yente_client import (
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    Company,
    NotFoundError,
    Person,
)

URL = os.environ["INTERDICT_URL"]
SCREEN_KEY = os.environ["INTERDICT_SCREEN_KEY"]
ADMIN_KEY = os.environ["INTERDICT_ADMIN_KEY"]
DATASET = "interdict_sample"


@pytest.fixture()
def client():
    with Client(base_url=URL, api_key=SCREEN_KEY, app_name="interdict-tests") as c:
        yield c


def test_health_and_readiness(client):
    assert client.healthz().status == "ok"
    assert client.readyz().status == "ok"


def test_catalog_lists_loaded_datasets(client):
    catalog = client.datasets()
    names = [d.name for d in catalog.datasets]
    assert DATASET in names and "default" in names
    default = next(d for d in catalog.datasets if d.name == "default")
    assert default.load and DATASET in default.children
    sample = next(d for d in catalog.datasets if d.name == DATASET)
    assert sample.entity_count and sample.entity_count >= 20
    assert catalog.index_stale is False


def test_algorithms(client):
    algos = client.algorithms()
    assert algos.best in [a.name for a in algos.algorithms]
    assert algos.default == algos.best


def test_match_person_with_evidence(client):
    resp = client.match(
        Person(name="Zhao Guangzong", birthDate="1985-11-12", nationality="cn"),
        datasets=[DATASET],
        threshold=0.7,
    )
    assert resp.top is not None
    assert resp.top.id == "sample-zhao-guangzong"
    assert resp.top.schema_ == "Person"
    assert resp.top.match is True
    assert 0.9 <= resp.top.score <= 1.0
    assert DATASET in resp.top.datasets
    assert "ZHAO, Guangzong" in resp.top.properties["name"]
    assert resp.top.explanations["name"].score > 0.9
    assert resp.top.contributing_explanations
    assert resp.total.value >= 1 and resp.total.relation == "eq"
    assert resp.limit == 5
    assert resp.query["schema"] == "Person"


def test_match_cross_script_and_company(client):
    han = client.match(Person(name="倪高彬"))
    assert han.top is not None and han.top.id == "sample-ni-gaobin"
    company = client.match(
        Company(name="Wuhan Xiaoruizhi Science and Technology Co., Ltd."), limit=2
    )
    assert company.top is not None and company.top.id == "sample-wuhan-xiaoruizhi"
    assert company.limit == 2


def test_match_no_hit(client):
    resp = client.match(Person(name="Wilhelmina Quastenbergerova"), threshold=0.9)
    assert resp.matches == []
    assert resp.total.value == 0


def test_match_filters(client):
    excluded = client.match(Person(name="Zhao Guangzong"), exclude_datasets=[DATASET])
    assert excluded.results == []
    no_people = client.match(Person(name="Zhao Guangzong"), exclude_schemata=["Person"])
    assert no_people.results == []
    not_him = client.match(
        Person(name="Zhao Guangzong"), exclude_entities=["sample-zhao-guangzong"]
    )
    assert all(r.id != "sample-zhao-guangzong" for r in not_him.results)


def test_match_iter_batch(client):
    pairs = [
        ("a", Person(name="NI Gaobin")),
        ("b", Person(name="Guangzong Zhao")),
        ("c", Person(name="Nobody Inparticular")),
    ]
    out = dict(client.match_iter(pairs, workers=2, threshold=0.8))
    assert out["a"].top.id == "sample-ni-gaobin"
    assert out["b"].top.id == "sample-zhao-guangzong"
    assert out["c"].matches == []


def test_unknown_dataset_is_not_found(client):
    with pytest.raises(NotFoundError):
        client.match(Person(name="Zhao Guangzong"), datasets=["no_such_dataset"])


def test_bad_algorithm_is_bad_request(client):
    with pytest.raises(BadRequestError):
        client.match(Person(name="Zhao Guangzong"), algorithm="no-such-algorithm")


def test_search_and_fetch(client):
    found = client.search("Gaobin", datasets=[DATASET])
    assert found.results and found.results[0].id == "sample-ni-gaobin"
    assert found.total.value >= 1 and found.offset == 0
    entity = client.fetch("sample-ni-gaobin")
    assert entity.caption == "NI, Gaobin"
    assert "倪高彬" in entity.properties["alias"]
    with pytest.raises(NotFoundError):
        client.fetch("no-such-entity")


def test_authentication_required():
    with Client(base_url=URL) as anonymous:
        with pytest.raises(AuthenticationError):
            anonymous.match(Person(name="Zhao Guangzong"))
    with Client(base_url=URL, api_key="not-a-key") as wrong:
        with pytest.raises(AuthenticationError):
            wrong.datasets()


def test_async_client():
    async def run():
        async with AsyncClient(base_url=URL, api_key=SCREEN_KEY) as c:
            return await c.match(Person(name="Zhao Guangzong"))

    resp = asyncio.run(run())
    assert resp.top is not None and resp.top.id == "sample-zhao-guangzong"


def test_admin_reload_needs_admin_scope():
    denied = httpx.post(
        f"{URL}/v1/admin/reload", headers={"Authorization": f"ApiKey {SCREEN_KEY}"}
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    ok = httpx.post(
        f"{URL}/v1/admin/reload", headers={"Authorization": f"ApiKey {ADMIN_KEY}"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["generation"] >= 2
