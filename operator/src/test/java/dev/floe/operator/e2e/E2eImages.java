package dev.floe.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.operator.testing.KubeTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The image archives the end-to-end suite loads into the node: the catalog and operator images
 * that this Maven build made with Jib ({@code catalog/target/jib-image.tar},
 * {@code operator/target/jib-image.tar}), and the test images (PyIceberg client, PostgreSQL,
 * s3proxy) that {@code tools/images/build-test-images.sh} builds from Debian and PyPI packages,
 * cached between runs. The manifests name the test images through variables such as
 * {@code ${PYICEBERG_IMAGE}}, resolved from each archive's own tag.
 */
record E2eImages(List<Path> archives, Map<String, String> variables) {

    private static final Map<String, String> VARIABLE_BY_NAME =
            Map.of("pyiceberg", "PYICEBERG_IMAGE", "postgresql", "POSTGRES_IMAGE", "s3proxy", "S3PROXY_IMAGE");

    static E2eImages build() {
        Path root = KubeTools.repoRoot();
        List<Path> archives = new ArrayList<>(
                List.of(root.resolve("catalog/target/jib-image.tar"), root.resolve("operator/target/jib-image.tar")));
        for (Path archive : archives) {
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException(archive + " is missing: the images are built by `./mvnw package`"
                        + " (Jib buildTar); was it run with -Djib.skip?");
            }
        }
        String printed = run(root.resolve("tools/images/build-test-images.sh").toString());
        printed.lines()
                .map(String::trim)
                .filter(l -> l.endsWith(".tar"))
                .map(Path::of)
                .filter(Files::isRegularFile)
                .forEach(archives::add);

        Map<String, String> variables = new LinkedHashMap<>();
        for (Path archive : archives) {
            String ref = repoTag(archive);
            VARIABLE_BY_NAME.forEach((name, variable) -> {
                if (ref.contains(name)) {
                    variables.put(variable, ref);
                }
            });
        }
        if (!variables.keySet().containsAll(VARIABLE_BY_NAME.values())) {
            throw new IllegalStateException("tools/images/build-test-images.sh did not print all test images "
                    + VARIABLE_BY_NAME.keySet() + ": " + printed);
        }
        return new E2eImages(List.copyOf(archives), Map.copyOf(variables));
    }

    /** The image reference an archive carries ({@code docker save} layout: manifest.json RepoTags). */
    private static String repoTag(Path archive) {
        try {
            JsonNode manifest = new ObjectMapper().readTree(run("tar", "-xOf", archive.toString(), "manifest.json"));
            return manifest.get(0).get("RepoTags").get(0).asText();
        } catch (IOException e) {
            throw new IllegalStateException("no manifest.json in " + archive, e);
        }
    }

    private static String run(String... command) {
        try {
            Path out = Files.createTempFile("e2e-images", ".out");
            Process p = new ProcessBuilder(command)
                    .directory(KubeTools.repoRoot().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!p.waitFor(40, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(out));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
