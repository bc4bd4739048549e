package dev.floe.catalog.vending;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.catalog.StorageLocation;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * The STS session policy that narrows the vending role to one table: objects under the table's
 * location (read, or read and write), listing the bucket only below that location, and the
 * bucket's region. AWS grants assumed-role credentials the intersection of the role's policies and
 * this policy, so whatever the role may do elsewhere stays out of reach.
 *
 * @param partition AWS partition of the role ({@code aws}, {@code aws-cn}, {@code aws-us-gov}): the
 *                  S3 ARNs must be in the same one
 */
public record S3SessionPolicy(String partition) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The partition of an IAM role ARN ({@code arn:<partition>:iam::…}). */
    public static S3SessionPolicy forRole(String roleArn) {
        return new S3SessionPolicy(roleArn.split(":", 3)[1]);
    }

    /** The bucket and key prefix (no leading or trailing {@code /}) of an {@code s3://} location. */
    public record BucketPrefix(String bucket, String prefix) {
        public static BucketPrefix of(String location) {
            StorageLocation parsed = StorageLocation.parse(location);
            if (!parsed.scheme().equals("s3") || parsed.raw().isEmpty()) {
                // a whole bucket is never a table's location: vending it would open every table
                throw new BadRequestException("Cannot vend S3 credentials for location %s", location);
            }
            return new BucketPrefix(parsed.authority(), String.join("/", parsed.raw()));
        }
    }

    /** The policy document (JSON) for {@code location} at {@code level}. */
    public String document(String location, AccessLevel level) {
        BucketPrefix target = BucketPrefix.of(location);
        String bucketArn = "arn:" + partition + ":s3:::" + target.bucket();
        String objects = bucketArn + "/" + target.prefix() + "/*";

        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        ObjectNode objectAccess = statements.addObject().put("Effect", "Allow");
        ArrayNode actions = objectAccess.putArray("Action").add("s3:GetObject").add("s3:GetObjectVersion");
        if (level == AccessLevel.READ_WRITE) {
            actions.add("s3:PutObject")
                    .add("s3:DeleteObject")
                    .add("s3:AbortMultipartUpload")
                    .add("s3:ListMultipartUploadParts");
        }
        objectAccess.put("Resource", objects);

        ObjectNode listing = statements
                .addObject()
                .put("Effect", "Allow")
                .put("Action", "s3:ListBucket")
                .put("Resource", bucketArn);
        listing.putObject("Condition")
                .putObject("StringLike")
                .putArray("s3:prefix")
                .add(target.prefix())
                .add(target.prefix() + "/*");

        statements
                .addObject()
                .put("Effect", "Allow")
                .put("Action", "s3:GetBucketLocation")
                .put("Resource", bucketArn);
        return policy.toString();
    }
}
