"""Engines that run the pipeline over many articles.

- ``local``: N worker processes on this machine, results in input order (``--workers N``).
- ``spark``: PySpark, one pipeline per partition, Parquet out (``--engine spark``).
"""
