package dev.floe.catalog.server;

import java.util.Map;

/**
 * The environment variables the key providers read secrets from (the variables that
 * {@code [kms] key_env_var} and {@code vault_token_env} name). The process environment unless a
 * test registers its own instance, because a JVM cannot set its own environment variables and a
 * test's KMS (e.g. a freshly initialised Vault) hands out its credentials only at run time.
 *
 * @param variables name → value
 */
public record KmsEnvironment(Map<String, String> variables) {

    public KmsEnvironment {
        variables = Map.copyOf(variables);
    }

    @Override
    public String toString() {
        return "KmsEnvironment" + variables.keySet(); // names only: the values are secrets
    }
}
