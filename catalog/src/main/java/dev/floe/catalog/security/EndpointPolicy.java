package dev.floe.catalog.security;

import io.micronaut.core.annotation.Nullable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table of which role each endpoint needs, consulted for every request before the
 * controller runs (so before anything is read). An endpoint not in the table needs {@code admin}:
 * a new route is closed until someone decides who may call it.
 *
 * <p>Iceberg REST routes are listed with and without the optional {@code {prefix}} (warehouse)
 * segment. Each rule also says what resource the path names, so scope checks can answer 404 for a
 * namespace, table or view outside the caller's scope exactly as for one that does not exist.
 */
public final class EndpointPolicy {

    /** What a path names, for scope checks and for the shape of a not-found answer. */
    public enum Resource { NONE, NAMESPACE, TABLE, VIEW }

    /**
     * One row of the table.
     *
     * @param methods  HTTP methods, e.g. {@code GET|HEAD}
     * @param pattern  path regex; named groups {@code prefix}, {@code ns}, {@code name}
     * @param required least role needed, or null for a public endpoint
     * @param resource what the path names
     * @param action   stable action name for audit lines, e.g. {@code table.commit}
     */
    public record Rule(Methods methods, Pattern pattern, @Nullable Role required, Resource resource, String action) {
    }

    /** A set of methods written as {@code GET|HEAD}. */
    public record Methods(String spec) {
        boolean contains(String method) {
            for (String m : spec.split("\\|")) {
                if (m.equals(method)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The decision for one request.
     *
     * @param rule      the matching rule (or the default admin rule)
     * @param warehouse the {@code {prefix}} segment, decoded, or null
     * @param namespace namespace levels joined by '.', or null
     * @param name      table or view name, or null
     */
    public record Match(Rule rule, @Nullable String warehouse, @Nullable String namespace, @Nullable String name) {
        /** The resource as Iceberg names it in messages, e.g. {@code db.orders}. */
        public String target() {
            if (namespace == null) {
                return warehouse == null ? "" : warehouse;
            }
            return name == null ? namespace : namespace + "." + name;
        }
    }

    private static final String P = "^/v1/(?:(?<prefix>[^/]+)/)?";
    private static final String NS = "namespaces/(?<ns>[^/]+)";
    private static final Rule DEFAULT = new Rule(new Methods("*"), Pattern.compile(".*"), Role.ADMIN, Resource.NONE, "other");

    /** The table. Order matters only where patterns overlap; more specific rows come first. */
    public static final List<Rule> RULES = List.of(
            rule("POST", "^/v1/oauth/tokens$", null, Resource.NONE, "oauth.token"),
            rule("GET", "^/v1/config$", Role.READER, Resource.NONE, "config.get"),
            rule("GET|HEAD", "^/health(/.*)?$", null, Resource.NONE, "health"),
            rule("GET", "^/(metrics|prometheus)$", null, Resource.NONE, "metrics"),
            rule("GET|HEAD|POST|DELETE|PUT|PATCH", "^/management/.*$", Role.ADMIN, Resource.NONE, "management"),
            rule("POST", P + "tables/rename$", Role.WRITER, Resource.NONE, "table.rename"),
            rule("POST", P + "views/rename$", Role.WRITER, Resource.NONE, "view.rename"),
            rule("POST", P + "transactions/commit$", Role.WRITER, Resource.NONE, "transaction.commit"),
            rule("GET", P + "namespaces$", Role.READER, Resource.NONE, "namespace.list"),
            rule("POST", P + "namespaces$", Role.WRITER, Resource.NONE, "namespace.create"),
            rule("GET|HEAD", P + NS + "$", Role.READER, Resource.NAMESPACE, "namespace.load"),
            rule("DELETE", P + NS + "$", Role.WRITER, Resource.NAMESPACE, "namespace.drop"),
            rule("POST", P + NS + "/properties$", Role.WRITER, Resource.NAMESPACE, "namespace.update-properties"),
            rule("GET", P + NS + "/tables$", Role.READER, Resource.NAMESPACE, "table.list"),
            rule("POST", P + NS + "/tables$", Role.WRITER, Resource.NAMESPACE, "table.create"),
            rule("POST", P + NS + "/register$", Role.WRITER, Resource.NAMESPACE, "table.register"),
            rule("POST", P + NS + "/register-view$", Role.WRITER, Resource.NAMESPACE, "view.register"),
            rule("GET|HEAD", P + NS + "/tables/(?<name>[^/]+)$", Role.READER, Resource.TABLE, "table.load"),
            rule("POST", P + NS + "/tables/(?<name>[^/]+)$", Role.WRITER, Resource.TABLE, "table.commit"),
            rule("DELETE", P + NS + "/tables/(?<name>[^/]+)$", Role.WRITER, Resource.TABLE, "table.drop"),
            rule("POST", P + NS + "/tables/(?<name>[^/]+)/metrics$", Role.READER, Resource.TABLE, "table.report-metrics"),
            rule("GET", P + NS + "/tables/(?<name>[^/]+)/credentials$", Role.READER, Resource.TABLE, "table.credentials"),
            rule("GET", P + NS + "/views$", Role.READER, Resource.NAMESPACE, "view.list"),
            rule("POST", P + NS + "/views$", Role.WRITER, Resource.NAMESPACE, "view.create"),
            rule("GET|HEAD", P + NS + "/views/(?<name>[^/]+)$", Role.READER, Resource.VIEW, "view.load"),
            rule("POST", P + NS + "/views/(?<name>[^/]+)$", Role.WRITER, Resource.VIEW, "view.replace"),
            rule("DELETE", P + NS + "/views/(?<name>[^/]+)$", Role.WRITER, Resource.VIEW, "view.drop"),
            rule("POST", "^/v1/admin/rotate-keys$", Role.ADMIN, Resource.NONE, "admin.rotate-keys"));

    /** Reads the literal first path segment(s) a rule's regex starts with: {@code ^/v1/…}, {@code ^/(a|b)$}. */
    private static final Pattern LEADING_SEGMENT = Pattern.compile(
            "^\\^/(?:\\(([a-z0-9|-]+)\\)|([a-z0-9-]+))(?:/.*|\\(/.*|\\$)$");

    /**
     * The rules to try, by method and then by first path segment, each list in {@link #RULES} order.
     * The key {@code ""} holds the rules for a segment no rule names (those whose regex does not start
     * with a literal segment; none today). Only the regexes of the two or so rules that can match are
     * run, instead of every row with its method set split per request.
     */
    private static final Map<String, Map<String, List<Rule>>> INDEX = index();

    private EndpointPolicy() {
    }

    /** The rule for a request, with the path's warehouse, namespace and name decoded. */
    public static Match match(String method, String path) {
        for (Rule rule : candidates(method, path)) {
            Matcher matcher = rule.pattern().matcher(path);
            if (matcher.matches()) {
                return new Match(rule, group(matcher, "prefix"), namespace(group(matcher, "ns")), group(matcher, "name"));
            }
        }
        return new Match(DEFAULT, null, null, null);
    }

    /** Whether {@code namespace} (levels joined by '.') lies within {@code prefix} (the same or a child). */
    public static boolean withinNamespace(String namespace, String prefix) {
        return namespace.equals(prefix) || namespace.startsWith(prefix + ".");
    }

    /** Whether a caller confined to {@code prefix} may see {@code namespace} in a listing (it is inside, or leads there). */
    public static boolean visibleInListing(String namespace, String prefix) {
        return withinNamespace(namespace, prefix) || withinNamespace(prefix, namespace);
    }

    /** Whether {@code principal} may use objects in {@code warehouse} and {@code namespace} (either may be null). */
    public static boolean inScope(Principal principal, @Nullable String warehouse, @Nullable String namespace) {
        if (principal.warehouse() != null && warehouse != null && !principal.warehouse().equals(warehouse)) {
            return false;
        }
        return principal.namespacePrefix() == null || namespace == null
                || withinNamespace(namespace, principal.namespacePrefix());
    }

    /** The rules that can match, in table order (package-private for the test that checks the index is used). */
    static List<Rule> candidates(String method, String path) {
        Map<String, List<Rule>> bySegment = INDEX.get(method.toUpperCase(Locale.ROOT));
        if (bySegment == null) {
            return List.of();
        }
        List<Rule> rules = bySegment.get(firstSegment(path));
        return rules != null ? rules : bySegment.get("");
    }

    /** The text between the leading '/' and the next '/', or "" when the path does not start with '/'. */
    private static String firstSegment(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return "";
        }
        int end = path.indexOf('/', 1);
        return end < 0 ? path.substring(1) : path.substring(1, end);
    }

    private static Map<String, Map<String, List<Rule>>> index() {
        // Which literal first segments each rule requires; null = any (the rule is tried for every path).
        Map<Rule, List<String>> segments = new HashMap<>();
        Set<String> named = new HashSet<>();
        for (Rule rule : RULES) {
            Matcher leading = LEADING_SEGMENT.matcher(rule.pattern().pattern());
            List<String> names = !leading.matches() ? null
                    : leading.group(1) != null ? List.of(leading.group(1).split("\\|")) : List.of(leading.group(2));
            segments.put(rule, names);
            if (names != null) {
                named.addAll(names);
            }
        }
        Set<String> methods = new HashSet<>();
        for (Rule rule : RULES) {
            methods.addAll(List.of(rule.methods().spec().split("\\|")));
        }
        Map<String, Map<String, List<Rule>>> index = new HashMap<>();
        for (String method : methods) {
            Map<String, List<Rule>> bySegment = new HashMap<>();
            for (String segment : named) {
                bySegment.put(segment, rulesFor(method, segment, segments));
            }
            bySegment.put("", rulesFor(method, null, segments));
            index.put(method, Map.copyOf(bySegment));
        }
        return Map.copyOf(index);
    }

    private static List<Rule> rulesFor(String method, @Nullable String segment, Map<Rule, List<String>> segments) {
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : RULES) {
            List<String> names = segments.get(rule);
            if (rule.methods().contains(method) && (names == null || (segment != null && names.contains(segment)))) {
                rules.add(rule);
            }
        }
        return List.copyOf(rules);
    }

    private static Rule rule(String methods, String regex, @Nullable Role role, Resource resource, String action) {
        return new Rule(new Methods(methods), Pattern.compile(regex), role, resource, action);
    }

    private static @Nullable String group(Matcher matcher, String name) {
        try {
            String value = matcher.group(name);
            return value == null ? null : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Iceberg encodes namespace levels joined by the unit separator (0x1F); we compare them joined by '.'. */
    private static @Nullable String namespace(@Nullable String decoded) {
        return decoded == null ? null : decoded.replace('\u001f', '.');
    }
}
