package dev.floe.catalog.tls;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.ssl.CertificateProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Sinks;

/**
 * The server's TLS key material from PEM files, re-read when the files change on disk.
 *
 * <p>Micronaut's Netty server (4.10+) subscribes to {@link #getKeyStore()} through
 * {@code micronaut.server.ssl.key-name=floe} and builds a new {@code SslContext} for every key store
 * emitted; connections already open keep the context they were accepted with, so a renewal never
 * drops a connection. Change detection hashes the files' content on a timer rather than relying on
 * file-system events, because Kubernetes (and so cert-manager) replaces a mounted Secret's files by
 * swapping a {@code ..data} symlink, which file watchers on the visible names do not reliably see.
 * A changed pair that fails to load or whose key does not match its certificate (a renewal caught
 * half-way) is logged and retried on the next tick; the previous pair stays in service.
 */
@Singleton
@Named(ReloadingPemCertificateProvider.NAME)
@Requires(property = "floe.tls.cert")
public final class ReloadingPemCertificateProvider implements CertificateProvider, AutoCloseable {

    /** The provider name Micronaut's SSL configuration refers to. */
    public static final String NAME = "floe";
    /** Password of the in-memory key store; not a secret, the store never leaves the process. */
    public static final String KEY_STORE_PASSWORD = "floe-in-memory";

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingPemCertificateProvider.class);

    private final Path certFile;
    private final Path keyFile;
    private final @Nullable Path clientCaFile;
    private final Sinks.Many<KeyStore> keyStores = Sinks.many().replay().latest();
    private final Sinks.Many<KeyStore> trustStores = Sinks.many().replay().latest();
    private final AtomicReference<byte[]> loadedFingerprint = new AtomicReference<>();
    private final AtomicReference<TlsMaterial> current = new AtomicReference<>();
    private final ScheduledExecutorService timer;

    /**
     * Loads the files now (failing start-up if they are unusable) and starts watching them.
     *
     * @param certFile       PEM certificate chain, leaf first
     * @param keyFile        PEM private key
     * @param clientCaFile   PEM CA certificates that client certificates must chain to (mTLS), or null
     * @param reloadInterval how often the files are checked for changes
     */
    public ReloadingPemCertificateProvider(
            @Value("${floe.tls.cert}") Path certFile,
            @Value("${floe.tls.key}") Path keyFile,
            @Nullable @Value("${floe.tls.client-ca:}") Path clientCaFile,
            @Value("${floe.tls.reload-interval:10s}") Duration reloadInterval) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.clientCaFile = clientCaFile == null || clientCaFile.toString().isBlank() ? null : clientCaFile;
        try {
            reload(true);
        } catch (IOException e) {
            throw new IllegalStateException("TLS: " + e.getMessage(), e);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "floe-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(50, reloadInterval.toMillis());
        timer.scheduleWithFixedDelay(this::checkForChange, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Publisher<KeyStore> getKeyStore() {
        return keyStores.asFlux();
    }

    @Override
    public Publisher<KeyStore> getTrustStore() {
        return trustStores.asFlux();
    }

    /** The pair currently served to new connections. */
    public TlsMaterial current() {
        return current.get();
    }

    /** Checks the files now; called by the timer and usable by tests or a SIGHUP-style trigger. */
    public void checkForChange() {
        try {
            reload(false);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "TLS files changed but cannot be loaded yet, keeping the previous certificate: {}", e.getMessage());
        }
    }

    private synchronized void reload(boolean initial) throws IOException {
        byte[] fingerprint = fingerprint();
        if (!initial && Arrays.equals(fingerprint, loadedFingerprint.get())) {
            return;
        }
        TlsMaterial material = TlsMaterial.load(certFile, keyFile);
        KeyStore trust = clientCaFile == null
                ? TlsMaterial.trustStore(java.util.List.of())
                : TlsMaterial.trustStore(PemFiles.readCertificates(clientCaFile));
        current.set(material);
        loadedFingerprint.set(fingerprint);
        trustStores.tryEmitNext(trust);
        keyStores.tryEmitNext(material.toKeyStore(KEY_STORE_PASSWORD.toCharArray()));
        LOG.info(
                "TLS certificate {}: subject={}, serial={}, expires={}",
                initial ? "loaded" : "reloaded",
                material.leaf().getSubjectX500Principal().getName(),
                material.leaf().getSerialNumber().toString(16),
                material.leaf().getNotAfter().toInstant());
    }

    /** SHA-256 over the current content of every watched file (following symlinks). */
    private byte[] fingerprint() throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : clientCaFile == null
                    ? new Path[] {certFile, keyFile}
                    : new Path[] {certFile, keyFile, clientCaFile}) {
                byte[] content = Files.readAllBytes(file);
                digest.update(content);
                Arrays.fill(content, (byte) 0);
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
