#!/usr/bin/env python3
"""Renders a bundled document to PDF through libvoronka with ctypes: no compiled extension.

Reads the sample data of the document (crates/voronka-docs/samples/KIND.json, the JSON format
of the bundled documents), renders it with one renderer, writes the PDF to OUT.pdf and checks
that the file is a PDF. Then shows that bad data comes back as a coded error naming the field.

Usage: python3 render_document.py OUT.pdf [KIND] [path/to/libvoronka.so]
KIND is invoice (the default), commercial_offer, cmr, waybill, packing_list, act or
specification; the library is found as in eco_packaging.py (the third argument, VORONKA_LIB,
the workspace's target/release, the system loader).
"""

import json
import sys
from pathlib import Path

from eco_packaging import DOC_LANG_BOTH, Voronka, VoronkaError, find_library

NOW = "2026-11-27T09:00:00Z"


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        raise SystemExit(__doc__)
    out = Path(sys.argv[1])
    kind = sys.argv[2] if len(sys.argv) > 2 else "invoice"
    samples = Path(__file__).resolve().parents[2] / "crates" / "voronka-docs" / "samples"
    data = (samples / f"{kind}.json").read_text(encoding="utf-8")

    v = Voronka(find_library(sys.argv[3] if len(sys.argv) > 3 else ""))
    if not hasattr(v.lib, "voronka_render_document"):
        raise SystemExit("this libvoronka was built without the documents feature")
    renderer = v.renderer()
    try:
        pdf = v.render_document(renderer, kind, data, NOW, DOC_LANG_BOTH)
        out.write_bytes(pdf)
        written = out.read_bytes()
        if not written.startswith(b"%PDF-"):
            raise SystemExit(f"{out} is not a PDF: it starts with {written[:8]!r}")
        print(f"{kind}: {len(written)} bytes of PDF written to {out}")

        # Data that does not fit the document: a coded error that names the field.
        bad = json.loads(data)
        bad["items"][0]["quantity"] = "many"
        try:
            v.render_document(renderer, kind, json.dumps(bad), NOW)
            raise SystemExit("a quantity that is not a number should have been rejected")
        except VoronkaError as e:
            print(f"bad data rejected: {e.code} {e.report['name']} at {e.report['path']}: {e.report['message']}")
            if e.code != 5003 or not e.report["path"].startswith("items[0].quantity"):
                raise SystemExit(f"expected 5003 at items[0].quantity, got {e.code} at {e.report['path']}")
    finally:
        v.free_renderer(renderer)


if __name__ == "__main__":
    main()
