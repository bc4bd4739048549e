package dev.floe.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kube-apiserver's JSON audit log (written with {@code --audit-log-path} and the policy
 * in {@code src/test/resources/audit/writes-policy.yaml}), so a test can tell which client wrote
 * which object: the API server's own record, not the client's account of itself.
 */
public final class AuditLog {
    /** The flags a test class passes to {@code @EnableKubeAPIServer(apiServerFlags = ...)}. */
    public static final String POLICY_FLAG = "--audit-policy-file=src/test/resources/audit/writes-policy.yaml";

    /** One audited write. {@code credentialId} tells two tokens of the same ServiceAccount apart. */
    public record Write(
            String user,
            String credentialId,
            String verb,
            String resource,
            String namespace,
            String name,
            String subresource,
            int code) {
        /** False for permission queries (SelfSubjectRulesReview and kin), which store nothing. */
        public boolean changesState() {
            return !resource.endsWith("reviews");
        }

        public String object() {
            return resource + (subresource == null ? "" : "/" + subresource) + " " + namespace + "/" + name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLog() {}

    public static List<Write> writes(Path file) {
        List<Write> writes = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (IOException e) {
                continue; // a line being written right now
            }
            if (!"ResponseComplete".equals(event.path("stage").asText())) {
                continue;
            }
            JsonNode ref = event.path("objectRef");
            JsonNode credential = event.path("user").path("extra").path("authentication.kubernetes.io/credential-id");
            writes.add(new Write(
                    event.path("user").path("username").asText(),
                    credential.isArray() && !credential.isEmpty()
                            ? credential.get(0).asText()
                            : null,
                    event.path("verb").asText(),
                    ref.path("resource").asText(),
                    text(ref, "namespace"),
                    text(ref, "name"),
                    text(ref, "subresource"),
                    event.path("responseStatus").path("code").asInt()));
        }
        return writes;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
