"""The shipped NLI model and the loader every --nli-model goes through (directory, hub id, offline)."""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from refcheck.compare.nli_model import BUILTIN_MODEL_DIR, locate, read_model_files
from refcheck.compare.scorers.entailment import EntailmentScorer
from refcheck.errors import InputError

PAIRS = [
    ("Of the 140 patients recruited, 70 were randomised to exercise.", "The trial recruited 140 patients."),
    ("Serum SNORD55 levels were significantly decreased in patients with the disease.",
     "SNORD55 levels were significantly higher in patients."),
    ("A man is playing a guitar on stage.", "The stock market fell sharply on Tuesday."),
]


@pytest.fixture(scope="module")
def builtin_scores():
    return EntailmentScorer().score(PAIRS)


def test_builtin_model_ships_in_hugging_face_layout_within_the_size_budget():
    files = read_model_files(BUILTIN_MODEL_DIR)
    assert files.labels == ("entailment", "neutral", "contradiction")
    assert files.onnx_path.stat().st_size <= 40 * 1024 * 1024
    assert {"contradiction", "entailment"} <= set(files.thresholds)
    assert files.version


def test_builtin_model_gives_the_same_readings_on_every_x86_cpu():
    # onnxruntime multiplies uint8 activations by int8 weights exactly with AVX512-VNNI, but on AVX2
    # without VNNI it adds pairs of products in 16 bits, which saturate when both are near full range
    # (255 * 127 * 2 > 32767): the same pair read 0.81 contradiction on one machine and 0.69 on
    # another. Weights within 7 bits (|w| <= 64) keep every pair sum in range on both.
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(read_model_files(BUILTIN_MODEL_DIR).onnx_path)).graph
    weights = {initializer.name: initializer for initializer in graph.initializer}
    integer_weights = [node.input[1] for node in graph.node if node.op_type == "MatMulInteger"]
    assert integer_weights
    for name in integer_weights:
        assert abs(numpy_helper.to_array(weights[name]).astype(int)).max() <= 64, name


def test_scores_are_probabilities_in_the_order_given(builtin_scores):
    assert len(builtin_scores) == len(PAIRS)
    for scores in builtin_scores:
        assert set(scores) == {"entailment", "neutral", "contradiction"}
        assert sum(scores.values()) == pytest.approx(1.0, abs=1e-4)
    entailed, contradicted, unrelated = builtin_scores
    assert max(entailed, key=entailed.get) == "entailment"
    assert max(contradicted, key=contradicted.get) == "contradiction"
    assert max(unrelated, key=unrelated.get) != "entailment"


def test_a_pair_s_probabilities_do_not_depend_on_the_pairs_beside_it(builtin_scores):
    # an int8 model run on a batch quantises activations over the whole batch: pairs are run alone
    scorer = EntailmentScorer()
    for pair, expected in zip(PAIRS, builtin_scores):
        assert scorer.score([pair]) == [expected]
    assert scorer.score(PAIRS[::-1]) == builtin_scores[::-1]


def _model_copy(tmp_path: Path, id2label: dict[str, str]) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(BUILTIN_MODEL_DIR, copy)
    (copy / "refcheck.json").unlink()
    config = json.loads((copy / "config.json").read_text())
    config["id2label"] = id2label
    (copy / "config.json").write_text(json.dumps(config))
    return copy


def test_labels_come_from_id2label(tmp_path, builtin_scores):
    # the same network with its outputs named in another order: each output keeps its number, so what
    # refcheck calls entailment must follow the name
    permuted = _model_copy(tmp_path, {"0": "CONTRADICTION", "1": "ENTAILMENT", "2": "NEUTRAL"})
    scores = EntailmentScorer(str(permuted)).score(PAIRS)
    for original, renamed in zip(builtin_scores, scores):
        assert renamed["contradiction"] == pytest.approx(original["entailment"], abs=1e-6)
        assert renamed["entailment"] == pytest.approx(original["neutral"], abs=1e-6)
        assert renamed["neutral"] == pytest.approx(original["contradiction"], abs=1e-6)


def test_a_model_refcheck_did_not_train_gets_default_thresholds_and_a_content_version(tmp_path):
    files = read_model_files(_model_copy(tmp_path, {"0": "entailment", "1": "neutral", "2": "contradiction"}))
    assert files.thresholds["contradiction"] == 0.9
    assert files.version.startswith("sha256:")


@pytest.mark.parametrize("id2label, message", [
    ({}, "no id2label"),
    ({"0": "yes", "1": "no"}, "no entailment label"),
    ({"0": "entailment", "2": "neutral"}, "0..n-1"),
])
def test_unusable_label_maps_are_one_line_errors(tmp_path, id2label, message):
    with pytest.raises(InputError, match=message):
        read_model_files(_model_copy(tmp_path, id2label))


def test_a_directory_without_the_model_files_is_a_one_line_error(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(InputError, match="lacks tokenizer.json, model.onnx"):
        locate(str(tmp_path), None, offline=True)


def test_a_hub_id_offline_without_a_copy_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError, match="not downloaded yet .* offline"):
        locate("some-org/some-nli-model", tmp_path, offline=True)


def test_something_neither_a_directory_nor_a_hub_id_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a Hugging Face model id"):
        locate(str(tmp_path / "missing" / "deeper" / "model"), tmp_path, offline=False)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """A local stand-in for the hub: files at /{org}/{name}/resolve/main/{file}, as huggingface.co serves them."""
    root = tmp_path / "hub"
    repository = root / "refcheck-test" / "nli" / "resolve" / "main"
    (repository / "onnx").mkdir(parents=True)
    for name in ("config.json", "tokenizer.json"):
        shutil.copyfile(BUILTIN_MODEL_DIR / name, repository / name)
    # the layout Hugging Face repositories with an ONNX export usually have
    shutil.copyfile(BUILTIN_MODEL_DIR / "model.onnx", repository / "onnx" / "model.onnx")
    requests_seen = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests_seen.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    yield requests_seen
    server.shutdown()


def test_a_hub_model_is_downloaded_once_into_the_cache_dir_then_used_offline(hub, tmp_path, builtin_scores):
    cache_dir = tmp_path / "cache"
    scores = EntailmentScorer("refcheck-test/nli", cache_dir=cache_dir).score(PAIRS)
    for mine, downloaded in zip(builtin_scores, scores):
        assert downloaded == pytest.approx(mine, abs=1e-6)
    stored = cache_dir / "models" / "refcheck-test--nli"
    assert (stored / "onnx" / "model.onnx").is_file() and not list(stored.rglob(".*"))
    fetched = len(hub)
    EntailmentScorer("refcheck-test/nli", cache_dir=cache_dir, offline=True).score(PAIRS[:1])
    assert len(hub) == fetched


def test_a_hub_model_that_is_not_there_is_a_one_line_error(hub, tmp_path):
    with pytest.raises(InputError, match="HTTP 404"):
        locate("refcheck-test/absent", tmp_path, offline=False)
