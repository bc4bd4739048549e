package dev.floe.operator.caches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedFieldsV1Test {
    private static final KubernetesSerialization SERIALIZATION = SharedFieldsV1.serialization();

    /** A ConfigMap as the API server returns it after an apply by the operator. */
    private static String configMap(String name, String ownerUid) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"%s","namespace":"tenants","resourceVersion":"7",
                  "managedFields":[{"apiVersion":"v1","fieldsType":"FieldsV1","manager":"icebergcatalog",
                   "operation":"Apply","time":"2026-12-06T18:00:00Z",
                   "fieldsV1":{"f:data":{".":{},"f:floe.toml":{}},
                    "f:metadata":{"f:labels":{".":{},"f:app.kubernetes.io/managed-by":{}},
                     "f:ownerReferences":{".":{},"k:{\\"uid\\":\\"%s\\"}":{}}}}}]},
                 "data":{"floe.toml":"[kms]"}}""".formatted(name, ownerUid);
    }

    private static Map<String, Object> fields(ConfigMap configMap) {
        ManagedFieldsEntry entry = configMap.getMetadata().getManagedFields().get(0);
        return entry.getFieldsV1().getAdditionalProperties();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> m = map;
        for (String key : path) {
            m = (Map<String, Object>) m.get(key);
        }
        return m;
    }

    @Test
    void equalSubtreesOfDifferentObjectsAreOneInstance() {
        ConfigMap a = SERIALIZATION.unmarshal(configMap("a-config", "uid-a"), ConfigMap.class);
        ConfigMap b = SERIALIZATION.unmarshal(configMap("b-config", "uid-b"), ConfigMap.class);

        assertThat(at(fields(a), "f:data")).isSameAs(at(fields(b), "f:data"));
        assertThat(at(fields(a), "f:metadata", "f:labels")).isSameAs(at(fields(b), "f:metadata", "f:labels"));
        assertThat(at(fields(a), "f:data", ".")).isSameAs(at(fields(b), "f:metadata", "f:labels", "."));
        // The owner reference keys differ, so do the maps above them.
        assertThat(at(fields(a), "f:metadata")).isNotSameAs(at(fields(b), "f:metadata"));
        assertThat(at(fields(a), "f:metadata")).isNotEqualTo(at(fields(b), "f:metadata"));
    }

    @Test
    void readsTheSameFieldsInTheSameOrderAsPlainJackson() throws Exception {
        String json = configMap("a-config", "uid-a");
        ConfigMap shared = SERIALIZATION.unmarshal(json, ConfigMap.class);
        ConfigMap plain = new KubernetesSerialization().unmarshal(json, ConfigMap.class);

        assertThat(shared).isEqualTo(plain);
        assertThat(List.copyOf(
                        at(fields(shared), "f:metadata", "f:ownerReferences").keySet()))
                .containsExactly(".", "k:{\"uid\":\"uid-a\"}");
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(SERIALIZATION.asJson(shared))).isEqualTo(mapper.readTree(json));
    }

    @Test
    void sharedMapsCannotBeChanged() {
        ConfigMap a = SERIALIZATION.unmarshal(configMap("a-config", "uid-a"), ConfigMap.class);
        assertThatThrownBy(() -> fields(a).put("f:binaryData", Map.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> at(fields(a), "f:data").clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mapsInADifferentOrderAreNotMerged() {
        SharedFieldsV1.Interner interner = new SharedFieldsV1.Interner();
        var ab = new java.util.LinkedHashMap<String, Object>();
        ab.put("f:a", Map.of());
        ab.put("f:b", Map.of());
        var ba = new java.util.LinkedHashMap<String, Object>();
        ba.put("f:b", Map.of());
        ba.put("f:a", Map.of());
        assertThat(List.copyOf(interner.intern(ab).keySet())).containsExactly("f:a", "f:b");
        assertThat(List.copyOf(interner.intern(ba).keySet())).containsExactly("f:b", "f:a");
    }
}
