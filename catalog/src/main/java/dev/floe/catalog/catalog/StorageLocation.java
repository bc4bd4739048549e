package dev.floe.catalog.catalog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * A storage location in one normal form, so that two spellings of the same place compare equal and
 * containment is decided on whole path segments rather than string prefixes. Parsing refuses what
 * could be read two ways: {@code .} and {@code ..} segments, empty segments ({@code //}), encoded
 * separators ({@code %2F}), double encoding, {@code ?} and {@code #} (S3 clients cut a key there),
 * backslashes and control characters. Percent-encoding is decoded once, and a location is only
 * inside another when it is inside under both readings, raw and decoded, since a FileIO uses the
 * raw string and a URI-based engine the decoded one. The scheme is compared without case and with
 * its aliases folded ({@code s3a}, {@code s3n} → {@code s3}); the bucket or container (authority)
 * and the path are compared exactly, because object stores are case-sensitive.
 *
 * @param scheme    normalised scheme: {@code file}, {@code s3}, {@code gs}, {@code abfss}, {@code wasbs}
 * @param authority bucket, container@account or empty for {@code file}
 * @param raw       path segments as written
 * @param decoded   the same segments, percent-decoded once
 */
public record StorageLocation(String scheme, String authority, List<String> raw, List<String> decoded) {

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$", Pattern.DOTALL);
    /** A bucket name; Azure's container@account host. No user information, no port. */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9._-]+");

    private static final Pattern AZURE_AUTHORITY = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9._-]+");
    /** Schemes that name the same storage: compared as one. */
    private static final Map<String, String> ALIASES = Map.of(
            "file", "file", "s3", "s3", "s3a", "s3", "s3n", "s3", "gs", "gs", "abfs", "abfss", "abfss", "abfss", "wasb",
            "wasbs", "wasbs", "wasbs");

    public StorageLocation {
        raw = List.copyOf(raw);
        decoded = List.copyOf(decoded);
    }

    /**
     * Parses a location given to the catalog.
     *
     * @throws BadRequestException (400) when it is not a clean absolute location of a supported scheme
     */
    public static StorageLocation parse(String location) {
        if (location == null || location.isBlank()) {
            throw invalid("an empty location");
        }
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '?' || c == '#') {
                throw invalid("a location with control characters, '\\', '?' or '#'");
            }
        }
        Matcher m = SCHEME.matcher(location);
        if (!m.matches()) {
            if (!location.startsWith("/")) {
                throw invalid("a relative location");
            }
            return fromPath("file", "", location);
        }
        String given = m.group(1).toLowerCase(Locale.ROOT);
        String scheme = ALIASES.get(given);
        if (scheme == null) {
            throw invalid("a location with the unsupported scheme '" + given + "'");
        }
        String rest = m.group(2);
        if (scheme.equals("file")) {
            if (rest.startsWith("//")) {
                // file://host/p: only the empty host (file:///p) is this machine
                int slash = rest.indexOf('/', 2);
                if (slash != 2) {
                    throw invalid("a file location with a host");
                }
                rest = rest.substring(2);
            }
            return fromPath("file", "", rest);
        }
        if (!rest.startsWith("//")) {
            throw invalid("a " + given + " location without a bucket (" + given + "://bucket/path)");
        }
        int slash = rest.indexOf('/', 2);
        String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
        boolean azure = scheme.equals("abfss") || scheme.equals("wasbs");
        if (!(azure ? AZURE_AUTHORITY : BUCKET).matcher(authority).matches()) {
            throw invalid("a " + given + " location without a valid bucket or container");
        }
        return fromPath(scheme, authority, slash < 0 ? "/" : rest.substring(slash));
    }

    private static StorageLocation fromPath(String scheme, String authority, String path) {
        if (!path.startsWith("/")) {
            throw invalid("a relative location");
        }
        String body = path.substring(1);
        if (body.endsWith("/")) {
            body = body.substring(0, body.length() - 1); // one trailing slash names the same directory
        }
        List<String> raw = new ArrayList<>();
        List<String> decoded = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String segment : body.split("/", -1)) {
                String once = decodeOnce(segment);
                if (segment.isEmpty()) {
                    throw invalid("a location with an empty path segment ('//')");
                }
                if (isDot(segment) || isDot(once)) {
                    throw invalid("a location with a '.' or '..' segment");
                }
                if (once.indexOf('/') >= 0
                        || once.indexOf('\\') >= 0
                        || once.indexOf('%') >= 0
                        || once.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw invalid("a location with an encoded separator, control character or double encoding");
                }
                raw.add(segment);
                decoded.add(once);
            }
        }
        return new StorageLocation(scheme, authority, raw, decoded);
    }

    private static boolean isDot(String segment) {
        return segment.equals(".") || segment.equals("..");
    }

    /** Decodes {@code %XX} escapes once (not {@code +}: it is a literal plus in a path). */
    private static String decodeOnce(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] in = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
                    throw invalid("a location with a malformed percent-escape");
                }
                bytes.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                bytes.write(in[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static BadRequestException invalid(String what) {
        return new BadRequestException("Invalid location: %s is not accepted", what);
    }

    /** Whether {@code other} is this location or lies under it, read raw and decoded alike. */
    public boolean contains(StorageLocation other) {
        return scheme.equals(other.scheme)
                && authority.equals(other.authority)
                && startsWith(other.raw, raw)
                && startsWith(other.decoded, decoded);
    }

    /** Whether {@code other} lies strictly under this location. */
    public boolean strictlyContains(StorageLocation other) {
        return contains(other) && other.raw.size() > raw.size();
    }

    /** Whether one of the two contains the other (same place, or one inside the other). */
    public boolean overlaps(StorageLocation other) {
        return contains(other) || other.contains(this);
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    @Override
    public String toString() {
        String path = "/" + String.join("/", raw);
        return scheme.equals("file") ? "file:" + path : scheme + "://" + authority + path;
    }
}
