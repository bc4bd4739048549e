package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** When the bound catalogs rotate their data keys (`floe admin rotate-keys`). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rotation(
        @JsonPropertyDescription(
                "Cron schedule in the CronJob format: 5 fields `minute hour day-of-month month day-of-week`, or @hourly, @daily, @weekly, @monthly, @yearly.")
        @Pattern(Names.CRON)
        String schedule,

        @JsonPropertyDescription("IANA time zone of the schedule, for example `Europe/Berlin`. UTC when unset.")
        @Pattern("^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$")
        String timeZone,

        @JsonPropertyDescription(
                "Also rewrap every existing data key under the current key version (not only start a new data key).")
        @Default("true")
        Boolean reencrypt,

        @JsonPropertyDescription("Suspend scheduled rotations; `floe.dev/rotate-now` still works.") @Default("false")
        Boolean suspend) {}
