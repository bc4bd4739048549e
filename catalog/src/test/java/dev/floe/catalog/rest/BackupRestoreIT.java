package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.cli.FloeCommand;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.MotoS3Sts;
import dev.floe.catalog.testing.TestSealers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code floe backup} and {@code floe restore} on real stores (SQLite files, databases of the
 * embedded PostgreSQL) behind a real catalog server: a catalog with namespaces, tables, a view and
 * API keys is backed up while it serves, its store is deleted, the archive restored into a new store
 * (same backend and the other one), and a catalog started on the restored store loads every table
 * at the same metadata location and accepts the API key created before the backup. The archive's
 * bytes hold none of the secrets written into the catalog, and a damaged archive is refused.
 */
class BackupRestoreIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String NS_PROPERTY_MARKER = "marker-ns-prop-b4c1";
    private static final String TABLE_PROPERTY_MARKER = "marker-table-prop-7d2e";
    private static final String KEY_NAME_MARKER = "marker-key-name-91fa";
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

    @TempDir
    Path dir;

    /** What a test catalog holds before its backup. */
    private record Populated(Map<TableIdentifier, String> metadataLocations, String readerKey) {}

    @Test
    void sqliteCatalogRestoredIntoSqliteAndPostgresLoadsEveryTableAtTheSameMetadataLocation() throws Exception {
        String source = dir.resolve("db").toUri().toString();
        Path archive = dir.resolve("backups/catalog.zip");
        Populated populated;
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, source)) {
            populated = populate(server);
            // online: the catalog is serving while the backup reads its store
            assertThat(floe("backup", "--storage", source, "--output", archive.toString())
                            .code())
                    .isZero();
        }
        assertArchiveHoldsNoSecret(archive, populated);

        deleteRecursively(dir.resolve("db"));
        Result restored = floe("restore", "--storage", source, "--input", archive.toString());
        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("restored", "schema version " + latestSchemaVersion());
        assertServesAsBefore(source, populated);

        String postgres = SharedPostgres.get().newDatabase();
        assertThat(floe("restore", "--storage", postgres, "--input", archive.toString())
                        .code())
                .isZero();
        assertServesAsBefore(postgres, populated);
    }

    @Test
    void postgresCatalogRestoredIntoANewDatabaseAndIntoSqlite() throws Exception {
        String source = SharedPostgres.get().newDatabase();
        Path archive = dir.resolve("catalog.zip");
        Populated populated;
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, source)) {
            populated = populate(server);
            assertThat(floe("backup", "--storage", source, "--output", archive.toString())
                            .code())
                    .isZero();
        }
        assertArchiveHoldsNoSecret(archive, populated);

        String target = SharedPostgres.get().newDatabase();
        assertThat(floe("restore", "--storage", target, "--input", archive.toString())
                        .code())
                .isZero();
        assertServesAsBefore(target, populated);

        String sqlite = dir.resolve("restored-db").toUri().toString();
        assertThat(floe("restore", "--storage", sqlite, "--input", archive.toString())
                        .code())
                .isZero();
        assertServesAsBefore(sqlite, populated);
    }

    /**
     * How the operator's backup pod runs it: --config only, the PostgreSQL credentials in the files
     * that [storage] username_file/password_file name, nothing in the URL or the environment.
     */
    @Test
    void postgresBackupAndRestoreReadTheCredentialsFromTheConfiguredFiles() throws Exception {
        String withCredentials = SharedPostgres.get().newDatabase();
        Matcher url = Pattern.compile("postgresql://([^:]+):([^@]+)@(.+)").matcher(withCredentials);
        assertThat(url.matches()).as(withCredentials).isTrue();
        Path secrets = Files.createDirectories(dir.resolve("storage-secret"));
        Files.writeString(secrets.resolve("username"), url.group(1));
        Files.writeString(secrets.resolve("password"), url.group(2));
        Populated populated;
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, withCredentials)) {
            populated = populate(server);
        }
        Path config = Files.writeString(dir.resolve("floe.toml"), """
                [storage]
                url = "postgresql://%s"
                username_file = "%s"
                password_file = "%s"
                """.formatted(
                        url.group(3), secrets.resolve("username"), secrets.resolve("password")));
        Path archive = dir.resolve("pg.zip");
        Result backup = floe("backup", "--config", config.toString(), "--output", archive.toString());
        assertThat(backup.code()).as(backup.err()).isZero();

        String target = SharedPostgres.get().newDatabase();
        Matcher targetUrl = Pattern.compile("postgresql://[^@]+@(.+)").matcher(target);
        assertThat(targetUrl.matches()).isTrue();
        Files.writeString(config, Files.readString(config).replace(url.group(3), targetUrl.group(1)));
        Result restored = floe("restore", "--config", config.toString(), "--input", archive.toString());
        assertThat(restored.code()).as(restored.err()).isZero();
        assertServesAsBefore(target, populated);
    }

    @Test
    void restoreRefusesAStoreThatIsNotEmpty() throws Exception {
        String source = dir.resolve("db").toUri().toString();
        Path archive = dir.resolve("catalog.zip");
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, source)) {
            populate(server);
        }
        assertThat(floe("backup", "--storage", source, "--output", archive.toString())
                        .code())
                .isZero();

        Result refused = floe("restore", "--storage", source, "--input", archive.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("the store is not empty").doesNotContain("\tat ");
    }

    @Test
    void corruptedTruncatedOrNewerArchivesAreRefusedBeforeTheStoreIsTouched() throws Exception {
        String source = dir.resolve("db").toUri().toString();
        Path archive = dir.resolve("catalog.zip");
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, source)) {
            populate(server);
        }
        assertThat(floe("backup", "--storage", source, "--output", archive.toString())
                        .code())
                .isZero();
        Path target = dir.resolve("target");
        String targetStorage = target.toUri().toString();

        // one table entry altered, the ZIP itself rewritten consistently: only the manifest's SHA-256 can tell
        Path altered =
                rewrite(archive, "tables/namespaces.jsonl", content -> content.replaceFirst("\"sales\"", "\"salez\""));
        assertRefused(altered, targetStorage, "SHA-256", "does not match the manifest");

        // bytes flipped in the middle of the file: the ZIP's own checks or the SHA-256 catch it
        byte[] bytes = Files.readAllBytes(archive);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 16; i++) {
            bytes[i] ^= 0x5a;
        }
        Path flipped = Files.write(dir.resolve("flipped.zip"), bytes);
        assertRefused(flipped, targetStorage, "");

        Path truncated = Files.write(dir.resolve("truncated.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(truncated, targetStorage, "not a readable backup archive");

        Path newer = rewrite(
                archive,
                "manifest.json",
                m -> m.replaceFirst("\"schemaVersion\" : \"\\d+\"", "\"schemaVersion\" : \"999\""));
        assertRefused(newer, targetStorage, "schema version 999 is newer than this floe's " + latestSchemaVersion());
        assertThat(target).as("nothing was written for a refused archive").doesNotExist();

        Result verified = floe("restore", "--verify-only", "--input", archive.toString());
        assertThat(verified.code()).isZero();
        assertThat(verified.out()).contains("is a complete backup");
    }

    @Test
    void outputDirectoryKeepsTheNewestArchivesAndReportsTheLastOne() throws Exception {
        String source = dir.resolve("db").toUri().toString();
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, source)) {
            populate(server);
        }
        Path backups = dir.resolve("backups");
        Files.createDirectories(backups);
        Path unrelated = Files.writeString(backups.resolve("notes.txt"), "kept");
        for (String old : List.of("floe-backup-20200101T000000Z.zip", "floe-backup-20200102T000000Z.zip")) {
            Files.writeString(backups.resolve(old), "old");
        }
        Path report = dir.resolve("report.json");
        Result result = floe(
                "backup",
                "--storage",
                source,
                "--output-dir",
                backups.toString(),
                "--keep",
                "2",
                "--report-file",
                report.toString());
        assertThat(result.code()).as(result.err()).isZero();
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .hasSize(3)
                    .contains("floe-backup-20200102T000000Z.zip", "notes.txt")
                    .doesNotContain("floe-backup-20200101T000000Z.zip");
        }
        assertThat(unrelated).exists();
        String line = Files.readString(report);
        Matcher location = Pattern.compile("\"location\":\"([^\"]+)\"").matcher(line);
        assertThat(location.find()).as(line).isTrue();
        Path written = Path.of(location.group(1));
        assertThat(written.getFileName().toString()).startsWith("floe-backup-").endsWith(".zip");
        assertThat(line).contains("\"sizeBytes\":" + Files.size(written));
    }

    /**
     * Backups in the warehouse's object store: moto's S3 ({@code tools/s3/moto_sts_s3.py}, IAM
     * authorisation on), reached with nothing but the TOML's {@code [warehouse]} S3 settings and
     * {@code credentials_dir}, as the catalog itself reaches its warehouse.
     */
    @Test
    void backupInTheWarehouseObjectStoreIsPrunedAndRestoresEveryTableAtTheSameMetadataLocation() throws Exception {
        try (MotoS3Sts moto = new MotoS3Sts(dir.resolve("moto"), "backups").start();
                S3Client s3 = moto.client(moto.catalogCredentials())) {
            Path credentials = Files.createDirectories(dir.resolve("s3-credentials"));
            Files.writeString(
                    credentials.resolve("AWS_ACCESS_KEY_ID"),
                    moto.catalogCredentials().accessKeyId());
            Files.writeString(
                    credentials.resolve("AWS_SECRET_ACCESS_KEY"),
                    moto.catalogCredentials().secretAccessKey());
            Path config = Files.writeString(dir.resolve("floe.toml"), """
                    [warehouse]
                    s3_endpoint = "%s"
                    s3_region = "us-east-1"
                    s3_path_style_access = true
                    credentials_dir = "%s"
                    """.formatted(moto.endpoint(), credentials));
            String prefix = "catalogs/main/";
            for (String key : List.of(
                    "floe-backup-20200101T000000Z.zip", "notes.txt", "older/floe-backup-20190101T000000Z.zip")) {
                s3.putObject(b -> b.bucket("backups").key(prefix + key), RequestBody.fromString("old"));
            }
            String source = dir.resolve("db").toUri().toString();
            Path report = dir.resolve("report.json");
            Populated populated;
            try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, source)) {
                populated = populate(server);
                Result backup = floe(
                        "backup",
                        "--storage",
                        source,
                        "--config",
                        config.toString(),
                        "--output-dir",
                        "s3://backups/" + prefix,
                        "--keep",
                        "1",
                        "--report-file",
                        report.toString());
                assertThat(backup.code()).as(backup.err()).isZero();
                assertThat(backup.out())
                        .contains("backup written to s3://backups/" + prefix + "floe-backup-")
                        .contains("removed old backup s3://backups/" + prefix + "floe-backup-20200101T000000Z.zip");
            }
            Matcher reported = Pattern.compile("\"location\":\"s3://backups/(" + prefix
                            + "floe-backup-\\d{8}T\\d{6}Z\\.zip)\",\"sizeBytes\":(\\d+)")
                    .matcher(Files.readString(report));
            assertThat(reported.find()).as(Files.readString(report)).isTrue();
            String key = reported.group(1);
            // --keep 1 removed the older archive only: not other objects, nor archives in a deeper "directory"
            assertThat(s3.listObjectsV2(b -> b.bucket("backups").prefix(prefix)).contents().stream()
                            .map(o -> o.key())
                            .sorted())
                    .containsExactly(key, prefix + "notes.txt", prefix + "older/floe-backup-20190101T000000Z.zip");
            assertThat(s3.headObject(b -> b.bucket("backups").key(key)).contentLength())
                    .isEqualTo(Long.parseLong(reported.group(2)));
            Path downloaded = dir.resolve("downloaded.zip");
            s3.getObject(b -> b.bucket("backups").key(key), downloaded);
            assertArchiveHoldsNoSecret(downloaded, populated);

            deleteRecursively(dir.resolve("db"));
            Result restored = floe(
                    "restore", "--storage", source, "--config", config.toString(), "--input", "s3://backups/" + key);
            assertThat(restored.code()).as(restored.err()).isZero();
            assertThat(restored.out()).contains("restored s3://backups/" + key);
            assertServesAsBefore(source, populated);

            Result missing = floe(
                    "restore",
                    "--storage",
                    dir.resolve("other").toUri().toString(),
                    "--config",
                    config.toString(),
                    "--input",
                    "s3://backups/" + prefix + "floe-backup-20300101T000000Z.zip");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err())
                    .startsWith("floe: ")
                    .doesNotContain("\tat ")
                    .doesNotContain(moto.catalogCredentials().secretAccessKey());
        }
    }

    private Populated populate(TestCatalogServers.AdminServer server) throws Exception {
        Map<TableIdentifier, String> locations = new HashMap<>();
        try (RESTCatalog catalog = TestCatalogServers.client(
                server.server(), Map.of("token", server.admin().token()))) {
            catalog.createNamespace(Namespace.of("sales"), new HashMap<>(Map.of("owner", NS_PROPERTY_MARKER)));
            catalog.createNamespace(Namespace.of("sales", "eu"));
            for (TableIdentifier id :
                    List.of(TableIdentifier.of("sales", "orders"), TableIdentifier.of("sales", "eu", "refunds"))) {
                catalog.buildTable(id, SCHEMA)
                        .withProperty("secret.note", TABLE_PROPERTY_MARKER)
                        .create();
            }
            // a second commit, so the restored pointer is not the first metadata file
            catalog.loadTable(TableIdentifier.of("sales", "orders"))
                    .updateProperties()
                    .set("rev", "2")
                    .commit();
            catalog.buildView(TableIdentifier.of("sales", "orders_view"))
                    .withSchema(SCHEMA)
                    .withDefaultNamespace(Namespace.of("sales"))
                    .withQuery("spark", "select id from orders")
                    .create();
            for (TableIdentifier id : catalog.listTables(Namespace.of("sales"))) {
                locations.put(id, metadataLocation(catalog, id));
            }
            for (TableIdentifier id : catalog.listTables(Namespace.of("sales", "eu"))) {
                locations.put(id, metadataLocation(catalog, id));
            }
        }
        assertThat(locations).hasSize(2);
        String reader = createKey(server.server(), server.admin().token());
        return new Populated(locations, reader);
    }

    private static String metadataLocation(RESTCatalog catalog, TableIdentifier id) {
        return ((org.apache.iceberg.HasTableOperations) catalog.loadTable(id))
                .operations()
                .current()
                .metadataFileLocation();
    }

    private void assertServesAsBefore(String storage, Populated populated) throws Exception {
        try (TestCatalogServers.AdminServer server = TestCatalogServers.startWithAdmin(dir, storage);
                RESTCatalog catalog = TestCatalogServers.client(
                        server.server(), Map.of("token", server.admin().token()))) {
            for (Map.Entry<TableIdentifier, String> table :
                    populated.metadataLocations().entrySet()) {
                assertThat(metadataLocation(catalog, table.getKey()))
                        .as(table.getKey().toString())
                        .isEqualTo(table.getValue());
            }
            assertThat(catalog.loadNamespaceMetadata(Namespace.of("sales"))).containsEntry("owner", NS_PROPERTY_MARKER);
            assertThat(catalog.loadView(TableIdentifier.of("sales", "orders_view"))
                            .sqlFor("spark")
                            .sql())
                    .isEqualTo("select id from orders");
            // the API key created before the backup authenticates against the restored catalog
            HttpResponse<String> config = HTTP.send(
                    HttpRequest.newBuilder(server.server().uri().resolve("v1/config"))
                            .header("Authorization", "Bearer " + populated.readerKey())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        }
    }

    /** Every entry's content, decompressed, and the raw file: none holds a secret, in text, hex or base64. */
    private static void assertArchiveHoldsNoSecret(Path archive, Populated populated) throws IOException {
        // floe_<16-character id>_<43-character secret>: the secret itself may contain '_'
        String readerSecret = populated.readerKey().substring("floe_".length() + 16 + 1);
        assertThat(readerSecret).hasSize(43);
        StringBuilder content = new StringBuilder(new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1));
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                try (InputStream in = zip.getInputStream(e.nextElement())) {
                    content.append('\n').append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        String all = content.toString();
        // the search sees stored plain columns (identifiers are not sealed in the store, see docs/catalog.md)
        assertThat(all).contains("\"orders\"", "\"sales\"", "\"schemaVersion\"");
        List<String> secrets = List.of(
                NS_PROPERTY_MARKER, TABLE_PROPERTY_MARKER, KEY_NAME_MARKER, readerSecret, populated.readerKey());
        List<String> locations = populated.metadataLocations().values().stream()
                .map(l -> l.substring(l.lastIndexOf('/') + 1))
                .toList();
        for (String secret : Stream.concat(secrets.stream(), locations.stream()).toList()) {
            byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
            assertThat(all)
                    .as("archive holds %s", secret)
                    .doesNotContain(secret)
                    .doesNotContain(HexFormat.of().formatHex(raw))
                    .doesNotContain(Base64.getEncoder().encodeToString(raw).substring(0, 12));
        }
    }

    private void assertRefused(Path archive, String storage, String... messages) {
        Result refused = floe("restore", "--storage", storage, "--input", archive.toString());
        assertThat(refused.code()).as(refused.out()).isEqualTo(1);
        assertThat(refused.err())
                .startsWith("floe: BackupArchiveException: ")
                .contains(messages)
                .doesNotContain("\tat ");
    }

    private Path rewrite(Path archive, String entryName, java.util.function.UnaryOperator<String> change)
            throws IOException {
        Path out = dir.resolve("rewritten-" + entryName.replace('/', '-') + ".zip");
        try (ZipFile zip = new ZipFile(archive.toFile());
                ZipOutputStream rewritten = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String content;
                try (InputStream in = zip.getInputStream(entry)) {
                    content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String changed = content;
                if (entry.getName().equals(entryName)) {
                    changed = change.apply(content);
                    assertThat(changed).as("the rewrite changes " + entryName).isNotEqualTo(content);
                }
                rewritten.putNextEntry(new ZipEntry(entry.getName()));
                rewritten.write(changed.getBytes(StandardCharsets.UTF_8));
                rewritten.closeEntry();
            }
        }
        return out;
    }

    private String createKey(FloeServer server, String adminToken) throws Exception {
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("management/v1/api-keys"))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + KEY_NAME_MARKER + "\",\"roles\":[\"reader\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher m = Pattern.compile("\"apiKey\"\\s*:\\s*\"(floe_[^\"]+)\"").matcher(created.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private record Result(int code, String out, String err) {}

    /** Runs the {@code floe} command line in this JVM with its own stdout and stderr. */
    private static synchronized Result floe(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = FloeCommand.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The newest schema version this build ships: that of a store it just created. */
    private static String latestSchemaVersion() throws IOException {
        Path dir = Files.createTempDirectory("floe-latest-schema");
        try (MetadataStore store = MetadataStore.open("file://" + dir, TestSealers.identity())) {
            return store.schemaVersion();
        }
    }
}
