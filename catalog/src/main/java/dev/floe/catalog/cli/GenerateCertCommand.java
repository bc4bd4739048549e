package dev.floe.catalog.cli;

import dev.floe.catalog.tls.CertificateGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code floe generate-cert}: writes a private CA and a server certificate it signed, as PEM files
 * named like a Kubernetes TLS Secret ({@code ca.crt}, {@code ca.key}, {@code tls.crt},
 * {@code tls.key}), for development and clusters without cert-manager.
 */
@Command(
        name = "generate-cert",
        mixinStandardHelpOptions = true,
        description = "Generate a CA and a server certificate (PEM) for the catalog's TLS listener.")
public final class GenerateCertCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--common-name",
            required = true,
            description = "Server name (CN, also a DNS SAN), e.g. catalog.tenant.svc")
    String commonName;

    @Option(
            names = "--san",
            split = ",",
            description = "Extra DNS names or IP addresses (repeatable or comma-separated)")
    List<String> subjectAltNames = new ArrayList<>();

    @Option(
            names = "--out",
            defaultValue = ".",
            description = "Directory to write ca.crt, ca.key, tls.crt, tls.key (default: current)")
    Path out;

    @Option(
            names = "--days",
            defaultValue = "365",
            description = "Validity of the server certificate in days (CA: ten times longer)")
    int days;

    @Option(names = "--key-type", defaultValue = "EC", description = "EC (P-256, default) or RSA (3072 bit)")
    CertificateGenerator.KeyType keyType;

    @Override
    public Integer call() throws Exception {
        if (days <= 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--days must be positive, got " + days);
        }
        CertificateGenerator.Generated generated = CertificateGenerator.generate(
                new CertificateGenerator.Request(commonName, subjectAltNames, Duration.ofDays(days), keyType));
        for (Path file : generated.writeTo(out)) {
            spec.commandLine().getOut().println("wrote " + file);
        }
        spec.commandLine()
                .getOut()
                .println("serve with: floe serve --tls-cert " + out.resolve("tls.crt") + " --tls-key "
                        + out.resolve("tls.key") + "   (clients trust " + out.resolve("ca.crt") + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
