package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateConditionBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cert-manager path with cert-manager's real CRDs on a real API server. cert-manager's
 * controller cannot run here, so the test stands in for it: it writes the TLS Secret and marks the
 * Certificate Ready, as cert-manager would after its issuer signed the certificate.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class CertManagerWithStubbedCertManagerIT {
    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static Resources ns;

    @BeforeAll
    static void start() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        Crds.installCertManager(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
        operator = OperatorRunner.start(operatorClient.client());
        ns = new Resources(client, "default");
    }

    @AfterAll
    static void stop() {
        operator.close();
        operatorClient.close();
        client.close();
    }

    /** What cert-manager does once the issuer signed: write the Secret, set Ready=True. */
    static void stubCertManagerIssues(Certificate certificate, String commonName) {
        var material = SelfSignedCertificates.issue(
                commonName, certificate.getSpec().getDnsNames(), Duration.ofDays(30), Duration.ofDays(10));
        client.secrets()
                .inNamespace("default")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(certificate.getSpec().getSecretName())
                        .withAnnotations(Map.of(
                                "cert-manager.io/certificate-name",
                                certificate.getMetadata().getName()))
                        .endMetadata()
                        .withType("kubernetes.io/tls")
                        .withStringData(Map.of(
                                "tls.crt",
                                material.certificate(),
                                "tls.key",
                                material.privateKey(),
                                "ca.crt",
                                material.caCertificate()))
                        .build())
                .forceConflicts()
                .serverSideApply();
        Certificate current = client.resources(Certificate.class)
                .inNamespace("default")
                .withName(certificate.getMetadata().getName())
                .get();
        current.setStatus(new CertificateStatusBuilder()
                .withConditions(new CertificateConditionBuilder()
                        .withType("Ready")
                        .withStatus("True")
                        .withReason("Ready")
                        .withMessage("Certificate is up to date and has not expired")
                        .build())
                .withNotAfter("2030-01-01T00:00:00Z")
                .withRevision(1)
                .build());
        client.resources(Certificate.class)
                .inNamespace("default")
                .resource(current)
                .updateStatus();
    }

    @Test
    void certificateIsRequestedTheDeploymentWaitsAndRenewalLeavesThePodsAlone() {
        ns.localKms("cm-kms", null);
        ns.apply(
                Fixtures.postgresCatalog(
                        "secure",
                        "cm-kms",
                        2,
                        "tls:\n  issuerRef:\n    name: internal-ca\n    kind: ClusterIssuer\n  duration: 720h\n  renewBefore: 240h"));

        Certificate certificate = ns.await(Certificate.class, "secure-tls");
        assertThat(certificate.getSpec().getSecretName()).isEqualTo("secure-tls");
        assertThat(certificate.getSpec().getDnsNames())
                .contains("secure", "secure.default.svc", "secure.default.svc.cluster.local");
        assertThat(certificate.getSpec().getIssuerRef().getName()).isEqualTo("internal-ca");
        assertThat(certificate.getSpec().getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
        assertThat(certificate.getMetadata().getOwnerReferences())
                .anySatisfy(o -> assertThat(o.getName()).isEqualTo("secure"));

        ns.awaitCondition("secure", "TLSReady", "False", "CertificatePending");
        ns.awaitCondition("secure", "Ready", "False", "DeploymentPending");
        assertThat(ns.get(Deployment.class, "secure"))
                .as("the Deployment waits for the certificate")
                .isNull();

        stubCertManagerIssues(certificate, "secure");
        Deployment deployment = ns.await(Deployment.class, "secure");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(
                                v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo("secure-tls"));
        ns.awaitCondition("secure", "TLSReady", "True", "CertificateIssued");
        String hash = deployment
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(CatalogNames.SECRETS_HASH);

        // Renewal: cert-manager rewrites the Secret; the catalog reloads the mounted files itself, so
        // the pod template (and the pods) stay as they are.
        stubCertManagerIssues(certificate, "secure-renewed");
        await().during(Duration.ofSeconds(8))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                ns.get(Deployment.class, "secure").getSpec().getTemplate())
                        .isEqualTo(deployment.getSpec().getTemplate()));
        assertThat(hash).isNotNull();
    }
}
