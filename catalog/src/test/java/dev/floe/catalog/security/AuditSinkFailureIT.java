package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit sink fails for real: the audit file is {@code /dev/full}, where every write ends in
 * "No space left on device". Failing open (the default), audited requests are executed and every
 * lost line is counted; failing closed, an audited request is refused with an ErrorModel 503 before
 * it runs, and reads go on.
 */
class AuditSinkFailureIT {

    private static final Path UNWRITABLE = Path.of("/dev/full");

    @TempDir
    Path dir;

    @Test
    void failingOpenExecutesAuditedRequestsAndCountsLostLines() throws Exception {
        try (Started s = start(false)) {
            HttpResponse<String> created =
                    s.http.send("POST", "/v1/namespaces", "{\"namespace\":[\"open_ns\"]}", s.admin);
            assertThat(created.statusCode()).isEqualTo(200);
            assertThat(s.http.send("GET", "/v1/namespaces/open_ns", null, s.admin)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(failures(s)).isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void failingClosedRefusesAuditedRequestsBeforeTheyRun() throws Exception {
        try (Started s = start(true)) {
            HttpResponse<String> created =
                    s.http.send("POST", "/v1/namespaces", "{\"namespace\":[\"closed_ns\"]}", s.admin);
            assertThat(created.statusCode()).isEqualTo(503);
            assertThat(created.body())
                    .contains("\"code\":503")
                    .contains("\"type\":\"ServiceUnavailableException\"")
                    .contains("audit log")
                    .doesNotContain("at dev.floe")
                    .doesNotContain(s.admin);
            HttpResponse<String> key =
                    s.http.send("POST", "/management/v1/api-keys", "{\"name\":\"x\",\"roles\":[\"reader\"]}", s.admin);
            assertThat(key.statusCode()).isEqualTo(503);
            // not executed: the namespace does not exist, and no key was created
            assertThat(s.http.send("GET", "/v1/namespaces/closed_ns", null, s.admin)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(s.http.send("GET", "/v1/config", null, s.admin).statusCode())
                    .isEqualTo(200);
            assertThat(failures(s)).isGreaterThanOrEqualTo(2.0);
        }
    }

    private record Started(SecureCatalogServer server, SecurityHttp http, String admin) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private Started start(boolean failClosed) throws Exception {
        ApiKeyCredential bootstrap = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), bootstrap.token());
        SecureCatalogServer server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.bootstrap-admin-key-file",
                        keyFile.toString(),
                        "floe.security.audit.file",
                        UNWRITABLE.toString(),
                        "floe.security.audit.fail-closed",
                        failClosed));
        return new Started(server, new SecurityHttp(server.uri()), bootstrap.token());
    }

    private static double failures(Started s) {
        String metrics = s.http.send("GET", "/metrics", null, null).body();
        Matcher m = Pattern.compile("(?m)^floe_audit_write_failures_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
