package dev.floe.catalog.rest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTUtil;

/**
 * Runs a mutating request, honouring its {@code Idempotency-Key}: without the header the action
 * runs; with it, a retry of the same request by the same caller returns the first final response
 * (success or 4xx error alike), and a reuse of the key for anything else is refused with 422.
 */
@Singleton
public class Mutations {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final IdempotencyStore store;
    private final EndpointAccess access;

    public Mutations(IdempotencyStore store, EndpointAccess access) {
        this.access = access;
        this.store = store;
    }

    /**
     * Runs {@code action} for {@code request} to {@code warehouse}, whose body was {@code body}
     * (null when it has none). A response too large to keep is not remembered: a retry runs again.
     */
    public MutableHttpResponse<String> run(
            HttpRequest<?> request,
            String warehouse,
            @Nullable String body,
            Supplier<MutableHttpResponse<String>> action) {
        return run(request, warehouse, body, action, null);
    }

    /**
     * As {@link #run(HttpRequest, String, String, Supplier)}, for a mutation whose response is the
     * object it wrote (a table or view): when that response is too large to keep, a retry is
     * answered with {@code reload}, the object's current state.
     */
    public MutableHttpResponse<String> run(
            HttpRequest<?> request,
            String warehouse,
            @Nullable String body,
            Supplier<MutableHttpResponse<String>> action,
            @Nullable Supplier<MutableHttpResponse<String>> reload) {
        String key = request.getHeaders().get(RESTUtil.IDEMPOTENCY_KEY_HEADER);
        if (key == null) {
            return action.get();
        }
        if (!UUID.matcher(key).matches()) {
            throw new BadRequestException("Invalid Idempotency-Key: expected a UUID (36 characters)");
        }
        String fingerprint = RequestFingerprint.of(request, access.callerId(request), warehouse, body);
        return store.execute(key, fingerprint, () -> stored(action), reload == null ? null : () -> stored(reload))
                .toHttp();
    }

    private static StoredResponse stored(Supplier<MutableHttpResponse<String>> action) {
        try {
            return StoredResponse.of(action.get());
        } catch (RuntimeException e) {
            return StoredResponse.of(IcebergErrors.response(e));
        }
    }
}
