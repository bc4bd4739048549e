package dev.floe.catalog.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsMaterialTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CertificateGenerator.KeyType.class)
    void loadsPkcs8AndPkcs1KeysOfBothAlgorithms(CertificateGenerator.KeyType type) throws Exception {
        CertificateGenerator.Generated generated = CertificateGenerator.generate(new CertificateGenerator.Request(
                "catalog.test", List.of("localhost", "127.0.0.1"), Duration.ofDays(1), type));
        generated.writeTo(dir);
        String pkcs8 = Files.readString(dir.resolve("tls.key"));
        assertThat(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----");

        TlsMaterial fromPkcs8 = TlsMaterial.load(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertThat(fromPkcs8.key().getAlgorithm()).isEqualTo(type.name());
        assertThat(fromPkcs8.keyMatchesCertificate()).isTrue();

        Path pkcs1 = dir.resolve("tls-traditional.key");
        Files.writeString(pkcs1, traditional(generated.server().key()));
        assertThat(Files.readString(pkcs1))
                .startsWith(
                        type == CertificateGenerator.KeyType.RSA
                                ? "-----BEGIN RSA PRIVATE KEY-----"
                                : "-----BEGIN EC PRIVATE KEY-----");
        TlsMaterial fromPkcs1 = TlsMaterial.load(dir.resolve("tls.crt"), pkcs1);
        assertThat(fromPkcs1.key().getAlgorithm()).isEqualTo(type.name());
        assertThat(fromPkcs1.keyMatchesCertificate()).isTrue();
        assertThat(fromPkcs1.leaf().getSubjectAlternativeNames()).hasSize(3);
    }

    @Test
    void refusesKeyThatDoesNotMatchCertificate() throws Exception {
        CertificateGenerator.Generated one = CertificateGenerator.generate(request());
        CertificateGenerator.Generated two = CertificateGenerator.generate(request());
        Files.writeString(
                dir.resolve("a.crt"), CertificateGenerator.pem(one.server().leaf()));
        Files.writeString(
                dir.resolve("b.key"), CertificateGenerator.pem(two.server().key()));
        assertThatThrownBy(() -> TlsMaterial.load(dir.resolve("a.crt"), dir.resolve("b.key")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void refusesEncryptedKeyWithoutPrintingIt() throws Exception {
        CertificateGenerator.Generated one = CertificateGenerator.generate(request());
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(
                    one.server().key(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                            .setPassword("pw".toCharArray())
                            .build()));
        }
        Path key = dir.resolve("enc.key");
        Files.writeString(key, out.toString());
        assertThatThrownBy(() -> PemFiles.readPrivateKey(key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("encrypted")
                .message()
                .doesNotContain("MII");
    }

    @Test
    void namesFileWhenNoKeyOrCertificateIsPresent() throws Exception {
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "not a pem\n");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(empty)).hasMessageContaining("empty.pem");
        assertThatThrownBy(() -> PemFiles.readCertificates(empty)).hasMessageContaining("empty.pem");
    }

    @Test
    void toStringNeverShowsTheKey() {
        CertificateGenerator.Generated one = CertificateGenerator.generate(request());
        assertThat(one.server().toString()).contains("CN=catalog.test").doesNotContain("PRIVATE");
    }

    @Test
    void generatedServerCertificateChainsToGeneratedCa() throws Exception {
        CertificateGenerator.Generated one = CertificateGenerator.generate(request());
        one.server().leaf().verify(one.ca().leaf().getPublicKey());
        assertThat(one.ca().leaf().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(one.server().leaf().getBasicConstraints()).isEqualTo(-1);
        assertThat(one.server().leaf().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    }

    private static CertificateGenerator.Request request() {
        return new CertificateGenerator.Request(
                "catalog.test", List.of(), Duration.ofDays(1), CertificateGenerator.KeyType.EC);
    }

    /** The key as OpenSSL's "traditional" PEM: PKCS#1 for RSA, SEC1 with a named curve for EC. */
    private static String traditional(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (key instanceof java.security.interfaces.ECPrivateKey ec) {
                org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        256, ec.getS(), org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1);
                writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } else {
                writer.writeObject(key); // BouncyCastle writes an RSA key as PKCS#1
            }
        }
        return out.toString();
    }
}
