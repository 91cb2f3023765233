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
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from classifier.core.errors import ClassifierError
from classifier.core.labels import label_of
from classifier.prediction.predictor import Predictor

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
        return self


class Correction(BaseModel):
    """A reviewer's verdict on a post."""

    text: str = Field(..., min_length=1)
    label: Literal["promotional", "organic"]
    score: float | None = None
    note: str | None = Field(None, max_length=2000)


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


def create_app(predictor: Predictor, labels: Path | None = None) -> Any:
    """The FastAPI application serving ``predictor``.

    Parameters
    ----------
    predictor : Predictor
        Loaded once; every request uses it.
    labels : Path or None
        The labels file of corrections; None for :func:`default_labels_path`.
    """
    from fastapi import FastAPI, HTTPException, Request
    from fastapi.responses import HTMLResponse, JSONResponse

    from classifier.workflows.scoring import Analyses, analyse

    labels_file = LabelsFile(labels or default_labels_path())
    app = FastAPI(
        title="promo-he",
        description="How promotional is this Hebrew text? Scores, explanations, passages, disclosure.",
        version=predictor.card.package_version,
    )

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return JSONResponse(
                {"detail": f"request body over {MAX_BODY_BYTES:,} bytes; send fewer or shorter posts"},
                status_code=413,
            )
        return await call_next(request)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/model")
    def model_card() -> dict[str, Any]:
        return predictor.card.to_dict()

    @app.post("/v1/score")
    def score(request: ScoreRequest) -> dict[str, Any]:
        texts = [request.text] if request.text is not None else list(request.texts or [])
        scores = predictor.score_many(texts)
        wanted = Analyses(explain=request.explain, passages=request.passages, highlight=request.passages)
        results = []
        for text, value in zip(texts, scores, strict=True):
            judged = value == value
            extras = analyse(predictor, text, float(value), predictor.threshold, wanted)
            label = label_of(float(value), predictor.threshold)
            results.append({"score": round(float(value), 4) if judged else None, "label": label, **extras})
        return {"threshold": predictor.threshold, "results": results}

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
