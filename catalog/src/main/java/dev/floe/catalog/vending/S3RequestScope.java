package dev.floe.catalog.vending;

import dev.floe.catalog.catalog.StorageLocation;
import io.micronaut.core.annotation.Nullable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Decides whether an S3 request an engine asks the catalog to sign stays inside one table, at the
 * caller's access level: the counterpart, for remote signing, of the session policy that narrows
 * vended credentials ({@link S3SessionPolicy}). A signed request carries the catalog's own
 * authority, so what is allowed is listed, and everything else is refused: reading, writing and
 * deleting objects under the table's location (multipart uploads included), listing below it, and
 * bulk deletes ({@code POST ?delete}) whose every key is under it. Object ACLs, copies from other
 * keys and every other sub-resource are refused, as the vending policy does not grant them either.
 *
 * <p>The bucket is found where S3 will find it: from the host for virtual-host addressing
 * ({@code <bucket>.<endpoint host>}), else from the first path segment; a host that is not the
 * warehouse's S3 endpoint is refused, so a signature can never be sent to another bucket or service.
 */
public final class S3RequestScope {

    /** AWS S3's own service hosts (regional, dual-stack, FIPS, China), used when no endpoint is configured. */
    private static final Pattern AWS_S3_HOST =
            Pattern.compile("s3(-fips)?(\\.dualstack)?(\\.[a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?");

    /** Query parameters of the object operations S3FileIO uses (get, head, put, delete, multipart). */
    private static final Set<String> OBJECT_PARAMETERS =
            Set.of("x-id", "uploads", "uploadId", "partNumber", "versionId");

    /** Query parameters of ListObjectsV2. */
    private static final Set<String> LIST_PARAMETERS = Set.of(
            "x-id",
            "list-type",
            "prefix",
            "delimiter",
            "continuation-token",
            "start-after",
            "max-keys",
            "encoding-type",
            "fetch-owner");

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");
    private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST", "DELETE");

    /** The S3 endpoint's {@code host[:port]}, lower case, or {@code ""} for AWS S3. */
    private final String endpointAuthority;

    /** @param endpoint {@code [warehouse] s3_endpoint}, {@code ""} for AWS S3 */
    public S3RequestScope(String endpoint) {
        this.endpointAuthority = endpoint.isEmpty() ? "" : authority(URI.create(endpoint));
    }

    /** What the signature may cover, once {@link #check} accepted it: the bulk-delete body when there is one. */
    public record Accepted(@Nullable String deleteBody) {}

    /**
     * Accepts the request or throws: {@link ForbiddenException} (403) for a request outside the
     * table or above the caller's level, {@link BadRequestException} (400) for one that is not a
     * well-formed S3 request.
     *
     * @param tableLocation the table's {@code s3://bucket/path}
     */
    public Accepted check(
            String method,
            URI uri,
            Map<String, List<String>> headers,
            @Nullable String body,
            String tableLocation,
            AccessLevel level) {
        String verb = method.toUpperCase(Locale.ROOT);
        if (!READ_METHODS.contains(verb) && !WRITE_METHODS.contains(verb)) {
            throw new ForbiddenException("Cannot sign %s requests", printable(method));
        }
        if (WRITE_METHODS.contains(verb) && level != AccessLevel.READ_WRITE) {
            throw new ForbiddenException("Cannot sign %s requests: the caller may only read this table", verb);
        }
        StorageLocation table = StorageLocation.parse(tableLocation);
        if (!table.scheme().equals("s3") || table.raw().isEmpty()) {
            throw new BadRequestException("Cannot sign requests for a table that is not on S3");
        }
        String prefix = String.join("/", table.raw());
        Target target = target(uri, table.authority());
        for (String name : headers.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-copy-source")
                    || lower.equals("x-amz-acl")
                    || lower.startsWith("x-amz-grant-")) {
                // a copy reads another key with the catalog's authority; ACLs are not the engine's to change
                throw new ForbiddenException("Cannot sign requests with header %s", printable(name));
            }
        }
        Map<String, List<String>> query = query(uri);
        if (!target.key().isEmpty()) {
            requireParameters(query, OBJECT_PARAMETERS);
            requireUnder(target.key(), prefix);
            return new Accepted(null);
        }
        if (verb.equals("GET") && query.containsKey("list-type")) {
            requireParameters(query, LIST_PARAMETERS);
            List<String> listed = query.getOrDefault("prefix", List.of(""));
            if (listed.size() != 1
                    || !(listed.get(0).equals(prefix) || listed.get(0).startsWith(prefix + "/"))) {
                throw new ForbiddenException("Cannot sign a listing outside the table's location");
            }
            return new Accepted(null);
        }
        if (verb.equals("POST") && query.keySet().equals(Set.of("delete"))) {
            if (body == null || body.isEmpty()) {
                throw new BadRequestException("Cannot sign a bulk delete without its body");
            }
            for (String key : deleteKeys(body)) {
                requireUnder(key, prefix);
            }
            return new Accepted(body);
        }
        throw new ForbiddenException("Cannot sign bucket-level %s requests", verb);
    }

    /** The bucket and key a request addresses. */
    private record Target(String bucket, String key) {}

    private Target target(URI uri, String bucket) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawPath() == null) {
            throw new BadRequestException("Invalid S3 request URI: expected an absolute http(s) URL");
        }
        String authority = authority(uri);
        String path = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
        if (isServiceHost(authority)) {
            int slash = path.indexOf('/');
            String requested = slash < 0 ? path : path.substring(0, slash);
            requireBucket(requested, bucket);
            return new Target(requested, slash < 0 ? "" : path.substring(slash + 1));
        }
        if (authority.startsWith(bucket + ".") && isServiceHost(authority.substring(bucket.length() + 1))) {
            return new Target(bucket, path);
        }
        throw new ForbiddenException("Cannot sign requests for a host that is not the warehouse's S3 endpoint");
    }

    private boolean isServiceHost(String authority) {
        if (!endpointAuthority.isEmpty()) {
            return authority.equals(endpointAuthority);
        }
        return AWS_S3_HOST.matcher(authority).matches();
    }

    private static void requireBucket(String requested, String bucket) {
        if (!requested.equals(bucket)) {
            throw new ForbiddenException("Cannot sign requests for another bucket");
        }
    }

    /**
     * A key under the table's prefix, as S3 reads it: keys are not normalised, but {@code .} and
     * {@code ..} segments are refused so that no proxy in between can turn one into another table's key.
     */
    private static void requireUnder(String key, String prefix) {
        if (!key.startsWith(prefix + "/")) {
            throw new ForbiddenException("Cannot sign requests outside the table's location");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new ForbiddenException("Cannot sign requests for keys with . or .. segments");
            }
        }
    }

    private static void requireParameters(Map<String, List<String>> query, Set<String> allowed) {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw new ForbiddenException("Cannot sign requests with query parameter %s", printable(name));
            }
        }
    }

    /** The keys of a DeleteObjects body ({@code <Delete><Object><Key>…}); no DTDs, so no external entities. */
    static List<String> deleteKeys(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // the default handler prints parse errors to stderr; the exception is enough
            builder.setErrorHandler(new DefaultHandler());
            Document document = builder.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            NodeList keys = document.getElementsByTagNameNS("*", "Key");
            NodeList objects = document.getElementsByTagNameNS("*", "Object");
            if (keys.getLength() == 0 || keys.getLength() != objects.getLength()) {
                throw new BadRequestException("Invalid bulk delete body: expected one Key per Object");
            }
            List<String> out = new ArrayList<>(keys.getLength());
            for (int i = 0; i < keys.getLength(); i++) {
                out.add(keys.item(i).getTextContent());
            }
            return out;
        } catch (SAXException | IOException e) {
            throw new BadRequestException("Invalid bulk delete body: not well-formed XML");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser supports secure processing", e);
        }
    }

    /** Query parameters by name (decoded), in order; a parameter without a value has "" . */
    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Invalid S3 request URI: bad percent-encoding in the query");
        }
    }

    private static String authority(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    }

    /** A value safe to put in a message: at most 64 printable ASCII characters. */
    static String printable(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return shown.replaceAll("[^\\x20-\\x7e…]", "?");
    }
}
