package dev.floe.catalog.crypto;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Re-seals stored values that are still under retired data keys with the active one, page by page,
 * so the retired keys can then be destroyed. The store pages by row key, so rows deleted or added
 * during the pass never make it skip a row. Each value is swapped with a compare-and-set on its old
 * ciphertext: a row the application rewrote meanwhile is left alone (it is under the active key
 * already), and a crash in the middle leaves every row readable; a rerun continues.
 */
public final class Reencryptor {

    /** Counts of one pass, per column ({@code table.column}). */
    public record Result(Map<String, Integer> resealed, Map<String, Integer> remaining) {
        public int totalResealed() {
            return resealed.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int totalRemaining() {
            return remaining.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final SealedValueStore values;
    private final FieldSealer sealer;
    private final int batchSize;

    public Reencryptor(SealedValueStore values, FieldSealer sealer, int batchSize) {
        this.values = values;
        this.sealer = sealer;
        this.batchSize = batchSize;
    }

    /** Re-seals every value whose DEK is in {@code retired}. */
    public Result reseal(Set<UUID> retired) {
        Map<String, Integer> resealed = new LinkedHashMap<>();
        Map<String, Integer> remaining = new LinkedHashMap<>();
        for (String column : values.columns()) {
            int done = 0;
            List<String> after = List.of();
            List<SealedValueStore.Cell> page;
            do {
                page = values.page(column, after, batchSize);
                for (SealedValueStore.Cell cell : page) {
                    if (isUnder(cell, retired) && values.swap(cell, reseal(cell))) {
                        done++;
                    }
                    // a failed swap means the application rewrote the row: it is under the active key already
                }
                after = page.isEmpty() ? after : page.get(page.size() - 1).rowKey();
            } while (page.size() == batchSize);
            resealed.put(column, done);
            remaining.put(column, countUnder(column, retired));
        }
        return new Result(resealed, remaining);
    }

    private byte[] reseal(SealedValueStore.Cell cell) {
        byte[] plain = sealer.open(cell.sealed(), cell.context());
        try {
            return sealer.seal(plain, cell.context());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Values of {@code column} still under one of {@code dekIds}, after the pass. */
    private int countUnder(String column, Set<UUID> dekIds) {
        int n = 0;
        List<String> after = List.of();
        List<SealedValueStore.Cell> page;
        do {
            page = values.page(column, after, batchSize);
            n += (int) page.stream().filter(cell -> isUnder(cell, dekIds)).count();
            after = page.isEmpty() ? after : page.get(page.size() - 1).rowKey();
        } while (page.size() == batchSize);
        return n;
    }

    private static boolean isUnder(SealedValueStore.Cell cell, Set<UUID> dekIds) {
        return SealedValueFormat.looksSealed(cell.sealed())
                && dekIds.contains(SealedValueFormat.dekIdOf(cell.sealed()));
    }
}
