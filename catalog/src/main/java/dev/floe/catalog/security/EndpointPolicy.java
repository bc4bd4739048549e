package dev.floe.catalog.security;

import dev.floe.catalog.rest.Identifiers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * The one table of which role each endpoint needs, consulted for every request before the
 * controller runs (so before anything is read). A route not in the table needs {@code admin}: a
 * new route is closed until someone decides who may call it.
 *
 * <p>Rows name the route templates the controllers declare, and a request is looked up by the
 * route Micronaut matched for it; the warehouse, namespace and name come from that route's
 * variables, parsed as the controllers parse them ({@link Identifiers#namespace}). So the policy
 * judges exactly the resource the controller will serve; it never reads the path a second way.
 * Iceberg REST routes are listed with and without the optional {@code {prefix}} (warehouse).
 */
public final class EndpointPolicy {

    /** What a path names, for scope checks and for the shape of a not-found answer. */
    public enum Resource {
        NONE,
        NAMESPACE,
        TABLE,
        VIEW
    }

    /** Which part of the catalog a route reaches, so which scoped callers may use it. */
    public enum Reach {
        /** A warehouse, and the namespace the route names if any: checked against the caller's scope. */
        WAREHOUSE,
        /** API keys: any admin passes here; the management controller confines it to keys inside its scope. */
        KEYS,
        /** The whole catalog (data keys): only an unscoped caller. */
        CATALOG
    }

    /**
     * One row of the table.
     *
     * @param method   HTTP method of the route
     * @param template the route's URI template, as the controller declares it
     * @param required least role needed, or null for a public endpoint
     * @param resource what the route names
     * @param reach    which part of the catalog it reaches
     * @param action   stable action name for audit lines, e.g. {@code table.commit}
     */
    public record Rule(
            String method, String template, @Nullable Role required, Resource resource, Reach reach, String action) {}

    /**
     * The decision input for one request.
     *
     * @param rule      the matching rule (or the default admin rule)
     * @param warehouse the {@code {prefix}} route variable, or null
     * @param namespace the {@code {namespace}} route variable as levels, or null
     * @param name      the {@code {table}} or {@code {view}} route variable, or null
     * @param invalid   why the namespace variable is not a valid namespace, or null
     * @param routed    whether Micronaut matched a route for the request (else it will answer 404 or 405)
     */
    public record Match(
            Rule rule,
            @Nullable String warehouse,
            @Nullable Namespace namespace,
            @Nullable String name,
            @Nullable String invalid,
            boolean routed) {
        /** The resource as Iceberg names it in messages, e.g. {@code db.orders}. */
        public String target() {
            if (namespace == null) {
                return warehouse == null ? "" : warehouse;
            }
            return name == null ? namespace.toString() : namespace + "." + name;
        }
    }

    private static final String P = "/v1/{prefix}/";
    private static final String NS = "namespaces/{namespace}";
    private static final Rule DEFAULT = new Rule("*", "", Role.ADMIN, Resource.NONE, Reach.WAREHOUSE, "other");

    /** The table. */
    public static final List<Rule> RULES = List.of(
            plain("POST", "/v1/oauth/tokens", null, Reach.WAREHOUSE, "oauth.token"),
            plain("GET", "/v1/config", Role.READER, Reach.WAREHOUSE, "config.get"),
            plain("GET", "/health", null, Reach.WAREHOUSE, "health"),
            plain("GET", "/health/{selector}", null, Reach.WAREHOUSE, "health"),
            plain("GET", "/metrics", null, Reach.WAREHOUSE, "metrics"),
            plain("GET", "/prometheus", null, Reach.WAREHOUSE, "metrics"),
            plain("POST", "/management/v1/api-keys", Role.ADMIN, Reach.KEYS, "api-key.create"),
            plain("GET", "/management/v1/api-keys", Role.ADMIN, Reach.KEYS, "api-key.list"),
            plain("GET", "/management/v1/api-keys/{keyId}", Role.ADMIN, Reach.KEYS, "api-key.get"),
            plain("DELETE", "/management/v1/api-keys/{keyId}", Role.ADMIN, Reach.KEYS, "api-key.revoke"),
            plain("GET", "/management/v1/keys", Role.ADMIN, Reach.CATALOG, "data-key.list"),
            plain("POST", "/management/v1/keys/rotate", Role.ADMIN, Reach.CATALOG, "data-key.rotate"));

    /** The Iceberg REST routes, each served with and without the warehouse prefix. */
    private static final List<Rule> ICEBERG = List.of(
            iceberg("POST", "tables/rename", Role.WRITER, Resource.NONE, "table.rename"),
            iceberg("POST", "views/rename", Role.WRITER, Resource.NONE, "view.rename"),
            iceberg("POST", "transactions/commit", Role.WRITER, Resource.NONE, "transaction.commit"),
            iceberg("GET", "namespaces", Role.READER, Resource.NONE, "namespace.list"),
            iceberg("POST", "namespaces", Role.WRITER, Resource.NONE, "namespace.create"),
            iceberg("GET", NS, Role.READER, Resource.NAMESPACE, "namespace.load"),
            iceberg("HEAD", NS, Role.READER, Resource.NAMESPACE, "namespace.exists"),
            iceberg("DELETE", NS, Role.WRITER, Resource.NAMESPACE, "namespace.drop"),
            iceberg("POST", NS + "/properties", Role.WRITER, Resource.NAMESPACE, "namespace.update-properties"),
            iceberg("GET", NS + "/tables", Role.READER, Resource.NAMESPACE, "table.list"),
            iceberg("POST", NS + "/tables", Role.WRITER, Resource.NAMESPACE, "table.create"),
            iceberg("POST", NS + "/register", Role.WRITER, Resource.NAMESPACE, "table.register"),
            iceberg("POST", NS + "/register-view", Role.WRITER, Resource.NAMESPACE, "view.register"),
            iceberg("GET", NS + "/tables/{table}", Role.READER, Resource.TABLE, "table.load"),
            iceberg("HEAD", NS + "/tables/{table}", Role.READER, Resource.TABLE, "table.exists"),
            iceberg("POST", NS + "/tables/{table}", Role.WRITER, Resource.TABLE, "table.commit"),
            iceberg("DELETE", NS + "/tables/{table}", Role.WRITER, Resource.TABLE, "table.drop"),
            iceberg("POST", NS + "/tables/{table}/metrics", Role.READER, Resource.TABLE, "table.report-metrics"),
            iceberg("GET", NS + "/tables/{table}/credentials", Role.READER, Resource.TABLE, "table.credentials"),
            // a reader may have reads signed; the controller signs writes only for callers who may commit
            iceberg("POST", NS + "/tables/{table}/sign", Role.READER, Resource.TABLE, "table.sign"),
            iceberg("GET", NS + "/views", Role.READER, Resource.NAMESPACE, "view.list"),
            iceberg("POST", NS + "/views", Role.WRITER, Resource.NAMESPACE, "view.create"),
            iceberg("GET", NS + "/views/{view}", Role.READER, Resource.VIEW, "view.load"),
            iceberg("HEAD", NS + "/views/{view}", Role.READER, Resource.VIEW, "view.exists"),
            iceberg("POST", NS + "/views/{view}", Role.WRITER, Resource.VIEW, "view.replace"),
            iceberg("DELETE", NS + "/views/{view}", Role.WRITER, Resource.VIEW, "view.drop"));

    /** Rules by {@code METHOD template}, the Iceberg ones under both spellings of their template. */
    private static final Map<String, Rule> BY_ROUTE = index();

    private EndpointPolicy() {}

    /**
     * The rule for a request and the resource it names, from the route Micronaut matched for it
     * (available to every server filter). A request without a route (it will be answered 404 or
     * 405) gets the default rule, which needs {@code admin}.
     */
    public static Match match(HttpRequest<?> request) {
        UriRouteMatch<?, ?> route = RouteAttributes.getRouteMatch(request)
                .filter(UriRouteMatch.class::isInstance)
                .map(m -> (UriRouteMatch<?, ?>) m)
                .orElse(null);
        if (route == null) {
            return new Match(DEFAULT, null, null, null, null, false);
        }
        return match(
                route.getHttpMethod().name(),
                route.getRouteInfo().getUriMatchTemplate().toPathString(),
                route.getVariableValues());
    }

    /** The rule of one route and its variable values (package-private for tests). */
    static Match match(String method, String template, Map<String, Object> variables) {
        Rule rule = rule(method, template);
        String namespaceValue = text(variables.get("namespace"));
        Namespace namespace = null;
        String invalid = null;
        if (namespaceValue != null) {
            try {
                namespace = Identifiers.namespace(namespaceValue);
            } catch (BadRequestException e) {
                invalid = e.getMessage();
            }
        }
        String name = text(variables.get("table"));
        return new Match(
                rule,
                text(variables.get("prefix")),
                namespace,
                name != null ? name : text(variables.get("view")),
                invalid,
                true);
    }

    /**
     * The rule of a route, or the default admin rule when the table does not list it. A HEAD route
     * without a row of its own is the one Micronaut adds beside a GET route, so it has the GET's rule.
     */
    static Rule rule(String method, String template) {
        Rule rule = BY_ROUTE.get(method + " " + template);
        if (rule == null && "HEAD".equals(method)) {
            rule = BY_ROUTE.get("GET " + template);
        }
        return rule != null ? rule : DEFAULT;
    }

    private static Map<String, Rule> index() {
        Map<String, Rule> byRoute = new HashMap<>();
        for (Rule rule : RULES) {
            byRoute.put(rule.method() + " " + rule.template(), rule);
        }
        for (Rule rule : ICEBERG) {
            byRoute.put(rule.method() + " " + rule.template(), rule);
            byRoute.put(rule.method() + " " + rule.template().replace("/{prefix}/", "/"), rule);
        }
        return Map.copyOf(byRoute);
    }

    private static Rule plain(String method, String template, @Nullable Role role, Reach reach, String action) {
        return new Rule(method, template, role, Resource.NONE, reach, action);
    }

    private static Rule iceberg(String method, String path, Role role, Resource resource, String action) {
        return new Rule(method, P + path, role, resource, Reach.WAREHOUSE, action);
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }
}
