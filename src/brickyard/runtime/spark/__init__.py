"""``spark`` inside a task process: the session (built on first use), the lazy ``spark`` and
``sc`` names, ``SparkSession.builder.getOrCreate()`` returning the task's session, and
``%sql`` cells.

Nothing here imports pyspark at module level: a task that never touches ``spark`` pays
nothing for it (no pyspark import, no JVM, no cluster). Everything the session needs comes
from the runtime spec (``RuntimeSpec.spark``), since the runtime may not import the server
side.
"""
