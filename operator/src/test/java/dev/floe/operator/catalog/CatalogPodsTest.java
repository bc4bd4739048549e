package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class CatalogPodsTest {

    static IcebergCatalog catalog(String extra) {
        IcebergCatalog c = new KubernetesSerialization()
                .unmarshal(Fixtures.catalog("c", "kms", 1, "embedded:\n  size: 1Gi", extra), IcebergCatalog.class);
        c.getMetadata().setNamespace("ns");
        return c;
    }

    @Test
    void withoutAnOverrideThePodsGetTheRestrictedDefault() {
        PodSecurityContext pod = CatalogPods.podSecurity(catalog(""));
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getRunAsGroup()).isEqualTo(10001L);
        assertThat(pod.getFsGroup()).isEqualTo(10001L);
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void securityContextOverrideIsMergedFieldByFieldOverTheRestrictedDefault() {
        PodSecurityContext pod = CatalogPods.podSecurity(catalog("""
                podTemplate:
                  securityContext:
                    fsGroup: 2000
                    fsGroupChangePolicy: OnRootMismatch
                    supplementalGroups: [3000]
                """));
        // The user's fields win …
        assertThat(pod.getFsGroup()).isEqualTo(2000L);
        assertThat(pod.getFsGroupChangePolicy()).isEqualTo("OnRootMismatch");
        assertThat(pod.getSupplementalGroups()).containsExactly(3000L);
        // … and every field they left unset keeps the restricted default.
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getRunAsGroup()).isEqualTo(10001L);
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void userValuesReplaceTheDefaultsTheyName() {
        PodSecurityContext pod = CatalogPods.podSecurity(catalog("""
                podTemplate:
                  securityContext:
                    runAsUser: 4242
                    seccompProfile:
                      type: Localhost
                      localhostProfile: profiles/floe.json
                """));
        assertThat(pod.getRunAsUser()).isEqualTo(4242L);
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("Localhost");
        assertThat(pod.getSeccompProfile().getLocalhostProfile()).isEqualTo("profiles/floe.json");
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsGroup()).isEqualTo(10001L);
        assertThat(pod.getFsGroup()).isEqualTo(10001L);
    }

    @Test
    void podTemplateEnvReachesTheCatalogContainerInOrder() {
        var env = CatalogPods.userEnv(catalog("""
                podTemplate:
                  env:
                    - name: FLOE_JAVA_OPTS
                      value: -XX:TieredStopAtLevel=1
                    - name: MALLOC_ARENA_MAX
                      value: "2"
                    - name: EMPTY
                """));
        assertThat(env)
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(
                        tuple("FLOE_JAVA_OPTS", "-XX:TieredStopAtLevel=1"),
                        tuple("MALLOC_ARENA_MAX", "2"),
                        tuple("EMPTY", ""));
        assertThat(env).allSatisfy(e -> assertThat(e.getValueFrom()).isNull());
        assertThat(CatalogPods.userEnv(catalog(""))).isEmpty();
    }

    @Test
    void mergingDoesNotChangeTheCatalogSpec() {
        IcebergCatalog c = catalog("podTemplate:\n  securityContext:\n    fsGroup: 2000\n");
        CatalogPods.podSecurity(c);
        assertThat(c.getSpec().podTemplate().securityContext().getRunAsUser()).isNull();
    }

    @Test
    void catalogContainerGetsDefaultRequestsAndMemoryLimitUnlessSpecResourcesIsSet() {
        var defaults = CatalogPods.catalogResources(catalog("").getSpec());
        assertThat(defaults.getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("384Mi"));
        assertThat(defaults.getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("1Gi"));

        var own = CatalogPods.catalogResources(catalog("""
                resources:
                  requests:
                    memory: 2Gi
                  limits:
                    cpu: "2"
                    memory: 4Gi
                """).getSpec());
        assertThat(own.getRequests()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("2Gi"));
        assertThat(own.getLimits())
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("4Gi"));
    }

    @Test
    void rotationJobContainerHasRequestsAndLimitsForCpuAndMemory() {
        var job = CatalogPods.rotationResources();
        assertThat(job.getRequests()).containsOnlyKeys("cpu", "memory");
        assertThat(job.getLimits()).containsOnlyKeys("cpu", "memory");
        assertThat(job.getLimits().get("memory").getNumericalAmount())
                .isGreaterThan(job.getRequests().get("memory").getNumericalAmount());
    }
}
