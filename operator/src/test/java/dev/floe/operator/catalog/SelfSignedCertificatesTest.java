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
        var material = SelfSignedCertificates.issue("demo", List.of("demo", "demo.ns.svc"), Duration.ofDays(10), Duration.ofDays(5));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        var ca = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(material.caCertificate().getBytes(StandardCharsets.US_ASCII)));
        var leaf = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(material.certificate().getBytes(StandardCharsets.US_ASCII)));

        leaf.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList()).containsExactly("demo", "demo.ns.svc");
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(material.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(material.toString()).doesNotContain("PRIVATE KEY");
    }
}
