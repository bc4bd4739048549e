package dev.floe.contract;

import java.util.List;

/**
 * File names inside a credentials directory ({@code [kms] credentials_dir},
 * {@code [warehouse] credentials_dir}). They are the providers' usual environment variable names,
 * which are also the keys of the Secrets users already create, so a Secret mounted as a directory
 * needs no renaming.
 */
public final class CredentialFiles {
    public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    /** Optional: temporary credentials. */
    public static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";

    public static final String AZURE_CLIENT_ID = "AZURE_CLIENT_ID";
    public static final String AZURE_TENANT_ID = "AZURE_TENANT_ID";
    public static final String AZURE_CLIENT_SECRET = "AZURE_CLIENT_SECRET";
    /** ADLS warehouses: the storage account's shared key (the Azure CLI's variable name). */
    public static final String AZURE_STORAGE_KEY = "AZURE_STORAGE_KEY";

    /** local: the base64 master key, a key of the KmsBinding's Secret (named by {@code [kms] key_file}). */
    public static final String LOCAL_MASTER_KEY = "master-key";
    /** vault: the token, a key of the KmsBinding's Secret (named by {@code [kms] vault_token_file}). */
    public static final String VAULT_TOKEN = "token";
    /** gcp: the service-account key, a key of the KmsBinding's Secret (named by {@code [kms] credentials_file}). */
    public static final String GCP_CREDENTIALS = "credentials.json";

    /** AWS KMS: the files the catalog reads (the session token only when present). */
    public static final List<String> AWS = List.of(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN);
    /** Azure Key Vault: a service principal's client secret credential. */
    public static final List<String> AZURE = List.of(AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET);
    /** S3 warehouses: the same names as AWS KMS. */
    public static final List<String> S3 = AWS;

    private CredentialFiles() {}
}
