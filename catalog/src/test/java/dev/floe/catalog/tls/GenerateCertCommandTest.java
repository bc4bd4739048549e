package dev.floe.catalog.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.cli.GenerateCertCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCertCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesCaAndServerPemFilesWithRequestedNames() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCertCommand());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(
                "--common-name",
                "cat.example.svc",
                "--san",
                "localhost,127.0.0.1",
                "--san",
                "other.example",
                "--out",
                dir.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("tls.crt").doesNotContain("PRIVATE KEY");
        TlsMaterial server = TlsMaterial.load(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        X509Certificate ca = PemFiles.readCertificates(dir.resolve("ca.crt")).get(0);
        server.leaf().verify(ca.getPublicKey());
        List<String> sans = server.leaf().getSubjectAlternativeNames().stream()
                .map(san -> san.get(1).toString())
                .toList();
        assertThat(sans).containsExactly("cat.example.svc", "localhost", "127.0.0.1", "other.example");
        assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void rejectsMissingCommonName() {
        CommandLine cli = new CommandLine(new GenerateCertCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("--out", dir.toString())).isEqualTo(2);
    }
}
