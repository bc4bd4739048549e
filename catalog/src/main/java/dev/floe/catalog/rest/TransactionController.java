package dev.floe.catalog.rest;

import dev.floe.catalog.catalog.Warehouses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/** {@code POST /v1/transactions/commit}: changes to several tables, committed all or none. */
@Controller("/v1")
public class TransactionController {

    private final Warehouses warehouses;
    private final EndpointAccess access;
    private final Mutations mutations;

    public TransactionController(Warehouses warehouses, EndpointAccess access, Mutations mutations) {
        this.warehouses = warehouses;
        this.access = access;
        this.mutations = mutations;
    }

    @Post(uris = {"/transactions/commit", "/{prefix}/transactions/commit"})
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> commit(
            HttpRequest<?> request, @Nullable @PathVariable String prefix, @Body String body) {
        String warehouse = warehouses.resolve(prefix);
        CommitTransactionRequest commit = IcebergJson.read(body, CommitTransactionRequest.class);
        for (UpdateTableRequest change : commit.tableChanges()) {
            if (change.identifier() == null) {
                throw new BadRequestException("Invalid table change: missing identifier");
            }
            Identifiers.validate(change.identifier());
        }
        access.checkBody(request, warehouse, commit);
        return mutations.run(request, warehouse, body, () -> {
            warehouses.catalog(warehouse).commitTransaction(commit.tableChanges());
            return Responses.noContent();
        });
    }
}
