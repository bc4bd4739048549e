package dev.floe.catalog.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the log format before the first logger exists: {@code text} (one readable line per event)
 * or {@code json} (one JSON object per line, for log collectors), from {@code --log-format} on the
 * command line, else {@code FLOE_LOG_FORMAT}, else text. Logback reads its configuration once, at
 * the first {@code LoggerFactory} call, so this has to run in {@code main} ahead of picocli and
 * Micronaut ({@link FloeLogConfigurator} reads the choice); {@code ServeCommand} declares the same option so picocli accepts and documents it.
 * Both formats carry the request id ({@code X-Request-Id}) of every line written while a request
 * is handled.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The option name, shared with ServeCommand. */
    public static final String OPTION = "--log-format";
    /** The environment variable. */
    public static final String ENV = "FLOE_LOG_FORMAT";

    /** Where {@link #install()} leaves the choice for {@link FloeLogConfigurator}. */
    static final String PROPERTY = "floe.log.format";

    /**
     * The format asked for by the arguments or the environment.
     *
     * @throws IllegalArgumentException naming the option or variable when the value is neither text nor json
     */
    public static LogFormat select(List<String> args, Map<String, String> env) {
        Optional<String> fromArgs = optionValue(args);
        if (fromArgs.isPresent()) {
            return parse(fromArgs.get(), OPTION);
        }
        String fromEnv = env.get(ENV);
        return fromEnv == null || fromEnv.isBlank() ? TEXT : parse(fromEnv, ENV);
    }

    /** Makes this the format {@link FloeLogConfigurator} sets up when logback starts. */
    public void install() {
        System.setProperty(PROPERTY, name());
    }

    /** The format {@link #install()} chose; text when nothing was installed (tests, embedding). */
    static LogFormat installed() {
        return System.getProperty(PROPERTY, TEXT.name()).equals(JSON.name()) ? JSON : TEXT;
    }

    private static Optional<String> optionValue(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(OPTION) && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            if (arg.startsWith(OPTION + "=")) {
                return Optional.of(arg.substring(OPTION.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static LogFormat parse(String value, String source) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException(source + " must be text or json, was '" + value + "'");
        };
    }
}
