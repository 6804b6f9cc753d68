from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.formats.records import (
    DEFAULT_FIELDS,
    parse_fields,
    read_csv,
    read_json,
    read_jsonl,
)

PATH = Path("feeds/news.json")


def test_field_name_defaults() -> None:
    assert dataclasses.asdict(DEFAULT_FIELDS) == {
        "title": ("title", "headline"),
        "date": (
            "date",
            "published",
            "published_at",
            "pubdate",
            "pub_date",
            "datepublished",
            "date_published",
        ),
        "body": ("body", "text", "content", "body_html", "content_html", "html"),
        "url": ("url", "link"),
        "id": ("id", "nid", "guid", "uuid"),
        "place": ("place", "location"),
        "language": ("language", "lang"),
    }


def test_keys_match_case_insensitively_and_the_first_non_empty_field_wins() -> None:
    records = [{"ID": 7, "Title": "", "Headline": "From headline", "BODY": "Text."}]
    result = read_json(json.dumps(records), path=PATH, relpath="news.json", fields=DEFAULT_FIELDS)
    release = result.releases[0]
    assert (release.release_id, release.title) == ("news.json:7", "From headline")


def test_a_single_release_object() -> None:
    document = {"id": "x", "title": "Alone", "body": "Only one."}
    result = read_json(json.dumps(document), path=PATH, relpath="one.json", fields=DEFAULT_FIELDS)
    assert [r.release_id for r in result.releases] == ["one.json:x"]


def test_duplicate_ids_keep_the_first_and_report_the_rest() -> None:
    records = [{"id": "A", "body": "First."}, {"id": "A", "body": "Second."}]
    result = read_json(json.dumps(records), path=PATH, relpath="n.json", fields=DEFAULT_FIELDS)
    assert [r.body for r in result.releases] == ["First."]
    assert result.errors[0].reason == "record 2: duplicate id 'n.json:A' (record 1 has it); skipped"


def test_a_body_in_html_is_read_as_html() -> None:
    records = [{"id": "h", "body": "<p>Riga, 4 May 2023 – One.</p><p>Two &amp; three.</p>"}]
    release = read_json(
        json.dumps(records), path=PATH, relpath="n.json", fields=DEFAULT_FIELDS
    ).releases[0]
    assert release.body == "Riga, 4 May 2023 – One.\n\nTwo & three."
    assert release.place == "Riga"


def test_a_body_that_repeats_its_title_loses_the_repeat() -> None:
    records = [{"id": "t", "title": "The headline", "body": "The headline\n\nThe text."}]
    release = read_json(
        json.dumps(records), path=PATH, relpath="n.json", fields=DEFAULT_FIELDS
    ).releases[0]
    assert release.body == "The text."


def test_body_given_as_a_list_of_paragraphs() -> None:
    records = [{"id": "l", "body": ["One.", "Two."]}]
    release = read_json(
        json.dumps(records), path=PATH, relpath="n.json", fields=DEFAULT_FIELDS
    ).releases[0]
    assert release.body == "One.\n\nTwo."


def test_declared_date_and_place_win_over_the_dateline() -> None:
    records = [
        {"id": "d", "date": "2023-05-05", "place": "Tallinn", "body": "Riga, 4 May 2023 – Text."}
    ]
    release = read_json(
        json.dumps(records), path=PATH, relpath="n.json", fields=DEFAULT_FIELDS
    ).releases[0]
    assert (release.published, release.place) == (dt.date(2023, 5, 5), "Tallinn")


def test_an_unparseable_date_falls_through_to_the_dateline() -> None:
    records = [{"id": "d", "date": "soon", "body": "Riga, 4 May 2023 – Text."}]
    release = read_json(
        json.dumps(records), path=PATH, relpath="n.json", fields=DEFAULT_FIELDS
    ).releases[0]
    assert release.published == dt.date(2023, 5, 4)


def test_jsonl_errors_come_in_line_order() -> None:
    text = "\n".join(["[1]", json.dumps({"id": "ok", "body": "Fine."}), "{broken", "{}"])
    result = read_jsonl(text, path=PATH, relpath="n.jsonl", fields=DEFAULT_FIELDS)
    assert [r.release_id for r in result.releases] == ["n.jsonl:ok"]
    assert [e.reason.split(":")[0] for e in result.errors] == ["record 1", "record 3", "record 4"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(delimiter: str) -> None:
    text = delimiter.join(["id", "title", "body"]) + "\n" + delimiter.join(["1", "T", "B."])
    result = read_csv(text, path=PATH, relpath="f.csv", fields=DEFAULT_FIELDS)
    assert [(r.release_id, r.title, r.body) for r in result.releases] == [("f.csv:1", "T", "B.")]


def test_csv_rows_without_an_id_are_keyed_by_url_then_row_number() -> None:
    text = "title,url,body\nA,https://example.org/a,Text A.\nB,,Text B.\n"
    result = read_csv(text, path=PATH, relpath="f.csv", fields=DEFAULT_FIELDS)
    assert [r.release_id for r in result.releases] == ["f.csv:https://example.org/a", "f.csv:2"]


def test_a_malformed_csv_is_a_whole_file_error() -> None:
    text = 'id,body\n1,"unterminated\n'
    with pytest.raises(IngestError, match="malformed CSV"):
        read_csv(text, path=PATH, relpath="f.csv", fields=DEFAULT_FIELDS)


CMS_FIELDS = "title=headline,date=pubDate,body=body_html,url=link,id=nid"


def test_parse_fields_tries_the_named_fields_first() -> None:
    fields = parse_fields(CMS_FIELDS)
    assert fields.body[0] == "body_html" and "text" in fields.body
    assert fields.date[0] == "pubDate" and fields.id[:2] == ("nid", "id")
    assert parse_fields("body=a|b").body[:2] == ("a", "b")
    assert parse_fields("") == DEFAULT_FIELDS


@pytest.mark.parametrize("spec", ["body", "body=", "colour=red"])
def test_parse_fields_names_a_bad_item(spec: str) -> None:
    with pytest.raises(ValueError, match=r"body|colour"):
        parse_fields(spec)


def test_a_cms_feed_with_its_own_field_names() -> None:
    record = {
        "nid": 5479,
        "headline": "Oskaria and Portugal sign an agreement",
        "pubDate": "Tue, 17 Jun 2025 23:30:00 +0600",
        "link": "https://mfa.example.org/news/portugal",
        "story": "<p>The ministers signed it &ndash; in <em>Lisbon</em>.</p><p>Second.</p>",
    }
    fields = parse_fields("title=headline,date=pubDate,body=story,url=link,id=nid")
    release = read_jsonl(json.dumps(record), path=PATH, relpath="n.jsonl", fields=fields).releases[
        0
    ]
    assert release.release_id == "n.jsonl:5479"
    assert (release.published, release.date_source) == (dt.date(2025, 6, 17), "metadata")
    assert release.body == "The ministers signed it – in Lisbon.\n\nSecond."
    assert release.url == "https://mfa.example.org/news/portugal"


def test_a_record_without_a_body_names_the_fields_looked_for_and_those_it_has() -> None:
    record = {"nid": 1, "headline": "H", "story": "Text."}
    result = read_jsonl(json.dumps(record), path=PATH, relpath="n.jsonl", fields=DEFAULT_FIELDS)
    reason = result.errors[0].reason
    assert "looked for a non-empty field: body, text, content" in reason
    assert "the record has: nid, headline, story" in reason


def test_a_csv_date_column_is_read_day_first_from_its_unambiguous_rows() -> None:
    text = "id,title,date,text\n1,A,19/04/2023,One.\n2,B,05/04/2023,Two.\n3,C,2023-04-05,Three.\n"
    releases = read_csv(text, path=PATH, relpath="l.csv", fields=DEFAULT_FIELDS).releases
    assert [r.published for r in releases] == [
        dt.date(2023, 4, 19),
        dt.date(2023, 4, 5),
        dt.date(2023, 4, 5),
    ]
