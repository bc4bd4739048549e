package dev.floe.catalog.cli;

import dev.floe.catalog.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code floe generate-config}: prints a commented TOML file with every key and its default. */
@Command(
        name = "generate-config",
        mixinStandardHelpOptions = true,
        description = "Print a commented configuration file with every key and its default.")
public final class GenerateConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(ConfigLoader.commentedTemplate());
        spec.commandLine().getOut().flush();
    }
}
