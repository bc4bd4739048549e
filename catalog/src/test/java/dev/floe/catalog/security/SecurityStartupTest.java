package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityStartupTest {

    @TempDir
    Path dir;

    @Test
    void refusesPlainHttpWithoutDevOrInsecureHttp() {
        assertThatThrownBy(() -> SecurityStartup.plan(options(false, false, null, null)))
                .hasMessageContaining("TLS is required")
                .hasMessageContaining("--insecure-http");
    }

    @Test
    void insecureHttpStartsButWarns() {
        SecurityStartup.Plan plan = SecurityStartup.plan(options(false, true, null, null));
        assertThat(plan.tls()).isFalse();
        assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("--insecure-http"));
    }

    @Test
    void tlsNeedsCertAndKeyTogether() {
        assertThatThrownBy(() -> SecurityStartup.plan(options(false, false, dir.resolve("c"), null)))
                .hasMessageContaining("--tls-cert and --tls-key");
        SecurityStartup.Plan plan = SecurityStartup.plan(options(false, false, dir.resolve("c"), dir.resolve("k")));
        assertThat(plan.tls()).isTrue();
        assertThat(plan.properties())
                .containsEntry("micronaut.server.ssl.enabled", true)
                .containsEntry("micronaut.server.ssl.protocols", java.util.List.of("TLSv1.3", "TLSv1.2"));
    }

    @Test
    void devCreatesAnAdminKeyOnceAndKeepsItAcrossRestarts() throws Exception {
        SecurityStartup.Plan first = SecurityStartup.plan(options(true, false, null, null));
        SecurityStartup.Plan second = SecurityStartup.plan(options(true, false, null, null));
        assertThat(first.devAdminKey()).isPresent();
        assertThat(ApiKeyCredential.parse(first.devAdminKey().get())).isPresent();
        assertThat(second.devAdminKey()).isEqualTo(first.devAdminKey());
        assertThat(first.toString()).doesNotContain(first.devAdminKey().get());
        assertThat(Files.getPosixFilePermissions(dir.resolve("dev-admin.key")))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void acceptsTheTlsAndAuthSectionsTheOperatorWrites() throws Exception {
        Path toml = Files.writeString(
                dir.resolve("catalog.toml"),
                String.join(
                        "\n",
                        "[storage]",
                        "url = \"file://" + dir.resolve("db") + "\"",
                        "[tls]",
                        "cert = \"/etc/floe/tls/tls.crt\"",
                        "key = \"/etc/floe/tls/tls.key\"",
                        "[auth]",
                        "oidc_issuer = \"https://idp.example\"",
                        "oidc_audience = \"floe\"",
                        "oidc_roles_claim = \"groups\"",
                        ""));
        dev.floe.catalog.config.ConfigLoader loader = new dev.floe.catalog.config.ConfigLoader().file(toml);
        loader.load();
        assertThat(loader.value(dev.floe.catalog.config.ConfigKeys.TLS_CERT)).isEqualTo("/etc/floe/tls/tls.crt");
        assertThat(loader.value(dev.floe.catalog.config.ConfigKeys.AUTH_OIDC_ROLES_CLAIM))
                .isEqualTo("groups");
    }

    private SecurityStartup.Options options(boolean dev, boolean insecure, Path cert, Path key) {
        return new SecurityStartup.Options(dev, insecure, cert, key, null, 8181, dir, null);
    }
}
