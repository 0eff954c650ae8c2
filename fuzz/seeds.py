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


# Definitions: scripts/fuzz caps the `definition` target's inputs at 32 KiB (-max_len), where
# an execution is cheap, so the seeds are the small inline definitions of the conformance
# fixtures and the example cut down to one pipeline with its entity (compact JSON); the whole
# example (60 KB compact) is edited structurally by `definition_mutate` instead.
eco = json.loads((root / "examples/eco-packaging/definition.json").read_text())
for pipeline in eco["pipelines"]:
    cut = dict(eco, pipelines=[pipeline])
    cut["entities"] = [e for e in eco["entities"] if e["code"] == pipeline["entity"]]
    for flags in (b"\x00", b"\x01"):
        write("definition", flags + text(cut))
write("definition", b"\x00{}")

for path in sorted((root / "tests/fixtures/conformance").glob("*.json")):
    fixture = json.loads(path.read_text())
    if isinstance(fixture.get("definition"), dict):
        write("definition", b"\x00" + text(fixture["definition"]))
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
