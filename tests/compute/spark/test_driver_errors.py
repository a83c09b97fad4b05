"""The error of a failed driver, read from stderr as spark-submit leaves it."""

from __future__ import annotations

from brickyard.compute.spark.driver_errors import driver_error

LOG = "25/12/04 18:39:00 INFO SparkContext: Running Spark version 4.0.1\n"

UNCAUGHT = (
    LOG
    + 'Exception in thread "main" java.lang.IllegalStateException: no input\n'
    + "\tat com.example.Main.main(Main.java:9)\n"
    + "\tat java.base/java.lang.reflect.Method.invoke(Method.java:569)\n"
    + "Caused by: java.io.FileNotFoundException: /data/in\n"
    + "\t... 2 more\n"
    + "25/12/04 18:39:01 INFO ShutdownHookManager: Shutdown hook called\n"
)


def test_an_uncaught_exception_is_the_error_and_heads_the_trace() -> None:
    found = driver_error(UNCAUGHT, 1)
    assert found.error == "java.lang.IllegalStateException: no input"
    assert found.trace is not None
    assert found.trace.splitlines() == UNCAUGHT.splitlines()[1:6]


def test_spark_submits_own_error_line() -> None:
    stderr = LOG + "Error: Failed to load class com.example.Nope.\n"
    found = driver_error(stderr, 101)
    assert (found.error, found.trace) == ("Failed to load class com.example.Nope.", None)


def test_an_exception_logged_without_the_thread_prefix() -> None:
    stderr = (
        LOG + "org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] x\n\tat a.b(C)\n"
    )
    found = driver_error(stderr, 1)
    assert found.error == "org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] x"
    assert found.trace is not None and found.trace.endswith("\tat a.b(C)")


def test_a_plain_exit_code_with_the_last_error_log_line() -> None:
    stderr = LOG + "25/12/04 18:39:01 ERROR Main: the input is empty\n" + LOG
    assert driver_error(stderr, 3).error == (
        "the Spark driver exited with code 3: Main: the input is empty"
    )
    assert driver_error("", -9).error == "the Spark driver was killed by signal 9"


PYTHON_APP = (
    "Traceback (most recent call last):\n"
    '  File "/dbfs/apps/count.py", line 6, in <module>\n'
    "    spark = SparkSession.builder.getOrCreate()\n"
    "pyspark.errors.exceptions.base.PySparkRuntimeError: [CONNECT_URL_NOT_SET] no url\n"
)


def test_a_python_applications_traceback_on_stdout() -> None:
    found = driver_error(LOG, 1, stdout="starting\n" + PYTHON_APP)
    assert found.error == (
        "pyspark.errors.exceptions.base.PySparkRuntimeError: [CONNECT_URL_NOT_SET] no url"
    )
    assert found.trace == PYTHON_APP.rstrip("\n")
    assert driver_error(
        "", 1, stdout="Traceback (most recent call last):\n  File x\nValueError: v"
    ).error == ("ValueError: v")
