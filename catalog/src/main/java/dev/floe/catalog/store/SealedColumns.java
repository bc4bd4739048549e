package dev.floe.catalog.store;

import dev.floe.catalog.crypto.SealContext;
import java.util.List;

/**
 * Every sealed column of the metadata store with the context its repository seals it under, for
 * the re-encryption pass of key rotation. The contexts come from the repositories' own
 * {@code context(...)} methods so they cannot drift. A column missing here keeps its retired DEK
 * alive (never destroyed); a wrong context makes re-encryption fail loudly, never corrupt a row.
 */
final class SealedColumns {

    private SealedColumns() {}

    static List<SealedColumn> all() {
        return List.of(
                new SealedColumn(
                        "namespaces",
                        List.of("warehouse", "ns_key"),
                        List.of(),
                        NamespaceRepository.PROPERTIES,
                        r -> NamespaceRepository.context(r.get("warehouse"), r.get("ns_key"))),
                objectColumn(CatalogObjectRepository.METADATA_LOCATION),
                objectColumn(CatalogObjectRepository.PREVIOUS_METADATA_LOCATION),
                objectColumn(CatalogObjectRepository.LOCATION),
                new SealedColumn(
                        "idempotency_records",
                        List.of("warehouse", "idem_key"),
                        List.of(),
                        IdempotencyRepository.RESPONSE,
                        r -> IdempotencyRepository.context(r.get("warehouse"), r.get("idem_key"))),
                // security/'s tables (V30): keep in step with ApiKeyRepository's contexts.
                new SealedColumn(
                        "api_keys",
                        List.of("key_id"),
                        List.of(),
                        "sealed_record",
                        r -> new SealContext(ApiKeyRepository.GLOBAL, "api-key", r.get("key_id"), "sealed_record")),
                new SealedColumn(
                        "security_keys",
                        List.of("name"),
                        List.of(),
                        "sealed_value",
                        r -> new SealContext(ApiKeyRepository.GLOBAL, "security-key", r.get("name"), "sealed_value")));
    }

    private static SealedColumn objectColumn(String field) {
        return new SealedColumn(
                "catalog_objects",
                List.of("warehouse", "namespace", "name"),
                List.of("kind"),
                field,
                r -> CatalogObjectRepository.context(
                        r.get("warehouse"),
                        ObjectKind.fromColumn(r.get("kind")),
                        Keys.objectId(r.get("namespace"), r.get("name")),
                        field));
    }
}
