package dev.floe.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Argo CD's verdict on one object: the health scripts exactly as docs/operator.md prints them (its
 * argocd-cm ConfigMap), run by tools/argocd (gopher-lua, the interpreter Argo CD embeds, with the
 * libraries Argo CD gives custom health scripts).
 */
public final class ArgoCdHealth {
    /** What the script returned. */
    public record Verdict(String status, String message) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path binary;
    private final ConfigMap argocdCm;

    private ArgoCdHealth(Path binary, ConfigMap argocdCm) {
        this.binary = binary;
        this.argocdCm = argocdCm;
    }

    /** Builds the tool (seconds when cached) and reads the ConfigMap from docs/operator.md. */
    public static ArgoCdHealth fromDocs() {
        KubeTools.Run build = run(
                List.of(
                        "bash",
                        KubeTools.repoRoot().resolve("tools/argocd/build.sh").toString()),
                null);
        if (build.exitCode() != 0) {
            throw new AssertionError("tools/argocd/build.sh failed: " + build.err() + build.out());
        }
        String[] lines = build.out().strip().split("\n");
        return new ArgoCdHealth(Path.of(lines[lines.length - 1].strip()), docsConfigMap());
    }

    /** The first ```yaml block of docs/operator.md that is the argocd-cm ConfigMap. */
    static ConfigMap docsConfigMap() {
        String doc;
        try {
            doc = Files.readString(KubeTools.repoRoot().resolve("docs/operator.md"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String block : doc.split("```yaml\n")) {
            String yaml = block.substring(0, Math.max(0, block.indexOf("```")));
            if (yaml.contains("name: argocd-cm")) {
                return (ConfigMap) Manifests.parse(yaml).get(0);
            }
        }
        throw new AssertionError("docs/operator.md has no argocd-cm ConfigMap");
    }

    /** The script for {@code group_Kind}, as Argo CD's key resource.customizations.health.<group>_<kind> names it. */
    public String script(String groupKind) {
        String script = argocdCm.getData().get("resource.customizations.health." + groupKind);
        if (script == null) {
            throw new AssertionError("no health check for " + groupKind + " in docs/operator.md");
        }
        return script;
    }

    /** Runs the script of {@code groupKind} on {@code objectJson} (for example from kubectl get -o json). */
    public Verdict of(String groupKind, String objectJson) {
        try {
            Path script = Files.createTempFile("health", ".lua");
            Files.writeString(script, script(groupKind));
            KubeTools.Run run = run(List.of(binary.toString(), script.toString()), objectJson);
            Files.deleteIfExists(script);
            if (run.exitCode() != 0) {
                throw new AssertionError("health script failed: " + run.err());
            }
            JsonNode verdict = JSON.readTree(run.out());
            return new Verdict(
                    verdict.path("status").asText(), verdict.path("message").asText());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KubeTools.Run run(List<String> command, String stdin) {
        try {
            Path out = Files.createTempFile("argocd", ".out");
            Path err = Files.createTempFile("argocd", ".err");
            Process p = new ProcessBuilder(command)
                    .directory(KubeTools.repoRoot().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            KubeTools.Run run = new KubeTools.Run(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
