package dev.floe.catalog.rest;

import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.vending.S3RemoteSigning;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import org.apache.iceberg.rest.responses.ConfigResponse;

/**
 * {@code GET /v1/config}: tells a client which warehouse prefix to use, the endpoints served and
 * how long idempotency keys are remembered.
 */
@Controller("/v1")
public class ConfigController {

    private final Warehouses warehouses;
    private final IdempotencyStore idempotency;
    private final S3RemoteSigning signing;

    public ConfigController(Warehouses warehouses, IdempotencyStore idempotency, S3RemoteSigning signing) {
        this.warehouses = warehouses;
        this.idempotency = idempotency;
        this.signing = signing;
    }

    @Get("/config")
    public MutableHttpResponse<String> config(@Nullable @QueryValue String warehouse) {
        String name = warehouses.resolve(warehouse);
        ConfigResponse response = ConfigResponse.builder()
                .withOverride("prefix", name)
                .withEndpoints(signing.enabled() ? ServedEndpoints.WITH_REMOTE_SIGNING : ServedEndpoints.ALL)
                .withIdempotencyKeyLifetime(idempotency.lifetime().toString())
                .build();
        return Responses.json(response);
    }
}
