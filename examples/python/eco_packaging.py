#!/usr/bin/env python3
"""The eco-packaging case through libvoronka with ctypes: no compiled extension.

Compiles the built-in model, creates a deal (case D1: the automation gives the manager a call
task), completes that call, tries to move the deal to the commercial offer (D2) and prints
what is missing, fills it in and moves, moves on to negotiation (D3), answers the call task
there with "waiting" (the automation then waits two business days), and ticks the clock when
the record asks for it.

Usage: python3 eco_packaging.py [path/to/libvoronka.so]
(or set VORONKA_LIB; by default the library is looked up next to the workspace's
target/release and then by the system loader).
"""

import ctypes
import ctypes.util
import json
import os
import sys
from pathlib import Path

LANG_EN, LANG_RU = 0, 1
DOC_LANG_RU, DOC_LANG_EN, DOC_LANG_BOTH = 0, 1, 2
OK = 0


class Bytes(ctypes.Structure):
    """voronka_bytes: library-allocated UTF-8 JSON, freed with voronka_bytes_free."""

    _fields_ = [("ptr", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


class VoronkaError(Exception):
    """A failed call: the code and the error report {code, name, path, message, details}."""

    def __init__(self, code, report):
        self.code = code
        self.report = report
        super().__init__(f"{code} {report.get('name')}: {report.get('message')}")


def find_library(explicit=None):
    """The library path: `explicit`, else the first argument, else VORONKA_LIB, else a build."""
    if explicit:
        return explicit
    if explicit is None and len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("VORONKA_LIB"):
        return os.environ["VORONKA_LIB"]
    root = Path(__file__).resolve().parents[2]
    target = Path(os.environ.get("CARGO_TARGET_DIR", root / "target"))
    candidate = target / "release" / "libvoronka.so"
    if candidate.exists():
        return str(candidate)
    return ctypes.util.find_library("voronka") or "libvoronka.so"


class Voronka:
    """A thin wrapper: JSON text in, Python objects out, errors as VoronkaError."""

    def __init__(self, path, lang=LANG_EN):
        lib = ctypes.CDLL(path)
        u8p, size, b = ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t, ctypes.POINTER(Bytes)
        model_pp = ctypes.POINTER(ctypes.c_void_p)
        signatures = {
            "voronka_version": ([], ctypes.c_char_p),
            "voronka_format_version": ([], ctypes.c_uint32),
            "voronka_error_name": ([ctypes.c_uint32], ctypes.c_char_p),
            "voronka_bytes_free": ([b], None),
            "voronka_model_new_eco_packaging": ([ctypes.c_uint32, model_pp, b], ctypes.c_uint32),
            "voronka_model_free": ([ctypes.c_void_p], None),
            "voronka_apply": (
                [ctypes.c_void_p, u8p, size, u8p, size, ctypes.c_uint32, b, b],
                ctypes.c_uint32,
            ),
            "voronka_requirements": (
                [ctypes.c_void_p, u8p, size, u8p, size, ctypes.c_uint32, b, b],
                ctypes.c_uint32,
            ),
            "voronka_next_due": ([u8p, size, ctypes.c_uint32, b, b], ctypes.c_uint32),
        }
        renderer_pp = ctypes.POINTER(ctypes.c_void_p)
        # The documents functions exist when the library is built with its default features.
        documents = {
            "voronka_renderer_new": ([ctypes.c_uint32, ctypes.c_uint32, renderer_pp, b], ctypes.c_uint32),
            "voronka_renderer_free": ([ctypes.c_void_p], None),
            "voronka_render_document": (
                [ctypes.c_void_p, u8p, size, u8p, size, u8p, size, ctypes.c_uint32, ctypes.c_uint32, b, b],
                ctypes.c_uint32,
            ),
        }
        if hasattr(lib, "voronka_render_document"):
            signatures.update(documents)
        for name, (args, res) in signatures.items():
            fn = getattr(lib, name)
            fn.argtypes, fn.restype = args, res
        self.lib, self.lang = lib, lang
        self.version = lib.voronka_version().decode()
        if lib.voronka_format_version() != 1:
            raise RuntimeError("this example speaks JSON format version 1")

    @staticmethod
    def _input(text):
        """(pointer, length) of UTF-8 text, or (NULL, 0) for None."""
        if text is None:
            return None, 0
        data = text.encode("utf-8")
        # An array owning a copy: alive for the whole call, as the library reads it then.
        return (ctypes.c_uint8 * len(data)).from_buffer_copy(data), len(data)

    def _take(self, b):
        """Copies library bytes into a Python string and frees them."""
        try:
            return ctypes.string_at(b.ptr, b.len).decode("utf-8")
        finally:
            self.lib.voronka_bytes_free(ctypes.byref(b))

    def _take_bytes(self, b):
        """Copies library bytes (binary, such as a PDF) into Python bytes and frees them."""
        try:
            return ctypes.string_at(b.ptr, b.len)
        finally:
            self.lib.voronka_bytes_free(ctypes.byref(b))

    def _call_raw(self, fn, *args):
        """Calls fn with the message language and the two outputs; the output's bytes."""
        out, err = Bytes(), Bytes()
        code = fn(*args, self.lang, ctypes.byref(out), ctypes.byref(err))
        if code != OK:
            report = json.loads(self._take(err)) if err.ptr else {"name": self.lib.voronka_error_name(code).decode()}
            raise VoronkaError(code, report)
        return self._take_bytes(out)

    def _call(self, fn, *args):
        return json.loads(self._call_raw(fn, *args).decode("utf-8"))

    def renderer(self, cache_documents=0xFFFFFFFF):
        """A document renderer (fonts and typst's library parsed once); the default cache."""
        handle, err = ctypes.c_void_p(), Bytes()
        code = self.lib.voronka_renderer_new(cache_documents, self.lang, ctypes.byref(handle), ctypes.byref(err))
        if code != OK:
            raise VoronkaError(code, json.loads(self._take(err)))
        return handle

    def free_renderer(self, renderer):
        self.lib.voronka_renderer_free(renderer)

    def render_document(self, renderer, kind, data, now, doc_lang=DOC_LANG_RU):
        """The PDF (bytes) of a bundled document: kind such as "invoice", data its JSON text."""
        return self._call_raw(
            self.lib.voronka_render_document,
            renderer,
            *self._input(kind),
            *self._input(data),
            *self._input(now),
            doc_lang,
        )

    def eco_packaging(self):
        handle, err = ctypes.c_void_p(), Bytes()
        code = self.lib.voronka_model_new_eco_packaging(self.lang, ctypes.byref(handle), ctypes.byref(err))
        if code != OK:
            raise VoronkaError(code, json.loads(self._take(err)))
        return handle

    def free(self, model):
        self.lib.voronka_model_free(model)

    def apply(self, model, record, command):
        rec = json.dumps(record) if record is not None else None
        return self._call(self.lib.voronka_apply, model, *self._input(rec), *self._input(json.dumps(command)))

    def requirements(self, model, record, stage):
        return self._call(
            self.lib.voronka_requirements, model, *self._input(json.dumps(record)), *self._input(stage)
        )

    def next_due(self, record):
        return self._call(self.lib.voronka_next_due, *self._input(json.dumps(record)))


MANAGER = {"user": "u-anna", "roles": ["manager"]}


def command(now, action):
    return {"actor": MANAGER, "now": now, "action": action}


def show(title, outcome):
    record = outcome["record"]
    print(f"{title}: stage {record['stage']}, version {record['version']}")
    for event in outcome["events"]:
        print(f"  event  {event['type']}")
    for effect in outcome["effects"]:
        task = effect.get("task")
        detail = f" {task['id']}: {task['title']['en']}" if isinstance(task, dict) else ""
        print(f"  effect {effect['type']}{detail}")


def main():
    v = Voronka(find_library())
    print(f"libvoronka {v.version}")
    model = v.eco_packaging()
    try:
        # D1: a new deal starts in "establish contact"; the automation creates a call task.
        created = v.apply(
            model,
            None,
            command(
                "2026-11-27T09:00:00Z",
                {
                    "type": "create",
                    "id": "deal-1",
                    "pipeline": "deals",
                    "responsible": "u-anna",
                    "fields": {
                        "client_name": {"first": "Olga", "last": "Petrova"},
                        "client_phone": "+7 843 555-01-02",
                        "company_name": "GreenFood",
                    },
                },
            ),
        )
        show("created", created)
        record = created["record"]
        call = next(
            e["task"] for e in created["effects"] if e["type"] == "create_task" and e["task"]["code"] == "call_client"
        )

        # The manager calls the client and completes the task.
        done = v.apply(
            model, record, command("2026-11-27T10:00:00Z", {"type": "complete_task", "task": call["id"]})
        )
        show(f"completed {call['id']}", done)
        record = done["record"]

        # D2: the commercial offer needs fields the deal does not have yet.
        needs = v.requirements(model, record, "offer")
        print("offer needs:", ", ".join(m["label"]["en"] for m in needs["missing"]))
        try:
            v.apply(model, record, command("2026-11-27T10:05:00Z", {"type": "move", "to": "offer"}))
            raise SystemExit("the move should have been rejected")
        except VoronkaError as e:
            print(f"move rejected: {e.code} {e.report['name']}: {e.report['message']}")
            print("  missing:", ", ".join(m["field"] for m in e.report["details"]["missing"]))

        fields = {
            "company_type": "manufacturer",
            "website": "https://greenfood.example",
            "delivery_address": {"country": "RU", "city": "Kazan", "street": "Baumana 5"},
        }
        moved = v.apply(
            model, record, command("2026-11-27T10:10:00Z", {"type": "move", "to": "offer", "fields": fields})
        )
        show("moved", moved)
        record = moved["record"]

        # D3: negotiation. The automation gives a call task; the client asks to wait, so the
        # automation waits two business days before the next call: a timer.
        negotiation = v.apply(
            model, record, command("2026-11-27T11:00:00Z", {"type": "move", "to": "negotiation"})
        )
        show("moved", negotiation)
        record = negotiation["record"]
        call = next(e["task"] for e in negotiation["effects"] if e["type"] == "create_task")
        answers = {"reached": True, "outcome": "waiting", "comment": "Call back after the holidays"}
        waiting = v.apply(
            model,
            record,
            command("2026-11-27T15:00:00Z", {"type": "complete_task", "task": call["id"], "answers": answers}),
        )
        show(f"completed {call['id']}", waiting)
        record = waiting["record"]

        # The host ticks the record when it asks to.
        due = v.next_due(record)
        print("next due:", due)
        if due is not None:
            ticked = v.apply(model, record, command(due, {"type": "tick"}))
            show(f"tick at {due}", ticked)
            record = ticked["record"]
        print(f"done: deal-1 in stage {record['stage']} at version {record['version']}")
    finally:
        v.free(model)


if __name__ == "__main__":
    main()
