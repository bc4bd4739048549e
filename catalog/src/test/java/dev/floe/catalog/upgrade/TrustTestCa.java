package dev.floe.catalog.upgrade;

import dev.floe.catalog.tls.PemFiles;
import dev.floe.catalog.tls.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.iceberg.rest.auth.TLSConfigurer;

/**
 * Makes Iceberg's own REST client trust a test's generated CA ({@code rest.client.tls.configurer-impl}),
 * read from the catalog property {@link #CA_FILE}, as an engine configured with a private CA would.
 */
public final class TrustTestCa implements TLSConfigurer {

    /** Catalog property naming the CA certificate's PEM file. */
    public static final String CA_FILE = "floe.test.ca-file";

    private SSLContext context;

    @Override
    public void initialize(Map<String, String> properties) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(TlsMaterial.trustStore(PemFiles.readCertificates(Path.of(properties.get(CA_FILE)))));
            context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SSLContext sslContext() {
        return context;
    }
}
