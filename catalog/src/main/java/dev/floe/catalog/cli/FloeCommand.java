package dev.floe.catalog.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code floe} command. Each subcommand is its own class listed in {@code subcommands} below;
 * more (generate-cert, generate-key, admin rotate-keys) are added there by their owners.
 */
@Command(
        name = "floe",
        mixinStandardHelpOptions = true,
        versionProvider = FloeVersion.class,
        description = "Floe: an encrypted Apache Iceberg REST catalog.",
        subcommands = {
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
            // generate-key and admin (rotate-keys) are registered here by the
            // security/TLS and crypto work.
            CommandLine.HelpCommand.class
        })
public final class FloeCommand implements Runnable {

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
        return new CommandLine(new FloeCommand())
                .setExecutionExceptionHandler(new CliErrors())
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
