package dev.floe.catalog.rest;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns every exception a controller throws into an Iceberg ErrorModel via {@link IcebergErrors}. */
@Produces
@Singleton
@Requires(classes = {Exception.class, ExceptionHandler.class})
public class IcebergExceptionHandler implements ExceptionHandler<Exception, HttpResponse<String>> {

    // Micronaut's ExceptionHandler declares the request parameter as a raw HttpRequest.
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<String> handle(HttpRequest request, Exception exception) {
        return IcebergErrors.response(exception);
    }
}
