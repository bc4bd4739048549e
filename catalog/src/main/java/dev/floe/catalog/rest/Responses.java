package dev.floe.catalog.rest;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** Small constructors for the JSON responses the controllers return. */
final class Responses {

    private Responses() {}

    static MutableHttpResponse<String> json(Object icebergResponse) {
        return rawJson(IcebergJson.write(icebergResponse));
    }

    static MutableHttpResponse<String> rawJson(String json) {
        return HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    static MutableHttpResponse<String> noContent() {
        return HttpResponse.noContent();
    }
}
