package dev.floe.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code floe migrate} applies every pending migration of a store once and says so. */
class MigrateCommandTest {

    @TempDir
    Path dir;

    @Test
    void migratesAnEmptyStoreThenReportsItUpToDate() {
        String storage = "file://" + dir.resolve("db");

        Result first = run("migrate", "--storage", storage);
        assertThat(first.exit()).as(first.err()).isZero();
        // every migration the build ships, lowest first (owners reserve ranges: V1.. store, V20.. crypto, V30..
        // security)
        assertThat(first.out()).containsPattern("floe migrate: applied migration\\(s\\) 1, 2, 3, 20, 30(, \\d+)* to ");

        Result second = run("migrate", "--storage", storage);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("is up to date");
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
