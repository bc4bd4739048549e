package dev.floe.operator.caches;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WithoutManagedFieldsTest {
    @Test
    void keepsObjectsWithoutTheirManagedFields() {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName("admin")
                .withNamespace("tenants")
                .withManagedFields(new ManagedFieldsEntryBuilder()
                        .withManager("icebergcatalog")
                        .withOperation("Apply")
                        .build())
                .endMetadata()
                .addToData("key", "c2VjcmV0")
                .build();
        var store = new WithoutManagedFields<Secret>();

        store.put(store.getKey(secret), secret);

        Secret cached = store.get("tenants/admin");
        assertThat(cached.getMetadata().getManagedFields()).isEmpty();
        assertThat(cached.getData()).containsEntry("key", "c2VjcmV0");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void onlyWhereAnEventSourceHasOneInformer() {
        assertThat(WithoutManagedFields.<Secret>forNamespaces(Constants.WATCH_ALL_NAMESPACE_SET))
                .isNotNull();
        assertThat(WithoutManagedFields.<Secret>forNamespaces(Set.of("tenants")))
                .isNotNull();
        // JOSDK would give the one store to both namespaces' informers, and a relist of one would
        // empty the other's part of it.
        assertThat(WithoutManagedFields.<Secret>forNamespaces(Set.of("team-a", "team-b")))
                .isNull();
    }
}
