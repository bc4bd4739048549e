package dev.floe.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code floe} builds only the subcommand a command line names, and every one when it names none. */
class FloeCommandTest {

    @Test
    void buildsOnlyTheNamedSubcommand() {
        assertThat(FloeCommand.commandLine("serve", "--dev").getSubcommands()).containsOnlyKeys("serve");
        assertThat(FloeCommand.commandLine("admin", "rotate-keys").getSubcommands())
                .containsOnlyKeys("admin");
    }

    @Test
    void buildsEverySubcommandWhenNoneIsNamed() {
        for (String[] args : new String[][] {{}, {"--help"}, {"--version"}, {"help", "serve"}, {"srve"}}) {
            assertThat(FloeCommand.commandLine(args).getSubcommands())
                    .as(String.join(" ", args))
                    .hasSize(FloeCommand.SUBCOMMANDS.size());
        }
    }

    @Test
    void topLevelHelpListsEverySubcommand() {
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out())
                .contains("serve", "generate-config", "open-api", "status", "migrate", "generate-cert")
                .contains("generate-key", "admin", "backup", "restore", "help");
    }

    @Test
    void subcommandHelpWorksBothWays() {
        Result direct = run("serve", "--help");
        Result viaHelp = run("help", "serve");
        assertThat(direct.exit()).isZero();
        assertThat(viaHelp.exit()).isZero();
        assertThat(direct.out()).contains("Usage: floe serve", "--storage", "--tls-cert");
        assertThat(viaHelp.out()).isEqualTo(direct.out());
    }

    @Test
    void badOptionOfANamedSubcommandIsAUsageError() {
        Result bad = run("serve", "--no-such-option");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown option: '--no-such-option'", "Usage: floe serve");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        Result bad = run("srve");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Unmatched argument at index 0: 'srve'");
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FloeCommand.commandLine(args);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private record Result(int exit, String out, String err) {}
}
