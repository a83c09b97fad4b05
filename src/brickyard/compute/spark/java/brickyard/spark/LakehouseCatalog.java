package brickyard.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NamespaceAlreadyExistsException;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.NonEmptyNamespaceException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.execution.datasources.v2.parquet.ParquetTable;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

public class LakehouseCatalog implements TableCatalog, SupportsNamespaces {
  private static final String META = "_brickyard_table.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private String name;
  private Path root;

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
    this.root = Paths.get(options.get("root"));
    try { Files.createDirectories(root.resolve("default")); } catch (IOException e) { throw new RuntimeException(e); }
  }

  @Override public String name() { return name; }
  @Override public String[] defaultNamespace() { return new String[] {"default"}; }

  private Path schemaDir(String[] ns) throws NoSuchNamespaceException {
    if (ns.length != 1) throw new NoSuchNamespaceException(ns);
    return root.resolve(ns[0].toLowerCase());
  }
  private Path tableDir(Identifier id) throws NoSuchTableException {
    if (id.namespace().length != 1) throw new NoSuchTableException(id);
    return root.resolve(id.namespace()[0].toLowerCase()).resolve(id.name().toLowerCase());
  }

  @Override public String[][] listNamespaces() {
    List<String[]> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(Files::isDirectory).sorted().forEach(p -> out.add(new String[] {p.getFileName().toString()}));
    } catch (IOException e) { throw new RuntimeException(e); }
    return out.toArray(new String[0][]);
  }
  @Override public String[][] listNamespaces(String[] ns) throws NoSuchNamespaceException {
    if (ns.length == 0) return listNamespaces();
    if (!namespaceExists(ns)) throw new NoSuchNamespaceException(ns);
    return new String[0][];
  }
  @Override public boolean namespaceExists(String[] ns) {
    return ns.length == 1 && Files.isDirectory(root.resolve(ns[0].toLowerCase()));
  }
  @Override public Map<String, String> loadNamespaceMetadata(String[] ns) throws NoSuchNamespaceException {
    if (!namespaceExists(ns)) throw new NoSuchNamespaceException(ns);
    Map<String, String> m = new HashMap<>();
    m.put(SupportsNamespaces.PROP_LOCATION, schemaDir(ns).toUri().toString());
    return m;
  }
  @Override public void createNamespace(String[] ns, Map<String, String> md) throws NamespaceAlreadyExistsException {
    if (namespaceExists(ns)) throw new NamespaceAlreadyExistsException(ns);
    try { Files.createDirectories(schemaDir(ns)); } catch (IOException | NoSuchNamespaceException e) { throw new RuntimeException(e); }
  }
  @Override public void alterNamespace(String[] ns, NamespaceChange... changes) throws NoSuchNamespaceException {
    if (!namespaceExists(ns)) throw new NoSuchNamespaceException(ns);
  }
  @Override public boolean dropNamespace(String[] ns, boolean cascade) throws NoSuchNamespaceException, NonEmptyNamespaceException {
    if (!namespaceExists(ns)) throw new NoSuchNamespaceException(ns);
    Path dir = schemaDir(ns);
    if (!cascade && listTables(ns).length > 0) throw new NonEmptyNamespaceException(ns);
    deleteTree(dir);
    return true;
  }

  @Override public Identifier[] listTables(String[] ns) throws NoSuchNamespaceException {
    if (!namespaceExists(ns)) throw new NoSuchNamespaceException(ns);
    List<Identifier> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(schemaDir(ns))) {
      s.filter(p -> Files.isRegularFile(p.resolve(META))).sorted()
          .forEach(p -> out.add(Identifier.of(ns, p.getFileName().toString())));
    } catch (IOException e) { throw new RuntimeException(e); }
    return out.toArray(new Identifier[0]);
  }

  @Override public Table loadTable(Identifier id) throws NoSuchTableException {
    Path dir = tableDir(id);
    Path meta = dir.resolve(META);
    if (!Files.isRegularFile(meta)) throw new NoSuchTableException(id);
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(meta.toFile(), Map.class);
      StructType schema = (StructType) DataType.fromJson(JSON.writeValueAsString(m.get("schema")));
      Map<String, String> opts = new HashMap<>();
      opts.put("path", dir.toString());
      ParquetTable files = new ParquetTable(name + "." + id.namespace()[0] + "." + id.name(), SparkSession.active(),
          new CaseInsensitiveStringMap(opts),
          CollectionConverters.asScala(Collections.singletonList(dir.toString())).toList(),
          Option.apply(schema), ParquetFileFormat.class);
      Map<String, String> props = new HashMap<>();
      props.put(TableCatalog.PROP_PROVIDER, "parquet");
      props.put(TableCatalog.PROP_LOCATION, dir.toUri().toString());
      return new LakehouseTable(files, dir, schema, props);
    } catch (IOException e) { throw new RuntimeException(e); }
  }

  @Override public Table createTable(Identifier id, StructType schema, Transform[] partitions, Map<String, String> props)
      throws TableAlreadyExistsException, NoSuchNamespaceException {
    if (!namespaceExists(id.namespace())) throw new NoSuchNamespaceException(id.namespace());
    Path dir;
    try { dir = tableDir(id); } catch (NoSuchTableException e) { throw new NoSuchNamespaceException(id.namespace()); }
    if (Files.exists(dir.resolve(META))) throw new TableAlreadyExistsException(id);
    try {
      Files.createDirectories(dir);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", "parquet");
      m.put("schema", JSON.readValue(schema.json(), Map.class));
      m.put("properties", props);
      Path tmp = dir.resolve(META + ".tmp");
      JSON.writeValue(tmp.toFile(), m);
      Files.move(tmp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE);
      return loadTable(id);
    } catch (IOException | NoSuchTableException e) { throw new RuntimeException(e); }
  }

  @Override public Table alterTable(Identifier id, TableChange... changes) throws NoSuchTableException {
    throw new UnsupportedOperationException("ALTER TABLE is not supported by brickyard's lakehouse yet");
  }
  @Override public boolean dropTable(Identifier id) {
    try {
      Path dir = tableDir(id);
      if (!Files.exists(dir.resolve(META))) return false;
      deleteTree(dir);
      return true;
    } catch (NoSuchTableException e) { return false; }
  }
  @Override public void renameTable(Identifier from, Identifier to) throws NoSuchTableException, TableAlreadyExistsException {
    Path src = tableDir(from);
    Path dst = tableDir(to);
    if (!Files.exists(src.resolve(META))) throw new NoSuchTableException(from);
    if (Files.exists(dst)) throw new TableAlreadyExistsException(to);
    try { Files.move(src, dst); } catch (IOException e) { throw new RuntimeException(e); }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Collections.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) { throw new RuntimeException(e); }
  }
}
