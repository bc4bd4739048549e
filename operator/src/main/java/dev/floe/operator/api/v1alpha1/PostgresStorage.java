package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A PostgreSQL database given by host/port/database or by a JDBC URL, with a credentials Secret. */
@ValidationRule(
        value = "has(self.url) != (has(self.host) && has(self.database))",
        message =
                "set either spec.storage.postgres.url or both spec.storage.postgres.host and spec.storage.postgres.database",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostgresStorage(
        @JsonPropertyDescription("Database server host name.")
        String host,

        @JsonPropertyDescription("Database server port.") @Default("5432") @Min(1) @Max(65535)
        Integer port,

        @JsonPropertyDescription("Database name.") String database,

        @JsonPropertyDescription("JDBC URL (`jdbc:postgresql://host:port/db?...`), instead of host, port and database.")
        @Pattern("^jdbc:postgresql://.+")
        String url,

        @JsonPropertyDescription("Secret in this namespace holding the keys `username` and `password`.")
        @Required
        @Pattern(Names.DNS_SUBDOMAIN)
        String credentialsSecret) {

    /** The JDBC URL the catalog connects with. */
    @JsonIgnore
    public String jdbcUrl() {
        return url != null ? url : "jdbc:postgresql://" + host + ":" + (port == null ? 5432 : port) + "/" + database;
    }
}
