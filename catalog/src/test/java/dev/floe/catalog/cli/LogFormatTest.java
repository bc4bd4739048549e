package dev.floe.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogFormatTest {

    @Test
    void textUnlessAskedOtherwise() {
        assertThat(LogFormat.select(List.of("serve", "--dev"), Map.of())).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.select(List.of("serve"), Map.of(LogFormat.ENV, " ")))
                .isEqualTo(LogFormat.TEXT);
    }

    @Test
    void environmentSelectsJson() {
        assertThat(LogFormat.select(List.of("serve"), Map.of(LogFormat.ENV, "JSON")))
                .isEqualTo(LogFormat.JSON);
    }

    @Test
    void optionWinsOverEnvironmentInBothSpellings() {
        Map<String, String> env = Map.of(LogFormat.ENV, "json");
        assertThat(LogFormat.select(List.of("serve", "--log-format", "text"), env))
                .isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.select(List.of("serve", "--log-format=json"), Map.of()))
                .isEqualTo(LogFormat.JSON);
    }

    @Test
    void badValueNamesWhereItCameFrom() {
        assertThatThrownBy(() -> LogFormat.select(List.of("serve", "--log-format", "xml"), Map.of()))
                .hasMessage("--log-format must be text or json, was 'xml'");
        assertThatThrownBy(() -> LogFormat.select(List.of("serve"), Map.of(LogFormat.ENV, "yaml")))
                .hasMessage("FLOE_LOG_FORMAT must be text or json, was 'yaml'");
    }

    @Test
    void logbackFindsTheBuiltInConfigurationAndItStepsAsideForAFileOfTheTests() {
        assertThat(ServiceLoader.load(Configurator.class))
                .anySatisfy(c -> assertThat(c).isInstanceOf(FloeLogConfigurator.class));
        // The test class path holds logback-test.xml, so logback reads that file, as it reads a
        // -Dlogback.configurationFile of the user's own (LogFormatIT runs that case).
        assertThat(new FloeLogConfigurator().configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }

    @Test
    void installedFormatIsReadBackTextByDefault() {
        String before = System.getProperty(LogFormat.PROPERTY);
        try {
            System.clearProperty(LogFormat.PROPERTY);
            assertThat(LogFormat.installed()).isEqualTo(LogFormat.TEXT);
            LogFormat.JSON.install();
            assertThat(LogFormat.installed()).isEqualTo(LogFormat.JSON);
        } finally {
            if (before == null) {
                System.clearProperty(LogFormat.PROPERTY);
            } else {
                System.setProperty(LogFormat.PROPERTY, before);
            }
        }
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheRequestId() throws Exception {
        String line = logOneLine(LogFormat.JSON);

        JsonNode event = new ObjectMapper().readTree(line);
        assertThat(event.path("level").asText()).isEqualTo("INFO");
        assertThat(event.path("loggerName").asText()).isEqualTo("dev.floe.example");
        assertThat(event.path("formattedMessage").asText()).isEqualTo("Created namespace sales");
        assertThat(event.path("mdc").path("requestId").asText()).isEqualTo("req-7");
        assertThat(event.has("arguments")).isFalse();
    }

    @Test
    void textFormatWritesTheRequestIdBeforeTheMessage() {
        String line = logOneLine(LogFormat.TEXT);

        assertThat(line)
                .matches("\\d{4}-\\d{2}-\\d{2}T\\S+ INFO  \\[.+] dev.floe.example req-7 - Created namespace sales");
    }

    @Test
    void librariesAreQuieterThanTheCatalog() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        FloeLogConfigurator.configureBuiltIn(context, LogFormat.TEXT);

        assertThat(context.getLogger("dev.floe.catalog.Anything").isInfoEnabled())
                .isTrue();
        assertThat(context.getLogger("io.netty.channel.Whatever").isInfoEnabled())
                .isFalse();
        assertThat(context.getLogger("io.micronaut.context.Whatever").isWarnEnabled())
                .isTrue();
        assertThat(context.getLogger("org.apache.hadoop.fs.Whatever").isWarnEnabled())
                .isFalse();
    }

    /** Logs one event through a built-in configuration and returns what reached stderr. */
    private static String logOneLine(LogFormat format) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        FloeLogConfigurator.configureBuiltIn(context, format);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (MDC.MDCCloseable ignored = MDC.putCloseable("requestId", "req-7")) {
            context.getLogger("dev.floe.example").info("Created namespace {}", "sales");
        } finally {
            System.setErr(stderr);
            context.stop();
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines).hasSize(1);
        return lines[0];
    }
}
