package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;

/** The session policy document: what each access level may touch, in the role's partition. */
class S3SessionPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readPolicyAllowsOnlyReadsUnderTheTableAndListingBelowIt() throws Exception {
        JsonNode policy = JSON.readTree(S3SessionPolicy.forRole("arn:aws:iam::123456789012:role/v")
                .document("s3://lake/wh/sales/orders", AccessLevel.READ));
        JsonNode statements = policy.get("Statement");
        assertThat(statements.get(0).get("Action").toString()).isEqualTo("[\"s3:GetObject\",\"s3:GetObjectVersion\"]");
        assertThat(statements.get(0).get("Resource").asText()).isEqualTo("arn:aws:s3:::lake/wh/sales/orders/*");
        assertThat(statements.get(1).get("Action").asText()).isEqualTo("s3:ListBucket");
        assertThat(statements.get(1).get("Resource").asText()).isEqualTo("arn:aws:s3:::lake");
        assertThat(statements
                        .get(1)
                        .get("Condition")
                        .get("StringLike")
                        .get("s3:prefix")
                        .toString())
                .isEqualTo("[\"wh/sales/orders\",\"wh/sales/orders/*\"]");
        assertThat(policy.toString()).doesNotContain("PutObject").doesNotContain("DeleteObject");
    }

    @Test
    void writePolicyAddsPutDeleteAndMultipartInTheRolesPartition() throws Exception {
        JsonNode policy = JSON.readTree(S3SessionPolicy.forRole("arn:aws-cn:iam::123456789012:role/v")
                .document("s3a://lake/wh/t/", AccessLevel.READ_WRITE));
        assertThat(policy.get("Statement").get(0).get("Action").toString())
                .contains("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
        assertThat(policy.get("Statement").get(0).get("Resource").asText()).isEqualTo("arn:aws-cn:s3:::lake/wh/t/*");
    }

    @Test
    void refusesWholeBucketsAndOtherSchemes() {
        S3SessionPolicy policies = S3SessionPolicy.forRole("arn:aws:iam::123456789012:role/v");
        assertThatThrownBy(() -> policies.document("s3://lake", AccessLevel.READ))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> policies.document("s3://lake/", AccessLevel.READ))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> policies.document("gs://lake/t", AccessLevel.READ))
                .isInstanceOf(BadRequestException.class);
    }
}
