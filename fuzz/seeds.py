#!/usr/bin/env python3
"""Writes seed inputs for the byte-level fuzz targets into fuzz/corpus/<target>/ (gitignored),
from the conformance fixtures and the example definition, so a run starts from real inputs.

The structured targets (commands, definition_mutate, c_abi, document_data) build their inputs
from the model, the example definition or the document samples themselves and need no seeds.
"""
import hashlib
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def write(target, data):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def text(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


definition = (root / "examples/eco-packaging/definition.json").read_bytes()
for flags in (b"\x00", b"\x01"):
    write("definition", flags + definition)
write("definition", b"\x00{}")

for path in sorted((root / "tests/fixtures/conformance").glob("*.json")):
    fixture = json.loads(path.read_text())
    # Small seeds run fast: the record without its history, the first few events.
    record = dict(fixture.get("record") or {}, history=[])
    events = [e for step in fixture["steps"] for e in step["expect"].get("events", [])][:4]
    stages = sorted({e["to"] for e in events if isinstance(e.get("to"), str)}) or ["offer"]
    for i, step in enumerate(fixture["steps"]):
        # The first command usually creates: flag 2 passes no record.
        flags = b"\x02" if i == 0 else bytes([i % 2])
        write(
            "decode",
            flags + text(record) + b"\x00" + text(step["command"]) + b"\x00"
            + text(events) + b"\x00" + stages[i % len(stages)].encode(),
        )
