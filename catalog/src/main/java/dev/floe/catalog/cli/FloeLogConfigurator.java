package dev.floe.catalog.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The catalog's logging, set up in code: one line per event on stderr (stdout is for command
 * output such as {@code floe open-api}), as text or as one JSON object per line ({@link
 * LogFormat}); both carry the request id ({@code X-Request-Id}) of lines written during a request.
 * Logback finds this class through {@code META-INF/services} at the first {@code LoggerFactory}
 * call. It replaces a {@code logback.xml}: reading XML with Joran cost 30–60 ms of every start.
 *
 * <p>A configuration of the user's own wins: with {@code -Dlogback.configurationFile=…} (for
 * example in {@code FLOE_JAVA_OPTS}) or a {@code logback-test.xml} on the class path this class
 * steps aside and logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class FloeLogConfigurator extends ContextAwareBase implements Configurator {

    /** Libraries whose INFO lines say nothing an operator of the catalog acts on. */
    static final Map<String, Level> QUIETER_LIBRARIES = Map.of(
            "io.micronaut", Level.WARN,
            "io.netty", Level.WARN,
            "org.apache.iceberg", Level.WARN,
            "org.apache.hadoop", Level.ERROR);

    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} %X{requestId:--} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfigurationPresent()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configureBuiltIn(context, LogFormat.installed());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** True when logback should read a file instead: the user's own, or the tests'. */
    static boolean userConfigurationPresent() {
        return System.getProperty("logback.configurationFile") != null
                || FloeLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
    }

    static void configureBuiltIn(LoggerContext context, LogFormat format) {
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(format, context));
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        QUIETER_LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    private static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
        if (format == LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
