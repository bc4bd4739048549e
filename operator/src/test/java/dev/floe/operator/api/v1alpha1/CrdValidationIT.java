package dev.floe.operator.api.v1alpha1;

import static dev.floe.operator.testing.Fixtures.catalog;
import static dev.floe.operator.testing.Fixtures.embeddedCatalog;
import static dev.floe.operator.testing.Fixtures.localBinding;
import static dev.floe.operator.testing.Fixtures.postgresCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs, the kustomize base and the samples against a real kube-apiserver: what
 * `kubectl apply` accepts, and that bad resources are rejected with a message before the
 * operator ever sees them.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class CrdValidationIT {
    @KubeConfig
    static String kubeConfigYaml;

    static Path kubeconfig;

    @BeforeAll
    static void installCrds() {
        kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        KubeTools.kubectl(kubeconfig, null, "apply", "--server-side", "-f", "crds/")
                .assertOk();
        KubeTools.kubectl(
                        kubeconfig,
                        null,
                        "wait",
                        "--for=condition=Established",
                        "--timeout=60s",
                        "crd/icebergcatalogs.floe.dev",
                        "crd/kmsbindings.floe.dev")
                .assertOk();
    }

    @Test
    void everySampleIsAccepted() throws IOException {
        try (Stream<Path> samples = Files.list(KubeTools.repoRoot().resolve("deploy/samples"))) {
            for (Path sample : samples.sorted().toList()) {
                var run = KubeTools.kubectl(kubeconfig, null, "apply", "-n", "default", "-f", sample.toString());
                assertThat(run.exitCode()).as(sample + ": " + run.err()).isZero();
            }
        }
        assertThat(KubeTools.kubectl(kubeconfig, null, "get", "floe", "-n", "default", "-o", "name")
                        .assertOk()
                        .out())
                .contains(
                        "icebergcatalog.floe.dev/dev-catalog",
                        "icebergcatalog.floe.dev/analytics",
                        "icebergcatalog.floe.dev/sales",
                        "icebergcatalog.floe.dev/marketing",
                        "icebergcatalog.floe.dev/research",
                        "kmsbinding.floe.dev/analytics-vault",
                        "kmsbinding.floe.dev/marketing-azure-kms",
                        "kmsbinding.floe.dev/research-gcp-kms");
        // Each object store has a sample: S3 (aws-kms-irsa, s3-vending, postgres-vault), ADLS, GCS.
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.items[*].spec.warehouse.location}")
                        .assertOk()
                        .out())
                .contains("s3://", "abfss://", "gs://");
    }

    @Test
    void kustomizeBaseApplies() {
        KubeTools.kubectl(kubeconfig, null, "apply", "-k", "deploy/default").assertOk();
        assertThat(KubeTools.kubectl(
                                kubeconfig, null, "get", "deployment,serviceaccount", "-n", "floe-system", "-o", "name")
                        .assertOk()
                        .out())
                .contains("deployment.apps/floe-operator", "serviceaccount/floe-operator");
    }

    @Test
    void defaultsShortNamesAndPrinterColumnsWork() {
        KubeTools.kubectl(kubeconfig, localBinding("cols-kms", "@daily"), "apply", "-n", "default", "-f", "-")
                .assertOk();
        KubeTools.kubectl(kubeconfig, embeddedCatalog("cols", "cols-kms"), "apply", "-n", "default", "-f", "-")
                .assertOk();
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "cols",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.replicas}/{.spec.image}")
                        .assertOk()
                        .out())
                .as("spec.image has no schema default: the operator resolves it at reconcile time")
                .isEqualTo("1/");
        // The status as the operator writes it (no operator runs here), to read the columns' values.
        KubeTools.kubectl(
                        kubeconfig,
                        null,
                        "patch",
                        "ic",
                        "cols",
                        "-n",
                        "default",
                        "--subresource=status",
                        "--type=merge",
                        "-p",
                        """
                {"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "PodsNotReady", "message": "0 of 1",
                  "lastTransitionTime": "2026-01-01T00:00:00Z"}],
                 "endpoint": "https://cols.default.svc:8443", "readyReplicas": 0, "image": "registry.example/floe:1"}}
                """)
                .assertOk();

        String table = KubeTools.kubectl(kubeconfig, null, "get", "icecat", "cols", "-n", "default")
                .assertOk()
                .out();
        assertThat(columns(table.lines().toList().get(0)))
                .containsExactly("NAME", "READY", "REASON", "REPLICAS", "ENDPOINT", "KMS BINDING", "AGE");
        assertThat(columns(table.lines().toList().get(1)))
                .startsWith("cols", "False", "PodsNotReady", "1", "https://cols.default.svc:8443", "cols-kms");
        String wide = KubeTools.kubectl(kubeconfig, null, "get", "ic", "cols", "-n", "default", "-o", "wide")
                .assertOk()
                .out();
        assertThat(columns(wide.lines().toList().get(0)))
                .containsExactly(
                        "NAME",
                        "READY",
                        "REASON",
                        "REPLICAS",
                        "READY REPLICAS",
                        "ENDPOINT",
                        "KMS BINDING",
                        "IMAGE",
                        "AGE");
        assertThat(columns(wide.lines().toList().get(1)))
                .startsWith(
                        "cols",
                        "False",
                        "PodsNotReady",
                        "1",
                        "0",
                        "https://cols.default.svc:8443",
                        "cols-kms",
                        "registry.example/floe:1");

        String bindings = KubeTools.kubectl(kubeconfig, null, "get", "kmsb", "cols-kms", "-n", "default", "-o", "wide")
                .assertOk()
                .out();
        assertThat(columns(bindings.lines().toList().get(0)))
                .containsExactly("NAME", "READY", "SCHEDULE", "LAST ROTATION", "NEXT ROTATION", "AGE");
    }

    /** The cells of one line of kubectl's table output (columns are separated by at least 3 spaces). */
    static java.util.List<String> columns(String line) {
        return java.util.List.of(line.strip().split("\\s{3,}"));
    }

    @Test
    void explainReadsTheFieldDescriptions() {
        assertThat(KubeTools.kubectl(kubeconfig, null, "explain", "icebergcatalog.spec.storage")
                        .assertOk()
                        .out())
                .contains("exactly one of `embedded`", "postgres");
        assertThat(KubeTools.kubectl(kubeconfig, null, "explain", "kmsbinding.spec.rotation.schedule")
                        .assertOk()
                        .out())
                .contains("Cron schedule");
    }

    static Stream<Arguments> invalidResources() {
        return Stream.of(
                Arguments.of(
                        "two provider blocks",
                        Fixtures.binding("two", "local:\n  keyId: a\naws:\n  keyId: alias/x\n  region: eu-west-1", ""),
                        "set exactly one provider block"),
                Arguments.of("no provider block", Fixtures.binding("none", "", ""), "set exactly one provider block"),
                Arguments.of(
                        "embedded storage with 3 replicas",
                        catalog("three", "kms", 3, "embedded:\n  size: 1Gi", ""),
                        "set spec.replicas to 0 or 1"),
                Arguments.of("bad cron schedule", localBinding("badcron", "every sunday"), "spec.rotation.schedule"),
                Arguments.of("cron with 6 fields", localBinding("sixfields", "0 0 3 * * 0"), "spec.rotation.schedule"),
                Arguments.of(
                        "bindingRef not a Kubernetes name",
                        embeddedCatalog("badref", "My_Binding"),
                        "spec.kms.bindingRef"),
                Arguments.of(
                        "negative replicas",
                        postgresCatalog("negative", "kms", -1, ""),
                        "should be greater than or equal to 0"),
                Arguments.of(
                        "podTemplate.env setting a catalog setting the operator owns",
                        podEnvCatalog("ownedenv", "FLOE_SERVER_PORT", "9000"),
                        "other FLOE_* names are the operator's"),
                Arguments.of(
                        "podTemplate.env setting GOOGLE_APPLICATION_CREDENTIALS",
                        podEnvCatalog("gacenv", "GOOGLE_APPLICATION_CREDENTIALS", "/tmp/key.json"),
                        "use spec.warehouse.credentialsSecret or workloadIdentity"),
                Arguments.of(
                        "podTemplate.env naming a variable twice",
                        podEnvCatalog("twiceenv", "MALLOC_ARENA_MAX", "2")
                                .replace(
                                        "        value: \"2\"\n",
                                        "        value: \"2\"\n      - name: MALLOC_ARENA_MAX\n        value: \"4\"\n"),
                        "podTemplate.env names must be unique"),
                Arguments.of(
                        "podTemplate.env name that is not a variable name",
                        podEnvCatalog("badenvname", "JAVA-OPTS", "x"),
                        "spec.podTemplate.env[0].name"),
                Arguments.of(
                        "unknown field",
                        embeddedCatalog("unknown", "kms").replace("spec:\n", "spec:\n  replica: 2\n"),
                        "unknown field \"spec.replica\""),
                Arguments.of(
                        "both storage kinds",
                        catalog(
                                "bothstorage",
                                "kms",
                                1,
                                "embedded:\n  size: 1Gi\npostgres:\n  url: jdbc:postgresql://db/x\n  credentialsSecret: db",
                                ""),
                        "set exactly one of spec.storage.embedded or spec.storage.postgres"),
                Arguments.of(
                        "two TLS sources",
                        postgresCatalog("twotls", "kms", 2, "tls:\n  selfSigned: true\n  secretName: mine"),
                        "set at most one of spec.tls.issuerRef"),
                Arguments.of(
                        "warehouse scheme",
                        embeddedCatalog("wh", "kms").replace("file:///var/lib/floe/warehouse", "hdfs://nn/wh"),
                        "spec.warehouse.location"),
                Arguments.of(
                        "OIDC jwksUri over plain HTTP",
                        embeddedCatalog("jwks", "kms")
                                .replace(
                                        "spec:\n",
                                        "spec:\n  auth:\n    oidc:\n      issuer: https://idp.example\n      audience: floe\n      jwksUri: http://idp.example/keys\n"),
                        "spec.auth.oidc.jwksUri"),
                Arguments.of(
                        "aws endpoint not a URL",
                        Fixtures.binding(
                                "awsep",
                                "aws:\n  keyId: alias/x\n  region: eu-west-1\n  endpoint: vpce-0123.kms.eu-west-1.vpce.amazonaws.com",
                                ""),
                        "spec.aws.endpoint"),
                Arguments.of(
                        "gcp endpoint over plain HTTP",
                        Fixtures.binding(
                                "gcpep",
                                "gcp:\n  projectId: p\n  location: global\n  keyRing: r\n  cryptoKey: k\n  endpoint: http://cloudkms.internal",
                                ""),
                        "spec.gcp.endpoint"),
                Arguments.of(
                        "azure endpoint without a host",
                        Fixtures.binding(
                                "azep",
                                "azure:\n  vaultUrl: https://v.vault.azure.net\n  keyName: k\n  endpoint: https:///keys",
                                ""),
                        "spec.azure.endpoint"),
                Arguments.of(
                        "vault Kubernetes mount with a space",
                        Fixtures.binding("vmount", "vault:\n  address: https://vault:8200\n  keyName: k", "")
                                .replace(
                                        "secretRef: vmount-credentials",
                                        "vaultKubernetesRole: floe\n    vaultKubernetesMount: k8s prod"),
                        "spec.credentials.vaultKubernetesMount"),
                Arguments.of(
                        "vault Kubernetes mount without a role",
                        Fixtures.binding("vnorole", "vault:\n  address: https://vault:8200\n  keyName: k", "")
                                .replace(
                                        "secretRef: vnorole-credentials",
                                        "secretRef: vnorole-credentials\n    vaultKubernetesMount: k8s"),
                        "credentials.vaultKubernetesMount needs credentials.vaultKubernetesRole"),
                Arguments.of(
                        "vending on a gs:// warehouse",
                        vendingCatalog(
                                "vendgs",
                                "gs://lake/wh",
                                "      vending:\n        roleArn: arn:aws:iam::111122223333:role/floe-vending\n"),
                        "warehouse.s3 (and s3.vending) needs an s3:// warehouse location"),
                Arguments.of(
                        "vending with a custom S3 endpoint and no STS endpoint",
                        vendingCatalog(
                                "vendep",
                                "s3://lake/wh",
                                "      endpoint: http://s3.storage.svc:9000\n      vending:\n        roleArn: arn:aws:iam::111122223333:role/floe-vending\n"),
                        "needs s3.vending.stsEndpoint"),
                Arguments.of(
                        "vending lifetime below STS's minimum",
                        vendingCatalog(
                                "vendlife",
                                "s3://lake/wh",
                                "      vending:\n        roleArn: arn:aws:iam::111122223333:role/floe-vending\n        lifetimeSeconds: 600\n"),
                        "spec.warehouse.s3.vending.lifetimeSeconds"),
                Arguments.of(
                        "vending from a user, not a role",
                        vendingCatalog(
                                "venduser",
                                "s3://lake/wh",
                                "      vending:\n        roleArn: arn:aws:iam::111122223333:user/someone\n"),
                        "spec.warehouse.s3.vending.roleArn"),
                Arguments.of(
                        "vending without a role",
                        vendingCatalog("vendnorole", "s3://lake/wh", "      vending:\n        lifetimeSeconds: 900\n"),
                        "spec.warehouse.s3.vending.roleArn: Required value"),
                Arguments.of(
                        "adls options on an s3:// warehouse",
                        warehouseCatalog("adlss3", "location: s3://lake/wh\nadls:\n  endpoint: https://acct.example"),
                        "warehouse.adls needs an abfss:// warehouse location"),
                Arguments.of(
                        "gcs options on an abfss:// warehouse",
                        warehouseCatalog(
                                "gcsadls",
                                "location: abfss://lake@acct.dfs.core.windows.net/wh\ngcs:\n  projectId: sales-1"),
                        "warehouse.gcs needs a gs:// warehouse location"),
                Arguments.of(
                        "s3 options on a gs:// warehouse",
                        warehouseCatalog("s3gs", "location: gs://lake/wh\ns3:\n  region: eu-west-1"),
                        "warehouse.s3 (and s3.vending) needs an s3:// warehouse location"),
                Arguments.of(
                        "two object-store blocks",
                        warehouseCatalog(
                                "twostores",
                                "location: gs://lake/wh\ngcs:\n  projectId: sales-1\ns3:\n  region: eu-west-1"),
                        "set at most one of warehouse.s3, warehouse.adls or warehouse.gcs"),
                Arguments.of(
                        "a credentials Secret and workload identity",
                        warehouseCatalog(
                                "secretandwi",
                                "location: abfss://lake@acct.dfs.core.windows.net/wh\ncredentialsSecret: adls-key\n"
                                        + "workloadIdentity:\n  podLabels:\n    azure.workload.identity/use: \"true\""),
                        "set at most one of warehouse.credentialsSecret or warehouse.workloadIdentity"),
                Arguments.of(
                        "workload identity on a file:// warehouse",
                        warehouseCatalog("filewi", "location: file:///var/lib/floe/warehouse\nworkloadIdentity: {}"),
                        "a file:// warehouse needs neither"),
                Arguments.of(
                        "gcs noAuth with a credentials Secret",
                        warehouseCatalog(
                                "noauthkey",
                                "location: gs://lake/wh\ncredentialsSecret: gcs-key\ngcs:\n  noAuth: true"),
                        "warehouse.gcs.noAuth sends no credentials"),
                Arguments.of(
                        "gcs project id with capitals",
                        warehouseCatalog("gcsproj", "location: gs://lake/wh\ngcs:\n  projectId: Sales"),
                        "spec.warehouse.gcs.projectId"),
                Arguments.of(
                        "adls endpoint not a URL",
                        warehouseCatalog(
                                "adlsep",
                                "location: abfss://lake@acct.dfs.core.windows.net/wh\nadls:\n  endpoint: acct.dfs.core.windows.net"),
                        "spec.warehouse.adls.endpoint"),
                Arguments.of(
                        "missing storage",
                        embeddedCatalog("nostorage", "kms").replace("  storage:\n    embedded:\n      size: 1Gi\n", ""),
                        "spec.storage: Required value"));
    }

    /** An embedded catalog whose warehouse is {@code location} with the {@code s3:} block {@code s3Block}. */
    private static String vendingCatalog(String name, String location, String s3Block) {
        return embeddedCatalog(name, "kms")
                .replace(
                        "    location: file:///var/lib/floe/warehouse\n",
                        "    location: " + location + "\n    s3:\n" + s3Block);
    }

    /** An embedded catalog whose {@code spec.warehouse} is {@code warehouseBlock} (YAML under warehouse:). */
    /** An embedded catalog whose podTemplate sets one environment variable. */
    private static String podEnvCatalog(String name, String variable, String value) {
        return embeddedCatalog(name, "kms")
                .replace(
                        "spec:\n",
                        "spec:\n  podTemplate:\n    env:\n      - name: " + variable + "\n        value: \"" + value
                                + "\"\n");
    }

    @Test
    void podTemplateEnvForTheJvmAndLogsIsAcceptedAndKept() {
        String yaml = podEnvCatalog("jvmenv", "FLOE_JAVA_OPTS", "-XX:TieredStopAtLevel=1")
                .replace("    env:\n", "    env:\n      - name: FLOE_LOG_FORMAT\n        value: \"json\"\n");
        KubeTools.kubectl(kubeconfig, yaml, "apply", "-n", "default", "-f", "-").assertOk();
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "jvmenv",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.podTemplate.env[*].name}={.spec.podTemplate.env[*].value}")
                        .assertOk()
                        .out())
                .isEqualTo("FLOE_LOG_FORMAT FLOE_JAVA_OPTS=json -XX:TieredStopAtLevel=1");
    }

    private static String warehouseCatalog(String name, String warehouseBlock) {
        return embeddedCatalog(name, "kms")
                .replace(
                        "    location: file:///var/lib/floe/warehouse\n",
                        warehouseBlock
                                        .lines()
                                        .map(l -> "    " + l)
                                        .reduce((a, b) -> a + "\n" + b)
                                        .orElseThrow()
                                + "\n");
    }

    @Test
    void eachObjectStoreWithASecretOrWorkloadIdentityIsAcceptedAndKept() {
        String adls = warehouseCatalog(
                "okadls",
                "location: abfss://lake@acct.dfs.core.windows.net/wh\ncredentialsSecret: adls-key\n"
                        + "adls:\n  endpoint: http://azurite.storage.svc:10000/acct");
        String adlsIdentity = warehouseCatalog(
                "okadlswi",
                "location: abfss://lake@acct.dfs.core.windows.net/wh\nworkloadIdentity:\n"
                        + "  serviceAccountAnnotations:\n    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001\n"
                        + "  podLabels:\n    azure.workload.identity/use: \"true\"");
        String gcs = warehouseCatalog(
                "okgcs",
                "location: gs://lake/wh\ncredentialsSecret: gcs-key\ngcs:\n  projectId: sales-analytics\n"
                        + "  endpoint: https://storage-floe.p.googleapis.com");
        String gcsEmulator = warehouseCatalog(
                "okgcsemu",
                "location: gs://lake/wh\ngcs:\n  endpoint: http://fake-gcs.storage.svc:4443\n  noAuth: true");
        String s3Identity =
                warehouseCatalog("oks3wi", "location: s3://lake/wh\nworkloadIdentity: {}\ns3:\n  region: eu-west-1");
        for (String yaml : new String[] {adls, adlsIdentity, gcs, gcsEmulator, s3Identity}) {
            KubeTools.kubectl(kubeconfig, yaml, "apply", "-n", "default", "-f", "-")
                    .assertOk();
        }
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "okadlswi",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.warehouse.workloadIdentity.podLabels}")
                        .assertOk()
                        .out())
                .contains("\"azure.workload.identity/use\":\"true\"");
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "okgcs",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.warehouse.gcs.projectId}")
                        .assertOk()
                        .out())
                .isEqualTo("sales-analytics");
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "oks3wi",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.warehouse.workloadIdentity}")
                        .assertOk()
                        .out())
                .as("an empty workloadIdentity is kept: it says \"no Secret, the SDK's chain\"")
                .isEqualTo("{}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResources")
    void apiServerRejectsInvalidResourcesWithAClearMessage(String what, String yaml, String expected) {
        var run = KubeTools.kubectl(kubeconfig, yaml, "apply", "-n", "default", "-f", "-");
        assertThat(run.exitCode()).as(what + " was accepted: " + run.out()).isNotZero();
        assertThat(run.err()).as(what).contains(expected);
    }

    @Test
    void kmsEndpointOverridesAndVaultKubernetesMountAreAcceptedAndKept() {
        String aws = Fixtures.binding(
                "okaws",
                "aws:\n  keyId: alias/x\n  region: eu-west-1\n"
                        + "  endpoint: https://vpce-0123-abcd.kms.eu-west-1.vpce.amazonaws.com",
                "");
        String gcp = Fixtures.binding(
                "okgcp",
                "gcp:\n  projectId: p\n  location: global\n  keyRing: r\n  cryptoKey: k\n"
                        + "  endpoint: https://cloudkms-floe.p.googleapis.com:443/",
                "");
        String azure = Fixtures.binding(
                "okaz",
                "azure:\n  vaultUrl: https://v.vault.azure.net\n  keyName: k\n" + "  endpoint: https://10.0.0.7",
                "");
        String vault = Fixtures.binding("okvault", "vault:\n  address: https://vault:8200\n  keyName: k", "")
                .replace(
                        "secretRef: okvault-credentials",
                        "vaultKubernetesRole: floe\n    vaultKubernetesMount: k8s/prod-1");
        for (String yaml : new String[] {aws, gcp, azure, vault}) {
            KubeTools.kubectl(kubeconfig, yaml, "apply", "-n", "default", "-f", "-")
                    .assertOk();
        }
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "kmsbinding",
                                "okaws",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.aws.endpoint}")
                        .assertOk()
                        .out()
                        .strip())
                .isEqualTo("https://vpce-0123-abcd.kms.eu-west-1.vpce.amazonaws.com");
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "kmsbinding",
                                "okvault",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.credentials.vaultKubernetesMount}")
                        .assertOk()
                        .out()
                        .strip())
                .isEqualTo("k8s/prod-1");
    }

    @Test
    void embeddedCatalogMayBeScaledToZeroAndBackButNotBeyondOne() {
        String one = catalog("zero", "kms", 1, "embedded:\n  size: 1Gi", "");
        KubeTools.kubectl(kubeconfig, one, "apply", "-n", "default", "-f", "-").assertOk();
        var stop = KubeTools.kubectl(
                kubeconfig, one.replace("replicas: 1", "replicas: 0"), "apply", "-n", "default", "-f", "-");
        assertThat(stop.exitCode())
                .as("scaling an embedded catalog to 0 was rejected: " + stop.err())
                .isZero();
        assertThat(KubeTools.kubectl(
                                kubeconfig,
                                null,
                                "get",
                                "ic",
                                "zero",
                                "-n",
                                "default",
                                "-o",
                                "jsonpath={.spec.replicas}")
                        .assertOk()
                        .out())
                .isEqualTo("0");
        KubeTools.kubectl(kubeconfig, one, "apply", "-n", "default", "-f", "-").assertOk();

        var two = KubeTools.kubectl(
                kubeconfig, one.replace("replicas: 1", "replicas: 2"), "apply", "-n", "default", "-f", "-");
        assertThat(two.exitCode()).as("two embedded replicas were accepted").isNotZero();
        assertThat(two.err()).contains("set spec.replicas to 0 or 1");
    }

    @Test
    void storageKindCannotChangeInPlace() {
        KubeTools.kubectl(kubeconfig, postgresCatalog("switch", "kms", 1, ""), "apply", "-n", "default", "-f", "-")
                .assertOk();
        var run =
                KubeTools.kubectl(kubeconfig, embeddedCatalog("switch", "kms"), "replace", "-n", "default", "-f", "-");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("the storage type cannot change in place");
    }

    @Test
    void embeddedSizeMayGrowButNotShrinkAndItsClassCannotChange() {
        String small = catalog("grow", "kms", 1, "embedded:\n  size: 1Gi\n  storageClassName: fast", "");
        KubeTools.kubectl(kubeconfig, small, "apply", "-n", "default", "-f", "-")
                .assertOk();
        KubeTools.kubectl(kubeconfig, small.replace("size: 1Gi", "size: 1536Mi"), "apply", "-n", "default", "-f", "-")
                .assertOk();

        var shrink = KubeTools.kubectl(
                kubeconfig, small.replace("size: 1Gi", "size: 1000Mi"), "apply", "-n", "default", "-f", "-");
        assertThat(shrink.exitCode()).as("shrinking was accepted").isNotZero();
        assertThat(shrink.err()).contains("spec.storage.embedded.size cannot shrink");

        var reclass = KubeTools.kubectl(
                kubeconfig,
                small.replace("size: 1Gi", "size: 1536Mi").replace("fast", "slow"),
                "apply",
                "-n",
                "default",
                "-f",
                "-");
        assertThat(reclass.exitCode())
                .as("changing the StorageClass was accepted")
                .isNotZero();
        assertThat(reclass.err()).contains("storageClassName cannot change");
    }
}
