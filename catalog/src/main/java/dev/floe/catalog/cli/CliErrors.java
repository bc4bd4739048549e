package dev.floe.catalog.cli;

import dev.floe.catalog.config.ConfigException;
import picocli.CommandLine;

/**
 * Prints expected failures (bad configuration, unreachable database) as one line without a stack
 * trace, and returns exit code 2 for configuration errors, 1 otherwise.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (e instanceof ConfigException) {
            commandLine.getErr().println("floe: configuration error: " + e.getMessage());
            return 2;
        }
        commandLine.getErr().println("floe: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return 1;
    }
}
