"""Scoring: the pure numpy engine (the `engine` package), the instrument as index arrays
(structure.py) and the offline `mognad score` command.

Importing it changes nothing in the process; a process that scores many groups calls
`mognad.scoring.engine.tune_process()` (docs/performance.md).
"""
