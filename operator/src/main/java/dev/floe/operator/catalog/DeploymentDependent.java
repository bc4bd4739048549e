package dev.floe.operator.catalog;

import dev.floe.contract.CatalogCommand;
import dev.floe.contract.CatalogConfig;
import dev.floe.contract.CatalogPod;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogSpec;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import dev.floe.operator.kms.KmsCredentialKeys;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog Deployment: mounts the TOML, TLS Secret, admin key and every credentials Secret (KMS,
 * PostgreSQL, object storage) as read-only files, with no Secret value in its environment; probes the
 * catalog's health endpoints; carries hashes of the configuration and of the Secrets the catalog
 * reads only at start in pod-template annotations so changes roll the pods (not the TLS Secret: the
 * catalog reloads renewed certificates itself, see {@link MountedSecrets}). Embedded storage runs one replica with the
 * data volume and the Recreate strategy (two pods must never open the same SQLite file).
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class DeploymentDependent extends BindingGatedDependent<Deployment> {
    /** Seconds a terminating replica of a rolling catalog keeps serving before SIGTERM (preStop). */
    static final long PRE_STOP_SLEEP_SECONDS = 5;

    /**
     * Seconds a terminating replica of a rolling catalog then answers with {@code Connection: close}
     * before it closes idle keep-alive connections (the catalog's shutdown drain): a client in use
     * leaves after its next answer instead of racing the close. preStop, drain and the 20 s the
     * catalog gives requests in flight fit the pod's 30 s termination grace period.
     */
    static final long SHUTDOWN_DRAIN_SECONDS = 2;

    static final String CONTAINER = "catalog";

    private final CatalogImage image;

    /** What JOSDK instantiates to learn the resource type; the workflow's instance comes from {@link CatalogDependentFactory}. */
    public DeploymentDependent() {
        this(null);
    }

    public DeploymentDependent(CatalogImage image) {
        this.image = image;
    }

    @Override
    protected Deployment desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        IcebergCatalogSpec spec = catalog.getSpec();
        KmsBinding binding = CatalogSecondaries.binding(catalog, context).orElse(null);
        boolean embedded = spec.storage().usesEmbedded();
        var overrides = spec.podTemplate();

        Map<String, String> podLabels = new LinkedHashMap<>();
        if (overrides != null && overrides.labels() != null) {
            podLabels.putAll(overrides.labels());
        }
        podLabels.putAll(WarehouseCredentials.podLabels(spec.warehouse()));
        podLabels.putAll(CatalogNames.labels(catalog, "catalog"));
        Map<String, String> podAnnotations = new TreeMap<>();
        if (overrides != null && overrides.annotations() != null) {
            podAnnotations.putAll(overrides.annotations());
        }
        // Prometheus scrape hints for what the catalog serves: Prometheus text on /metrics of its
        // HTTPS port, unauthenticated (podTemplate.annotations may override them).
        podAnnotations.putIfAbsent("prometheus.io/scrape", "true");
        podAnnotations.putIfAbsent("prometheus.io/scheme", "https");
        podAnnotations.putIfAbsent("prometheus.io/port", Integer.toString(CatalogNames.port(catalog)));
        podAnnotations.putIfAbsent("prometheus.io/path", "/metrics");
        podAnnotations.put(CatalogNames.CONFIG_HASH, MountedSecrets.hashOf(CatalogToml.render(catalog, binding)));
        podAnnotations.put(CatalogNames.SECRETS_HASH, MountedSecrets.hash(catalog, binding, context));

        PodVolumes volumes = new PodVolumes().config(catalog);
        // The operator's self-signed Secret also holds the CA key, which the pods must not get.
        volumes.secret(
                "tls",
                CatalogNames.tlsSecret(catalog),
                TlsSpec.modeOf(catalog.getSpec().tls()) == TlsSpec.Mode.SELF_SIGNED
                        ? List.of(
                                new KeyToPath("ca.crt", null, "ca.crt"),
                                new KeyToPath("tls.crt", null, "tls.crt"),
                                new KeyToPath("tls.key", null, "tls.key"))
                        : null,
                CatalogNames.TLS_DIR);
        volumes.secret("admin-key", CatalogNames.adminKeySecret(catalog), null, CatalogNames.ADMIN_DIR);
        volumes.tmp();
        if (embedded) {
            volumes.data(catalog);
        }

        // Every Secret reaches the catalog as read-only files (mode 0440, group fsGroup: readable by
        // whatever UID the pod runs as), never as environment variables, which kubectl describe,
        // crash dumps and child processes would show. The TOML names the files (CatalogToml).
        if (spec.storage().postgres() != null) {
            volumes.storageCredentials(spec.storage().postgres().credentialsSecret());
        }
        volumes.warehouseCredentials(spec.warehouse());
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar(
                CatalogPod.ENV_BOOTSTRAP_ADMIN_KEY_FILE, CatalogNames.ADMIN_DIR + "/" + CatalogNames.ADMIN_KEY, null));
        env.addAll(WarehouseCredentials.env(spec.warehouse()));
        if (!embedded) {
            // An environment variable, not a TOML key: a catalog image older than the key ignores it.
            env.add(new EnvVar(
                    CatalogConfig.SERVER_SHUTDOWN_DRAIN_SECONDS.envName(),
                    String.valueOf(SHUTDOWN_DRAIN_SECONDS),
                    null));
        }
        if (binding != null && binding.getSpec() != null) {
            String kmsSecret = KmsCredentialKeys.secretName(binding.getSpec());
            if (kmsSecret != null) {
                volumes.secret("kms", kmsSecret, null, CatalogNames.KMS_DIR);
            }
            if (binding.getSpec().credentials() != null
                    && binding.getSpec().credentials().vaultKubernetesRole() != null) {
                // A role name, not a secret.
                env.add(new EnvVar(
                        CatalogConfig.KMS_VAULT_KUBERNETES_ROLE.envName(),
                        binding.getSpec().credentials().vaultKubernetesRole(),
                        null));
            }
        }
        env.addAll(CatalogPods.userEnv(catalog));

        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(CatalogPods.image(image, catalog))
                // TLS files as flags: the catalog's TOML has no [tls] table (it rejects unknown tables).
                .withArgs(
                        CatalogCommand.SERVE,
                        CatalogCommand.CONFIG,
                        CatalogNames.CONFIG_DIR + "/" + CatalogNames.CONFIG_FILE,
                        CatalogCommand.TLS_CERT,
                        CatalogNames.TLS_DIR + "/" + CatalogPod.TLS_CERT,
                        CatalogCommand.TLS_KEY,
                        CatalogNames.TLS_DIR + "/" + CatalogPod.TLS_KEY)
                .addNewPort()
                .withName("https")
                .withContainerPort(CatalogNames.port(catalog))
                .withProtocol("TCP")
                .endPort()
                .withEnv(env)
                .withVolumeMounts(volumes.mounts())
                .withResources(CatalogPods.catalogResources(spec))
                .withLivenessProbe(probe("/health/liveness", 10, 6))
                .withReadinessProbe(probe("/health/readiness", 5, 3))
                // Probed every second while it starts (the same 5 min budget as 60 × 5 s): the kubelet
                // runs the readiness probe as soon as this one passes, so a catalog that is up in about
                // a second is Ready then, not at the next 5 s tick. Nothing probes it at this rate after.
                .withStartupProbe(probe("/health/liveness", 1, 300))
                .withSecurityContext(CatalogPods.containerSecurity())
                // With several replicas (rolling updates), a terminating pod keeps serving while the
                // endpoint removal reaches every node's kube-proxy, so no new connection meets a
                // closed port; then SIGTERM lets the requests in flight finish (the catalog's
                // graceful shutdown). One embedded replica is replaced by Recreate: waiting would only
                // lengthen the gap.
                .withLifecycle(
                        embedded
                                ? null
                                : new LifecycleBuilder()
                                        .withNewPreStop()
                                        .withNewSleep(PRE_STOP_SLEEP_SECONDS)
                                        .endPreStop()
                                        .build())
                .build();

        DeploymentStrategy strategy = embedded
                ? new DeploymentStrategyBuilder().withType("Recreate").build()
                : new DeploymentStrategyBuilder()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                        .withMaxUnavailable(new IntOrString(0))
                        .withMaxSurge(new IntOrString(1))
                        .endRollingUpdate()
                        .build();

        return new DeploymentBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.deployment(catalog), "catalog"))
                .withNewSpec()
                .withReplicas(embedded ? Math.min(1, spec.replicasOrDefault()) : spec.replicasOrDefault())
                .withStrategy(strategy)
                .withNewSelector()
                .withMatchLabels(CatalogNames.selector(catalog))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(podAnnotations)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(CatalogNames.serviceAccount(catalog))
                // Workload identity (the KMS binding's or the warehouse's) and Vault's Kubernetes auth
                // exchange the ServiceAccount's token; otherwise the pods get none.
                .withAutomountServiceAccountToken(spec.warehouse().workloadIdentity() != null
                        || (binding != null
                                && binding.getSpec() != null
                                && binding.getSpec().credentials() != null
                                && (binding.getSpec().credentials().workloadIdentity() != null
                                        || binding.getSpec().credentials().vaultKubernetesRole() != null)))
                .withSecurityContext(CatalogPods.podSecurity(catalog))
                .withContainers(container)
                .withVolumes(volumes.volumes())
                .withNodeSelector(overrides == null ? null : overrides.nodeSelector())
                .withTolerations(overrides == null ? null : overrides.tolerations())
                .withAffinity(overrides == null ? null : overrides.affinity())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Probe probe(String path, int period, int failures) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withScheme("HTTPS")
                .withPath(path)
                .withPort(new IntOrString("https"))
                .endHttpGet()
                .withPeriodSeconds(period)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failures)
                .build();
    }
}
