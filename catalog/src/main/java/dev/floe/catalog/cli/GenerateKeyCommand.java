package dev.floe.catalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.security.ApiKeyCredential;
import dev.floe.catalog.security.Role;
import dev.floe.catalog.tls.PemFiles;
import dev.floe.catalog.tls.TlsMaterial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe generate-key}: creates an API key through a running catalog's management API (with
 * an admin key read from a file, never from the command line where {@code ps} would show it) and
 * prints the new key once. {@code --offline} only generates a well-formed key locally, e.g. for the
 * bootstrap admin key file.
 */
@Command(
        name = "generate-key",
        mixinStandardHelpOptions = true,
        description = "Create an API key on a running catalog and print it once.")
public final class GenerateKeyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", description = "Name of the key, e.g. spark-etl")
    String name;

    @Option(names = "--roles", split = ",", description = "Roles: admin, writer, reader (comma-separated)")
    List<String> roles = new ArrayList<>();

    @Option(names = "--warehouse", description = "Confine the key to this warehouse")
    String warehouse;

    @Option(
            names = "--namespace-prefix",
            description = "Confine the key to this namespace and its children (levels joined by '.')")
    String namespacePrefix;

    @Option(names = "--expires-in-days", description = "Lifetime of the key in days (default: no expiry)")
    Long expiresInDays;

    @Option(
            names = "--endpoint",
            defaultValue = "${env:FLOE_ENDPOINT:-https://127.0.0.1:8181}",
            description = "Catalog base URL (default $FLOE_ENDPOINT or https://127.0.0.1:8181)")
    URI endpoint;

    @Option(
            names = "--api-key-file",
            defaultValue = "${env:FLOE_API_KEY_FILE}",
            description = "File holding an admin API key (default $FLOE_API_KEY_FILE)")
    Path apiKeyFile;

    @Option(
            names = "--ca-cert",
            description = "PEM CA certificate to trust for the endpoint (e.g. ca.crt from generate-cert)")
    Path caCert;

    @Option(
            names = "--offline",
            description = "Only generate a random key locally (no server); e.g. for FLOE_BOOTSTRAP_ADMIN_KEY_FILE")
    boolean offline;

    @Override
    public Integer call() throws Exception {
        if (offline) {
            spec.commandLine().getOut().println(ApiKeyCredential.generate().token());
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (name == null || roles.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--name and --roles are required (or --offline)");
        }
        for (String role : roles) {
            try {
                Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--roles: " + e.getMessage());
            }
        }
        if (apiKeyFile == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--api-key-file (or FLOE_API_KEY_FILE) is required");
        }
        String adminKey =
                Files.readString(apiKeyFile, StandardCharsets.US_ASCII).trim();
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        roles.forEach(body.putArray("roles")::add);
        if (warehouse != null) {
            body.put("warehouse", warehouse);
        }
        if (namespacePrefix != null) {
            body.put("namespacePrefix", namespacePrefix);
        }
        if (expiresInDays != null) {
            body.put("expiresInSeconds", expiresInDays * 86_400);
        }
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caCert != null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TlsMaterial.trustStore(PemFiles.readCertificates(caCert)));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            client.sslContext(ssl);
        }
        URI target = URI.create(endpoint.toString().replaceAll("/+$", "") + "/management/v1/api-keys");
        HttpResponse<String> response = client.build()
                .send(
                        HttpRequest.newBuilder(target)
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + adminKey)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            JsonNode error = json.readTree(response.body().isBlank() ? "{}" : response.body())
                    .path("error");
            spec.commandLine()
                    .getErr()
                    .println("floe generate-key: " + target + " answered " + response.statusCode()
                            + (error.has("message")
                                    ? ": " + error.get("message").asText()
                                    : ""));
            spec.commandLine().getErr().flush();
            return 1;
        }
        JsonNode created = json.readTree(response.body());
        spec.commandLine().getOut().println(created.path("apiKey").asText());
        spec.commandLine().getOut().flush();
        spec.commandLine()
                .getErr()
                .println("created key " + created.path("key").path("keyId").asText() + " (" + name + ", roles "
                        + String.join(",", roles) + "); the key above is shown only this once");
        spec.commandLine().getErr().flush();
        return 0;
    }
}
