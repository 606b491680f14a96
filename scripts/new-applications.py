#!/usr/bin/env python3
"""COUNT new portal applications for measurements, written as DIR/0.json …
DIR/(COUNT-1).json: examples/inclusion.json with a request number and
serials of their own (TAG keeps runs on one register apart).

    scripts/new-applications.py DIR COUNT TAG
"""
import json
import pathlib
import sys

out, count, tag = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
out.mkdir(parents=True, exist_ok=True)
base = json.loads((pathlib.Path(__file__).parent.parent / "examples/inclusion.json").read_text())
for i in range(count):
    a = json.loads(json.dumps(base))
    a["request_no"] = f"KZ-{tag}-{i:06d}"
    for j, u in enumerate(a["units"]):
        u["serial"] = f"{tag}N{i:05d}X{j}"
    (out / f"{i}.json").write_text(json.dumps(a))
