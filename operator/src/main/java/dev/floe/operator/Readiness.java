package dev.floe.operator;

/**
 * What the operator's {@code /readyz} answers. With leader election only the leader starts its
 * controllers; a standby replica is healthy and ready to take over, so it must report ready too,
 * or a two-replica Deployment never becomes available and {@code kubectl rollout status} hangs.
 *
 * @param ready   whether the probe should pass
 * @param message the probe's body, for a person reading it
 */
public record Readiness(boolean ready, String message) {

    /**
     * @param leaderElection         whether this process takes a Lease before reconciling
     * @param leading                whether it holds the Lease now (the Lease callbacks)
     * @param controllersStarted     whether the controllers run (JOSDK's {@code isStarted()}; true
     *                               for a standby too, whose informers start before the Lease)
     * @param eventSourcesHealthy    whether every informer is connected and watching
     * @param unhealthyEventSources  names of the unhealthy event sources, for the message
     */
    public static Readiness of(
            boolean leaderElection,
            boolean leading,
            boolean controllersStarted,
            boolean eventSourcesHealthy,
            Iterable<String> unhealthyEventSources) {
        if (leaderElection && !leading) {
            return new Readiness(true, "standby: waiting for leadership");
        }
        if (!controllersStarted) {
            return new Readiness(false, "not ready: controllers not started");
        }
        String role = leaderElection ? "ready: leader" : "ready";
        return eventSourcesHealthy
                ? new Readiness(true, role)
                : new Readiness(false, "not ready: " + String.join(", ", unhealthyEventSources));
    }
}
