package dev.floe.operator.kms;

import dev.floe.contract.CatalogPod;
import dev.floe.contract.CredentialFiles;
import dev.floe.operator.api.v1alpha1.KmsBindingSpec;
import dev.floe.operator.api.v1alpha1.KmsCredentials;
import java.util.List;

/**
 * Which keys a KmsBinding's credentials Secret must hold for each provider. The Secret is mounted
 * in the catalog pod as files named after its keys ({@link CatalogPod#KMS_DIR}); the names are the
 * operator-catalog contract's ({@link CredentialFiles}).
 */
public final class KmsCredentialKeys {
    public static final String LOCAL_KEY = CredentialFiles.LOCAL_MASTER_KEY;
    public static final String GCP_FILE = CredentialFiles.GCP_CREDENTIALS;

    private KmsCredentialKeys() {}

    /** Secret keys required for the binding's provider (empty when no Secret is used). */
    public static List<String> required(KmsBindingSpec spec) {
        return switch (spec.provider()) {
            case "local" -> List.of(LOCAL_KEY);
            case "aws" -> List.of(CredentialFiles.AWS_ACCESS_KEY_ID, CredentialFiles.AWS_SECRET_ACCESS_KEY);
            case "gcp" -> List.of(GCP_FILE);
            case "azure" -> CredentialFiles.AZURE;
            case "vault" -> List.of(CredentialFiles.VAULT_TOKEN);
            default -> List.of();
        };
    }

    /** The credentials Secret name, or null when the binding uses workload identity or none. */
    public static String secretName(KmsBindingSpec spec) {
        KmsCredentials credentials = spec.credentials();
        return credentials == null ? null : credentials.secretRef();
    }

    /** A short description of the key identity, for status (never secret material). */
    public static String keyIdentity(KmsBindingSpec spec) {
        return switch (spec.provider()) {
            case "local" ->
                "local:"
                        + (spec.local().keyId() == null ? "local" : spec.local().keyId());
            case "aws" -> "aws:" + spec.aws().keyId();
            case "gcp" ->
                "gcp:projects/" + spec.gcp().projectId() + "/locations/"
                        + spec.gcp().location() + "/keyRings/" + spec.gcp().keyRing() + "/cryptoKeys/"
                        + spec.gcp().cryptoKey();
            case "azure" ->
                "azure:" + spec.azure().vaultUrl() + "/keys/" + spec.azure().keyName();
            case "vault" ->
                "vault:" + spec.vault().address() + "/"
                        + (spec.vault().transitMount() == null
                                ? "transit"
                                : spec.vault().transitMount()) + "/keys/"
                        + spec.vault().keyName();
            default -> "none";
        };
    }
}
