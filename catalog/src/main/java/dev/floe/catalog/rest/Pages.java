package dev.floe.catalog.rest;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * Pagination of list responses. The page token is the offset into the list sorted by name, so
 * pages are stable while nothing is created or dropped. Without {@code pageToken} and
 * {@code pageSize} the whole list is returned in one response.
 *
 * @param items         this page
 * @param nextPageToken token for the next page, or null on the last page
 */
public record Pages<T>(List<T> items, String nextPageToken) {

    static final int DEFAULT_PAGE_SIZE = 1000;
    static final int MAX_PAGE_SIZE = 10_000;

    public static <T> Pages<T> of(List<T> all, Function<T, String> name, String pageToken, String pageSize) {
        List<T> sorted = new java.util.ArrayList<>(all);
        sorted.sort(Comparator.comparing(name));
        if (pageToken == null && pageSize == null) {
            return new Pages<>(sorted, null);
        }
        int size = parse(pageSize, "pageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        int start =
                pageToken == null || pageToken.isEmpty() ? 0 : parse(pageToken, "pageToken", 0, 0, Integer.MAX_VALUE);
        if (start >= sorted.size()) {
            return new Pages<>(new java.util.ArrayList<>(), null);
        }
        int end = (int) Math.min((long) start + size, sorted.size());
        return new Pages<>(
                new java.util.ArrayList<>(sorted.subList(start, end)),
                end >= sorted.size() ? null : String.valueOf(end));
    }

    private static int parse(String value, String name, int absent, int min, int max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new BadRequestException("Invalid %s: must be between %d and %d", name, min, max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException("Invalid %s: %s", name, Identifiers.printable(value));
        }
    }
}
