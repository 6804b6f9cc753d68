"""The benchmark's report (the measurements themselves are not tests)."""

from __future__ import annotations

from evals.bench import table

RESULT = {
    "releases": 400,
    "rounds": 3,
    "chunks": 750,
    "mean_chunk_tokens": 170.2,
    "cpu_threads": 2,
    "pressroom_s": 60.0,
    "pressroom_cpu_s": 110.0,
    "pressroom_chunks_per_s": 12.5,
    "raw_encode_s": 57.0,
    "raw_encode_cpu_s": 105.0,
    "raw_encode_chunks_per_s": 13.2,
    "ingest_vs_raw_encode": 0.95,
    "ingest_vs_raw_encode_cpu": 0.954,
    "resync_s": 0.5,
    "resync_share": 0.0083,
    "peak_rss_mib_after_ingest": 950.0,
}


def test_table_with_and_without_llamaindex() -> None:
    text = table(RESULT)
    assert text.splitlines()[0] == (
        "400 releases, 750 chunks (mean 170.2 word pieces), 2 CPU threads, best of 3 rounds"
    )
    assert "Pressroom ingest (end to end)        60.0    110.0      12.5" in text
    assert (
        "ingest speed / raw encode: 0.95 wall, 0.95 CPU (target >= 1.3; encoder: "
        "SentenceTransformerEmbedder)" in text
    )
    assert "LlamaIndex" not in text
    with_llama = RESULT | {
        "llamaindex_s": 70.0,
        "llamaindex_cpu_s": 130.0,
        "llamaindex_chunks_per_s": 10.7,
        "ingest_vs_llamaindex": 1.167,
        "ingest_vs_llamaindex_cpu": 1.18,
    }
    assert "ingest speed / LlamaIndex: 1.17 wall, 1.18 CPU (target > 1)" in table(with_llama)


def test_table_shows_the_onnx_encoder_beside_pytorch() -> None:
    onnx = RESULT | {
        "encoder": "OnnxEmbedder",
        "onnx_encode_s": 40.0,
        "onnx_encode_cpu_s": 78.0,
        "onnx_encode_chunks_per_s": 18.8,
        "onnx_encode_vs_raw_encode": 1.425,
    }
    text = table(onnx)
    assert "ONNX encoder alone (fp32)            40.0     78.0      18.8" in text
    assert "onnx_encode speed / raw encode: 1.43 wall" in text
    assert "encoder: OnnxEmbedder)" in text


def test_scale_table() -> None:
    from evals.bench import scale_table

    timing = {"p50_ms": 40.0, "p95_ms": 90.0, "max_ms": 120.0}
    slower = {"p50_ms": 60.0, "p95_ms": 110.0, "max_ms": 130.0}
    mode = {
        "engine_start_s": 3.0,
        "retrieval": timing,
        "extractive_answer": timing,
        "extractive_ask": slower,
    }
    store = {"chunks": 10_000, "store_mib_per_1000_chunks": 12.7}
    retrieval = {"sizes": {"10000": {"store": store, "embedded": mode, "server": mode}}}
    served = {"startup_s": 9.5, "rss_mib_ready": 900.0, "peak_rss_mib": 950.0, "http_ask": timing}
    serve = {"sizes": {"10000": {"chunks": 10_000, "embedded": served, "server": served}}}
    lines = scale_table(
        retrieval
        | {"sizes": {"10000": retrieval["sizes"]["10000"] | {"server_vs_embedded_p95": 1.0}}},
        serve,
    ).splitlines()
    assert "ask p50" in lines[0]
    assert lines[1] == (
        "   10000 embedded      3.0       40      90         40      90       60     110    12.7"
    )
    assert "server / embedded retrieval p95: 1.0" in lines[3]
    assert lines[-1] == "   10000 server        9.5      900     950       40      90"
