package dev.floe.operator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The operator's own version, as the build wrote it into {@code dev/floe/operator/operator.properties}
 * (Maven resource filtering), so it is the same in the jar, the image and tests run from
 * target/classes. The operator derives its default catalog image from it, which is how upgrading
 * the operator upgrades the catalogs that do not pin an image.
 */
public final class OperatorVersion {
    static final String RESOURCE = "/dev/floe/operator/operator.properties";

    private OperatorVersion() {}

    /**
     * The version of this operator build, for example {@code 0.1.0-SNAPSHOT}; fails with a message
     * when the build did not write it (read on each call: the operator asks once, at start-up).
     */
    public static String current() {
        return load(OperatorVersion.class.getResourceAsStream(RESOURCE));
    }

    static String load(InputStream in) {
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath: build the operator with Maven "
                    + "(./mvnw -B -pl operator package), which writes the operator's version into it");
        }
        Properties properties = new Properties();
        try (in) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        String version = properties.getProperty("version", "").trim();
        if (version.isEmpty() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " has no filtered version (found '" + version
                    + "'): build the operator with Maven, whose resource filtering fills it in");
        }
        return version;
    }
}
