package dev.floe.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Installs CRDs from YAML files (the committed crds/ folder, cert-manager's test data). */
public final class Crds {
    private Crds() {}

    public static void installFloe(KubernetesClient client) {
        install(client, KubeTools.repoRoot().resolve("crds"));
    }

    public static void installCertManager(KubernetesClient client) {
        install(client, KubeTools.sharedDir().resolve("testdata/cert-manager"));
    }

    public static void install(KubernetesClient client, Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(
                            p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                CustomResourceDefinition crd =
                        client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(crd)
                        .serverSideApply();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> {
                            var current = client.apiextensions()
                                    .v1()
                                    .customResourceDefinitions()
                                    .withName(crd.getMetadata().getName())
                                    .get();
                            return current != null
                                    && current.getStatus() != null
                                    && current.getStatus().getConditions().stream()
                                            .anyMatch(c ->
                                                    "Established".equals(c.getType()) && "True".equals(c.getStatus()));
                        });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
