package dev.floe.catalog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code floe open-api}: prints the Apache Iceberg REST Catalog OpenAPI specification this server
 * implements (version 1.11.0, Apache License 2.0; see {@code openapi/LICENSE} in the jar).
 */
@Command(
        name = "open-api",
        mixinStandardHelpOptions = true,
        description = "Print the Iceberg REST catalog OpenAPI specification (YAML) that this server serves.")
public final class OpenApiCommand implements Runnable {

    static final String RESOURCE = "/openapi/rest-catalog-open-api-1.11.0.yaml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        try (InputStream in = OpenApiCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("specification missing from the jar: " + RESOURCE);
            }
            spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
