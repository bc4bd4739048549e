package dev.floe.catalog.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online key rotation: rewrap every data key under the master key's current version, start a new
 * active data key, and optionally re-seal stored values still under retired data keys and destroy
 * those keys. Each step commits row by row, so traffic keeps flowing, a crash leaves everything
 * readable, and running it again finishes what was left. Retired keys are destroyed only after a
 * grace period, so that other replicas (which re-read the active key periodically) and requests in
 * flight can no longer be sealing with them.
 */
public final class KeyRotation {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    /** What a rotation did; serialised as the one-line summary of {@code floe admin rotate-keys}. */
    public record Report(
            String provider,
            String masterKeyId,
            String masterKeyVersion,
            String activeDataKey,
            int rewrapped,
            int alreadyCurrent,
            boolean reencrypted,
            int resealed,
            int remaining,
            List<String> destroyed,
            List<String> pendingDestroy,
            List<String> failures) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    private final DataKeyRing ring;
    private final Reencryptor reencryptor;
    private final SealedValueStore values;
    private final Clock clock;
    private final Duration destroyGrace;

    public KeyRotation(
            DataKeyRing ring, Reencryptor reencryptor, SealedValueStore values, Clock clock, Duration destroyGrace) {
        this.ring = ring;
        this.reencryptor = reencryptor;
        this.values = values;
        this.clock = clock;
        this.destroyGrace = destroyGrace;
    }

    /** Runs one rotation; one at a time per process. */
    public synchronized Report rotate(boolean reencrypt) {
        DataKeyRing.RewrapResult rewrap = ring.rewrapAll();
        List<String> failures = new ArrayList<>(rewrap.failures());
        DataKeyRecord active = ring.rotateActive();
        int resealed = 0;
        int remaining = 0;
        List<String> destroyed = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        if (reencrypt) {
            Set<UUID> retired = ring.list().stream()
                    .filter(r -> r.state() == DataKeyState.RETIRED)
                    .map(DataKeyRecord::id)
                    .collect(Collectors.toSet());
            Reencryptor.Result result = reencryptor.reseal(retired);
            resealed = result.totalResealed();
            remaining = result.totalRemaining();
            // A fresh count, taken after the pass from the database itself (every binary column of
            // the store's schema, declared or not), is what allows a destroy: never the pass's tally.
            Map<UUID, Integer> counts = values.countByDataKey();
            Instant cutoff = clock.instant().minus(destroyGrace);
            for (DataKeyRecord r : ring.list()) {
                if (r.state() != DataKeyState.RETIRED) {
                    continue;
                }
                boolean unused = counts.getOrDefault(r.id(), 0) == 0;
                if (unused && !r.updated().isAfter(cutoff)) {
                    if (ring.destroy(r.id())) {
                        destroyed.add(r.id().toString());
                    }
                } else {
                    pending.add(r.id().toString());
                }
            }
        }
        Report report = new Report(
                ring.provider().kind(),
                rewrap.current().keyId(),
                rewrap.current().version(),
                active.id().toString(),
                rewrap.rewrapped(),
                rewrap.alreadyCurrent(),
                reencrypt,
                resealed,
                remaining,
                destroyed,
                pending,
                failures);
        LOG.info("key rotation: {}", report);
        return report;
    }

    /** One line per data key for {@code GET /management/v1/keys}: state, versions, row counts. */
    public record KeyInfo(
            String id,
            String state,
            String provider,
            String masterKeyId,
            String masterKeyVersion,
            Instant created,
            Instant updated,
            int rows,
            boolean cached) {}

    public List<KeyInfo> describe() {
        Map<UUID, Integer> counts = values.countByDataKey();
        List<KeyInfo> out = new ArrayList<>();
        for (DataKeyRecord r : ring.list()) {
            out.add(new KeyInfo(
                    r.id().toString(),
                    r.state().name(),
                    r.provider(),
                    r.masterKeyId(),
                    r.masterKeyVersion(),
                    r.created(),
                    r.updated(),
                    counts.getOrDefault(r.id(), 0),
                    ring.isCached(r.id())));
        }
        return out;
    }
}
