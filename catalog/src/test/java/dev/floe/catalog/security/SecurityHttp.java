package dev.floe.catalog.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON-over-HTTP client for the security tests: one method, path, optional body and credential. */
final class SecurityHttp {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    SecurityHttp(URI base) {
        this.base = base;
    }

    HttpResponse<String> send(String method, String path, String body, String bearer) {
        return send(method, path, body, bearer == null ? null : "Bearer " + bearer, null);
    }

    HttpResponse<String> send(String method, String path, String body, String authorization, String apiKeyHeader) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (apiKeyHeader != null) {
            builder.header("X-API-Key", apiKeyHeader);
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    HttpResponse<String> sendWithHeader(String method, String path, String authorization, String name, String value) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path.substring(1)))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", authorization);
        try {
            builder.header(name, value);
        } catch (IllegalArgumentException e) {
            // the JDK refuses control characters: send a still-unsafe but legal value instead
            builder.header(name, "bad id with spaces and / slashes");
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    HttpResponse<String> form(String path, String form, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path.substring(1)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("POST " + path + ": " + e, e);
        }
    }

    /** Creates a key through the management API with {@code adminKey}; returns the full key. */
    String createKey(String adminKey, String name, String rolesJson, String warehouse, String namespacePrefix) {
        String body = "{\"name\":\"" + name + "\",\"roles\":" + rolesJson
                + (warehouse == null ? "" : ",\"warehouse\":\"" + warehouse + "\"")
                + (namespacePrefix == null ? "" : ",\"namespacePrefix\":\"" + namespacePrefix + "\"") + "}";
        HttpResponse<String> response = send("POST", "/management/v1/api-keys", body, adminKey);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create key: " + response.statusCode() + " " + response.body());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"apiKey\"\\s*:\\s*\"(floe_[^\"]+)\"")
                .matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no apiKey in response");
        }
        return m.group(1);
    }
}
