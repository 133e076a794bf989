"""Find and load a sentence-pair NLI model in Hugging Face layout, for onnxruntime.

A model directory holds ``config.json`` (with ``id2label``), ``tokenizer.json`` and ``model.onnx``
(or ``onnx/model.onnx``, where Hugging Face repositories that ship ONNX usually keep it). refcheck's
own model (``refcheck/compare/model``) has the same layout plus ``refcheck.json``: how it was trained
and the thresholds chosen for it on dev data.

``--nli-model`` takes a directory or a Hugging Face hub id ("org/name"). A hub id is looked up in
``<cache dir>/models/org--name`` and, when online and missing, downloaded once into it (the three
files, each written atomically); offline without a copy it is a one-line error. Only onnxruntime,
tokenizers and numpy are needed to run a model: no torch.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

BUILTIN_MODEL_DIR = Path(__file__).with_name("model")
ENTAILMENT, NEUTRAL, CONTRADICTION = "entailment", "neutral", "contradiction"
_LABEL_NAMES = {
    "entailment": ENTAILMENT, "entail": ENTAILMENT, "entailed": ENTAILMENT, "supports": ENTAILMENT, "support": ENTAILMENT,
    "neutral": NEUTRAL, "not_entailment": NEUTRAL, "non_entailment": NEUTRAL, "nei": NEUTRAL,
    "not_enough_info": NEUTRAL,
    "contradiction": CONTRADICTION, "contradict": CONTRADICTION, "contradicts": CONTRADICTION, "refutes": CONTRADICTION,
    "refute": CONTRADICTION,
}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
# HF_ENDPOINT is the Hugging Face tools' own setting for a mirror; refcheck honours it the same way
_HUB_URL = "{endpoint}/{model}/resolve/main/{file}"
DEFAULT_HUB = "https://huggingface.co"
_MODEL_FILES = ("model.onnx", "onnx/model.onnx")
# refcheck's verdicts need a small model to answer quickly; a checkpoint larger than this is refused
# rather than read into memory by surprise
MAX_MODEL_BYTES = 2 * 1024 ** 3
# without refcheck.json (a model refcheck did not train), a model-only CONTRADICTED needs this much
DEFAULT_THRESHOLDS = {"contradiction": 0.9, "entailment": 0.5, "veto": 0.5, "contradiction_coverage": 0.5}


@dataclass(frozen=True)
class NliModelFiles:
    """A model found on disk: where its files are and what its outputs mean."""

    directory: Path
    onnx_path: Path
    labels: tuple[str, ...]  # refcheck's label for each output index
    max_length: int
    thresholds: dict[str, float] = field(default_factory=dict)
    version: str = ""


def label_order(config: dict) -> tuple[str, ...]:
    """Each output's label from ``id2label``; the model must say which output is entailment."""
    id2label = config.get("id2label")
    if not isinstance(id2label, dict) or not id2label:
        raise InputError("the NLI model's config.json has no id2label: refcheck cannot tell which output means what")
    try:
        ordered = sorted((int(index), str(name)) for index, name in id2label.items())
    except (TypeError, ValueError):
        raise InputError("the NLI model's config.json has an id2label with non-numeric ids") from None
    if [index for index, _ in ordered] != list(range(len(ordered))):
        raise InputError("the NLI model's id2label does not number its outputs 0..n-1")
    labels = tuple(_LABEL_NAMES.get(name.strip().lower().replace("-", "_").replace(" ", "_"), "") for _, name in ordered)
    if ENTAILMENT not in labels:
        names = ", ".join(name for _, name in ordered)
        raise InputError(f"the NLI model's labels ({names}) include no entailment label")
    return labels


def read_model_files(directory: Path) -> NliModelFiles:
    """The model in `directory`, checked: an unusable model is a one-line InputError."""
    config_path, tokenizer_path = directory / "config.json", directory / "tokenizer.json"
    onnx_path = next((directory / name for name in _MODEL_FILES if (directory / name).is_file()), None)
    missing = [name for name, present in (("config.json", config_path.is_file()), ("tokenizer.json", tokenizer_path.is_file()),
                                          ("model.onnx", onnx_path is not None)) if not present]
    if missing:
        raise InputError(f"NLI model directory {directory} lacks {', '.join(missing)}")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        record = json.loads((directory / "refcheck.json").read_text(encoding="utf-8")) if (directory / "refcheck.json").is_file() else {}
    except (OSError, ValueError) as exc:
        raise InputError(f"NLI model directory {directory}: unreadable JSON ({exc})") from None
    if not isinstance(config, dict) or not isinstance(record, dict):
        raise InputError(f"NLI model directory {directory}: config.json is not a JSON object")
    if onnx_path.stat().st_size > MAX_MODEL_BYTES:
        raise InputError(f"NLI model {onnx_path} is larger than {MAX_MODEL_BYTES // 1024 ** 3} GB")
    thresholds = dict(DEFAULT_THRESHOLDS)
    thresholds.update({k: float(v) for k, v in (record.get("thresholds") or {}).items() if isinstance(v, (int, float))})
    max_length = int(record.get("max_length") or min(int(config.get("max_position_embeddings") or 512), 256))
    version = str(record.get("version") or "") or _content_version(onnx_path, config_path)
    return NliModelFiles(directory, onnx_path, label_order(config), max_length, thresholds, version)


def _content_version(*paths: Path) -> str:
    """A model refcheck did not write is known by its bytes (verdicts cached for it stay its own)."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()[:16]


def locate(spec: str | os.PathLike | None, cache_dir: Path | None, offline: bool, timeout: float = 60.0) -> NliModelFiles:
    """The model named by `spec`: None for the built-in one, a directory, or a hub id."""
    if spec is None or str(spec) == "":
        return read_model_files(BUILTIN_MODEL_DIR)
    path = Path(spec).expanduser()
    if path.is_dir():
        return read_model_files(path)
    text = str(spec)
    if not _HUB_ID.match(text):
        raise InputError(f"--nli-model {text}: no such directory, and not a Hugging Face model id (org/name)")
    if cache_dir is None:
        raise InputError(f"--nli-model {text}: a hub model needs a cache directory to be stored in")
    target = Path(cache_dir) / "models" / text.replace("/", "--")
    if not (target / "config.json").is_file() or not any((target / name).is_file() for name in _MODEL_FILES):
        if offline:
            raise InputError(f"--nli-model {text}: not downloaded yet ({target}) and refcheck is offline")
        download(text, target, timeout)
    return read_model_files(target)


def download(model: str, target: Path, timeout: float) -> None:
    """config.json, tokenizer.json and the ONNX file of a hub model into `target`, each atomically."""
    import requests

    endpoint = (os.environ.get("HF_ENDPOINT") or DEFAULT_HUB).rstrip("/")
    target.mkdir(parents=True, exist_ok=True)
    session = requests.Session()
    for name in ("config.json", "tokenizer.json"):
        _fetch(session, _HUB_URL.format(endpoint=endpoint, model=model, file=name), target / name, timeout, model)
    for name in _MODEL_FILES:
        try:
            _fetch(session, _HUB_URL.format(endpoint=endpoint, model=model, file=name), target / name, timeout, model)
            return
        except InputError:
            continue
    raise InputError(f"--nli-model {model}: the hub has no ONNX export (model.onnx or onnx/model.onnx)")


def _fetch(session, url: str, destination: Path, timeout: float, model: str) -> None:
    import requests

    try:
        with session.get(url, stream=True, timeout=timeout) as response:
            if response.status_code != 200:
                raise InputError(f"--nli-model {model}: {url} answered HTTP {response.status_code}")
            destination.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
            written = 0
            try:
                with os.fdopen(handle, "wb") as out:
                    for block in response.iter_content(1 << 20):
                        written += len(block)
                        if written > MAX_MODEL_BYTES:
                            raise InputError(f"--nli-model {model}: {url} is larger than {MAX_MODEL_BYTES // 1024 ** 3} GB")
                        out.write(block)
                os.replace(temporary, destination)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
    except requests.RequestException as exc:
        raise InputError(f"--nli-model {model}: could not download {url} ({type(exc).__name__})") from None
