package dev.floe.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileFailureTest {
    private static final String SECRET_VALUE = "c3VwZXItc2VjcmV0LXBhc3N3b3JkLTEyMzQ1Njc4OTA=";

    private static KubernetesClientException apiError(int code, String reason, String message) {
        Status status = new StatusBuilder()
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build();
        // Fabric8's own message dumps the whole server answer on several lines, as it does for real.
        return new KubernetesClientException(
                "Failure executing: PATCH at: https://127.0.0.1:6443/api/v1/namespaces/default/x. Message: " + message
                        + ". Received status: " + status + ".\n\tat io.fabric8.Foo.bar(Foo.java:1)",
                code,
                status);
    }

    private static void assertShortAndClean(ReconcileFailure failure) {
        assertThat(failure.message())
                .doesNotContain("\n")
                .doesNotContain("\r")
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("io.fabric8")
                .doesNotContain("io.javaoperatorsdk")
                .doesNotContain("dev.floe");
        assertThat(failure.message().length()).isLessThanOrEqualTo(ReconcileFailure.MAX_LENGTH);
    }

    @Test
    void namesTheApiServersCodeReasonAndMessageOfAConflictNestedInTheWorkflowsAggregate() {
        var conflict = apiError(
                409,
                "Conflict",
                "Operation cannot be fulfilled on persistentvolumeclaims \"restored-data\": the object has been"
                        + " modified; please apply your changes to the latest version and try again");
        var aggregate = new AggregatedOperatorException(
                "Exception(s) during workflow execution.",
                Map.of("data", new IllegalStateException("wrapped", conflict)));
        // AggregatedOperatorException's own message carries every stack trace: the old path showed those.
        assertThat(aggregate.getMessage()).contains("\tat ");

        ReconcileFailure failure = ReconcileFailure.of(aggregate);

        assertThat(failure.reason()).isEqualTo("ReconcileFailed");
        assertThat(failure.message())
                .startsWith("data: ")
                .contains("HTTP 409 Conflict")
                .contains("persistentvolumeclaims \"restored-data\"")
                .doesNotContain("Received status");
        assertShortAndClean(failure);
    }

    @Test
    void forbiddenNamesTheVerbAndResourceAndSaysWhichRoleToExtend() {
        var forbidden = apiError(
                403,
                "Forbidden",
                "deployments.apps \"rbac\" is forbidden: User \"system:serviceaccount:floe-system:floe-operator\""
                        + " cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"default\"");

        ReconcileFailure failure = ReconcileFailure.of(new RuntimeException(forbidden));

        assertThat(failure.message())
                .contains("HTTP 403 Forbidden")
                .contains("cannot patch resource \"deployments\" in API group \"apps\"")
                .contains("ClusterRole");
        assertShortAndClean(failure);
    }

    @Test
    void keepsOnlyTheFirstLineOfAMultiLineMessageAndNoFrames() {
        var inner = new IllegalArgumentException("bad encoding\n\tat org.bouncycastle.X.y(X.java:3)\nmore detail");
        var outer = new IllegalStateException(
                "could not renew the self-signed certificate for dev.default.svc\n\tat dev.floe.operator.Z.z(Z.java:9)",
                inner);

        ReconcileFailure failure = ReconcileFailure.of(outer);

        assertThat(failure.message())
                .isEqualTo("could not renew the self-signed certificate for dev.default.svc: bad encoding");
        assertShortAndClean(failure);
    }

    @Test
    void neverEchoesValuesFromASecretsData() {
        // What Jackson says when a Secret's value does not decode: it quotes the value.
        var jackson = new IllegalArgumentException("Cannot deserialize value of type `byte[]` from String"
                + " \"hunter2 is the password\": Failed to decode VALUE as base64");
        var read = new KubernetesClientException(
                "Operation: [get] for kind: [Secret] with name: [db] in namespace: [default] failed.", jackson);
        var pem = new IllegalStateException(
                "not a PEM certificate: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0");
        var blob = new IllegalStateException("unexpected key material " + SECRET_VALUE + " in tls.key");

        for (Exception e : new Exception[] {read, pem, blob}) {
            ReconcileFailure failure = ReconcileFailure.of(e);
            assertThat(failure.message())
                    .doesNotContain("hunter2")
                    .doesNotContain("MIIEvQIBADANBgkqhkiG9w0")
                    .doesNotContain(SECRET_VALUE)
                    .doesNotContain("PRIVATE KEY");
            assertShortAndClean(failure);
        }
        assertThat(ReconcileFailure.of(read).message())
                .contains("Operation: [get] for kind: [Secret] with name: [db]")
                .contains("Failed to decode VALUE as base64");
    }

    @Test
    void secretLookingTokensInTheApiServersMessageAreRedactedToo() {
        var invalid = apiError(
                422, "Invalid", "Secret \"x\" is invalid: data[token]: Invalid value: \"" + SECRET_VALUE + "\"");

        assertThat(ReconcileFailure.of(invalid).message())
                .doesNotContain(SECRET_VALUE)
                .contains("Secret \"x\" is invalid");
    }

    @Test
    void aConnectionFailureNamesTheOperationAndTheCause() {
        var io = new KubernetesClientException(
                "Operation: [patch] for kind: [Deployment] with name: [dev] in namespace: [default] failed.",
                new ConnectException("Connection refused"));

        ReconcileFailure failure = ReconcileFailure.of(io);

        assertThat(failure.message())
                .isEqualTo("Operation: [patch] for kind: [Deployment] with name: [dev] in namespace: [default]"
                        + " failed: Connection refused");
        assertShortAndClean(failure);
    }

    @Test
    void boundsAVeryLongMessage() {
        ReconcileFailure failure = ReconcileFailure.of(new IllegalStateException("word ".repeat(2000)));

        assertThat(failure.message())
                .hasSizeLessThanOrEqualTo(ReconcileFailure.MAX_LENGTH)
                .endsWith("…");
    }

    @Test
    void aBlockedReconcileKeepsItsReasonAndMessage() {
        var blocked = new ReconcileBlocked("DataClaimNotAdoptable", "PersistentVolumeClaim x-data: do this");
        var aggregate =
                new AggregatedOperatorException("Exception(s) during workflow execution.", Map.of("data", blocked));

        ReconcileFailure failure = ReconcileFailure.of(aggregate);

        assertThat(failure.reason()).isEqualTo("DataClaimNotAdoptable");
        assertThat(failure.message()).isEqualTo("PersistentVolumeClaim x-data: do this");
    }
}
