"""The scoring service: an HTTP API, a review page, and a labels file of reviewers' corrections.

Needs the ``serve`` extra (``pip install "promo-he[serve]"``: FastAPI and uvicorn).
``promo serve`` runs :func:`create_app` with uvicorn. The model is loaded once, at start.

- ``POST /v1/score``: one post (``{"text": ...}``) or a batch (``{"texts": [...]}``, at most
  :data:`MAX_BATCH`), with ``"explain"`` and ``"passages"`` on request; each result has score,
  label, language, disclosure, and when the post was not judged, the reason.
- ``POST /v1/corrections``: a reviewer's verdict on a post, appended to the labels file.
- ``GET /healthz``, ``GET /v1/model`` (the model card), ``GET /docs`` (OpenAPI), ``GET /`` (the page).

A request body over :data:`MAX_BODY_BYTES` is refused with 413, a batch over :data:`MAX_BATCH`
or a malformed request with 422, each with a message that says what to change.

Scoring one post costs mostly per call (the engine runs the same NumPy operations whatever the
number of posts), so the posts of requests that arrive together are scored in one call, in one
thread beside the event loop (:class:`_Scorer`): under load a single post costs a fraction of
what it costs alone, and an idle service answers at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from classifier.core.errors import ClassifierError
from classifier.core.labels import label_of
from classifier.modeling.tables import lone_surrogate
from classifier.prediction.predictor import Predictor, languages_of_scored

#: The most posts one request may score.
MAX_BATCH = 100
#: The largest request body accepted, in bytes (a batch of long posts fits).
MAX_BODY_BYTES = 2_000_000
#: Environment variable naming the labels file (``--labels`` wins over it).
LABELS_VARIABLE = "PROMO_LABELS"


class ScoreRequest(BaseModel):
    """A request to score one post or a batch."""

    text: str | None = Field(None, description="One post.")
    texts: list[str] | None = Field(None, description=f"Several posts, at most {MAX_BATCH}.")
    explain: bool = Field(False, description="Add what pushed each score up and down.")
    passages: bool = Field(False, description="Add the most promotional passage and the marked text.")

    @model_validator(mode="after")
    def one_of(self) -> ScoreRequest:
        if (self.text is None) == (self.texts is None):
            raise ValueError("give either 'text' (one post) or 'texts' (a list of posts)")
        if self.texts is not None and len(self.texts) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} posts per request; split the batch")
        _refuse_lone_surrogates([self.text] if self.texts is None else self.texts)
        return self


class Correction(BaseModel):
    """A reviewer's verdict on a post."""

    text: str = Field(..., min_length=1)
    label: Literal["promotional", "organic"]
    score: float | None = None
    note: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def valid_unicode(self) -> Correction:
        _refuse_lone_surrogates([self.text, self.note])
        return self


def _refuse_lone_surrogates(texts: Sequence[str | None]) -> None:
    """Refuse text that is not valid Unicode: it could be neither echoed nor stored as UTF-8."""
    for i, text in enumerate(texts):
        if text is not None and lone_surrogate(text):
            raise ValueError(
                f"text {i} holds a lone surrogate (not valid Unicode, often a broken \\ud83d-style escape)"
            )


def default_labels_path() -> Path:
    """Where corrections go by default: ``$PROMO_LABELS``, else the user's data folder."""
    configured = os.environ.get(LABELS_VARIABLE)
    if configured:
        return Path(configured)
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "promo-he" / "labels.jsonl"


class LabelsFile:
    """An append-only JSON-lines file of corrections, safe under concurrent requests.

    Each correction is one line written by a single ``write`` on a file opened for
    appending, under a lock, and flushed to disk (``fsync``) before the request is
    answered: an acknowledged correction survives the service being killed, and a
    killed write can at worst leave a last partial line, which readers skip.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        """Add one record as a line, durably."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except OSError as error:
                raise ClassifierError(f"{self.path}: cannot write corrections ({error.strerror})") from None
            try:
                if os.fstat(handle).st_size and not self._ends_with_newline(handle):
                    os.write(handle, b"\n")  # a line cut by a crash stays apart from the next one
                os.write(handle, line)
                os.fsync(handle)
            finally:
                os.close(handle)

    def _ends_with_newline(self, handle: int) -> bool:
        with self.path.open("rb") as stream:
            stream.seek(-1, os.SEEK_END)
            return stream.read(1) == b"\n"


class _BodyLimit:
    """Refuses a request that declares a body over :data:`MAX_BODY_BYTES` with 413.

    A plain ASGI middleware: ``@app.middleware("http")`` would run every request through an
    extra task and body stream.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY_BYTES:
                    from fastapi.responses import JSONResponse

                    message = f"request body over {MAX_BODY_BYTES:,} bytes; send fewer or shorter posts"
                    await JSONResponse({"detail": message}, status_code=413)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


#: A request waiting for its answer.
_Waiting = tuple[ScoreRequest, "asyncio.Future[bytes]"]


class _Scorer:
    """Scores the posts of concurrent requests together, one group at a time, in one thread.

    A request joins the queue; when no group is being scored, the queued requests (up to
    :data:`MAX_BATCH` posts, and always at least one request) are scored in one call of
    :meth:`Predictor.score_many` and answered. Requests that come while a group is being
    scored form the next group, so groups grow with the load and an idle service adds no wait.
    """

    def __init__(self, predictor: Predictor) -> None:
        self.predictor = predictor
        self._queue: deque[_Waiting] = deque()
        self._drainer: asyncio.Task[None] | None = None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="promo-score")

    async def score(self, request: ScoreRequest) -> bytes:
        """The JSON answer to one request."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bytes] = loop.create_future()
        self._queue.append((request, answer))
        if self._drainer is None:
            self._drainer = loop.create_task(self._drain())
        return await answer

    async def _drain(self) -> None:
        try:
            while self._queue:
                await asyncio.sleep(0)  # requests parsed in the same turn of the loop join this group
                group = [self._queue.popleft()]
                posts = _size(group[0][0])
                while self._queue and posts + _size(self._queue[0][0]) <= MAX_BATCH:
                    group.append(self._queue.popleft())
                    posts += _size(group[-1][0])
                await self._settle(group)
        finally:
            self._drainer = None

    async def _settle(self, group: list[_Waiting]) -> None:
        """Answer every request of ``group``; when scoring fails, only the request that failed fails."""
        loop = asyncio.get_running_loop()
        try:
            bodies = await loop.run_in_executor(self._thread, self._answer, [request for request, _ in group])
        except Exception as error:
            if len(group) > 1:
                for one in group:
                    await self._settle([one])
            elif not group[0][1].done():
                group[0][1].set_exception(error)
            return
        for (_, answer), body in zip(group, bodies, strict=True):
            if not answer.done():  # the client may have gone
                answer.set_result(body)

    def _answer(self, requests: list[ScoreRequest]) -> list[bytes]:
        """Score every post of ``requests`` in one call; each request's answer as JSON."""
        from classifier.workflows.scoring import Analyses, analyse

        predictor, threshold = self.predictor, self.predictor.threshold
        texts = [text for request in requests for text in _texts(request)]
        scored = predictor.score_many(texts)
        scores, languages = iter(scored.tolist()), iter(languages_of_scored(texts, scored))
        bodies = []
        for request in requests:
            wanted = Analyses(explain=request.explain, passages=request.passages, highlight=request.passages)
            results = []
            for text in _texts(request):
                value = next(scores)
                extras = analyse(predictor, text, value, threshold, wanted, next(languages))
                score = round(value, 4) if value == value else None
                results.append({"score": score, "label": label_of(value, threshold), **extras})
            answer = {"threshold": threshold, "results": results}
            bodies.append(
                json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
            )
        return bodies


def _texts(request: ScoreRequest) -> list[str]:
    return [request.text] if request.text is not None else list(request.texts or [])


def _size(request: ScoreRequest) -> int:
    return 1 if request.text is not None else len(request.texts or [])


def create_app(predictor: Predictor, labels: Path | None = None) -> Any:
    """The FastAPI application serving ``predictor``.

    Parameters
    ----------
    predictor : Predictor
        Loaded once; every request uses it.
    labels : Path or None
        The labels file of corrections; None for :func:`default_labels_path`.
    """
    from fastapi import FastAPI, HTTPException
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response

    labels_file = LabelsFile(labels or default_labels_path())
    scorer = _Scorer(predictor)
    app = FastAPI(
        title="promo-he",
        description="How promotional is this Hebrew text? Scores, explanations, passages, disclosure.",
        version=predictor.card.package_version,
    )
    app.add_middleware(_BodyLimit)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Any, error: RequestValidationError) -> JSONResponse:
        # what was wrong and where, without echoing the input (which may not even encode as UTF-8)
        details = [
            {"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": e.get("msg")}
            for e in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": details})

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/model")
    def model_card() -> dict[str, Any]:
        return predictor.card.to_dict()

    @app.post(
        "/v1/score",
        response_class=Response,
        response_model=None,
        responses={200: {"content": {"application/json": {}}, "description": "threshold and results"}},
    )
    async def score(request: ScoreRequest) -> Any:  # Response: imported here, unknown to annotations
        return Response(await scorer.score(request), media_type="application/json")

    @app.post("/v1/corrections")
    def correct(correction: Correction) -> dict[str, Any]:
        record = {
            "text": correction.text,
            "label": correction.label,
            "model_score": correction.score,
            "note": correction.note,
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        try:
            labels_file.append(record)
        except ClassifierError as error:
            raise HTTPException(status_code=503, detail=str(error)) from None
        return {"saved": True, "labels_file": str(labels_file.path)}

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return resources.files("classifier.interfaces").joinpath("review.html").read_text(encoding="utf-8")

    return app


def app_from_environment() -> Any:
    """The app for ``promo serve --workers N``: the model and labels file named by the environment."""
    model = os.environ.get("PROMO_SERVE_MODEL")
    prior = os.environ.get("PROMO_SERVE_PRIOR")
    predictor = Predictor.load(model, prior=float(prior) if prior else None)
    return create_app(predictor, default_labels_path())
