package brickyard.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.execution.datasources.v2.FileTable;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A table of the lakehouse: Spark's own file table, plus TRUNCATE for overwrites. */
public class LakehouseTable implements SupportsRead, SupportsWrite {
  private final FileTable files;
  private final Path dir;
  private final StructType schema;
  private final Map<String, String> properties;

  LakehouseTable(FileTable files, Path dir, StructType schema, Map<String, String> properties) {
    this.files = files;
    this.dir = dir;
    this.schema = schema;
    this.properties = properties;
  }

  @Override public String name() { return files.name(); }
  @Override public StructType schema() { return schema; }
  @Override public Map<String, String> properties() { return properties; }
  @Override public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE, TableCapability.TRUNCATE);
  }
  @Override public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return files.newScanBuilder(options);
  }
  @Override public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return new Builder(files.newWriteBuilder(info));
  }

  /** The data files a truncating write replaces: listed before it, deleted after its commit. */
  private List<Path> dataFiles() {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> {
        String n = p.getFileName().toString();
        return !n.startsWith("_") && !n.startsWith(".");
      }).forEach(out::add);
    } catch (IOException e) { throw new RuntimeException(e); }
    return out;
  }

  private final class Builder implements SupportsTruncate {
    private final WriteBuilder delegate;
    private boolean truncate;
    Builder(WriteBuilder delegate) { this.delegate = delegate; }
    @Override public WriteBuilder truncate() { truncate = true; return this; }
    @Override public Write build() {
      Write write = delegate.build();
      boolean replacing = truncate;
      return new Write() {
        @Override public String description() { return write.description(); }
        @Override public BatchWrite toBatch() {
          List<Path> replaced = replacing ? dataFiles() : List.of();
          return new Batch(write.toBatch(), replaced);
        }
      };
    }
  }

  private static final class Batch implements BatchWrite {
    private final BatchWrite delegate;
    private final List<Path> replaced;
    Batch(BatchWrite delegate, List<Path> replaced) { this.delegate = delegate; this.replaced = replaced; }
    @Override public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
      return delegate.createBatchWriterFactory(info);
    }
    @Override public boolean useCommitCoordinator() { return delegate.useCommitCoordinator(); }
    @Override public void onDataWriterCommit(WriterCommitMessage message) { delegate.onDataWriterCommit(message); }
    @Override public void commit(WriterCommitMessage[] messages) {
      delegate.commit(messages);
      // Only after the new files are in place: a failed overwrite keeps the old data.
      for (Path p : replaced) {
        try { Files.deleteIfExists(p); } catch (IOException e) { throw new RuntimeException(e); }
      }
    }
    @Override public void abort(WriterCommitMessage[] messages) { delegate.abort(messages); }
  }
}
