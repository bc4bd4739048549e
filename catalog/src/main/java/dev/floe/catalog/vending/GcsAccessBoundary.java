package dev.floe.catalog.vending;

import com.google.auth.oauth2.CredentialAccessBoundary;
import com.google.auth.oauth2.CredentialAccessBoundary.AccessBoundaryRule;
import com.google.auth.oauth2.CredentialAccessBoundary.AccessBoundaryRule.AvailabilityCondition;
import dev.floe.catalog.catalog.StorageLocation;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * The Credential Access Boundary that narrows a Google credential to one table of a {@code gs://}
 * warehouse (the GCS counterpart of {@link S3SessionPolicy}): objects whose name starts with the
 * table's prefix, with the object viewer role for readers and the object admin role for writers,
 * and listings only under that prefix. Google's Security Token Service grants a downscoped token
 * the intersection of the source credential's permissions and this boundary.
 *
 * <p>Not yet used to vend: fake-gcs-server checks no token, so no test here can show that Google
 * enforces a boundary; only the rules themselves are tested (see docs/storage.md).
 */
public final class GcsAccessBoundary {

    static final String VIEWER = "inRole:roles/storage.objectViewer";
    static final String ADMIN = "inRole:roles/storage.objectAdmin";

    private GcsAccessBoundary() {}

    /** The boundary for the table at {@code location} ({@code gs://bucket/path}) and {@code level}. */
    public static CredentialAccessBoundary forTable(String location, AccessLevel level) {
        StorageLocation parsed = StorageLocation.parse(location);
        if (!parsed.scheme().equals("gs") || parsed.raw().isEmpty()) {
            // a whole bucket is never a table's location: a boundary on it would open every table
            throw new BadRequestException("Cannot vend GCS credentials for location %s", location);
        }
        String bucket = parsed.authority();
        String prefix = String.join("/", parsed.raw()) + "/";
        // CEL string literals: a prefix with a quote or backslash must not end the literal early
        String literal = "'" + prefix.replace("\\", "\\\\").replace("'", "\\'") + "'";
        String objects = "resource.name.startsWith('projects/_/buckets/" + bucket + "/objects/' + " + literal + ")";
        String listing = "api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith(" + literal + ")";
        AccessBoundaryRule rule = AccessBoundaryRule.newBuilder()
                .setAvailableResource("//storage.googleapis.com/projects/_/buckets/" + bucket)
                .addAvailablePermission(level == AccessLevel.READ ? VIEWER : ADMIN)
                .setAvailabilityCondition(AvailabilityCondition.newBuilder()
                        .setTitle("floe table")
                        .setExpression(objects + " || " + listing)
                        .build())
                .build();
        return CredentialAccessBoundary.newBuilder().addRule(rule).build();
    }
}
