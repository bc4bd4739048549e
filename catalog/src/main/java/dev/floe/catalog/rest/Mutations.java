package dev.floe.catalog.rest;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTUtil;

/**
 * Runs a mutating request, honouring its {@code Idempotency-Key}: without the header the action
 * runs; with it, a replay returns the first final response (success or 4xx error alike).
 */
@Singleton
public class Mutations {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final IdempotencyStore store;

    public Mutations(IdempotencyStore store) {
        this.store = store;
    }

    public MutableHttpResponse<String> run(HttpRequest<?> request, Supplier<MutableHttpResponse<String>> action) {
        String key = request.getHeaders().get(RESTUtil.IDEMPOTENCY_KEY_HEADER);
        if (key == null) {
            return action.get();
        }
        if (!UUID.matcher(key).matches()) {
            throw new BadRequestException("Invalid Idempotency-Key: expected a UUID (36 characters)");
        }
        String operation = request.getMethodName() + " " + request.getPath();
        return store.execute(key, operation, () -> {
            try {
                return StoredResponse.of(action.get());
            } catch (RuntimeException e) {
                return StoredResponse.of(IcebergErrors.response(e));
            }
        }).toHttp();
    }
}
