package dev.floe.catalog.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code floe} command. Each subcommand is its own class listed in {@link #SUBCOMMANDS}; a
 * command line that names one gets only that one (see {@link #commandLine}).
 */
@Command(
        name = "floe",
        mixinStandardHelpOptions = true,
        versionProvider = FloeVersion.class,
        description = "Floe: an encrypted Apache Iceberg REST catalog.")
public final class FloeCommand implements Runnable {

    /**
     * The subcommands, in the order {@code floe --help} lists them. Not in {@code @Command(subcommands
     * = …)}: picocli would build the model of every one of them (reflection over each class, its
     * options and mixins, and their static initialisers) before parsing, about a quarter of the
     * time {@code floe serve} spends before the server starts.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            ServeCommand.class,
            GenerateConfigCommand.class,
            OpenApiCommand.class,
            StatusCommand.class,
            MigrateCommand.class,
            GenerateCertCommand.class,
            GenerateKeyCommand.class,
            AdminCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        try {
            LogFormat.select(List.of(args), System.getenv()).install();
        } catch (IllegalArgumentException e) {
            System.err.println("floe: " + e.getMessage());
            System.exit(2);
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line for these arguments. When the first argument names a subcommand (the
     * pod's {@code floe serve}, {@code floe admin rotate-keys}, …) only that subcommand is built;
     * anything else ({@code floe}, {@code --help}, {@code --version}, {@code help serve}, a typo)
     * gets all of them, so help and "did you mean" see every command.
     */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new FloeCommand());
        List<Class<?>> named = args.length == 0
                ? List.of()
                : SUBCOMMANDS.stream()
                        .filter(command -> command != CommandLine.HelpCommand.class
                                && names(command).contains(args[0]))
                        .toList();
        (named.isEmpty() ? SUBCOMMANDS : named).forEach(line::addSubcommand);
        // after the subcommands: picocli passes the handler on to the subcommands present
        return line.setExecutionExceptionHandler(new CliErrors());
    }

    /** The name and aliases a subcommand class declares, read from its annotation alone. */
    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        return java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(annotation.name()), java.util.Arrays.stream(annotation.aliases()))
                .toList();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
