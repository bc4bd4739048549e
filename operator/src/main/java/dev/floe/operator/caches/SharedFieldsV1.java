package dev.floe.operator.caches;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The operator client's JSON mapping, which reads each {@code metadata.managedFields[].fieldsV1}
 * (the fields one manager set with server-side apply, as nested maps such as
 * {@code {"f:spec":{"f:replicas":{}}}}) into shared, unmodifiable maps: equal subtrees, in the same
 * order, are one instance. The informer caches hold every object the operator applies together with
 * this bookkeeping, which is about as large as the object; the objects of one kind have nearly the
 * same fields, so the 200 Deployments of 200 catalogs then share one set of maps instead of holding
 * 200 copies. JOSDK's server-side apply matcher only reads these maps, so it sees exactly what the
 * API server sent.
 *
 * <p>The table holds its maps weakly: a subtree no cached object uses any more (say, the owner
 * reference key of a deleted catalog) goes with the next garbage collections.
 */
public final class SharedFieldsV1 {
    private static final Interner INTERNER = new Interner();

    private SharedFieldsV1() {}

    /** Fabric8's default mapping with shared fieldsV1 maps. */
    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new SimpleModule("floe-shared-fieldsv1").addDeserializer(FieldsV1.class, new Reader()));
        return new KubernetesSerialization(mapper, true);
    }

    /** Reads a fieldsV1 object bottom-up, replacing each map by its shared instance. */
    private static final class Reader extends StdDeserializer<FieldsV1> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(FieldsV1.class);
        }

        @Override
        public FieldsV1 deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            FieldsV1 fields = new FieldsV1();
            fields.setAdditionalProperties(readObject(p, ctxt));
            return fields;
        }

        private static Map<String, Object> readObject(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.START_OBJECT) {
                token = p.nextToken();
            }
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            for (; token == JsonToken.FIELD_NAME; token = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                map.put(
                        name,
                        value == JsonToken.START_OBJECT
                                ? readObject(p, ctxt)
                                // Not in fieldsV1 as the API server writes it; read as Jackson would.
                                : ctxt.readValue(p, Object.class));
            }
            if (token != JsonToken.END_OBJECT) {
                return ctxt.reportInputMismatch(FieldsV1.class, "fieldsV1: expected a JSON object, found %s", token);
            }
            return INTERNER.intern(map);
        }
    }

    /**
     * A weak table of unmodifiable maps keyed by their entries in order, the nested maps by
     * identity (they are shared already, as maps are shared bottom-up).
     */
    static final class Interner {
        private final Map<Key, Ref> table = new HashMap<>();
        private final ReferenceQueue<Map<String, Object>> collected = new ReferenceQueue<>();

        synchronized Map<String, Object> intern(LinkedHashMap<String, Object> map) {
            for (Ref gone; (gone = (Ref) collected.poll()) != null; ) {
                table.remove(gone.key, gone);
            }
            Key key = new Key(map);
            Ref ref = table.get(key);
            Map<String, Object> shared = ref == null ? null : ref.get();
            if (shared == null) {
                if (ref != null) {
                    table.remove(key); // collected but not yet purged: the new map takes its place
                }
                shared = Collections.unmodifiableMap(map);
                table.put(key, new Ref(shared, key, collected));
            }
            return shared;
        }
    }

    private static final class Ref extends WeakReference<Map<String, Object>> {
        final Key key;

        Ref(Map<String, Object> shared, Key key, ReferenceQueue<Map<String, Object>> queue) {
            super(shared, queue);
            this.key = key;
        }
    }

    /** The entries of a map in order; holds the map (and so its nested maps) while the shared map lives. */
    private static final class Key {
        private final Map<String, Object> map;
        private final int hash;

        Key(Map<String, Object> map) {
            this.map = map;
            int h = 1;
            for (Map.Entry<String, Object> e : map.entrySet()) {
                h = 31 * h + e.getKey().hashCode();
                h = 31 * h + valueHash(e.getValue());
            }
            this.hash = h;
        }

        private static int valueHash(Object value) {
            return value instanceof Map<?, ?> ? System.identityHashCode(value) : Objects.hashCode(value);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key other) || other.hash != hash || other.map.size() != map.size()) {
                return false;
            }
            Iterator<Map.Entry<String, Object>> mine = map.entrySet().iterator();
            Iterator<Map.Entry<String, Object>> theirs = other.map.entrySet().iterator();
            while (mine.hasNext()) {
                Map.Entry<String, Object> a = mine.next();
                Map.Entry<String, Object> b = theirs.next();
                boolean sameValue = a.getValue() instanceof Map<?, ?>
                        ? a.getValue() == b.getValue()
                        : Objects.equals(a.getValue(), b.getValue());
                if (!a.getKey().equals(b.getKey()) || !sameValue) {
                    return false;
                }
            }
            return true;
        }
    }
}
