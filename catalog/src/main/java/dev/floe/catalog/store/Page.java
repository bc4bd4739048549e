package dev.floe.catalog.store;

import java.util.List;

/**
 * One page of a keyset-paginated listing.
 *
 * @param items         the entries of this page, in key order
 * @param nextPageToken an opaque token that continues after the last entry, or null on the last page
 */
public record Page<T>(List<T> items, String nextPageToken) {

    public Page {
        items = List.copyOf(items);
    }
}
