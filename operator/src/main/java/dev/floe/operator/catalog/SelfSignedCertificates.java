package dev.floe.operator.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a development CA and a server certificate it signs (ECDSA P-256), as PEM, for catalogs
 * with {@code spec.tls.selfSigned}, and renews the server certificate under the same CA, so clients
 * that trust the CA keep working across renewals. Production catalogs use cert-manager or their
 * own Secret.
 */
public final class SelfSignedCertificates {
    /** PEM texts for the Secret's ca.crt, ca.key, tls.crt and tls.key. Keys are PKCS#8. */
    public record Material(String caCertificate, String caPrivateKey, String certificate, String privateKey) {
        @Override
        public String toString() {
            return "Material[certificate=" + certificate.length() + " chars, privateKeys=<redacted>]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Certificates start a little in the past, for clocks slightly behind ours. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private SelfSignedCertificates() {}

    /** A new CA and a server certificate it signs. */
    public static Material issue(String commonName, List<String> dnsNames, Duration caValidity, Duration leafValidity) {
        try {
            KeyPair caKeys = keyPair();
            Instant now = Instant.now();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name caName = new X500Name("CN=" + commonName + " development CA,O=Floe");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                            caName,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(caValidity)),
                            caName,
                            caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys.getPrivate());
            return leaf(caCert, caKeys.getPrivate(), commonName, dnsNames, leafValidity);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not generate the self-signed certificate for " + commonName, e);
        }
    }

    /** A new server certificate signed by the existing CA (PEM certificate and PKCS#8 key). */
    public static Material renew(
            String caCertificatePem,
            String caPrivateKeyPem,
            String commonName,
            List<String> dnsNames,
            Duration leafValidity) {
        try {
            X509Certificate caCert = certificate(caCertificatePem);
            PrivateKey caKey;
            try (PEMParser parser = new PEMParser(new StringReader(caPrivateKeyPem))) {
                caKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
            }
            return leaf(caCert, caKey, commonName, dnsNames, leafValidity);
        } catch (GeneralSecurityException | OperatorCreationException | IOException | ClassCastException e) {
            throw new IllegalStateException("could not renew the self-signed certificate for " + commonName, e);
        }
    }

    /**
     * When the certificate should be replaced: once two thirds of {@code lifetime} have passed,
     * counted back from its expiry (so a shorter requested lifetime takes effect at the next
     * renewal, and the back-dated start does not shorten the window).
     */
    public static Instant renewalTime(String certificatePem, Duration lifetime) {
        try {
            return certificate(certificatePem).getNotAfter().toInstant().minus(lifetime.dividedBy(3));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PEM certificate", e);
        }
    }

    /** Whether the CA outlives a certificate issued now with {@code leafValidity}. */
    public static boolean outlives(String caCertificatePem, Duration leafValidity) {
        try {
            return certificate(caCertificatePem)
                    .getNotAfter()
                    .toInstant()
                    .isAfter(Instant.now().plus(leafValidity));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static X509Certificate certificate(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Material leaf(
            X509Certificate caCert, PrivateKey caKey, String commonName, List<String> dnsNames, Duration leafValidity)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair leafKeys = keyPair();
        Instant now = Instant.now();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        GeneralName[] sans = dnsNames.stream()
                .map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        X509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(
                        caCert,
                        serial(),
                        Date.from(now.minus(BACKDATE)),
                        Date.from(now.plus(leafValidity)),
                        new X500Name("CN=" + commonName + ",O=Floe"),
                        leafKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        X509Certificate leafCert = sign(leaf, caKey);
        return new Material(pem(caCert), pem(caKey), pem(leafCert), pem(leafKeys.getPrivate()));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(
                    o instanceof PrivateKey key
                            ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()
                            : o);
        }
        return out.toString();
    }
}
