package dev.floe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when the committed CRDs in crds/ differ from what the CRD generator produced
 * from the api.v1alpha1 classes in this build.
 */
class CrdsUpToDateTest {
    private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    private static final Path COMMITTED = Path.of("../crds");
    private static final String HOW_TO_REFRESH =
            "crds/ is stale: refresh it with `./mvnw -B -pl operator process-classes -Pupdate-crds` and commit crds/";

    @Test
    void committedCrdsMatchTheGeneratedOnes() throws IOException {
        for (String name : generatedCrdFiles()) {
            Path committed = COMMITTED.resolve(name);
            assertThat(committed).as(HOW_TO_REFRESH + " (missing " + name + ")").exists();
            assertThat(Files.readString(committed))
                    .as(HOW_TO_REFRESH + " (" + name + " differs)")
                    .isEqualTo(Files.readString(GENERATED.resolve(name)));
        }
    }

    @Test
    void everyKindHasACommittedCrd() throws IOException {
        assertThat(generatedCrdFiles())
                .containsExactlyInAnyOrder("icebergcatalogs.floe.dev-v1.yml", "kmsbindings.floe.dev-v1.yml");
    }

    @Test
    void printerColumnsAreInTheOrderTheClassesDeclare() throws IOException {
        // The generator sorts them by JSONPath; tools/crds/PrinterColumnOrder.java restores this order.
        for (Class<?> type : java.util.List.of(IcebergCatalog.class, KmsBinding.class)) {
            var declared = java.util.Arrays.stream(type.getAnnotationsByType(
                            io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.class))
                    .map(c -> c.name())
                    .toList();
            @SuppressWarnings("unchecked")
            var resource = (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>) type;
            String name = io.fabric8.kubernetes.api.model.HasMetadata.getFullResourceName(resource) + "-v1.yml";
            var crd = new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                    .unmarshal(
                            Files.readString(COMMITTED.resolve(name)),
                            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
            assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                    .extracting(c -> c.getName())
                    .as(name)
                    .containsExactlyElementsOf(declared);
            assertThat(declared)
                    .as(type.getSimpleName() + ": AGE is the last column")
                    .endsWith("Age");
        }
    }

    private static java.util.List<String> generatedCrdFiles() throws IOException {
        try (Stream<Path> files = Files.list(GENERATED)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("-v1.yml"))
                    .sorted()
                    .toList();
        }
    }
}
