package dev.floe.catalog.crypto;

/**
 * Life cycle of a data key in the ring: exactly one {@code ACTIVE} key seals new values;
 * {@code RETIRED} keys only open values sealed earlier; {@code DESTROYED} keys have had their
 * wrapped material erased after re-encryption moved every value off them.
 */
public enum DataKeyState {
    ACTIVE,
    RETIRED,
    DESTROYED
}
