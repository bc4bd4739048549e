package dev.floe.catalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.contract.CatalogCommand;
import dev.floe.contract.CatalogPod;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe admin rotate-keys}: asks a running catalog to rotate its keys
 * ({@code POST /management/v1/keys/rotate}) and prints the result as one line of JSON. Exit code 0
 * when the rotation succeeded, 1 otherwise (the operator's rotation CronJob relies on it). The API
 * key is read from a file and never printed.
 */
@Command(
        name = CatalogCommand.ROTATE_KEYS,
        mixinStandardHelpOptions = true,
        description = "Rewrap every data key under the KMS key's current version and start a new data key.")
public final class RotateKeysCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = CatalogCommand.ENDPOINT,
            required = true,
            description = "Catalog base URL, e.g. https://catalog:8181")
    URI endpoint;

    @Option(names = CatalogCommand.API_KEY_FILE, required = true, description = "File holding an admin API key.")
    Path apiKeyFile;

    @Option(names = CatalogCommand.CA, description = "PEM file with the CA certificate(s) to trust for the endpoint.")
    Path caFile;

    // The operator's rotation Jobs set FLOE_ROTATE_REENCRYPT (from KmsBinding rotation.reencrypt).
    @Option(
            names = "--reencrypt",
            defaultValue = "${env:" + CatalogPod.ENV_ROTATE_REENCRYPT + ":-false}",
            description = "Also re-seal rows still under retired data keys, then destroy those keys"
                    + " (default: env FLOE_ROTATE_REENCRYPT, else false).")
    boolean reencrypt;

    @Option(names = "--timeout", description = "Seconds to wait for the rotation (default ${DEFAULT-VALUE}).")
    long timeoutSeconds = 900;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode summary = JSON.createObjectNode();
        try {
            String apiKey = Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip();
            if (apiKey.isEmpty()) {
                return fail(out, summary, 0, "API key file " + apiKeyFile + " is empty");
            }
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (caFile != null) {
                client.sslContext(trusting(caFile));
            }
            URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + "/management/v1/keys/rotate"
                    + (reencrypt ? "?reencrypt=true" : ""));
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<String> response = client.build().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(response.body());
            if (response.statusCode() / 100 != 2) {
                String message = body != null && body.path("error").has("message")
                        ? body.path("error").path("message").asText()
                        : "HTTP " + response.statusCode();
                response.headers().firstValue("Retry-After").ifPresent(v -> summary.put("retryAfterSeconds", v));
                return fail(out, summary, response.statusCode(), message);
            }
            boolean ok = body != null
                    && (!body.has("failures") || body.path("failures").isEmpty());
            summary.put("ok", ok);
            summary.put("status", response.statusCode());
            if (body != null && body.isObject()) {
                summary.setAll((ObjectNode) body);
            }
            out.println(JSON.writeValueAsString(summary));
            out.flush();
            return ok ? 0 : 1;
        } catch (IOException | GeneralSecurityException e) {
            return fail(out, summary, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(out, summary, 0, "interrupted");
        }
    }

    private static int fail(PrintWriter out, ObjectNode summary, int status, String message) {
        summary.put("ok", false);
        if (status > 0) {
            summary.put("status", status);
        }
        summary.put("error", message);
        try {
            out.println(JSON.writeValueAsString(summary));
        } catch (IOException e) {
            out.println("{\"ok\":false}");
        }
        out.flush();
        return 1;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** An SSL context trusting exactly the certificates in a PEM file. */
    static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
