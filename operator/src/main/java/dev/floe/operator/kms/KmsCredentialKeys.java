package dev.floe.operator.kms;

import dev.floe.operator.api.v1alpha1.KmsBindingSpec;
import dev.floe.operator.api.v1alpha1.KmsCredentials;
import java.util.List;
import java.util.Map;

/**
 * Which keys a KmsBinding's credentials Secret must hold for each provider, and under which
 * environment variable names the catalog container receives them.
 */
public final class KmsCredentialKeys {
    public static final String LOCAL_KEY = "master-key";
    public static final String GCP_FILE = "credentials.json";

    private KmsCredentialKeys() {
    }

    /** Secret keys required for the binding's provider (empty when no Secret is used). */
    public static List<String> required(KmsBindingSpec spec) {
        return switch (spec.provider()) {
            case "local" -> List.of(LOCAL_KEY);
            case "aws" -> List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
            case "gcp" -> List.of(GCP_FILE);
            case "azure" -> List.of("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET");
            case "vault" -> List.of("token");
            default -> List.of();
        };
    }

    /** Secret key → environment variable of the catalog container, for env-based providers. */
    public static Map<String, String> environment(KmsBindingSpec spec) {
        return switch (spec.provider()) {
            case "local" -> Map.of(LOCAL_KEY, "FLOE_KMS_LOCAL_KEY");
            case "aws" -> Map.of("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY");
            case "azure" -> Map.of("AZURE_CLIENT_ID", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_TENANT_ID",
                    "AZURE_CLIENT_SECRET", "AZURE_CLIENT_SECRET");
            case "vault" -> Map.of("token", "VAULT_TOKEN");
            default -> Map.of();
        };
    }

    /** The credentials Secret name, or null when the binding uses workload identity or none. */
    public static String secretName(KmsBindingSpec spec) {
        KmsCredentials credentials = spec.credentials();
        return credentials == null ? null : credentials.secretRef();
    }

    /** GCP reads a service-account key file rather than environment variables. */
    public static boolean usesFile(KmsBindingSpec spec) {
        return spec.gcp() != null && secretName(spec) != null;
    }

    /** A short description of the key identity, for status (never secret material). */
    public static String keyIdentity(KmsBindingSpec spec) {
        return switch (spec.provider()) {
            case "local" -> "local:" + (spec.local().keyId() == null ? "local" : spec.local().keyId());
            case "aws" -> "aws:" + spec.aws().keyId();
            case "gcp" -> "gcp:projects/" + spec.gcp().projectId() + "/locations/" + spec.gcp().location()
                    + "/keyRings/" + spec.gcp().keyRing() + "/cryptoKeys/" + spec.gcp().cryptoKey();
            case "azure" -> "azure:" + spec.azure().vaultUrl() + "/keys/" + spec.azure().keyName();
            case "vault" -> "vault:" + spec.vault().address() + "/" + (spec.vault().transitMount() == null ? "transit" : spec.vault().transitMount())
                    + "/keys/" + spec.vault().keyName();
            default -> "none";
        };
    }
}
