package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.kms.KmsCredentialKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Secrets a catalog pod reads only when it starts, and a SHA-256 over their contents. The hash
 * goes into a pod-template annotation, so a rotated credential rolls the pods (the Keycloak
 * operator's approach). The hash reveals nothing usable.
 *
 * <p>The TLS Secret is left out on purpose: the catalog re-reads its mounted certificate and key
 * when the kubelet swaps the files (catalog {@code tls/ReloadingPemCertificateProvider}), so a
 * renewal needs no restart, and for an embedded catalog (Recreate) a restart would be an outage at
 * every renewal. Everything else is mounted as files too, but the catalog reads them once at start
 * (the PostgreSQL, S3 and KMS credentials, the admin key), so a changed Secret must restart the pods
 * even though the kubelet updates the files in place. (A Vault token file is re-read at every
 * login; the hash still rolls the pods, which costs little and keeps one rule for every Secret.)
 */
public final class MountedSecrets {
    private MountedSecrets() {}

    /**
     * Names of the Secrets the catalog pods read only at start, in a stable order: every Secret
     * they use but the TLS one (unless another reference names the same Secret).
     */
    public static List<String> names(IcebergCatalog catalog, KmsBinding binding) {
        TreeSet<String> names = new TreeSet<>();
        names.add(CatalogNames.adminKeySecret(catalog));
        var spec = catalog.getSpec();
        if (spec.storage().postgres() != null) {
            names.add(spec.storage().postgres().credentialsSecret());
        }
        if (spec.warehouse().credentialsSecret() != null) {
            names.add(spec.warehouse().credentialsSecret());
        }
        if (binding != null && binding.getSpec() != null && KmsCredentialKeys.secretName(binding.getSpec()) != null) {
            names.add(KmsCredentialKeys.secretName(binding.getSpec()));
        }
        return new ArrayList<>(names);
    }

    public static String hash(IcebergCatalog catalog, KmsBinding binding, Context<IcebergCatalog> context) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : names(catalog, binding)) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                CatalogSecondaries.secret(name, catalog, context).ifPresent(s -> update(digest, s));
                digest.update((byte) 1);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hashOf(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, Secret secret) {
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            data.putAll(secret.getData());
        }
        data.forEach((k, v) -> {
            digest.update(k.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '=');
            digest.update(v.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        });
    }
}
