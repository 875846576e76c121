"""Mognad's benchmarks. `python -m bench` (or `make bench`) runs every module here with a `run()`.

Each `run()` returns a list of figures, one dict each:
    {"figure": what was measured, "value": number, "unit": "ms", "size": the data size,
     "target": the target in words, "ok": True/False/None (None: no pass/fail target)}
Record the printed figures, with the command, in docs/performance.md.
"""
