package dev.floe.operator.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs against a real kube-apiserver and etcd (io.fabric8:kube-api-test, no Docker, no downloads):
 * proves that the locally built control plane (tools/kube/build.sh, binaries under
 * {@code $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64}) serves the cert-manager CRDs the operator
 * depends on, validates custom resources against their schemas, and stores core objects.
 */
@ExtendWith(RealApiServerIT.RequireLocalKubeBinaries.class) // must stay before @EnableKubeAPIServer
@EnableKubeAPIServer
class RealApiServerIT {

    private static final Duration CRD_ESTABLISHED_TIMEOUT = Duration.ofSeconds(30);

    /** Injected by kube-api-test-client-inject once the API server is up. */
    static KubernetesClient client;

    private static List<String> certManagerCrdNames;

    private String namespace;

    @BeforeAll
    static void installCertManagerCrds() throws IOException {
        List<String> names = new ArrayList<>();
        for (Path file : certManagerCrdFiles()) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata item : client.load(in).items()) {
                    assertThat(item).as("object in %s", file).isInstanceOf(CustomResourceDefinition.class);
                    client.resource((CustomResourceDefinition) item).serverSideApply();
                    names.add(item.getMetadata().getName());
                }
            }
        }
        assertThat(names).contains("certificates.cert-manager.io", "issuers.cert-manager.io");
        certManagerCrdNames = List.copyOf(names);
        await("cert-manager CRDs Established")
                .atMost(CRD_ESTABLISHED_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> certManagerCrdNames.stream().allMatch(RealApiServerIT::isEstablished));
    }

    @BeforeEach
    void createNamespace() {
        namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
    }

    @Test
    void servesCertManagerCrdsFromSharedTestData() {
        for (String name : certManagerCrdNames) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(name)
                    .get();
            assertThat(crd).as(name).isNotNull();
            assertThat(crd.getSpec().getGroup()).isEqualTo("cert-manager.io");
            assertThat(crd.getSpec().getVersions()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo("v1");
                assertThat(v.getServed()).isTrue();
            });
        }
    }

    @Test
    void storesAndReadsBackCertificate() {
        Certificate desired = new CertificateBuilder()
                .withNewMetadata()
                .withName("catalog-tls")
                .withNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/name", "floe-catalog"))
                .endMetadata()
                .withNewSpec()
                .withSecretName("catalog-tls")
                .withDnsNames("catalog." + namespace + ".svc", "catalog." + namespace + ".svc.cluster.local")
                .withDuration(new io.fabric8.kubernetes.api.model.Duration(Duration.ofDays(90)))
                .withNewIssuerRef()
                .withName("floe-ca")
                .withKind("Issuer")
                .withGroup("cert-manager.io")
                .endIssuerRef()
                .endSpec()
                .build();

        Certificate created = client.resources(Certificate.class)
                .inNamespace(namespace)
                .resource(desired)
                .create();
        Certificate read = client.resources(Certificate.class)
                .inNamespace(namespace)
                .withName("catalog-tls")
                .get();

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(read).isNotNull();
        assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(read.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "floe-catalog");
        assertThat(read.getSpec().getSecretName()).isEqualTo("catalog-tls");
        assertThat(read.getSpec().getDnsNames())
                .containsExactly("catalog." + namespace + ".svc", "catalog." + namespace + ".svc.cluster.local");
        assertThat(read.getSpec().getIssuerRef().getName()).isEqualTo("floe-ca");
        assertThat(read.getSpec().getIssuerRef().getKind()).isEqualTo("Issuer");
        assertThat(read.getSpec().getDuration().getDuration()).isEqualTo(Duration.ofDays(90));
        // No cert-manager controller runs here, so nothing may have written a status.
        assertThat(read.getStatus() == null
                        || read.getStatus().getConditions() == null
                        || read.getStatus().getConditions().isEmpty())
                .isTrue();
    }

    @Test
    void rejectsCertificateWithoutSecretNameBySchemaValidation() {
        Certificate invalid = new CertificateBuilder()
                .withNewMetadata()
                .withName("no-secret")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withDnsNames("example.test")
                .withNewIssuerRef()
                .withName("floe-ca")
                .endIssuerRef()
                .endSpec()
                .build();

        assertThatThrownBy(() -> client.resources(Certificate.class)
                        .inNamespace(namespace)
                        .resource(invalid)
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("secretName");
    }

    @Test
    void storesAndReadsBackConfigMap() {
        ConfigMap desired = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("catalog-config")
                .withNamespace(namespace)
                .endMetadata()
                .addToData("floe.toml", "[server]\nport = 8181\n")
                .addToData("mode", "rest")
                .build();

        ConfigMap created =
                client.configMaps().inNamespace(namespace).resource(desired).create();
        ConfigMap read = client.configMaps()
                .inNamespace(namespace)
                .withName("catalog-config")
                .get();

        assertThat(read).isNotNull();
        assertThat(read.getMetadata().getResourceVersion())
                .isEqualTo(created.getMetadata().getResourceVersion());
        assertThat(read.getData())
                .containsOnly(Map.entry("floe.toml", "[server]\nport = 8181\n"), Map.entry("mode", "rest"));
    }

    private static boolean isEstablished(String crdName) {
        CustomResourceDefinition crd = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crdName)
                .get();
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * The CRDs live in the read-only shared folder beside the repository. Failsafe passes its
     * location as {@code floe.shared.dir}; without it (e.g. run from an IDE) walk up from the
     * working directory until a {@code shared/testdata/cert-manager} folder appears.
     */
    private static List<Path> certManagerCrdFiles() throws IOException {
        Path dir = null;
        String configured = System.getProperty("floe.shared.dir");
        if (configured != null && !configured.isBlank()) {
            dir = Paths.get(configured).resolve("testdata/cert-manager");
        } else {
            for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
                Path candidate = p.resolve("shared/testdata/cert-manager");
                if (Files.isDirectory(candidate)) {
                    dir = candidate;
                    break;
                }
            }
        }
        assertThat(dir)
                .as("cert-manager CRD folder (set -Dfloe.shared.dir=<repo>/../shared)")
                .isNotNull()
                .isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> yamls = files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
            assertThat(yamls).as("CRD files in %s", dir).isNotEmpty();
            return yamls;
        }
    }

    /**
     * Fails with a useful message before kube-api-test starts when no binaries are on disk: kube-api-test
     * would otherwise try to download them (offline mode cannot be set from the annotation in 7.5.2)
     * and fail with a network error.
     */
    static final class RequireLocalKubeBinaries implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            String env = System.getenv("KUBE_API_TEST_DIR");
            Path k8s = (env != null && !env.isBlank()
                            ? Paths.get(env)
                            : Paths.get(System.getProperty("user.home"), ".kubeapitest"))
                    .resolve("k8s");
            boolean found = false;
            if (Files.isDirectory(k8s)) {
                try (Stream<Path> dirs = Files.list(k8s)) {
                    found = dirs.anyMatch(d -> Files.isExecutable(d.resolve("kube-apiserver"))
                            && Files.isExecutable(d.resolve("etcd"))
                            && Files.isExecutable(d.resolve("kubectl")));
                }
            }
            assertThat(found)
                    .as(
                            "no kube-apiserver/etcd/kubectl under %s/<version>-linux-amd64; run tools/kube/build.sh"
                                    + " (or point KUBE_API_TEST_DIR at its output)",
                            k8s)
                    .isTrue();
        }
    }
}
