package dev.floe.catalog.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files: certificate chains and unencrypted private keys in PKCS#8 ({@code PRIVATE KEY})
 * or PKCS#1/SEC1 ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}), RSA or EC. Errors name the file
 * but never include its content, since a key file's bytes are secret.
 */
public final class PemFiles {

    private PemFiles() {}

    /** All certificates in {@code file}, leaf first as written. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** Certificates parsed from PEM text; {@code source} names the origin in error messages. */
    public static List<X509Certificate> parseCertificates(String pem, String source) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("invalid certificate in " + source + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException("no PEM certificate (-----BEGIN CERTIFICATE-----) found in " + source);
        }
        return out;
    }

    /** The single private key in {@code file}. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parsePrivateKey(new String(bytes, StandardCharsets.US_ASCII), file.toString());
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A private key parsed from PEM text; {@code source} names the origin in error messages. */
    public static PrivateKey parsePrivateKey(String pem, String source) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = new StringReader(pem);
                PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PrivateKeyInfo info) { // PKCS#8
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) { // PKCS#1 RSA or SEC1 EC
                    // The public half may be absent (SEC1 EC keys without it): only the private part is needed.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException("private key in " + source
                            + " is encrypted; provide an unencrypted PKCS#8 or PKCS#1 PEM key");
                }
            }
        } catch (org.bouncycastle.openssl.PEMException e) {
            // The message of a parse failure does not contain key bytes, only the structure problem.
            throw new IOException("unreadable private key in " + source + ": " + e.getMessage(), e);
        }
        throw new IOException("no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found in " + source);
    }
}
