package dev.floe.catalog.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.crypto.KeyRotation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.ServiceUnavailableException;

/**
 * Key management: {@code GET /management/v1/keys} lists the data keys (state, master key id and
 * version, row counts; never key material), {@code POST /management/v1/keys/rotate[?reencrypt=true]}
 * runs an online rotation and answers its report. Both reach the whole catalog (the data-key ring
 * is not per warehouse), so the security filters let only unscoped admins through (the
 * {@code CATALOG} reach of their rows in {@code security/EndpointPolicy}), before this runs.
 */
@Controller("/management/v1/keys")
public class KeysController {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final EnvelopeEncryption encryption;

    public KeysController(EnvelopeEncryption encryption) {
        this.encryption = encryption;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> list() {
        requireAttached();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", encryption.provider().kind());
        body.put("kms-breaker", encryption.provider().breakerState().name());
        List<KeyRotation.KeyInfo> keys = encryption.rotation().describe();
        body.put("keys", keys);
        return json(body);
    }

    @Post(uri = "/rotate", produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> rotate(@Nullable @QueryValue Boolean reencrypt) {
        requireAttached();
        KeyRotation.Report report = encryption.rotation().rotate(Boolean.TRUE.equals(reencrypt));
        return json(report);
    }

    private void requireAttached() {
        if (!encryption.isAttached()) {
            throw new ServiceUnavailableException("envelope encryption is not attached to the metadata store");
        }
    }

    private static MutableHttpResponse<String> json(Object body) {
        try {
            return HttpResponse.ok(JSON.writeValueAsString(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise key management response", e);
        }
    }
}
