package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.floe.catalog.store.ApiKeyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.MutableClock;
import dev.floe.catalog.testing.TestSealers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Authenticator#decidesInMemory}: which credentials the authentication filter may decide on
 * the event loop. A key whose record is cached and fresh, this catalog's token for such a key, and
 * credentials that are missing or malformed need no I/O; an unknown or uncached key id (a database
 * read) and any OIDC token (the issuer's keys may have to be fetched) do. A key due for a refresh
 * (less than a fifth of its cache time, at most a second, left) is not, until the first request on
 * the blocking path has reloaded it. The key store is a real SQLite database; time is an injected clock.
 */
class AuthenticatorInMemoryDecisionIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private MetadataStore store;
    private MutableClock clock;
    private ApiKeyService keys;
    private TokenService tokens;
    private Authenticator authenticator;

    @BeforeEach
    void setUp() {
        store = MetadataStore.open(dir.toString(), TestSealers.scrambling());
        clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
        keys = new ApiKeyService(new ApiKeyRepository(store.dataSource(), TestSealers.scrambling()), clock, TTL);
        tokens = new TokenService(new byte[32], keys, clock, Duration.ofMinutes(10));
        OidcAuthenticator oidc = new OidcAuthenticator(new OidcAuthenticator.Settings(
                "https://issuer.example",
                URI.create("https://issuer.example/jwks"),
                "floe",
                "roles",
                "sub",
                null,
                null,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30)));
        authenticator = new Authenticator(keys, tokens, oidc);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void cachedKeysAndTheirTokensAreDecidedInMemoryUntilTheCacheNearsItsTtl() {
        ApiKeyService.Created created = keys.create("etl", EnumSet.of(Role.WRITER), null, null, null, "test");
        String token = created.credential().token();
        assertThat(authenticator.decidesInMemory("Bearer " + token, null))
                .as("not cached yet")
                .isFalse();
        assertThat(authenticator.decidesInMemory(null, token)).isFalse();

        assertThat(authenticator.authenticate("Bearer " + token, null))
                .isInstanceOf(Authenticator.Outcome.Authenticated.class);
        assertThat(authenticator.decidesInMemory("Bearer " + token, null)).isTrue();
        assertThat(authenticator.decidesInMemory(null, token)).isTrue();
        String issued =
                tokens.issue(keys.authenticate(created.credential(), "api-key").orElseThrow());
        assertThat(authenticator.decidesInMemory("Bearer " + issued, null)).isTrue();

        clock.advance(
                TTL.minusMillis(500)); // due for a refresh (less than a second left): a blocking thread reloads it
        assertThat(authenticator.decidesInMemory("Bearer " + token, null)).isFalse();
        assertThat(authenticator.decidesInMemory("Bearer " + issued, null)).isFalse();

        // the first request sent to the blocking pool reloads the record, and the next ones are in memory again
        assertThat(authenticator.authenticate("Bearer " + token, null))
                .isInstanceOf(Authenticator.Outcome.Authenticated.class);
        assertThat(authenticator.decidesInMemory("Bearer " + token, null)).isTrue();
        assertThat(authenticator.decidesInMemory("Bearer " + issued, null)).isTrue();
    }

    @Test
    void missingMalformedAndForeignCredentialsNeedNoIoButOidcTokensAndUnknownKeysDo() throws Exception {
        assertThat(authenticator.decidesInMemory(null, null)).isTrue();
        assertThat(authenticator.decidesInMemory("Basic dXNlcjpwYXNz", null)).isTrue();
        assertThat(authenticator.decidesInMemory("Bearer not-a-jwt", null)).isTrue();
        assertThat(authenticator.decidesInMemory("Bearer floe_short", null)).isTrue();
        assertThat(authenticator.decidesInMemory(null, "floe_short")).isTrue();

        String unknownKey = ApiKeyCredential.generate().token();
        assertThat(authenticator.decidesInMemory("Bearer " + unknownKey, null))
                .as("a database read")
                .isFalse();

        assertThat(authenticator.decidesInMemory("Bearer " + jwt("https://issuer.example"), null))
                .as("the issuer's JWKS may have to be fetched")
                .isFalse();
        assertThat(authenticator.decidesInMemory("Bearer " + jwt("https://someone-else.example"), null))
                .as("unknown issuer: refused without I/O")
                .isTrue();
    }

    private static String jwt(String issuer) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .subject("someone")
                        .audience("floe")
                        .expirationTime(Date.from(Instant.parse("2026-11-30T11:00:00Z")))
                        .build());
        jwt.sign(new MACSigner(new byte[32]));
        return jwt.serialize();
    }
}
