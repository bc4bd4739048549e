package dev.floe.catalog.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a private certificate authority and a server certificate it signs (BouncyCastle), for
 * development and for clusters without cert-manager. Keys are EC P-256 by default or RSA 3072.
 */
public final class CertificateGenerator {

    /** Key algorithm of generated keys. */
    public enum KeyType {
        EC,
        RSA
    }

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What to generate.
     *
     * @param commonName    the server certificate's CN, also added as a DNS subject alternative name
     * @param subjectAltNames extra DNS names or IP addresses
     * @param validity      how long the server certificate is valid (the CA: ten times longer)
     * @param keyType       EC or RSA
     */
    public record Request(String commonName, List<String> subjectAltNames, Duration validity, KeyType keyType) {
        public Request {
            if (commonName == null || commonName.isBlank()) {
                throw new IllegalArgumentException("common name must not be empty");
            }
            subjectAltNames = List.copyOf(subjectAltNames);
        }
    }

    /**
     * The generated CA and server pair.
     *
     * @param ca     the CA certificate and key
     * @param server the server certificate (signed by the CA) and key
     */
    public record Generated(TlsMaterial ca, TlsMaterial server) {

        /**
         * Writes {@code ca.crt}, {@code ca.key}, {@code tls.crt} and {@code tls.key} (the names a
         * Kubernetes TLS Secret uses) into {@code dir}; keys are readable by the owner only.
         */
        public List<Path> writeTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            List<Path> written = new ArrayList<>();
            written.add(write(dir.resolve("ca.crt"), pem(ca.leaf()), false));
            written.add(write(dir.resolve("ca.key"), pem(ca.key()), true));
            written.add(write(dir.resolve("tls.crt"), pem(server.leaf()), false));
            written.add(write(dir.resolve("tls.key"), pem(server.key()), true));
            return written;
        }

        private static Path write(Path file, String content, boolean secret) throws IOException {
            Files.deleteIfExists(file);
            if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(
                    file,
                    content,
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            return file;
        }
    }

    private CertificateGenerator() {}

    /** Generates a fresh CA and a server certificate for {@code request}. */
    public static Generated generate(Request request) {
        try {
            Instant now = Instant.now();
            KeyPair caKeys = keyPair(request.keyType());
            X500Principal caName = new X500Principal("CN=Floe CA " + request.commonName() + ",O=Floe");
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(
                    caName,
                    serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(request.validity().multipliedBy(10))),
                    caName,
                    caKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caBuilder.addExtension(
                    Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(caBuilder, caKeys, request.keyType());

            KeyPair serverKeys = keyPair(request.keyType());
            X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(
                    caCert,
                    serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(request.validity())),
                    new X500Principal("CN=" + request.commonName()),
                    serverKeys.getPublic());
            serverBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            serverBuilder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            serverBuilder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            serverBuilder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(request));
            serverBuilder.addExtension(
                    Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate serverCert = sign(serverBuilder, caKeys, request.keyType());

            return new Generated(
                    new TlsMaterial(caKeys.getPrivate(), List.of(caCert)),
                    new TlsMaterial(serverKeys.getPrivate(), List.of(serverCert)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("certificate generation failed: " + e.getMessage(), e);
        }
    }

    /** PEM text of a certificate or key (PKCS#8 for keys). */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof java.security.PrivateKey key) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static GeneralNames subjectAltNames(Request request) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, request.commonName()));
        for (String san : request.subjectAltNames()) {
            String value = san.trim();
            if (value.isEmpty() || value.equals(request.commonName())) {
                continue;
            }
            boolean ip = IPV4.matcher(value).matches() || value.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, value));
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072, RANDOM);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer, KeyType type)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = type == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
