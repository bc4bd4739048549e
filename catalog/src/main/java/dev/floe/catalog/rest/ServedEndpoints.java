package dev.floe.catalog.rest;

import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.rest.Endpoint;

/**
 * Exactly the REST endpoints this server implements, advertised in {@code GET /v1/config} so
 * clients do not call what is not there (scan planning is not served; the sign endpoint only when
 * {@code [warehouse] s3_remote_signing} is on).
 */
public final class ServedEndpoints {

    public static final List<Endpoint> ALL = List.of(
            Endpoint.V1_LIST_NAMESPACES,
            Endpoint.V1_LOAD_NAMESPACE,
            Endpoint.V1_NAMESPACE_EXISTS,
            Endpoint.V1_CREATE_NAMESPACE,
            Endpoint.V1_UPDATE_NAMESPACE,
            Endpoint.V1_DELETE_NAMESPACE,
            Endpoint.V1_COMMIT_TRANSACTION,
            Endpoint.V1_LIST_TABLES,
            Endpoint.V1_LOAD_TABLE,
            Endpoint.V1_TABLE_EXISTS,
            Endpoint.V1_CREATE_TABLE,
            Endpoint.V1_UPDATE_TABLE,
            Endpoint.V1_DELETE_TABLE,
            Endpoint.V1_RENAME_TABLE,
            Endpoint.V1_REGISTER_TABLE,
            Endpoint.V1_REPORT_METRICS,
            Endpoint.V1_TABLE_CREDENTIALS,
            Endpoint.V1_LIST_VIEWS,
            Endpoint.V1_LOAD_VIEW,
            Endpoint.V1_VIEW_EXISTS,
            Endpoint.V1_CREATE_VIEW,
            Endpoint.V1_UPDATE_VIEW,
            Endpoint.V1_DELETE_VIEW,
            Endpoint.V1_RENAME_VIEW,
            Endpoint.V1_REGISTER_VIEW);

    /** {@link #ALL} and the sign endpoint, for a catalog that signs. */
    public static final List<Endpoint> WITH_REMOTE_SIGNING = Stream.concat(
                    ALL.stream(), Stream.of(Endpoint.V1_TABLE_REMOTE_SIGN))
            .toList();

    private ServedEndpoints() {}
}
