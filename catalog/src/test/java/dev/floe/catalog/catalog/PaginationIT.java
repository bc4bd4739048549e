package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.Page;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyset pagination through FloeCatalog: 1,000 tables, nested namespaces, bad tokens. */
class PaginationIT {

    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

    @TempDir
    Path dir;

    private MetadataStore store;
    private FloeCatalog catalog;

    @BeforeEach
    void open() {
        store = MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), TestSealers.scrambling());
        catalog = KitCatalogs.create(store, "main", dir.resolve("warehouse"), "floe", Map.of());
    }

    @AfterEach
    void close() throws IOException {
        catalog.close();
        store.close();
    }

    @Test
    void pagesThroughAThousandTablesInNameOrderWithoutGapsOrRepeats() {
        Namespace ns = Namespace.of("big");
        catalog.createNamespace(ns);
        List<TableIdentifier> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TableIdentifier id = TableIdentifier.of(ns, String.format("t%04d", i));
            catalog.createTable(id, SCHEMA);
            expected.add(id);
        }
        // a view in the same namespace must not show up among the tables
        catalog.buildView(TableIdentifier.of(ns, "v"))
                .withSchema(SCHEMA)
                .withDefaultNamespace(ns)
                .withQuery("spark", "select 1")
                .create();

        List<TableIdentifier> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<TableIdentifier> page = catalog.listTables(ns, token, 137);
            assertThat(page.items().size()).isLessThanOrEqualTo(137);
            seen.addAll(page.items());
            token = page.nextPageToken();
            pages++;
        } while (token != null);

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(8); // ceil(1000 / 137)
        assertThat(catalog.listTables(ns)).hasSize(1000);
        assertThat(catalog.listViews(ns, null, 10).items()).containsExactly(TableIdentifier.of(ns, "v"));
    }

    @Test
    void pagesThroughChildNamespacesOfOneParentOnly() {
        catalog.createNamespace(Namespace.of("a"));
        catalog.createNamespace(Namespace.of("b"));
        for (int i = 0; i < 25; i++) {
            catalog.createNamespace(Namespace.of("a", "c" + (char) ('a' + i)));
        }
        catalog.createNamespace(Namespace.of("a", "ca", "deep"));

        Page<Namespace> first = catalog.listNamespaces(Namespace.of("a"), null, 10);
        Page<Namespace> second = catalog.listNamespaces(Namespace.of("a"), first.nextPageToken(), 10);
        Page<Namespace> third = catalog.listNamespaces(Namespace.of("a"), second.nextPageToken(), 10);

        assertThat(first.items()).hasSize(10).first().isEqualTo(Namespace.of("a", "ca"));
        assertThat(second.items()).hasSize(10);
        assertThat(third.items()).hasSize(5).last().isEqualTo(Namespace.of("a", "cy"));
        assertThat(third.nextPageToken()).isNull();
        assertThat(catalog.listNamespaces(Namespace.empty())).containsExactly(Namespace.of("a"), Namespace.of("b"));
    }

    @Test
    void rejectsMalformedTokensAndSizesAndMissingNamespaces() {
        catalog.createNamespace(Namespace.of("a"));
        assertThatThrownBy(() -> catalog.listTables(Namespace.of("a"), "not*base64", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid page token");
        assertThatThrownBy(() -> catalog.listTables(Namespace.of("a"), null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.listTables(Namespace.of("nope"), null, 10))
                .isInstanceOf(NoSuchNamespaceException.class);
        assertThatThrownBy(() -> catalog.listNamespaces(Namespace.of("nope"), null, 10))
                .isInstanceOf(NoSuchNamespaceException.class);
    }

    @Test
    void refusesANamespaceWhoseParentDoesNotExist() {
        assertThatThrownBy(() -> catalog.createNamespace(Namespace.of("x", "y")))
                .isInstanceOf(NoSuchNamespaceException.class)
                .hasMessageContaining("Parent namespace does not exist");
    }
}
