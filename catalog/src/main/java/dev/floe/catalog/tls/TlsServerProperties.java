package dev.floe.catalog.tls;

import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Micronaut properties that turn on Floe's TLS profile: TLS 1.3 and 1.2 only, AEAD cipher suites
 * with forward secrecy, key material from {@link ReloadingPemCertificateProvider} (hot reload), and
 * optionally required client certificates (mTLS). The {@code serve} command merges these into the
 * application context it starts.
 */
public final class TlsServerProperties {

    /** Protocols offered; TLS 1.1 and older are refused (RFC 8996). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3 suites, then TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305 (Mozilla "intermediate"). */
    public static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsServerProperties() {}

    /**
     * Properties for a TLS listener on {@code port}.
     *
     * @param certFile       PEM certificate chain
     * @param keyFile        PEM private key (PKCS#8 or PKCS#1, RSA or EC)
     * @param clientCaFile   PEM CA bundle; when set, clients must present a certificate it signed
     * @param port           the HTTPS port ({@code -1} for a random one)
     * @param reloadInterval how often the files are checked for renewal
     */
    public static Map<String, Object> of(
            Path certFile, Path keyFile, @Nullable Path clientCaFile, int port, Duration reloadInterval) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("floe.tls.cert", certFile.toString());
        props.put("floe.tls.key", keyFile.toString());
        props.put("floe.tls.reload-interval", reloadInterval.toMillis() + "ms");
        props.put("micronaut.server.ssl.enabled", true);
        props.put("micronaut.server.ssl.port", port);
        props.put("micronaut.server.ssl.key-name", ReloadingPemCertificateProvider.NAME);
        props.put("micronaut.server.ssl.key.password", ReloadingPemCertificateProvider.KEY_STORE_PASSWORD);
        props.put("micronaut.server.ssl.protocols", PROTOCOLS);
        props.put("micronaut.server.ssl.ciphers", CIPHERS);
        // The plain HTTP listener is switched off: a TLS server answers only on its TLS port.
        props.put("micronaut.server.dual-protocol", false);
        if (clientCaFile != null) {
            props.put("floe.tls.client-ca", clientCaFile.toString());
            props.put("micronaut.server.ssl.trust-name", ReloadingPemCertificateProvider.NAME);
            props.put("micronaut.server.ssl.client-authentication", "NEED");
        }
        return props;
    }
}
