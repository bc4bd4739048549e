package dev.floe.catalog.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * moto's server (a real implementation of the AWS KMS JSON protocol, from PyPI) on a random
 * loopback port, installed by {@code tools/kms/install-moto.sh}. It keeps keys in memory, so a
 * restart forgets them.
 */
public final class MotoKms implements AutoCloseable {

    private final ExternalServer server;

    public MotoKms(Path logDir) {
        Path motoServer = ExternalServer.runToolScript("install-moto.sh");
        int port = ExternalServer.freePort();
        server = new ExternalServer(
                List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                Map.of(),
                logDir.resolve("moto.log"),
                port);
    }

    public MotoKms start() {
        server.start();
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public ExternalServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
