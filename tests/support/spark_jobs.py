"""A small Spark application in Java, compiled with ``javac`` against pyspark's own jars, for
JAR and spark-submit tasks (it mirrors the seed pipeline's Java step).

- ``com.example.pipeline.Process --date D [--table T]``: writes three rows for D into the
  lakehouse table T (``main.default.processed``) with ``saveAsTable`` and prints a line,
  then its ``spark.sql.shuffle.partitions`` and ``PIPELINE_ENV`` (cluster conf and env);
- ``com.example.pipeline.Fail``: throws ``IllegalStateException`` (an uncaught exception);
- ``com.example.pipeline.Greet NAME``: prints ``Greeter.greet(NAME)``, from the
  ``com.example:greeter`` Maven artifact (and its dependency ``words``), which must be on
  the classpath at run time.
"""

from __future__ import annotations

from pathlib import Path

from brickyard.compute.spark.installation import SparkInstallation
from support.maven_repo import GREETER, WORDS, MavenRepo, compile_jar

PROCESSED_TABLE = "main.default.processed"
PROCESS_CLASS = "com.example.pipeline.Process"
FAIL_CLASS = "com.example.pipeline.Fail"
GREET_CLASS = "com.example.pipeline.Greet"
FAIL_MESSAGE = "no input files for"

SOURCES = {
    "com/example/pipeline/Process.java": """
package com.example.pipeline;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

public final class Process {
    private Process() {}

    public static void main(String[] args) {
        String date = null;
        String table = "main.default.processed";
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--date")) {
                date = args[i + 1];
            } else if (args[i].equals("--table")) {
                table = args[i + 1];
            }
        }
        if (date == null) {
            throw new IllegalArgumentException("--date is required");
        }
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            List<Row> rows = Arrays.asList(
                RowFactory.create(date, 1L),
                RowFactory.create(date, 2L),
                RowFactory.create(date, 3L));
            StructType schema = new StructType()
                .add("date", DataTypes.StringType)
                .add("amount", DataTypes.LongType);
            Dataset<Row> frame = spark.createDataFrame(rows, schema);
            frame.write().mode("overwrite").saveAsTable(table);
            long count = spark.table(table).count();
            System.out.println("processed " + count + " rows for " + date + " into " + table
                + " on " + spark.sparkContext().master());
            System.out.println("shuffle partitions "
                + spark.conf().get("spark.sql.shuffle.partitions")
                + ", PIPELINE_ENV " + System.getenv("PIPELINE_ENV"));
        } finally {
            spark.stop();
        }
    }
}
""",
    "com/example/pipeline/Fail.java": """
package com.example.pipeline;

public final class Fail {
    private Fail() {}

    public static void main(String[] args) {
        String date = args.length > 0 ? args[0] : "today";
        throw new IllegalStateException("no input files for " + date);
    }
}
""",
}

GREET_SOURCE = {
    "com/example/pipeline/Greet.java": """
package com.example.pipeline;

import com.example.greeter.Greeter;

public final class Greet {
    private Greet() {}

    public static void main(String[] args) {
        System.out.println(Greeter.greet(args.length > 0 ? args[0] : "world"));
    }
}
""",
}


def javac_of(installation: SparkInstallation) -> Path:
    """The JDK's ``javac`` (the tests that build jars are skipped without one)."""
    assert installation.javac is not None, f"{installation.java} has no javac next to it"
    return installation.javac


def build_pipeline_jar(installation: SparkInstallation, jar: Path) -> Path:
    """``Process`` and ``Fail``, compiled against Spark's jars."""
    return compile_jar(
        SOURCES, jar, javac=javac_of(installation), classpath=[installation.jars_dir / "*"]
    )


def build_greet_jar(jar: Path, repo: MavenRepo, *, javac: Path) -> Path:
    """``Greet``, compiled against the repository's ``greeter`` (and ``words``) jars."""
    return compile_jar(
        GREET_SOURCE, jar, javac=javac, classpath=[GREETER.jar(repo.root), WORDS.jar(repo.root)]
    )
