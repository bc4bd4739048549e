package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.junit.jupiter.api.Test;

/**
 * The controllers' access checks read the caller the security filters stored on the request. A
 * request that reaches them without one was not authenticated: it is refused, never served as a
 * caller without limits (which is what an "anonymous" default used to mean here).
 */
class ScopedEndpointAccessTest {

    private final ScopedEndpointAccess access = new ScopedEndpointAccess(null);

    @Test
    void aRequestWithoutACallerIsRefusedAtEveryCheck() {
        MutableHttpRequest<?> request = HttpRequest.GET("/v1/default/namespaces");
        assertThatThrownBy(() -> access.visible(request, "default", Namespace.of("hr")))
                .isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> access.checkBody(
                        request,
                        "default",
                        CreateNamespaceRequest.builder()
                                .withNamespace(Namespace.of("hr"))
                                .build()))
                .isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void theStoredCallersScopeDecides() {
        MutableHttpRequest<?> request = HttpRequest.POST("/v1/default/namespaces", "");
        request.setAttribute(
                SecurityAttributes.PRINCIPAL,
                new Principal("sales", "k", Set.of(Role.WRITER), null, Namespace.of("sales"), "api-key"));
        assertThat(access.visible(request, "default", Namespace.of("sales", "eu")))
                .isTrue();
        assertThat(access.visible(request, "default", Namespace.of("hr"))).isFalse();
        assertThatThrownBy(() -> access.checkBody(
                        request,
                        "default",
                        CreateNamespaceRequest.builder()
                                .withNamespace(Namespace.of("hr"))
                                .build()))
                .isInstanceOf(ForbiddenException.class);
    }
}
