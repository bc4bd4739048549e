package dev.floe.catalog.cli;

import dev.floe.contract.CatalogCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code floe admin}: operations against a running catalog (key rotation). */
@Command(
        name = CatalogCommand.ADMIN,
        mixinStandardHelpOptions = true,
        description = "Administrative operations against a running catalog.",
        subcommands = {RotateKeysCommand.class, CommandLine.HelpCommand.class})
public final class AdminCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
