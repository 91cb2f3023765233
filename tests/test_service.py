"""The scoring service: API, limits, corrections that survive a kill, and the review page in a browser."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classifier import Predictor

fastapi = pytest.importorskip("fastapi", reason="FastAPI is not installed (pip install -e '.[serve]')")
from fastapi.testclient import TestClient  # noqa: E402

from classifier.interfaces.service import (  # noqa: E402
    MAX_BATCH,
    MAX_BODY_BYTES,
    LabelsFile,
    ScoreRequest,
    _Scorer,
    create_app,
)

AD = "מבצע ענק! 50% הנחה על כל החנות רק היום, התקשרו 050-1234567"


@pytest.fixture
def client(predictor: Predictor, tmp_path: Path) -> TestClient:
    return TestClient(create_app(predictor, tmp_path / "labels.jsonl"))


def test_service_scores_one_post_and_a_batch_as_the_predictor(
    client: TestClient, predictor: Predictor
) -> None:
    one = client.post("/v1/score", json={"text": AD})
    assert one.status_code == 200
    result = one.json()["results"][0]
    assert result["score"] == pytest.approx(predictor.score(AD), abs=1e-4)
    assert result["label"] == "promotional" and result["language"] == "he" and result["disclosure"] == "none"
    batch = client.post(
        "/v1/score", json={"texts": [AD, "שבת שלום", "", "Hello there"], "explain": True, "passages": True}
    )
    results = batch.json()["results"]
    assert [r["label"] for r in results][1:] == ["organic", None, None]
    assert results[2]["reason"].startswith("empty post") and results[3]["language"] == "other"
    assert {"up", "down", "log_odds"} <= set(results[0]["explanation"])
    assert results[0]["top_passage"]["text"] == AD and "⟦" in results[0]["highlighted"]


def test_service_limits_and_bad_requests_get_clear_messages(client: TestClient) -> None:
    too_many = client.post("/v1/score", json={"texts": ["שלום"] * (MAX_BATCH + 1)})
    assert too_many.status_code == 422 and f"at most {MAX_BATCH} posts" in too_many.text
    both = client.post("/v1/score", json={"text": "א", "texts": ["ב"]})
    assert both.status_code == 422 and "either 'text'" in both.text
    # half a surrogate pair is not valid Unicode: refused by name, never a server error
    broken = client.post(
        "/v1/score",
        content='{"text": "\\ud83d שלום", "passages": true}',
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 422 and "lone surrogate" in broken.text
    bad_json = client.post("/v1/score", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 422
    wrong_type = client.post("/v1/score", json={"texts": [1, None]})
    assert wrong_type.status_code == 422
    huge = client.post(
        "/v1/score", content=b"x" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json"}
    )
    assert huge.status_code == 413 and "send fewer or shorter posts" in huge.text


class _Recording:
    """A predictor that records each call of score_many and fails on one text."""

    def __init__(self, predictor: Predictor, fail_on: str | None = None) -> None:
        self.predictor, self.fail_on, self.calls = predictor, fail_on, []
        self.threshold = predictor.threshold

    def score_many(self, texts: list[str]) -> object:
        self.calls.append(len(texts))
        if self.fail_on in texts:
            raise RuntimeError("scoring failed")
        return self.predictor.score_many(texts)


def test_concurrent_requests_are_scored_together_each_with_its_own_answer(predictor: Predictor) -> None:
    recording = _Recording(predictor)
    scorer = _Scorer(recording)  # type: ignore[arg-type]
    posts = [AD, "שבת שלום לכולם", "", "Hello there"]
    requests = [ScoreRequest(text=post) for post in posts] + [ScoreRequest(texts=[AD] * 60)] * 2

    async def send() -> list[bytes]:
        return await asyncio.gather(*(scorer.score(request) for request in requests))

    answers = [json.loads(body) for body in asyncio.run(send())]
    assert recording.calls == [4 + 60, 60]  # at most MAX_BATCH posts a group, at least one request
    for post, answer in zip(posts, answers, strict=False):
        expected = predictor.score(post)
        score = answer["results"][0]["score"]
        assert score is None if expected != expected else score == pytest.approx(expected, abs=1e-4)
    assert [len(answer["results"]) for answer in answers] == [1, 1, 1, 1, 60, 60]


def test_a_request_that_fails_does_not_fail_the_others_of_its_group(predictor: Predictor) -> None:
    scorer = _Scorer(_Recording(predictor, fail_on="boom"))  # type: ignore[arg-type]

    async def send() -> list[bytes | BaseException]:
        requests = [ScoreRequest(text=text) for text in (AD, "boom", "שבת שלום")]
        return await asyncio.gather(*(scorer.score(request) for request in requests), return_exceptions=True)

    first, failed, last = asyncio.run(send())
    assert isinstance(failed, RuntimeError)
    assert isinstance(first, bytes) and isinstance(last, bytes)
    assert json.loads(last)["results"][0]["label"] == "organic"


def test_service_health_model_card_docs_and_page(client: TestClient, predictor: Predictor) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/v1/model").json()["threshold"] == predictor.card.threshold
    assert "/v1/score" in client.get("/openapi.json").json()["paths"]
    page = client.get("/")
    assert page.status_code == 200 and 'dir="rtl"' in page.text


def test_corrections_are_appended_as_json_lines(client: TestClient, tmp_path: Path) -> None:
    for label in ("organic", "promotional"):
        assert (
            client.post("/v1/corrections", json={"text": AD, "label": label, "score": 0.9}).status_code == 200
        )
    bad = client.post("/v1/corrections", json={"text": AD, "label": "maybe"})
    assert bad.status_code == 422
    lines = [
        json.loads(line) for line in (tmp_path / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["label"] for r in lines] == ["organic", "promotional"]
    assert lines[0]["text"] == AD and lines[0]["model_score"] == 0.9 and lines[0]["time"]


def test_a_line_cut_by_a_crash_does_not_spoil_the_next(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"text": "x", "label": "organic"}\n{"text": "cut in the mid', encoding="utf-8")
    LabelsFile(path).append({"text": "y", "label": "promotional"})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1]) == {"text": "y", "label": "promotional"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(model_file: Path, labels: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "classifier",
        "-q",
        "serve",
        "--model",
        str(model_file),
        "--port",
        str(port),
    ]
    log = labels.with_suffix(".log")
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--labels", str(labels)], stdout=subprocess.DEVNULL, stderr=stderr
        )
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    raise AssertionError(log.read_text(encoding="utf-8", errors="replace") or "the service did not start")


def test_killing_the_service_loses_no_acknowledged_correction(model_file: Path, tmp_path: Path) -> None:
    import concurrent.futures

    import httpx

    labels = tmp_path / "labels.jsonl"
    port = _free_port()
    process = _start(model_file, labels, port)
    acknowledged: list[int] = []

    def send(i: int) -> None:
        try:
            response = httpx.post(
                f"http://127.0.0.1:{port}/v1/corrections",
                json={"text": f"פוסט {i}", "label": "organic"},
                timeout=5,
            )
            if response.status_code == 200:
                acknowledged.append(i)
        except httpx.HTTPError:
            pass

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(send, i) for i in range(400)]
        deadline = time.monotonic() + 20
        while len(acknowledged) < 5 and time.monotonic() < deadline:  # kill it mid-stream, however slow
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        concurrent.futures.wait(futures)
    process.wait()
    assert acknowledged, "no correction was acknowledged before the kill"
    saved = set()
    for line in labels.read_text(encoding="utf-8").splitlines():
        try:
            saved.add(int(json.loads(line)["text"].split()[1]))
        except (json.JSONDecodeError, KeyError, IndexError, ValueError):
            continue  # only a last line cut by the kill may be unreadable
    assert set(acknowledged) <= saved


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)")
def test_review_page_in_a_real_browser(model_file: Path, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    labels = tmp_path / "labels.jsonl"
    port = _free_port()
    process = _start(model_file, labels, port)
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    flags += ["--disable-sync", "--no-first-run", "--disable-quic"]
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=flags)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            long_post = "היה יום ארוך והגענו הביתה מאוחר. הילדים כבר ישנו. שתינו תה במרפסת.\n\n" + AD
            page.fill("#post", long_post)
            page.click("#score")
            page.wait_for_selector("#verdict:has-text('promotional')", timeout=10_000)
            assert "050-1234567" in page.inner_text("mark")
            assert page.locator("#up li").count() > 0
            page.click("#wrong")
            page.wait_for_selector("#saved:has-text('organic')", timeout=10_000)
            screenshot = Path(os.environ.get("PROMO_SCREENSHOTS", tmp_path)) / "review-page.png"
            page.screenshot(path=str(screenshot), full_page=True)
            browser.close()
        assert screenshot.stat().st_size > 1000
        record = json.loads(labels.read_text(encoding="utf-8").splitlines()[-1])
        assert record["label"] == "organic" and record["text"] == long_post
    finally:
        process.terminate()
        process.wait()
