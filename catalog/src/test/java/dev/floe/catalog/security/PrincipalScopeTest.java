package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.junit.jupiter.api.Test;

/** Scopes compare namespace levels, never namespaces joined into text. */
class PrincipalScopeTest {

    private static Principal scoped(String warehouse, Namespace prefix) {
        return new Principal("p", "k", Set.of(Role.ADMIN), warehouse, prefix, "api-key");
    }

    @Test
    void aNamespaceIsWithinAPrefixByWholeLevels() {
        Namespace salesEu = Namespace.of("sales", "eu");
        assertThat(Principal.within(Namespace.of("sales", "eu"), salesEu)).isTrue();
        assertThat(Principal.within(Namespace.of("sales", "eu", "x"), salesEu)).isTrue();
        assertThat(Principal.within(Namespace.of("sales.eu"), salesEu)).isFalse();
        assertThat(Principal.within(Namespace.of("sales.eu", "x"), salesEu)).isFalse();
        assertThat(Principal.within(Namespace.of("sales", "europe"), salesEu)).isFalse();
        assertThat(Principal.within(Namespace.of("sales"), salesEu)).isFalse();
        assertThat(Principal.within(Namespace.of("sales", "eu"), Namespace.of("sales.eu")))
                .isFalse();
    }

    @Test
    void listingsShowTheWayToTheScopeAndWhatIsInside() {
        Principal p = scoped(null, Namespace.of("sales", "eu"));
        assertThat(p.sees("default", Namespace.of("sales"))).isTrue();
        assertThat(p.sees("default", Namespace.of("sales", "eu", "x"))).isTrue();
        assertThat(p.sees("default", Namespace.of("sales", "us"))).isFalse();
        assertThat(p.sees("default", Namespace.of("sales.eu"))).isFalse();
    }

    @Test
    void aScopedCallerCoversOnlyKeysInsideItsScope() {
        Principal ns = scoped(null, Namespace.of("sales"));
        assertThat(ns.covers(null, null)).isFalse();
        assertThat(ns.covers(null, Namespace.of("hr"))).isFalse();
        assertThat(ns.covers("any", Namespace.of("sales", "eu"))).isTrue();
        Principal wh = scoped("default", null);
        assertThat(wh.covers(null, null)).isFalse();
        assertThat(wh.covers("other", null)).isFalse();
        assertThat(wh.covers("default", Namespace.of("x"))).isTrue();
        assertThat(scoped(null, null).covers(null, null)).isTrue();
        assertThat(scoped(null, null).unscoped()).isTrue();
        assertThat(wh.unscoped()).isFalse();
    }

    @Test
    void storedScopesAndOidcClaimsBecomeLevels() {
        assertThat(ApiKeyRecord.scopeLevels("sales.eu")).isEqualTo(Namespace.of("sales", "eu"));
        assertThat(OidcAuthenticator.namespaceScope("sales.eu")).isEqualTo(Namespace.of("sales", "eu"));
        assertThat(OidcAuthenticator.namespaceScope(List.of("sales.eu"))).isEqualTo(Namespace.of("sales.eu"));
        assertThat(OidcAuthenticator.namespaceScope("")).isNull();
        assertThat(OidcAuthenticator.namespaceScope("sales..eu")).isNull();
        assertThat(OidcAuthenticator.namespaceScope(List.of())).isNull();
        assertThat(OidcAuthenticator.namespaceScope(List.of("sales", 7))).isNull();
        assertThat(OidcAuthenticator.namespaceScope(42)).isNull();
        assertThat(OidcAuthenticator.warehouseScope("wh")).isEqualTo("wh");
        assertThat(OidcAuthenticator.warehouseScope(" ")).isNull();
        assertThat(OidcAuthenticator.warehouseScope(List.of("wh"))).isNull();
    }
}
