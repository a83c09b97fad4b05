package com.example.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The JAR step of the DataPipelineJob seed ({@code spark_processing}): reads the silver
 * readings the notebooks wrote, stamps each with the day it was processed, and writes
 * {@code main.data_pipeline.processed_readings} for the aggregation that follows.
 *
 * <p>Run as the seed runs it: {@code com.example.pipeline.Process --date 2026-12-04}.
 */
public final class Process {
    static final String SILVER = "main.data_pipeline.silver_readings";
    static final String PROCESSED = "main.data_pipeline.processed_readings";
    /** A class of the spark-xml library the job lists (com.databricks:spark-xml_2.12). */
    static final String SPARK_XML_CLASS = "com.databricks.spark.xml.XmlReader";

    private Process() {}

    public static void main(String[] args) {
        String date = argument(args, "--date");
        SparkSession spark = SparkSession.builder().appName("pipeline-processing").getOrCreate();
        try {
            Dataset<Row> silver = spark.table(SILVER);
            Dataset<Row> processed = silver
                .withColumn("reading_date", to_date(col("reading_time")))
                .withColumn("processing_date", to_date(lit(date)));
            processed.write().mode("overwrite").saveAsTable(PROCESSED);
            long read = silver.count();
            long written = spark.table(PROCESSED).count();
            System.out.println("read " + read + " rows from " + SILVER);
            System.out.println("wrote " + written + " rows to " + PROCESSED + " for " + date);
            System.out.println("spark-xml on the classpath: " + onClasspath(SPARK_XML_CLASS));
        } finally {
            spark.stop();
        }
    }

    private static String argument(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException(name + " is required (the processing date, yyyy-MM-dd)");
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, Process.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException missing) {
            return false;
        }
    }
}
