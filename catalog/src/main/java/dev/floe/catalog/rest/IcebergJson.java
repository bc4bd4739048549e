package dev.floe.catalog.rest;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTMessage;
import org.apache.iceberg.rest.RESTSerializers;

/**
 * Reads and writes REST protocol bodies with an object mapper set up like Iceberg's own, and Iceberg's parsers, so the wire
 * format is exactly the one Iceberg clients produce and expect. Any failure to read a request
 * (broken JSON, missing or mistyped fields, unknown enum values, failed {@code validate()}) is a
 * 400, never a 500.
 */
public final class IcebergJson {

    /** Configured exactly as Iceberg's (package-private) {@code RESTObjectMapper}. */
    private static final ObjectMapper MAPPER = mapper();

    private static ObjectMapper mapper() {
        JsonFactory factory = new JsonFactoryBuilder()
                .configure(JsonFactory.Feature.INTERN_FIELD_NAMES, false)
                .configure(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW, false)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.setPropertyNamingStrategy(new PropertyNamingStrategies.KebabCaseStrategy());
        RESTSerializers.registerAll(mapper);
        return mapper;
    }

    private IcebergJson() {}

    public static <T extends RESTMessage> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new BadRequestException("Invalid request: empty body, expected %s", type.getSimpleName());
        }
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("Invalid %s: %s", type.getSimpleName(), cleanMessage(e));
        } catch (RuntimeException e) {
            // Iceberg's parsers signal bad input with IllegalArgumentException, NullPointerException, …
            throw new BadRequestException("Invalid %s: %s", type.getSimpleName(), String.valueOf(e.getMessage()));
        }
        if (value == null) {
            throw new BadRequestException("Invalid request: null body, expected %s", type.getSimpleName());
        }
        try {
            value.validate();
        } catch (RuntimeException e) {
            throw new BadRequestException("Invalid %s: %s", type.getSimpleName(), String.valueOf(e.getMessage()));
        }
        return value;
    }

    public static String write(Object response) {
        try {
            return MAPPER.writeValueAsString(response);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's message without the source excerpt and location (which echo the whole body). */
    private static String cleanMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !(cause instanceof JsonProcessingException)) {
            message = cause.getMessage();
        }
        message = message == null ? "malformed JSON" : message;
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
