package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificatesTest {
    @Test
    void leafIsSignedByTheCaAndNamesTheServiceDnsNames() throws Exception {
        var material = SelfSignedCertificates.issue(
                "demo", List.of("demo", "demo.ns.svc"), Duration.ofDays(10), Duration.ofDays(5));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        var ca = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(material.caCertificate().getBytes(StandardCharsets.US_ASCII)));
        var leaf = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(material.certificate().getBytes(StandardCharsets.US_ASCII)));

        leaf.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames().stream()
                        .map(san -> (Object) san.get(1))
                        .toList())
                .containsExactly("demo", "demo.ns.svc");
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(material.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(material.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void renewalKeepsTheCaAndIsDueAfterTwoThirdsOfTheLifetime() throws Exception {
        var first = SelfSignedCertificates.issue("demo", List.of("demo"), Duration.ofDays(10), Duration.ofHours(3));
        var renewed = SelfSignedCertificates.renew(
                first.caCertificate(), first.caPrivateKey(), "demo", List.of("demo"), Duration.ofHours(3));
        assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
        assertThat(renewed.privateKey()).isNotEqualTo(first.privateKey());
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        var ca = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(first.caCertificate().getBytes(StandardCharsets.US_ASCII)));
        var leaf = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(renewed.certificate().getBytes(StandardCharsets.US_ASCII)));
        leaf.verify(ca.getPublicKey());

        var due = SelfSignedCertificates.renewalTime(renewed.certificate(), Duration.ofHours(3));
        assertThat(due).isEqualTo(leaf.getNotAfter().toInstant().minus(Duration.ofHours(1)));
        assertThat(SelfSignedCertificates.outlives(first.caCertificate(), Duration.ofDays(9)))
                .isTrue();
        assertThat(SelfSignedCertificates.outlives(first.caCertificate(), Duration.ofDays(11)))
                .isFalse();
    }

    @Test
    void parsesTheGoDurationsTheCrdAccepts() {
        assertThat(GoDuration.parse("2160h")).isEqualTo(Duration.ofDays(90));
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoDuration.parse("3d"))
                .hasMessageContaining("3d");
    }
}
