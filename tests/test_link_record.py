"""The link record: compact, picklable, JSON round trip, and the linkers give
the same output from records as from publications."""
from __future__ import annotations

import json
import pickle

from kg.build import build
from kg.iris import IriMinter
from kg.link import link, record_of
from kg.link.record import LinkRecord


def _publications():
    return list(build([], out_dir=None, validate=False).parsed())


def test_record_round_trips_through_json_and_pickle():
    pubs = _publications()
    assert pubs
    for pub in pubs:
        rec = record_of(pub)
        assert isinstance(rec, LinkRecord)
        again = LinkRecord.from_json(json.loads(json.dumps(rec.to_json())))
        assert again == rec
        assert pickle.loads(pickle.dumps(rec)) == rec
        # compact: none of the question or answer text
        assert all(v.tekst[:40] not in json.dumps(rec.to_json()) for v in pub.vragen if len(v.tekst) > 40)


def test_linkers_give_the_same_output_from_records():
    pubs = _publications()
    iris = IriMinter()
    from_pubs, sections_pubs = link(pubs, iris)
    from_records, sections_records = link([LinkRecord.from_json(record_of(p).to_json()) for p in pubs], iris)
    assert from_pubs.triples == from_records.triples
    assert from_pubs.renames == from_records.renames
    assert sections_pubs == sections_records
