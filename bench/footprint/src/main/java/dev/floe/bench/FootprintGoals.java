package dev.floe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Issue 14's footprint goals, checked against a run's medians: the catalog in its image (the jar
 * when the image could not run), and its loadTable throughput against the reference server's of
 * the same run. A goal not met points at the measured reasons in docs/performance.md.
 */
final class FootprintGoals {

    static final String WHY_NOT_MET =
            "docs/performance.md, \"Footprint targets not met, why, and what would meet them\"";

    private FootprintGoals() {}

    record Goal(String name, double measured, String unit, boolean met) {}

    static List<Goal> check(Map<String, List<FootprintBench.Sample>> samples, int[] threadCounts) {
        String floe = samples.containsKey("floe-image") ? "floe-image" : "floe-jar";
        List<FootprintBench.Sample> catalog = samples.get(floe);
        List<Goal> goals = new ArrayList<>();
        if (catalog == null) {
            return goals;
        }
        double warm = median(catalog, s -> s.warmStartMs());
        double first = median(catalog, s -> s.firstStartMs());
        double idle = median(catalog, s -> s.rssIdleMiB());
        double loaded = median(catalog, s -> s.rssLoadedMiB());
        goals.add(new Goal(floe + " start to ready, warm restart < 1000 ms", warm, "ms", warm < 1000));
        // the same restart without the benchmark's and the container runtime's share (informational)
        double fromProcess = median(catalog, s -> s.warmProcessToReadyMs());
        goals.add(new Goal(
                floe + " (its process start to ready, warm restart < 1000 ms)", fromProcess, "ms", fromProcess < 1000));
        goals.add(new Goal(floe + " start to ready, first start < 1500 ms", first, "ms", first < 1500));
        goals.add(new Goal(floe + " RSS idle < 128 MiB", idle, "MiB", idle < 128));
        goals.add(new Goal(floe + " RSS after the fixed load < 160 MiB", loaded, "MiB", loaded < 160));
        List<FootprintBench.Sample> reference = samples.get("reference");
        if (reference != null) {
            for (int threads : threadCounts) {
                double ratio = median(catalog, s -> s.throughput().get(threads))
                        / median(reference, s -> s.throughput().get(threads));
                goals.add(new Goal(
                        floe + " loadTable/s at " + threads + " thread" + (threads > 1 ? "s" : "")
                                + " >= 2x the reference",
                        ratio,
                        "x",
                        ratio >= 2));
            }
        }
        return goals;
    }

    static void print(List<Goal> goals) {
        if (goals.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("| goal (issue 14) | measured (median) | |");
        System.out.println("|---|---:|---|");
        for (Goal goal : goals) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f %s | %s |%n",
                    goal.name(),
                    goal.measured(),
                    goal.unit(),
                    goal.met() ? "met" : "NOT MET");
        }
        if (goals.stream().anyMatch(goal -> !goal.met())) {
            System.out.println("why a goal is not met, measured, and what would meet it: " + WHY_NOT_MET);
        }
    }

    /** The same median as the figures table's (a goal and its row never disagree). */
    private static double median(List<FootprintBench.Sample> samples, ToDoubleFunction<FootprintBench.Sample> figure) {
        return FootprintBench.median(FootprintBench.sorted(samples, figure));
    }
}
