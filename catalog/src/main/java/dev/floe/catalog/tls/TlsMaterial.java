package dev.floe.catalog.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server's private key and its certificate chain, checked to belong together, ready to become a
 * {@link KeyStore}. The check matters during hot reload: a renewal may replace the certificate a
 * moment before the key, and such a half-written pair must be refused, not served.
 *
 * @param key   the private key (RSA or EC)
 * @param chain the certificate chain, leaf first
 */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain) {

    /** Alias of the entry in key stores built by {@link #toKeyStore}. */
    public static final String ALIAS = "floe-server";

    public TlsMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain is empty");
        }
    }

    /** Loads and cross-checks the PEM certificate chain and private key. */
    public static TlsMaterial load(Path certFile, Path keyFile) throws IOException {
        TlsMaterial material = new TlsMaterial(PemFiles.readPrivateKey(keyFile), PemFiles.readCertificates(certFile));
        if (!material.keyMatchesCertificate()) {
            throw new IOException("private key " + keyFile + " does not match the certificate in " + certFile);
        }
        return material;
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Whether the key signs what the leaf's public key verifies: a proof they are one pair. */
    public boolean keyMatchesCertificate() {
        try {
            String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "floe-key-match-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf().getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** An in-memory PKCS#12 key store holding this pair under {@link #ALIAS}. */
    public KeyStore toKeyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }

    /** An in-memory trust store holding {@code certificates} as trusted entries. */
    public static KeyStore trustStore(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory trust store: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // Never print the key.
        return "TlsMaterial[subject=" + leaf().getSubjectX500Principal().getName() + ", serial="
                + leaf().getSerialNumber().toString(16) + "]";
    }
}
