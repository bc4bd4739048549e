package dev.floe.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void flagsOverrideEnvironmentOverrideFileOverrideDefaults() throws Exception {
        Path toml = dir.resolve("floe.toml");
        Files.writeString(toml, """
                [server]
                host = "127.0.0.1"
                port = 9000
                max_request_bytes = 2048
                [storage]
                url = "postgresql://db.internal/floe"
                [warehouse]
                location = "s3://bucket/wh"
                [warehouses.analytics]
                location = "s3://bucket/analytics/"
                [kms]
                provider = "vault"
                vault_addr = "https://vault:8200"
                """);
        FloeConfig config = new ConfigLoader()
                .file(toml)
                .environment(Map.of("FLOE_SERVER_PORT", "9100", "FLOE_KMS_KEY_NAME", "floe"))
                .flag(ConfigKeys.SERVER_PORT, "--port", 9200)
                .load();
        assertThat(config.server().port()).isEqualTo(9200);
        assertThat(config.server().maxRequestBytes()).isEqualTo(2048);
        assertThat(config.storage().kind()).isEqualTo(StorageSettings.Kind.POSTGRESQL);
        assertThat(config.warehouse().defaultLocation()).isEqualTo("s3://bucket/wh");
        assertThat(config.warehouse().locations()).containsEntry("analytics", "s3://bucket/analytics");
        assertThat(config.kms().provider()).isEqualTo("vault");
        assertThat(config.kms().vaultAddr()).isEqualTo("https://vault:8200");
        assertThat(config.kms().keyName()).isEqualTo("floe");
    }

    @Test
    void defaultsPutEverythingUnderDotFloe() {
        FloeConfig config = new ConfigLoader().load();
        assertThat(config.server().port()).isEqualTo(8181);
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.storage().directory())
                .isEqualTo(Path.of(".floe").toAbsolutePath().normalize());
        assertThat(config.warehouse().defaultLocation())
                .endsWith("/.floe/warehouse")
                .startsWith("file:/");
    }

    @Test
    void badValuesNameTheKeyAndTheAcceptedValues() {
        assertThatThrownBy(() -> new ConfigLoader()
                        .flag(ConfigKeys.SERVER_PORT, "--port", "99999")
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port")
                .hasMessageContaining("--port")
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of("FLOE_KMS_PROVIDER", "hsm"))
                        .load())
                .hasMessageContaining("kms.provider")
                .hasMessageContaining("local, env, aws, gcp, azure, vault");
        assertThatThrownBy(() -> new ConfigLoader()
                        .flag(ConfigKeys.STORAGE_URL, "--storage", "mysql://x")
                        .load())
                .hasMessageContaining("storage.url")
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> new ConfigLoader()
                        .flag(ConfigKeys.WAREHOUSE_NAME, "test", "namespaces")
                        .load())
                .hasMessageContaining("warehouse.name");
    }

    @Test
    void unknownKeysInTheFileAreRejected() throws Exception {
        Path toml = dir.resolve("typo.toml");
        Files.writeString(toml, "[server]\nprot = 1\n");
        assertThatThrownBy(() -> new ConfigLoader().file(toml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.prot")
                .hasMessageContaining("server.port");
    }

    @Test
    void devModeRefusesNonLoopbackHosts() {
        assertThatThrownBy(() -> new ConfigLoader()
                        .dev(true)
                        .flag(ConfigKeys.SERVER_HOST, "--host", "0.0.0.0")
                        .load())
                .hasMessageContaining("server.host")
                .hasMessageContaining("loopback");
    }

    @Test
    void generatedTemplateParsesBackToTheDefaults() throws Exception {
        Path toml = dir.resolve("generated.toml");
        Files.writeString(toml, ConfigLoader.commentedTemplate());
        FloeConfig fromTemplate = new ConfigLoader().file(toml).load();
        assertThat(fromTemplate).isEqualTo(new ConfigLoader().load());
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(ConfigLoader.commentedTemplate()).contains(key.name()).contains(key.envName());
        }
    }

    @Test
    void s3OptionsComeFromTheWarehouseTableOrTheEnvironment() throws Exception {
        assertThat(new ConfigLoader().load().warehouse().s3()).isEqualTo(new WarehouseSettings.S3("", "", false));
        Path toml = dir.resolve("s3.toml");
        // As the operator writes it (operator/.../catalog/CatalogToml.java) from spec.warehouse.s3.
        Files.writeString(toml, """
                [warehouse]
                location = "s3://bucket/wh"
                s3_endpoint = "http://s3.floe.svc:8080"
                s3_region = "eu-west-3"
                s3_path_style_access = true
                """);
        assertThat(new ConfigLoader().file(toml).load().warehouse().s3())
                .isEqualTo(new WarehouseSettings.S3("http://s3.floe.svc:8080", "eu-west-3", true));
        assertThat(new ConfigLoader()
                        .file(toml)
                        .environment(Map.of(
                                "FLOE_WAREHOUSE_S3_ENDPOINT", "https://minio.example:9000",
                                "FLOE_WAREHOUSE_S3_REGION", "us-east-1",
                                "FLOE_WAREHOUSE_S3_PATH_STYLE_ACCESS", "false"))
                        .load()
                        .warehouse()
                        .s3())
                .isEqualTo(new WarehouseSettings.S3("https://minio.example:9000", "us-east-1", false));
    }

    @Test
    void s3PathStyleAccessTakesOnlyTrueOrFalse() throws Exception {
        for (String bad : new String[] {"yes", "1", "TRUE", "ture", ""}) {
            assertThatThrownBy(() -> new ConfigLoader()
                            .environment(Map.of("FLOE_WAREHOUSE_S3_PATH_STYLE_ACCESS", bad))
                            .load())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("warehouse.s3_path_style_access")
                    .hasMessageContaining("FLOE_WAREHOUSE_S3_PATH_STYLE_ACCESS")
                    .hasMessageContaining("accepted: true or false");
        }
        Path toml = dir.resolve("quoted.toml");
        Files.writeString(toml, "[warehouse]\ns3_path_style_access = \"on\"\n");
        assertThatThrownBy(() -> new ConfigLoader().file(toml).load())
                .hasMessageContaining("warehouse.s3_path_style_access")
                .hasMessageContaining("'on'")
                .hasMessageContaining(toml.toString())
                .hasMessageContaining("true or false");
        assertThat(ConfigLoader.commentedTemplate())
                .contains(
                        "(one of: true, false) — env FLOE_WAREHOUSE_S3_PATH_STYLE_ACCESS\ns3_path_style_access = false\n");
    }

    @Test
    void s3EndpointMustBeAnHttpUrlAndIsNotEchoedWhenItHoldsUserInformation() {
        for (String bad : new String[] {"s3.floe.svc:8080", "ftp://s3.floe.svc", "http://", "http:// bad"}) {
            assertThatThrownBy(() -> new ConfigLoader()
                            .environment(Map.of("FLOE_WAREHOUSE_S3_ENDPOINT", bad))
                            .load())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("warehouse.s3_endpoint")
                    .hasMessageContaining("absolute http:// or https:// URL");
        }
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of("FLOE_WAREHOUSE_S3_ENDPOINT", "http://AKIA:s3cr3t@s3.floe.svc:8080"))
                        .load())
                .hasMessageContaining("warehouse.s3_endpoint")
                .hasMessageContaining("no user information")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void shutdownDrainIsOffByDefaultAndTakesWholeSecondsUpToAMinute() {
        assertThat(new ConfigLoader().load().server().shutdownDrain()).isZero();
        assertThat(new ConfigLoader()
                        .environment(Map.of("FLOE_SERVER_SHUTDOWN_DRAIN_SECONDS", "2"))
                        .load()
                        .server()
                        .shutdownDrain())
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of("FLOE_SERVER_SHUTDOWN_DRAIN_SECONDS", "61"))
                        .load())
                .hasMessageContaining("server.shutdown_drain_seconds")
                .hasMessageContaining("0 to 60");
    }

    @Test
    void managementPortComesFromFileEnvironmentOrFlagAndMustDifferFromTheApiPort() throws Exception {
        assertThat(new ConfigLoader().load().server().hasManagementPort()).isFalse();
        Path toml = dir.resolve("mgmt.toml");
        Files.writeString(toml, "[server]\nmanagement_port = 9090\n");
        assertThat(new ConfigLoader().file(toml).load().server().managementPort())
                .isEqualTo(9090);
        assertThat(new ConfigLoader()
                        .file(toml)
                        .environment(Map.of("FLOE_SERVER_MANAGEMENT_PORT", "9091"))
                        .load()
                        .server()
                        .managementPort())
                .isEqualTo(9091);
        assertThat(new ConfigLoader()
                        .file(toml)
                        .flag(ConfigKeys.SERVER_MANAGEMENT_PORT, "--management-port", 9092)
                        .load()
                        .server()
                        .managementPort())
                .isEqualTo(9092);
        assertThatThrownBy(() -> new ConfigLoader()
                        .flag(ConfigKeys.SERVER_MANAGEMENT_PORT, "--management-port", "http")
                        .load())
                .hasMessageContaining("server.management_port")
                .hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> new ConfigLoader()
                        .flag(ConfigKeys.SERVER_MANAGEMENT_PORT, "--management-port", 8181)
                        .load())
                .hasMessageContaining("server.management_port")
                .hasMessageContaining("other than server.port");
    }

    @Test
    void secretFileKeysMustNameReadableFilesAndComeFromFloeFileVariablesToo() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "pw\n");
        Path creds = Files.createDirectories(dir.resolve("s3-credentials"));
        FloeConfig config = new ConfigLoader()
                .environment(Map.of(
                        "FLOE_STORAGE_URL", "postgresql://db/floe",
                        "FLOE_STORAGE_PASSWORD_FILE", password.toString(),
                        "FLOE_WAREHOUSE_CREDENTIALS_DIR", creds.toString()))
                .load();
        assertThat(config.storage().passwordFile()).isEqualTo(password.toString());
        assertThat(config.storage().usernameFile()).isEmpty();
        assertThat(config.warehouse().s3().credentialsDir()).isEqualTo(creds.toString());

        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of(
                                "FLOE_STORAGE_PASSWORD_FILE",
                                dir.resolve("missing").toString()))
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.password_file")
                .hasMessageContaining("does not exist or is not readable");
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of("FLOE_WAREHOUSE_CREDENTIALS_DIR", password.toString()))
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.credentials_dir")
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of(
                                "FLOE_KMS_PROVIDER",
                                "vault",
                                "FLOE_KMS_VAULT_ADDR",
                                "https://vault:8200",
                                "FLOE_KMS_KEY_NAME",
                                "k",
                                "FLOE_KMS_VAULT_TOKEN_FILE",
                                dir.resolve("missing").toString()))
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kms.vault_token_file");
    }
}
