package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.CredentialAccessBoundary;
import com.google.auth.oauth2.CredentialAccessBoundary.AccessBoundaryRule;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;

/**
 * The rules of a table's Credential Access Boundary. Pure computation, no server: Google's STS,
 * which would enforce them, cannot run here and fake-gcs-server checks no token.
 */
class GcsAccessBoundaryTest {

    @Test
    void readerGetsObjectViewerOnTheTablePrefixOnly() {
        AccessBoundaryRule rule = onlyRule(GcsAccessBoundary.forTable("gs://wh/tenant/sales/a", AccessLevel.READ));
        assertThat(rule.getAvailableResource()).isEqualTo("//storage.googleapis.com/projects/_/buckets/wh");
        assertThat(rule.getAvailablePermissions()).containsExactly(GcsAccessBoundary.VIEWER);
        assertThat(rule.getAvailabilityCondition().getExpression())
                .isEqualTo(
                        "resource.name.startsWith('projects/_/buckets/wh/objects/' + 'tenant/sales/a/')"
                                + " || api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith('tenant/sales/a/')");
    }

    @Test
    void writerGetsObjectAdminAndTheTrailingSlashKeepsSiblingTablesOut() {
        AccessBoundaryRule rule = onlyRule(GcsAccessBoundary.forTable("gs://wh/t/a", AccessLevel.READ_WRITE));
        assertThat(rule.getAvailablePermissions()).containsExactly(GcsAccessBoundary.ADMIN);
        // "t/a/" is not a prefix of table "t/ab"'s objects
        assertThat(rule.getAvailabilityCondition().getExpression())
                .contains("'t/a/'")
                .doesNotContain("'t/a')");
    }

    @Test
    void quotesInThePrefixCannotEndTheCelLiteral() {
        String expression = onlyRule(GcsAccessBoundary.forTable("gs://wh/t/it's", AccessLevel.READ))
                .getAvailabilityCondition()
                .getExpression();
        assertThat(expression).contains("'t/it\\'s/'");
    }

    @Test
    void refusesABucketRootOrAnotherScheme() {
        assertThatThrownBy(() -> GcsAccessBoundary.forTable("gs://wh", AccessLevel.READ))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> GcsAccessBoundary.forTable("s3://wh/t", AccessLevel.READ))
                .isInstanceOf(BadRequestException.class);
    }

    private static AccessBoundaryRule onlyRule(CredentialAccessBoundary boundary) {
        assertThat(boundary.getAccessBoundaryRules()).hasSize(1);
        return boundary.getAccessBoundaryRules().get(0);
    }
}
