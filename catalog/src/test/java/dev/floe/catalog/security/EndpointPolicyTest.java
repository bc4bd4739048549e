package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.junit.jupiter.api.Test;

/**
 * {@link EndpointPolicy} looks a request up by the route template Micronaut matched and reads the
 * resource from that route's variables, the way the controllers read them. (That every route the
 * server serves has a row is checked against the real router in RoleEndpointMatrixIT.)
 */
class EndpointPolicyTest {

    @Test
    void findsTheRuleOfARouteUnderBothSpellingsOfItsTemplate() {
        assertThat(EndpointPolicy.rule("GET", "/v1/{prefix}/namespaces/{namespace}/tables/{table}")
                        .action())
                .isEqualTo("table.load");
        assertThat(EndpointPolicy.rule("GET", "/v1/namespaces/{namespace}/tables/{table}")
                        .action())
                .isEqualTo("table.load");
        assertThat(EndpointPolicy.rule("POST", "/v1/namespaces/{namespace}/tables/{table}")
                        .action())
                .isEqualTo("table.commit");
        assertThat(EndpointPolicy.rule("HEAD", "/v1/{prefix}/namespaces/{namespace}")
                        .required())
                .isEqualTo(Role.READER);
        assertThat(EndpointPolicy.rule("POST", "/v1/oauth/tokens").required()).isNull();
    }

    @Test
    void keyManagementIsForAdminsAndDataKeysForUnscopedOnes() {
        EndpointPolicy.Rule revoke = EndpointPolicy.rule("DELETE", "/management/v1/api-keys/{keyId}");
        assertThat(revoke.required()).isEqualTo(Role.ADMIN);
        assertThat(revoke.reach()).isEqualTo(EndpointPolicy.Reach.KEYS);
        assertThat(EndpointPolicy.rule("POST", "/management/v1/keys/rotate").reach())
                .isEqualTo(EndpointPolicy.Reach.CATALOG);
        assertThat(EndpointPolicy.rule("GET", "/management/v1/keys").reach()).isEqualTo(EndpointPolicy.Reach.CATALOG);
    }

    @Test
    void anUnlistedRouteNeedsAdmin() {
        EndpointPolicy.Rule rule = EndpointPolicy.rule("PUT", "/v1/namespaces/{namespace}");
        assertThat(rule.required()).isEqualTo(Role.ADMIN);
        assertThat(rule.action()).isEqualTo("other");
        assertThat(EndpointPolicy.rule("GET", "/v1/namespaces/tables").action()).isEqualTo("other");
    }

    @Test
    void readsTheResourceFromTheRouteVariablesAsLevels() {
        EndpointPolicy.Match match = EndpointPolicy.match(
                "GET",
                "/v1/{prefix}/namespaces/{namespace}/tables/{table}",
                Map.of("prefix", "wh", "namespace", "db\u001fsub.x", "table", "orders"));
        assertThat(match.rule().action()).isEqualTo("table.load");
        assertThat(match.warehouse()).isEqualTo("wh");
        assertThat(match.namespace()).isEqualTo(Namespace.of("db", "sub.x"));
        assertThat(match.name()).isEqualTo("orders");
        assertThat(match.invalid()).isNull();
        EndpointPolicy.Match view = EndpointPolicy.match(
                "DELETE", "/v1/namespaces/{namespace}/views/{view}", Map.of("namespace", "db", "view", "v"));
        assertThat(view.name()).isEqualTo("v");
        assertThat(view.target()).isEqualTo("db.v");
    }

    @Test
    void aNamespaceVariableTheControllerWouldRefuseIsMarkedInvalid() {
        EndpointPolicy.Match match =
                EndpointPolicy.match("GET", "/v1/namespaces/{namespace}", Map.of("namespace", "db\u001f\u001fx"));
        assertThat(match.namespace()).isNull();
        assertThat(match.invalid()).contains("empty");
    }
}
