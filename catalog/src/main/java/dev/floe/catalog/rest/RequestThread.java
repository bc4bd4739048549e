package dev.floe.catalog.rest;

/**
 * The executor name that makes a route run on the thread that received the request (a Netty event
 * loop) instead of Micronaut's blocking pool, where {@code thread-selection=BLOCKING} puts every
 * other route: {@code @ExecuteOn(RequestThread.EXECUTOR)}. Such a route must not block; it answers
 * what it can from memory and local storage at once and hands anything else to the blocking pool
 * itself. A request served entirely on its event loop saves two thread hand-offs (event loop to
 * worker, and back to write the response), which is most of a cached table load's latency.
 */
public final class RequestThread {

    /** Name of the executor bean that runs a task at once on the submitting thread. */
    public static final String EXECUTOR = "floe-request-thread";

    private RequestThread() {}
}
