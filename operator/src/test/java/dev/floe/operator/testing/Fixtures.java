package dev.floe.operator.testing;

/** YAML of small valid resources, for tests that vary one field at a time. */
public final class Fixtures {
    private Fixtures() {}

    public static String binding(String name, String providerBlock, String extra) {
        return """
                apiVersion: floe.dev/v1alpha1
                kind: KmsBinding
                metadata:
                  name: %s
                spec:
                %s
                  credentials:
                    secretRef: %s-credentials
                %s
                """.formatted(name, indent(providerBlock), name, indent(extra));
    }

    public static String localBinding(String name, String schedule) {
        return binding(
                name, "local:\n  keyId: test-1", schedule == null ? "" : "rotation:\n  schedule: \"" + schedule + "\"");
    }

    public static String catalog(String name, String binding, int replicas, String storageBlock, String extra) {
        return """
                apiVersion: floe.dev/v1alpha1
                kind: IcebergCatalog
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  storage:
                %s
                  warehouse:
                    location: file:///var/lib/floe/warehouse
                  kms:
                    bindingRef: %s
                %s
                """.formatted(name, replicas, indent(indent(storageBlock)), binding, indent(extra));
    }

    public static String embeddedCatalog(String name, String binding) {
        return catalog(name, binding, 1, "embedded:\n  size: 1Gi", "");
    }

    public static String postgresCatalog(String name, String binding, int replicas, String extra) {
        return catalog(
                name,
                binding,
                replicas,
                "postgres:\n  host: db\n  database: floe\n  credentialsSecret: " + name + "-db",
                extra);
    }

    static String indent(String block) {
        return block == null || block.isEmpty()
                ? ""
                : block.lines()
                        .map(l -> "  " + l)
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse("");
    }
}
