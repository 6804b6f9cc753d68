"""Retrieval on the demo archive: each mode, the source filter, and a real reranker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.answering.engine import Engine
from assistant.answering.retrieval import HybridRetriever, RetrievalMode, identifiers, spells
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.records import DateRange
from vectorstore.reranker import CrossEncoderReranker, Reranker
from vectorstore.store import ChunkStore, open_client

from ...conftest import make_chunk


def retriever(engine: Engine, mode: RetrievalMode = "hybrid", **extra: object) -> HybridRetriever:
    base = engine.retriever
    return HybridRetriever(
        base.store,
        base.lexical,
        base.candidates,
        embedder=base.embedder,
        mode=mode,
        **extra,  # type: ignore[arg-type]
    )


# The tests' own question (no eval-suite question is asked here, CONTRIBUTING.md).
QUESTION = "Which member state cast the vote against suspending the export of glass eels?"


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_the_release(demo_engine: Engine, mode: RetrievalMode) -> None:
    passages = retriever(demo_engine, mode).retrieve(QUESTION, 5)
    assert passages[0].chunk.release_id == "2022-10-11-eel-export-ban-vote.txt"
    assert [p.rank for p in passages] == list(range(1, len(passages) + 1))


def test_one_mode_searches_one_ranking(demo_engine: Engine) -> None:
    question = "nutrient protocol Riga"
    dense = retriever(demo_engine, "dense").retrieve(question, 10)
    bm25 = retriever(demo_engine, "bm25").retrieve(question, 10)
    hybrid = retriever(demo_engine, "hybrid").retrieve(question, 10)
    # BM25 alone returns only chunks that share a term with the question; the dense
    # ranking returns the nearest whatever they say, so some have no BM25 score.
    assert all(p.lexical > 0 for p in bm25)
    assert all(p.similarity != 0 for p in bm25), "similarity is still measured"
    scores = [p.score for p in dense]
    assert scores == sorted(scores, reverse=True)
    assert {p.chunk.chunk_id for p in hybrid} != {p.chunk.chunk_id for p in dense}


def test_sources_limit_the_search_to_releases_under_them(demo_engine: Engine) -> None:
    everything = retriever(demo_engine).retrieve("basin health index reading", 10)
    assert any(not p.chunk.release_id.startswith("feeds/") for p in everything)
    only_feeds = retriever(demo_engine).retrieve(
        "basin health index reading", 10, sources=["feeds/"]
    )
    assert only_feeds and all(p.chunk.release_id.startswith("feeds/") for p in only_feeds)
    one_feed = retriever(demo_engine).retrieve(
        "basin health index reading", 10, sources=["feeds/news-2025.jsonl"]
    )
    assert {p.chunk.release_id.split(":")[0] for p in one_feed} == {"feeds/news-2025.jsonl"}
    assert retriever(demo_engine).retrieve("basin health", 5, sources=["nowhere/"]) == []


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-layer BERT cross-encoder with random weights and the bundled tokenizer: it
    ranks nonsensically but through the real CrossEncoder code path, with no download."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from vectorstore.embedder import bundled_model_path

    folder = tmp_path_factory.mktemp("cross-encoder")
    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=1,
        initializer_range=1.0,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


class Recording:
    """The real reranker, with a record of what it was asked."""

    def __init__(self, inner: Reranker) -> None:
        self.inner = inner
        self.calls: list[tuple[str, list[str]]] = []

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        self.calls.append((query, list(texts)))
        return self.inner.score(query, texts)


def test_a_reranker_reorders_the_fused_candidates(
    demo_engine: Engine, tiny_cross_encoder: Path
) -> None:
    model = CrossEncoderReranker(str(tiny_cross_encoder))
    recording = Recording(model)
    question = "basin health index reading"
    plain = retriever(demo_engine).retrieve(question, 5)
    reranked = retriever(demo_engine, reranker=recording, rerank_depth=8).retrieve(question, 5)

    assert len(recording.calls) == 1
    query, texts = recording.calls[0]
    assert query == question and len(texts) == 8
    scores = dict(zip(texts, model.score(question, texts), strict=True))
    shown = [p.chunk.indexed_text for p in reranked]
    assert [scores[t] for t in shown] == sorted((scores[t] for t in shown), reverse=True)
    assert shown == sorted(scores, key=lambda t: -scores[t])[:5]
    assert shown != [p.chunk.indexed_text for p in plain], "the reranker changed the order"


def test_a_missing_reranker_is_a_clear_error(tmp_path: Path) -> None:
    from vectorstore.errors import StoreError

    with pytest.raises(StoreError, match="PRESSROOM_RERANKER"):
        CrossEncoderReranker(str(tmp_path / "no-such-model"))


def test_identifiers_are_codes_and_figures_not_years_or_dates() -> None:
    question = "Was 2015/00239 (PR-2025-05) about 45,800 samples on 2024-03-19 in 2024, at 1/2 %?"
    assert identifiers(question) == ["2015/00239", "PR-2025-05", "45,800"]
    assert spells("under reference 2015/00239, the", "2015/00239")
    assert not spells("reference 2015/002391", "2015/00239")
    assert not spells("145,800 samples", "45,800") and not spells("1.255", "1.25")


def test_a_release_asked_for_by_its_reference_comes_first(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Near-identical releases that differ only in their reference: the dense model sees
    no difference, and fusion by rank alone put the one BM25 found low."""
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    chunks = []
    for n in range(30):
        text = (
            f"The Council adopted decision 2021/{n:05d} on the protection of the river basin "
            f"and asked member states to report on wetlands by {2030 + n % 3}."
        )
        chunks.append(
            make_chunk(
                f"r{n:02d}",
                text,
                title="Council decision on river basin protection",
                published=dt.date(2021, 1, 1) + dt.timedelta(days=n),
                place="Riga",
                content_hash=f"h{n}",
            )
        )
    vectors = embedder.embed_documents([c.indexed_text for c in chunks])
    store.replace_releases([(c.release_id, [c]) for c in chunks], vectors)
    search = HybridRetriever(store, LexicalIndex(chunks), embedder=embedder)
    for n in (3, 17, 28):
        found = search.retrieve(f"What did decision 2021/{n:05d} ask for?", 5)
        assert found[0].chunk.release_id == f"r{n:02d}"


def test_a_date_window_never_hides_a_release_without_a_date(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Recurring meetings, some undated: under a June 2022 window the dated June meeting
    and the undated one whose text says 15 June 2022 come first, an undated release that
    states nothing stays a candidate after them, and a dated release outside is left out."""
    store = ChunkStore(open_client(tmp_path / "store"), "press", embedder)
    rows = [
        ("dated-june", "The Senior Officials Committee met in Astana.", dt.date(2022, 6, 2)),
        ("dated-march", "The Senior Officials Committee met in Riga.", dt.date(2022, 3, 9)),
        ("stated-june", "The Senior Officials Committee met in Astana on 15 June 2022.", None),
        ("stated-july", "The Senior Officials Committee met in Astana on 12 July 2022.", None),
        ("undated", "The Senior Officials Committee sends season's greetings.", None),
    ]
    chunks = [make_chunk(rid, text, published=day, content_hash=rid) for rid, text, day in rows]
    vectors = embedder.embed_documents([c.indexed_text for c in chunks])
    store.replace_releases([(c.release_id, [c]) for c in chunks], vectors)
    search = HybridRetriever(store, LexicalIndex(chunks), embedder=embedder)
    june = DateRange(dt.date(2022, 6, 1), dt.date(2022, 6, 30))
    found = [p.chunk.release_id for p in search.retrieve("Senior Officials Committee", 5, june)]
    assert set(found[:2]) == {"dated-june", "stated-june"}
    assert set(found[2:]) == {"stated-july", "undated"}
    assert "dated-march" not in found
    # Without a window nothing is left out.
    assert len(search.retrieve("Senior Officials Committee", 5)) == 5
