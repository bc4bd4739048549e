package dev.floe.catalog.cli;

/** Placeholder entry point; replaced by the picocli command in the catalog core. */
public final class FloeCommand {
    public static void main(String[] args) {
        System.out.println("floe");
    }
}
