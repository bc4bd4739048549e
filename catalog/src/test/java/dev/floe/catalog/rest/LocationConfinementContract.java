package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.server.FloeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every location-bearing input of the REST API, sent over real HTTP to a real server, must stay
 * inside its warehouse (and, by default, inside the table's namespace and the table's own
 * location), must not overlap another table or view, and must be refused with an Iceberg
 * ErrorModel: 403 {@code ForbiddenException} for a well-formed location in the wrong place (as
 * Apache Polaris answers), 400 {@code BadRequestException} for a location that is not a clean
 * location at all ({@code ..}, {@code //}, encoded separators). Subclasses run it on a local and on
 * an S3 warehouse.
 */
abstract class LocationConfinementContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA_JSON = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
            + "{\"id\":1,\"name\":\"secret_column\",\"required\":true,\"type\":\"long\"}]}";
    static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The running server. */
    abstract FloeServer server();

    /** The warehouse location the server was configured with, without a trailing slash. */
    abstract String root();

    /** A location the catalog's storage credentials reach but that lies outside the warehouse. */
    abstract String outside();

    /** Whether anything (a file, an object) exists at or under {@code location}. */
    abstract boolean existsUnder(String location) throws Exception;

    /** Writes a file (an object) at {@code location} directly, as a writer with storage access could. */
    abstract void write(String location, String content) throws Exception;

    // ---- create ----

    @Test
    void createTableOutsideTheWarehouseIsRefusedAndWritesNothingThere() throws Exception {
        String ns = namespace();
        String elsewhere = outside() + "/" + ns + "/t";
        Response response = createTable(ns, "t", elsewhere, Map.of());
        assertForbidden(response);
        assertThat(existsUnder(elsewhere)).isFalse();
        assertThat(send("GET", "/v1/namespaces/" + ns + "/tables/t", null).status())
                .isEqualTo(404);
    }

    @Test
    void createTableInTheWarehouseButOutsideItsNamespaceIsRefused() throws Exception {
        String ns = namespace();
        String other = namespace();
        assertForbidden(createTable(ns, "t", root() + "/" + other + "/t", Map.of()));
        assertForbidden(createTable(ns, "t", root() + "/t", Map.of()));
        // the namespace's own directory is not a table's either: it holds its other tables
        assertForbidden(createTable(ns, "t", root() + "/" + ns, Map.of()));
        assertThat(createTable(ns, "t", root() + "/" + ns + "/custom-t", Map.of())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void createTableWithAnUpperCaseSchemeOutsideTheWarehouseIsRefused() throws Exception {
        String ns = namespace();
        String elsewhere = outside() + "/" + ns + "/t";
        int colon = elsewhere.indexOf(':');
        assertThat(createTable(
                                ns,
                                "t",
                                elsewhere.substring(0, colon).toUpperCase() + elsewhere.substring(colon),
                                Map.of())
                        .status())
                .isIn(400, 403);
        assertThat(existsUnder(elsewhere)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/NS/../../escaped",
                "/NS/%2e%2e/%2E%2E/escaped",
                "/NS/t%2F..%2F..%2Fescaped",
                "//NS/t",
                "/NS//t",
                "/NS/./t",
                "/NS/t/..",
                "/NS/t?x=/../..",
                "/NS/t#/../.."
            })
    void createTableWithTraversalOrSlashTricksIsRefusedAsMalformed(String suffix) throws Exception {
        String ns = namespace();
        Response response = createTable(ns, "t", root() + suffix.replace("NS", ns), Map.of());
        assertError(response, 400, "BadRequestException");
        assertThat(send("GET", "/v1/namespaces/" + ns + "/tables/t", null).status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "write.data.path",
                "write.metadata.path",
                "write.object-storage.path",
                "write.folder-storage.path"
            })
    void writePathPropertyOutsideTheTableIsRefusedAtCreateAndAtCommit(String property) throws Exception {
        String ns = namespace();
        String elsewhere = outside() + "/" + ns + "/files";
        assertForbidden(createTable(ns, "t", null, Map.of(property, elsewhere)));
        assertThat(existsUnder(elsewhere)).isFalse();
        // inside the warehouse but outside the table: another table's directory
        assertForbidden(createTable(ns, "t", null, Map.of(property, root() + "/" + ns + "/other")));

        assertThat(createTable(ns, "t", null, Map.of()).status()).isEqualTo(200);
        assertForbidden(commit(
                ns,
                "t",
                update("set-properties").set("updates", JSON.createObjectNode().put(property, elsewhere))));
        // the table's own subdirectory is fine
        assertThat(commit(
                                ns,
                                "t",
                                update("set-properties")
                                        .set(
                                                "updates",
                                                JSON.createObjectNode().put(property, root() + "/" + ns + "/t/files")))
                        .status())
                .isEqualTo(200);
        assertThat(existsUnder(elsewhere)).isFalse();
    }

    // ---- commits ----

    @Test
    void setLocationOutsideTheWarehouseOrOntoAnotherTableIsRefused() throws Exception {
        String ns = namespace();
        assertThat(createTable(ns, "t", null, Map.of()).status()).isEqualTo(200);
        assertThat(createTable(ns, "other", null, Map.of()).status()).isEqualTo(200);
        assertForbidden(commit(ns, "t", update("set-location").put("location", outside() + "/" + ns + "/t")));
        assertForbidden(commit(ns, "t", update("set-location").put("location", root() + "/" + ns + "/other/t")));
        assertForbidden(commit(ns, "t", update("set-location").put("location", root() + "/" + namespace() + "/t")));
        assertError(
                commit(ns, "t", update("set-location").put("location", root() + "/" + ns + "/../t")),
                400,
                "BadRequestException");
        assertThat(commit(ns, "t", update("set-location").put("location", root() + "/" + ns + "/moved"))
                        .status())
                .isEqualTo(200);
        assertThat(existsUnder(outside() + "/" + ns)).isFalse();
    }

    @Test
    void statisticsPathsOutsideTheTableAreRefused() throws Exception {
        String ns = namespace();
        assertThat(createTable(ns, "t", null, Map.of()).status()).isEqualTo(200);
        assertThat(createTable(ns, "other", null, Map.of()).status()).isEqualTo(200);
        String[] paths = {outside() + "/" + ns + "/stats.puffin", root() + "/" + ns + "/other/metadata/x.puffin"};
        for (String path : paths) {
            ObjectNode stats = JSON.createObjectNode()
                    .put("snapshot-id", 1)
                    .put("statistics-path", path)
                    .put("file-size-in-bytes", 10)
                    .put("file-footer-size-in-bytes", 2);
            stats.set("blob-metadata", JSON.createArrayNode());
            assertForbidden(commit(
                    ns, "t", update("set-statistics").put("snapshot-id", 1).set("statistics", stats)));
            ObjectNode partitionStats = JSON.createObjectNode()
                    .put("snapshot-id", 1)
                    .put("statistics-path", path)
                    .put("file-size-in-bytes", 10);
            assertForbidden(
                    commit(ns, "t", update("set-partition-statistics").set("partition-statistics", partitionStats)));
        }
        ObjectNode own = JSON.createObjectNode()
                .put("snapshot-id", 1)
                .put("statistics-path", root() + "/" + ns + "/t/metadata/own.puffin")
                .put("file-size-in-bytes", 10)
                .put("file-footer-size-in-bytes", 2);
        own.set("blob-metadata", JSON.createArrayNode());
        assertThat(commit(
                                ns,
                                "t",
                                update("set-statistics").put("snapshot-id", 1).set("statistics", own))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void addSnapshotWhoseManifestListLiesOutsideTheTableIsRefused() throws Exception {
        String ns = namespace();
        Map<String, String> v2 = Map.of("format-version", "2");
        assertThat(createTable(ns, "t", null, v2).status()).isEqualTo(200);
        assertThat(createTable(ns, "victim", null, v2).status()).isEqualTo(200);
        String victimList = table(ns, "victim").at("/metadata/location").asText() + "/metadata/snap-1-victim.avro";
        write(victimList, "another table's manifest list");
        // a scan would read, and a purge delete, another table's file; outside the warehouse, anyone's
        for (String path : new String[] {victimList, outside() + "/" + ns + "/snap-1.avro"}) {
            assertForbidden(commit(ns, "t", update("add-snapshot").set("snapshot", snapshot(1, path))));
        }
        assertThat(table(ns, "t").at("/metadata/snapshots").size()).isZero();
        // the table's own metadata directory, where Iceberg writes manifest lists, is fine
        String own = table(ns, "t").at("/metadata/location").asText() + "/metadata/snap-1-own.avro";
        assertThat(commit(ns, "t", update("add-snapshot").set("snapshot", snapshot(1, own)))
                        .status())
                .isEqualTo(200);
        // a purge of the table then deletes nothing of the victim's
        assertThat(send("DELETE", "/v1/namespaces/" + ns + "/tables/t?purgeRequested=true", null)
                        .status())
                .isEqualTo(204);
        assertThat(existsUnder(victimList)).isTrue();
    }

    @Test
    void registerRefusesMetadataWhoseSnapshotReadsAnotherTablesManifestList() throws Exception {
        String ns = namespace();
        Map<String, String> v2 = Map.of("format-version", "2");
        assertThat(createTable(ns, "victim", null, v2).status()).isEqualTo(200);
        String victimList = table(ns, "victim").at("/metadata/location").asText() + "/metadata/snap-7-victim.avro";
        write(victimList, "another table's manifest list");
        // a metadata file written straight to storage, in this namespace, naming the victim's manifest list
        assertThat(createTable(ns, "template", null, v2).status()).isEqualTo(200);
        ObjectNode metadata = (ObjectNode) table(ns, "template").get("metadata");
        String forgedLocation = root() + "/" + ns + "/forged";
        metadata.put("location", forgedLocation).put("last-sequence-number", 1).put("current-snapshot-id", 7);
        metadata.set("snapshots", JSON.createArrayNode().add(snapshot(7, victimList)));
        metadata.set(
                "refs",
                JSON.createObjectNode()
                        .set(
                                "main",
                                JSON.createObjectNode().put("snapshot-id", 7).put("type", "branch")));
        String forged = forgedLocation + "/metadata/00001-forged.metadata.json";
        write(forged, metadata.toString());
        Response response = register(ns, "forged", forged);
        assertForbidden(response);
        assertThat(send("GET", "/v1/namespaces/" + ns + "/tables/forged", null).status())
                .isEqualTo(404);
    }

    /** A format-2 snapshot naming {@code manifestList}. */
    static ObjectNode snapshot(long id, String manifestList) {
        ObjectNode snapshot = JSON.createObjectNode()
                .put("snapshot-id", id)
                .put("sequence-number", 1)
                .put("timestamp-ms", System.currentTimeMillis())
                .put("manifest-list", manifestList)
                .put("schema-id", 0);
        snapshot.set("summary", JSON.createObjectNode().put("operation", "append"));
        return snapshot;
    }

    @Test
    void transactionCannotMoveATableOutsideTheWarehouse() throws Exception {
        String ns = namespace();
        assertThat(createTable(ns, "t", null, Map.of()).status()).isEqualTo(200);
        ObjectNode change = JSON.createObjectNode();
        change.set(
                "identifier",
                JSON.createObjectNode()
                        .put("name", "t")
                        .set("namespace", JSON.createArrayNode().add(ns)));
        change.set("requirements", JSON.createArrayNode());
        change.set("updates", JSON.createArrayNode().add(update("set-location").put("location", outside() + "/" + ns)));
        ObjectNode body = JSON.createObjectNode();
        body.set("table-changes", JSON.createArrayNode().add(change));
        assertForbidden(send("POST", "/v1/transactions/commit", body.toString()));
        assertThat(table(ns, "t").at("/metadata/location").asText()).startsWith(root() + "/" + ns + "/t");
    }

    // ---- overlaps ----

    @Test
    void aTableMayNotLieInsideOrAroundAnotherTable() throws Exception {
        String ns = namespace();
        assertThat(createTable(ns, "first", root() + "/" + ns + "/a/secret-b", Map.of())
                        .status())
                .isEqualTo(200);
        Response inside = createTable(ns, "inside", root() + "/" + ns + "/a/secret-b/x", Map.of());
        assertForbidden(inside);
        Response around = createTable(ns, "around", root() + "/" + ns + "/a", Map.of());
        assertForbidden(around);
        // the refusal names neither the other table nor its location
        assertThat(around.body()).doesNotContain("secret-b").doesNotContain("first");
        assertForbidden(createTable(ns, "same", root() + "/" + ns + "/a/secret-b", Map.of()));
        // a sibling directory sharing a name prefix is not an overlap
        assertThat(createTable(ns, "sibling", root() + "/" + ns + "/a/secret-bb", Map.of())
                        .status())
                .isEqualTo(200);
    }

    // ---- register ----

    @Test
    void registerRefusesMetadataOfAnotherNamespaceWithoutLeakingIt() throws Exception {
        String victim = namespace();
        String attacker = namespace();
        assertThat(createTable(victim, "t", null, Map.of("owner", "victim-owner"))
                        .status())
                .isEqualTo(200);
        String metadata = table(victim, "t").get("metadata-location").asText();
        // still live: registering it elsewhere would alias another namespace's table
        Response live = register(attacker, "copy", metadata);
        assertForbidden(live);
        assertThat(live.body()).doesNotContain("secret_column").doesNotContain("victim-owner");
        // dropped without purge: its files stay, and still belong to the other namespace
        assertThat(send("DELETE", "/v1/namespaces/" + victim + "/tables/t", null)
                        .status())
                .isEqualTo(204);
        Response dropped = register(attacker, "copy", metadata);
        assertForbidden(dropped);
        assertThat(dropped.body()).doesNotContain("secret_column").doesNotContain("victim-owner");
        assertThat(send("GET", "/v1/namespaces/" + attacker + "/tables/copy", null)
                        .status())
                .isEqualTo(404);
        // in its own namespace it may be registered again
        assertThat(register(victim, "t", metadata).status()).isEqualTo(200);
    }

    @Test
    void registerRefusesMetadataOutsideTheWarehouse() throws Exception {
        String ns = namespace();
        assertForbidden(register(ns, "t", outside() + "/" + ns + "/metadata/00000-x.metadata.json"));
        assertError(register(ns, "t", root() + "/" + ns + "/t/../../x.metadata.json"), 400, "BadRequestException");
    }

    // ---- views ----

    @Test
    void viewLocationsAreConfined() throws Exception {
        String ns = namespace();
        ensureNamespace(ns);
        try (RESTCatalog client = TestCatalogServers.client(server(), Map.of())) {
            TableIdentifier view = TableIdentifier.of(ns, "v");
            assertThatThrownBy(() -> client.buildView(view)
                            .withSchema(SCHEMA)
                            .withDefaultNamespace(Namespace.of(ns))
                            .withQuery("spark", "select 1")
                            .withLocation(outside() + "/" + ns + "/v")
                            .create())
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> client.buildView(view)
                            .withSchema(SCHEMA)
                            .withDefaultNamespace(Namespace.of(ns))
                            .withQuery("spark", "select 1")
                            .withProperty("write.metadata.path", outside() + "/" + ns + "/v-metadata")
                            .create())
                    .isInstanceOf(ForbiddenException.class);
            assertThat(existsUnder(outside() + "/" + ns)).isFalse();
            assertThat(createTable(ns, "t", null, Map.of()).status()).isEqualTo(200);
            assertThatThrownBy(() -> client.buildView(view)
                            .withSchema(SCHEMA)
                            .withDefaultNamespace(Namespace.of(ns))
                            .withQuery("spark", "select 1")
                            .withLocation(root() + "/" + ns + "/t/v")
                            .create())
                    .as("a view inside a table")
                    .isInstanceOf(ForbiddenException.class);

            client.buildView(view)
                    .withSchema(SCHEMA)
                    .withDefaultNamespace(Namespace.of(ns))
                    .withQuery("spark", "select 1")
                    .create();
            assertThatThrownBy(() -> client.loadView(view)
                            .updateLocation()
                            .setLocation(outside() + "/" + ns + "/moved")
                            .commit())
                    .isInstanceOf(ForbiddenException.class);
            // a table may not be created inside the view either
            String viewLocation = client.loadView(view).location();
            assertForbidden(createTable(ns, "in-view", viewLocation + "/t", Map.of()));
        }
    }

    // ---- namespaces ----

    @Test
    void namespaceLocationPropertyIsConfined() throws Exception {
        String ns = namespace();
        assertForbidden(createNamespace(ns, outside() + "/" + ns));
        assertError(createNamespace(ns, root() + "/" + ns + "/../.."), 400, "BadRequestException");
        assertThat(createNamespace(ns, null).status()).isEqualTo(200);
        assertForbidden(setNamespaceLocation(ns, outside() + "/" + ns));

        // another namespace's directory, or one of its tables, is not this namespace's
        String other = namespace();
        assertThat(createNamespace(other, null).status()).isEqualTo(200);
        assertThat(createTable(other, "t", null, Map.of()).status()).isEqualTo(200);
        assertForbidden(setNamespaceLocation(ns, root() + "/" + other));
        assertForbidden(setNamespaceLocation(ns, root() + "/" + other + "/t/sub"));
        String child = namespace();
        assertForbidden(createNamespace(child, root() + "/" + other + "/x"));

        assertThat(setNamespaceLocation(ns, root() + "/custom-" + ns).status()).isEqualTo(200);
        assertThat(table(ns, "t2", true).at("/metadata/location").asText()).startsWith(root() + "/custom-" + ns + "/");
    }

    // ---- helpers ----

    /** A fresh namespace name, created unless a test creates it itself. */
    String namespace() throws Exception {
        String name =
                "ns" + COUNTER.incrementAndGet() + "x" + ProcessHandle.current().pid();
        return name;
    }

    Response createNamespace(String ns, String location) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("namespace", JSON.createArrayNode().add(ns));
        if (location != null) {
            body.set("properties", JSON.createObjectNode().put("location", location));
        }
        return send("POST", "/v1/namespaces", body.toString());
    }

    Response setNamespaceLocation(String ns, String location) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("updates", JSON.createObjectNode().put("location", location));
        body.set("removals", JSON.createArrayNode());
        return send("POST", "/v1/namespaces/" + ns + "/properties", body.toString());
    }

    Response createTable(String ns, String name, String location, Map<String, String> properties) throws Exception {
        ensureNamespace(ns);
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.set("schema", JSON.readTree(SCHEMA_JSON));
        if (location != null) {
            body.put("location", location);
        }
        ObjectNode props = JSON.createObjectNode();
        properties.forEach(props::put);
        body.set("properties", props);
        return send("POST", "/v1/namespaces/" + ns + "/tables", body.toString());
    }

    void ensureNamespace(String ns) throws Exception {
        if (send("HEAD", "/v1/namespaces/" + ns, null).status() == 404) {
            assertThat(createNamespace(ns, null).status()).isEqualTo(200);
        }
    }

    Response register(String ns, String name, String metadataLocation) throws Exception {
        ensureNamespace(ns);
        return send(
                "POST",
                "/v1/namespaces/" + ns + "/register",
                JSON.createObjectNode()
                        .put("name", name)
                        .put("metadata-location", metadataLocation)
                        .toString());
    }

    static ObjectNode update(String action) {
        return JSON.createObjectNode().put("action", action);
    }

    Response commit(String ns, String table, ObjectNode... updates) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("requirements", JSON.createArrayNode());
        ArrayNode list = JSON.createArrayNode();
        List.of(updates).forEach(list::add);
        body.set("updates", list);
        return send("POST", "/v1/namespaces/" + ns + "/tables/" + table, body.toString());
    }

    JsonNode table(String ns, String name) throws Exception {
        return table(ns, name, false);
    }

    /** Loads a table, creating it at its default location first when asked. */
    JsonNode table(String ns, String name, boolean create) throws Exception {
        if (create) {
            assertThat(createTable(ns, name, null, Map.of()).status()).isEqualTo(200);
        }
        Response response = send("GET", "/v1/namespaces/" + ns + "/tables/" + name, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    Response send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server().uri().toString()).resolve(path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    static void assertForbidden(Response response) throws Exception {
        assertError(response, 403, "ForbiddenException");
    }

    /** An Iceberg ErrorModel with this code and type, and no stack trace or class names. */
    static void assertError(Response response, int code, String type) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(code);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("code").asInt()).isEqualTo(code);
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("dev.floe.");
    }

    record Response(int status, String body) {}
}
